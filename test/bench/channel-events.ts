/**
 * The events the bench sends, one builder per inbound channel: a customer's first message, a
 * follow-up of the same customer while the conversation is open, and the first message again
 * (the provider's redelivery, byte for byte). `n` numbers the customer; `at` is the replay clock.
 */

import { whatsappTextDelivery } from '../support/whatsapp-webhook.ts';

export type BenchPath = 'new-customer' | 'known-customer' | 'duplicate';

export interface ChannelEvents {
  /** The replay file suffix the sandbox engine takes the event by. */
  readonly suffix: string;
  /** The functions an event of this channel runs through before the dispatcher. */
  readonly inboundFunctions: readonly string[];
  first(n: number, at: Date): Uint8Array;
  followUp(n: number, at: Date): Uint8Array;
  /**
   * An event that comes first and belongs to the same contact (a call's contact-flow lookup
   * before its contact event); a redelivery repeats only the main event.
   */
  readonly prelude?: {
    readonly suffix: string;
    first(n: number, at: Date): Uint8Array;
    followUp(n: number, at: Date): Uint8Array;
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const email: ChannelEvents = {
  suffix: '.eml',
  inboundFunctions: ['inbound-email'],
  first: (n) => mail(n, `bench-${n}@customers.example.com`),
  followUp: (n) => mail(n, `bench-${n}-reply@customers.example.com`, `bench-${n}@customers.example.com`),
};

function mail(n: number, messageId: string, inReplyTo?: string): Buffer {
  const from = `customer-${n}@example.com`;
  const threading = inReplyTo ? `In-Reply-To: <${inReplyTo}>\r\nReferences: <${inReplyTo}>\r\n` : '';
  const text = inReplyTo
    ? `Thank you. One more question about item ${n}: can I change the delivery address?`
    : `Hello, I ordered item ${n} last week and it has not arrived yet. Could you check?`;
  return Buffer.from(
    `Return-Path: <${from}>\r\nFrom: Customer ${n} <${from}>\r\nTo: support@support.example.com\r\n` +
      `Subject: ${inReplyTo ? 'Re: ' : ''}Delivery of item ${n}\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n` +
      `Message-ID: <${messageId}>\r\n${threading}MIME-Version: 1.0\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`,
  );
}

/** A Turkish mobile number per customer, valid for libphonenumber. */
const phone = (n: number) => `+90532${String(1_000_000 + n).slice(-7)}`;

const sms: ChannelEvents = {
  suffix: '.sms.json',
  inboundFunctions: ['inbound-sms'],
  first: (n) => smsEvent(n, 'first', `Hello, my order ${n} has not arrived yet, can you check?`),
  followUp: (n) => smsEvent(n, 'follow-up', 'Thanks, one more thing: can I change the address?'),
};

function smsEvent(n: number, which: string, text: string): Buffer {
  return json({
    originationNumber: phone(n),
    destinationNumber: '+908501234567',
    messageKeyword: 'KEYWORD_908501234567',
    messageBody: text,
    inboundMessageId: `bench-sms-${which}-${n}`,
    previousPublishedMessageId: `bench-previous-${which}-${n}`,
  });
}

const whatsapp: ChannelEvents = {
  suffix: '.meta.json',
  inboundFunctions: ['meta-webhook', 'inbound-social'],
  first: (n, at) => whatsappEvent(n, 'first', at, `Hello, my order ${n} has not arrived yet, can you check?`),
  followUp: (n, at) => whatsappEvent(n, 'follow-up', at, 'Thanks, one more thing: can I change the address?'),
};

function whatsappEvent(n: number, which: string, at: Date, text: string): Buffer {
  const waId = phone(n).slice(1);
  return json(
    whatsappTextDelivery({
      waId,
      name: `Customer ${n}`,
      messageId: `wamid.bench-${which}-${n}`,
      timestamp: String(Math.floor(at.getTime() / 1000)),
      text,
    }),
  );
}

const messenger: ChannelEvents = {
  suffix: '.meta.json',
  inboundFunctions: ['meta-webhook', 'inbound-social'],
  first: (n, at) =>
    messengerEvent(n, 'first', at, `Hello, my order ${n} has not arrived yet, can you check?`),
  followUp: (n, at) =>
    messengerEvent(n, 'follow-up', at, 'Thanks, one more thing: can I change the address?'),
};

function messengerEvent(n: number, which: string, at: Date, text: string): Buffer {
  const page = '112233445566778';
  const psid = String(7_000_000_000_000_000 + n);
  return json({
    object: 'page',
    entry: [
      {
        id: page,
        time: at.getTime(),
        messaging: [
          {
            sender: { id: psid },
            recipient: { id: page },
            timestamp: at.getTime(),
            message: { mid: `m_bench-${which}-${n}`, text },
          },
        ],
      },
    ],
  });
}

/**
 * A call that ended in the queue without an agent (a missed call): the contact flow's caller
 * lookup while it rings, then the EventBridge "Amazon Connect Contact Event" when the caller hangs
 * up, which the voice channel turns into the caller's timeline.
 */
const connectEvent: ChannelEvents = {
  suffix: '.connect-event.json',
  inboundFunctions: ['voice-lookup', 'voice-events'],
  first: (n, at) => contactEvent(n, 'first', at),
  followUp: (n, at) => contactEvent(n, 'follow-up', at),
  prelude: {
    suffix: '.connect-flow.json',
    first: (n) => contactFlowEvent(n, 'first'),
    followUp: (n) => contactFlowEvent(n, 'follow-up'),
  },
};

/** A contact id in Connect's UUID form, one per customer and call. */
const contactIdOf = (n: number, which: string) =>
  `00000000-0000-4000-8${which === 'first' ? '000' : '001'}-${String(n).padStart(12, '0')}`;

const CONNECT_INSTANCE =
  'arn:aws:connect:eu-central-1:000000000000:instance/11111111-2222-4333-8444-555555555555';

function contactEvent(n: number, which: string, at: Date): Buffer {
  const contactId = contactIdOf(n, which);
  const started = new Date(at.getTime() - 60_000).toISOString();
  return json({
    version: '0',
    id: `event-${contactId}`,
    'detail-type': 'Amazon Connect Contact Event',
    source: 'aws.connect',
    account: '000000000000',
    time: at.toISOString(),
    region: 'eu-central-1',
    resources: [CONNECT_INSTANCE, `${CONNECT_INSTANCE}/contact/${contactId}`],
    detail: {
      eventType: 'DISCONNECTED',
      contactId,
      channel: 'VOICE',
      instanceArn: CONNECT_INSTANCE,
      initiationMethod: 'INBOUND',
      initiationTimestamp: started,
      disconnectTimestamp: at.toISOString(),
      disconnectReason: 'CUSTOMER_DISCONNECT',
      customerEndpoint: { type: 'TELEPHONE_NUMBER', address: phone(n) },
      systemEndpoint: { type: 'TELEPHONE_NUMBER', address: '+908501234567' },
      queueInfo: {
        queueArn: `${CONNECT_INSTANCE}/queue/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee`,
        queueType: 'STANDARD',
        enqueueTimestamp: started,
      },
    },
  });
}

/** A visitor's chat messages from the widget, through the $connect authorizer and the `send` route. */
const chat: ChannelEvents = {
  suffix: '.chat.json',
  inboundFunctions: ['chat-authorizer', 'chat-websocket'],
  first: (n) => chatMessage(n, 'c-first', `Hello, my order ${n} has not arrived yet, can you check?`),
  followUp: (n) => chatMessage(n, 'c-follow-up', 'Thanks, one more thing: can I change the address?'),
};

function chatMessage(n: number, clientMessageId: string, text: string): Buffer {
  return json({ visitorId: `v-bench-${n}`, clientMessageId, text, language: 'en' });
}

export const CHANNEL_EVENTS = {
  email,
  sms,
  whatsapp,
  messenger,
  'connect-event': connectEvent,
  chat,
} as const;
export type BenchChannel = keyof typeof CHANNEL_EVENTS;

/** The contact-flow Lambda event Amazon Connect sends for an inbound call (the lookup callers wait on). */
export function contactFlowEvent(n: number, which = 'lookup', caller = n): Buffer {
  const contactId = contactIdOf(n, which);
  return json({
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: {},
        Channel: 'VOICE',
        ContactId: contactId,
        InitialContactId: contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: CONNECT_INSTANCE,
        PreviousContactId: contactId,
        Queue: null,
        SystemEndpoint: { Address: '+908501234567', Type: 'TELEPHONE_NUMBER' },
        CustomerEndpoint: { Address: phone(caller), Type: 'TELEPHONE_NUMBER' },
        MediaStreams: {},
      },
      Parameters: {},
    },
  });
}
