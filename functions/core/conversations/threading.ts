import type { Conversation, InboundMessage } from '../model.ts';
import type { ConversationStore } from '../ports/conversations.ts';

export interface Thread {
  /** The existing conversation the message continues; absent when it starts a new one. */
  readonly conversation?: Conversation;
  /** True when this message opens its conversation (and so may be acknowledged). */
  readonly isNew: boolean;
  readonly via?: 'email-reference' | 'reply-token' | 'open-conversation';
}

/** Only the most recent references matter; a long chain must not cost a long lookup. */
const MAX_REFERENCES = 20;

/**
 * Finds the conversation an inbound message continues. A message only joins a conversation
 * of the same customer: a stranger who replies into someone else's thread (a forwarded mail,
 * a guessed token) starts a conversation of their own instead of reading or writing theirs.
 *
 * `ownConversationId` is the id this message would give a new conversation: when a retried
 * delivery finds it, the message is still the one that opened it.
 */
export async function threadInbound(
  store: ConversationStore,
  message: InboundMessage,
  customerId: string,
  windowMinutes: number,
  now: Date,
  ownConversationId: string,
): Promise<Thread> {
  const found = await findContinued(store, message, customerId, windowMinutes, now);
  if (!found) return { isNew: true };
  if (found.conversation.id === ownConversationId) return { conversation: found.conversation, isNew: true };
  return { conversation: found.conversation, isNew: false, via: found.via };
}

async function findContinued(
  store: ConversationStore,
  message: InboundMessage,
  customerId: string,
  windowMinutes: number,
  now: Date,
): Promise<{ conversation: Conversation; via: NonNullable<Thread['via']> } | undefined> {
  if (message.email) {
    const { inReplyTo, references, replyToken } = message.email.threading;
    const candidates = [...new Set([...inReplyTo, ...[...references].reverse()])].slice(0, MAX_REFERENCES);
    if (candidates.length > 0) {
      const reference = await store.findByEmailReference(candidates);
      if (reference && reference.customerId === customerId) {
        const conversation = await store.get(reference.conversationId);
        if (conversation?.customerId === customerId) return { conversation, via: 'email-reference' };
      }
    }
    if (replyToken) {
      const conversation = await store.get(replyToken);
      if (conversation?.customerId === customerId) return { conversation, via: 'reply-token' };
    }
    return undefined;
  }
  const open = await store.latestOpenConversation(customerId, message.channel);
  if (open && Date.parse(open.lastMessageAt) >= now.getTime() - windowMinutes * 60_000) {
    return { conversation: open, via: 'open-conversation' };
  }
  return undefined;
}
