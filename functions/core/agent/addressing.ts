import type { Channel, Conversation, Customer, IdentityKind, Message, OutboundRequest } from '../model.ts';

/** The identity that addresses a customer on each channel we can write on. */
const ADDRESS_KIND: Readonly<Record<Exclude<Channel, 'voice'>, readonly IdentityKind[]>> = {
  email: ['email'],
  sms: ['phone'],
  // A WhatsApp user is a phone number; an explicit whatsapp identity wins.
  whatsapp: ['whatsapp', 'phone'],
  messenger: ['messenger'],
  instagram: ['instagram'],
  // A visitor is answered on the widget they wrote from, identified or not.
  chat: ['chat'],
};

/** The identity kinds that address a customer on `channel`, best first (none for voice). */
export function addressKindsOf(channel: Channel): readonly IdentityKind[] {
  return channel === 'voice' ? [] : ADDRESS_KIND[channel];
}

/** The customer's address on `channel` from their identities (not from a conversation). */
export function identityAddress(
  channel: Channel,
  customer: Pick<Customer, 'identities'> | undefined,
): string | undefined {
  for (const kind of addressKindsOf(channel)) {
    const identity = customer?.identities.find((i) => i.kind === kind);
    if (identity) return identity.value;
  }
  return undefined;
}

/** The last message the customer wrote in the conversation, if any. */
export function lastInbound(messages: readonly Message[]): Message | undefined {
  let last: Message | undefined;
  for (const message of messages) {
    if (message.direction === 'inbound' && (!last || message.at >= last.at)) last = message;
  }
  return last;
}

/**
 * Where an answer in `conversation` goes: the address the customer last wrote from on the
 * conversation's channel (a customer with two addresses is answered where they wrote), else the
 * customer's identity for that channel. Undefined: no address (or a voice conversation).
 */
export function answerAddress(
  conversation: Pick<Conversation, 'channel'>,
  customer: Pick<Customer, 'identities'> | undefined,
  messages: readonly Message[],
): string | undefined {
  if (conversation.channel === 'voice') return undefined;
  const kinds = ADDRESS_KIND[conversation.channel];
  const from = lastInbound(messages.filter((m) => m.channel === conversation.channel))?.from;
  if (from && kinds.includes(from.kind)) return from.value;
  for (const kind of kinds) {
    const identity = customer?.identities.find((i) => i.kind === kind);
    if (identity) return identity.value;
  }
  return undefined;
}

/**
 * Email threading of an answer: In-Reply-To the customer's last mail, References its chain plus it,
 * and the conversation's reply token (so the customer's next reply comes back here even from a
 * client that drops the references).
 */
export function answerThreading(
  conversation: Pick<Conversation, 'id' | 'channel'>,
  messages: readonly Message[],
): OutboundRequest['email'] {
  if (conversation.channel !== 'email') return undefined;
  const threading = lastInbound(messages.filter((m) => m.channel === 'email'))?.emailThreading;
  const messageId = threading?.messageId;
  return {
    ...(messageId ? { inReplyTo: messageId } : {}),
    references: [...(threading?.references ?? []), ...(messageId ? [messageId] : [])].slice(-50),
    replyToken: conversation.id,
  };
}

/** "Re: <subject>" (once), for answers by email. */
export function answerSubject(subject: string | undefined, fallback: string): string {
  const cleaned = (subject ?? '')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return fallback;
  const reply = /^(re|ynt|aw|sv)\s*:/i.test(cleaned) ? cleaned : `Re: ${cleaned}`;
  return reply.length > 200 ? `${reply.slice(0, 199).trimEnd()}…` : reply;
}
