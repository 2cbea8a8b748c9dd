import type { StandIns } from '../../bin/sandbox/stand-ins.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import { sandboxSupportConfig } from '../../local/config.ts';

/** The functions' settings for a set of local stand-ins, as the sandbox uses them. */
export function settingsFor(standIns: StandIns): LocalSettings {
  return {
    tableName: standIns.tableName,
    mailBucket: standIns.mailBucket,
    rawMailPrefix: 'inbound/',
    attachmentPrefix: 'attachments/',
    outboundQueueUrl: standIns.outboundQueueUrl,
    support: sandboxSupportConfig,
  };
}

/** A Turkish acknowledgement of conversation `conv-1`, as receiveInbound would queue it. */
export function acknowledgementRequest(overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return {
    id: 'ack-1',
    kind: 'auto-reply',
    channel: 'email',
    customerId: 'cust-1',
    conversationId: 'conv-1',
    to: 'ayse@example.com',
    language: 'tr',
    subject: 'Re: Siparişim nerede?',
    text: 'Mesajınızı aldık. Size en geç bugün 15:00’e kadar yanıt vereceğiz.',
    email: { inReplyTo: 'm1@mail.example.com', references: ['m1@mail.example.com'], replyToken: 'conv-1' },
    headers: { 'Auto-Submitted': 'auto-replied' },
    requestedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}
