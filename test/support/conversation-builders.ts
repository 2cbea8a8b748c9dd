import type { Conversation, InboundMessage, Message } from '../../functions/core/model.ts';

/** An open email conversation `conv-1` of customer `cust-1`, started 2026-11-23 09:00 UTC. */
export function openConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv-1',
    customerId: 'cust-1',
    channel: 'email',
    status: 'open',
    createdAt: '2026-11-23T09:00:00.000Z',
    lastMessageAt: '2026-11-23T09:00:00.000Z',
    ...overrides,
  };
}

/** An inbound email `hello` without attachments, in conversation `conversationId` at `at`. */
export function inboundMessage(
  conversationId: string,
  id: string,
  at: string,
  overrides: Partial<Message> = {},
): Message {
  return {
    id,
    conversationId,
    direction: 'inbound',
    channel: 'email',
    at,
    text: 'hello',
    attachments: [],
    ...overrides,
  };
}

/** A text-only SMS from `phone` to the support number, as the inbound-sms channel parses it. */
export function inboundSms(
  providerMessageId: string,
  phone: string,
  text: string,
  receivedAt: Date,
): InboundMessage {
  return {
    channel: 'sms',
    providerMessageId,
    from: { kind: 'phone', value: phone },
    receivedAt: receivedAt.toISOString(),
    text,
    attachments: [],
    sms: { destinationNumber: '+908501234567' },
  };
}

/**
 * A first mail from Ayşe (ayse@example.com) to support, every check passed, as the inbound-email
 * channel parses it: its provider id follows the text's length, so two questions are two events.
 */
export function inboundEmail(text: string, receivedAt: Date, subject = 'Soru'): InboundMessage {
  return {
    channel: 'email',
    providerMessageId: `ses-${text.length}`,
    from: { kind: 'email', value: 'ayse@example.com' },
    fromName: 'Ayşe Yılmaz',
    receivedAt: receivedAt.toISOString(),
    subject,
    text,
    attachments: [],
    email: {
      threading: { messageId: '<m1@example.com>', inReplyTo: [], references: [] },
      signals: { returnPath: 'ayse@example.com', subject },
      verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
      recipients: ['support@support.example.com'],
    },
  };
}

/** A short text from `phone` by SMS (to the support number) or WhatsApp, one event per channel. */
export function inboundPhoneText(channel: 'sms' | 'whatsapp', phone: string, text: string, receivedAt: Date) {
  const message: InboundMessage = {
    channel,
    providerMessageId: `${channel}-1`,
    from: { kind: 'phone', value: phone },
    receivedAt: receivedAt.toISOString(),
    text,
    attachments: [],
    ...(channel === 'sms' ? { sms: { destinationNumber: '+908501234567' } } : {}),
  };
  return message;
}
