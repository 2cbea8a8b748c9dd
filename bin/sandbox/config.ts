import { type SupportConfig, supportConfigSchema } from '../../functions/core/config.ts';

/**
 * The shop the sandbox pretends to be. Fixtures write to support@support.example.com; a
 * business week in Istanbul with Turkish public holidays makes response times realistic.
 */
export const sandboxSupportConfig: SupportConfig = supportConfigSchema.parse({
  mailDomain: 'support.example.com',
  supportAddress: 'support@support.example.com',
  ownAddresses: ['noreply@support.example.com', 'orders@support.example.com'],
  fromName: 'Example Shop Support',
  languages: ['tr', 'en'],
  defaultLanguage: 'en',
  businessHours: {
    timezone: 'Europe/Istanbul',
    weekly: {
      mon: [{ open: '09:00', close: '18:00' }],
      tue: [{ open: '09:00', close: '18:00' }],
      wed: [{ open: '09:00', close: '18:00' }],
      thu: [{ open: '09:00', close: '18:00' }],
      fri: [{ open: '09:00', close: '18:00' }],
      sat: [{ open: '10:00', close: '14:00' }],
    },
    holidays: [
      '2026-01-01',
      '2026-04-23',
      '2026-05-01',
      '2026-05-19',
      '2026-07-15',
      '2026-08-30',
      '2026-10-29',
    ],
  },
  firstResponseTargetMinutes: 120,
  // The confirmation link of an address a chat visitor leaves lands on `npm start`'s default port.
  chat: { emailAfterMinutes: 10, confirmationUrl: 'http://127.0.0.1:3000/chat/confirm' },
  autoReplyWindowMinutes: 1440,
  conversationWindowMinutes: 1440,
  // The shop's SMS number (a Turkish 0850 service number); sends go out from its phone id.
  sms: {
    originationIdentity: 'phone-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    configurationSetName: 'switchboard-sms',
    ownNumbers: ['+908501234567'],
    quietHours: { start: '21:00', end: '08:00' },
  },
});
