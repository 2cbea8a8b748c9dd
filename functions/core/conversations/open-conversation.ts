import type { SupportConfig } from '../config.ts';
import type {
  AttachmentRef,
  Channel,
  Conversation,
  Customer,
  InboundMessage,
  Language,
  Message,
  OpenConversationPointer,
} from '../model.ts';
import { WINDOWED_CHANNELS } from '../outbound/messaging-window.ts';
import type { ConversationStore } from '../ports/conversations.ts';
import type { CustomerDirectory, IdentityWindows } from '../ports/customers.ts';
import type { IdSource } from '../ports/runtime.ts';
import { type InsightsDeps, recordInbound } from '../service-levels/counters.ts';
import { countsTowardsRepeatedContacts, type EscalationDeps, escalateInbound } from './escalation.ts';
import { parseSurveyScore, type SurveyAnswerDeps } from './survey.ts';

/*
 * A known customer's follow-up, continued through the open-conversation pointer on the profile the
 * identity read brought: one conditional update of the conversation (window and status in its
 * condition) and one conditional put of the message, whose key comes from the provider's message
 * id and so is the event's dedupe record. No ledger claim or completion: the message is the only
 * effect that must happen once; everything before its put is idempotent, so a retry after a crash
 * repeats it harmlessly and then stores the message.
 */

/** How many of a channel's earlier conversations a pointer remembers for late redeliveries. */
export const MAX_PREVIOUS_CONVERSATIONS = 3;

/** What the follow-up path reads and writes; ReceiveInboundDeps provides it. */
export interface FollowUpDeps {
  readonly ids: IdSource;
  readonly config: Pick<SupportConfig, 'conversationWindowMinutes'>;
  readonly customers: Pick<CustomerDirectory, 'recordDetectedLanguage' | 'pointOpenConversation' | 'get'>;
  readonly conversations: Pick<
    ConversationStore,
    'continueConversation' | 'storeMessage' | 'appendMessage' | 'conversationHolding'
  >;
  readonly escalation: EscalationDeps;
  readonly surveys: SurveyAnswerDeps;
  readonly insights: InsightsDeps;
  readonly identityWindows?: IdentityWindows;
}

export interface FollowUpInput {
  readonly message: InboundMessage;
  /** Attachment contents to keep (a mail's): such a message takes the path that keeps them. */
  readonly attachments: readonly unknown[];
  readonly truncated?: boolean;
}

export interface FollowUpSender {
  readonly customer: Customer;
  readonly detected: Language | undefined;
}

export type FollowUp =
  | {
      readonly outcome: 'stored' | 'duplicate';
      readonly conversation: Conversation;
      readonly stored: Message;
    }
  /** The pointer led nowhere this message may go: it takes the new-conversation path (ledger). */
  | { readonly outcome: 'not-continued' };

/**
 * Whether the message may be continued through the pointer: a message whose only effect is
 * itself. Mail threads by its references and keeps attachments and Message-IDs; an SMS keyword
 * changes consent and answers; a lone score may answer a survey; a call is counted elsewhere.
 * Those keep the ledger.
 */
export function continuesByPointer(input: FollowUpInput): boolean {
  const { message } = input;
  if (message.channel === 'email' || message.channel === 'voice' || message.email) return false;
  if (message.sms?.keyword) return false;
  if (input.attachments.length > 0) return false;
  if (parseSurveyScore(message.text) !== undefined) return false;
  return true;
}

/** Flags an inbound message carries as stored: what the channel said, and a cut text. */
export function inboundFlags(input: FollowUpInput, own: readonly string[]): string[] {
  const flags = [...own];
  if (input.truncated) flags.push('text-truncated');
  for (const flag of input.message.flags ?? []) if (!flags.includes(flag)) flags.push(flag);
  return flags;
}

/** The stored form of an inbound message. */
export function inboundMessageRecord(
  message: InboundMessage,
  where: {
    readonly id: string;
    readonly conversationId: string;
    readonly attachments: readonly AttachmentRef[];
    readonly language: Language | undefined;
    readonly flags: readonly string[];
  },
): Message {
  return {
    id: where.id,
    conversationId: where.conversationId,
    direction: 'inbound',
    channel: message.channel,
    at: message.receivedAt,
    text: message.text,
    fullText: message.fullText,
    subject: message.subject,
    attachments: [...where.attachments],
    providerMessageId: message.providerMessageId,
    language: where.language,
    flags: [...where.flags],
    replyTo: message.replyTo,
    from: message.from,
    fromName: message.fromName,
    emailThreading: message.email
      ? { messageId: message.email.threading.messageId, references: message.email.threading.references }
      : undefined,
  };
}

/**
 * Continues the conversation the pointer names, if the window and its status allow. `stored`:
 * this delivery stored the message; `duplicate`: one before it did.
 */
export async function continueOpenConversation(
  deps: FollowUpDeps,
  input: FollowUpInput,
  sender: FollowUpSender,
  inboundKey: string,
  now: Date,
): Promise<FollowUp> {
  const { message } = input;
  const pointer = sender.customer.openConversations?.[message.channel];
  if (!pointer) return { outcome: 'not-continued' };
  // The retry of the message that opened it finishes on the path that opened it; a message
  // older than the pointer may be stored in one of the channel's earlier conversations.
  if (pointer.conversationId === deps.ids.derive('conversation', inboundKey))
    return { outcome: 'not-continued' };
  if (message.receivedAt < pointer.since) return { outcome: 'not-continued' };

  const stored = inboundMessageRecord(message, {
    id: deps.ids.derive('message', inboundKey),
    conversationId: pointer.conversationId,
    // Platform-held media (WhatsApp ids, Messenger URLs) and a chat's own uploads come as references.
    attachments: message.attachments.filter(
      (a) => a.media !== undefined || a.skippedReason !== undefined || a.objectKey !== undefined,
    ),
    language: sender.detected,
    flags: inboundFlags(input, []),
  });
  const contactKey = countsTowardsRepeatedContacts(deps.escalation, { status: 'open' }, message)
    ? inboundKey
    : undefined;
  const windowStart = new Date(now.getTime() - deps.config.conversationWindowMinutes * 60_000).toISOString();
  const continuation = await deps.conversations.continueConversation(
    stored,
    { windowStart },
    contactKey === undefined ? {} : { contactKey },
  );
  if (continuation.outcome === 'refused') return { outcome: 'not-continued' };
  const { conversation } = continuation;

  if (continuation.outcome === 'late') {
    // Something newer moved the clocks: the put decides whether this is a redelivery; a late
    // first delivery moves no clock and still counts as a contact (appendMessage's late path).
    const appended = await deps.conversations.appendMessage(stored, {
      countAs: 'inbound',
      ...(contactKey === undefined ? {} : { contactKey }),
    });
    if (!appended) return { outcome: 'duplicate', conversation, stored };
    await recordAround(deps, message, sender);
    await escalate(deps, conversation, message, inboundKey, appended.unansweredContacts);
    await count(deps, stored, conversation, appended.counted === true);
    return { outcome: 'stored', conversation, stored };
  }

  // Everything that must survive a crash runs before the put, each step idempotent: the update
  // above (same values again), the escalation (keyed by the event), the sender's window.
  await escalate(deps, conversation, message, inboundKey, continuation.unansweredContacts);
  await recordAround(deps, message, sender);
  const put = await deps.conversations.storeMessage(stored, 'inbound');
  if (!put) return { outcome: 'duplicate', conversation, stored };
  await count(deps, stored, conversation, put.counted);
  return { outcome: 'stored', conversation, stored };
}

/**
 * The conversation among the pointer's current and earlier ones that holds this message already:
 * a redelivery that now finds the window passed or the conversation closed was stored there.
 */
export async function conversationStoredIn(
  deps: Pick<FollowUpDeps, 'ids' | 'conversations'>,
  customer: Customer,
  channel: Channel,
  inboundKey: string,
): Promise<string | undefined> {
  const pointer = customer.openConversations?.[channel];
  if (!pointer) return undefined;
  const own = deps.ids.derive('conversation', inboundKey);
  const candidates = [pointer.conversationId, ...pointer.previous].filter((id) => id !== own);
  if (candidates.length === 0) return undefined;
  return deps.conversations.conversationHolding(candidates, deps.ids.derive('message', inboundKey));
}

/** The pointer after `conversationId` became the channel's conversation. */
export function pointerTo(
  current: OpenConversationPointer | undefined,
  conversationId: string,
  since: string,
): OpenConversationPointer {
  const previous = current
    ? [current.conversationId, ...current.previous].filter((id) => id !== conversationId)
    : [];
  return { conversationId, since, previous: previous.slice(0, MAX_PREVIOUS_CONVERSATIONS) };
}

/**
 * Points the customer's channel at `conversationId` (a new conversation, or the one a follow-up
 * found another way). Conditional on the pointer as read; a concurrent writer makes it read the
 * profile once more. Losing both rounds leaves the older pointer: its conversation's condition
 * refuses what does not belong there, so a follow-up costs a fallback, never a wrong thread.
 */
export async function pointOpenConversation(
  deps: Pick<FollowUpDeps, 'customers'>,
  customer: Customer,
  channel: Channel,
  conversationId: string,
  since: string,
): Promise<void> {
  let current = customer.openConversations?.[channel];
  for (let round = 0; round < 2; round++) {
    if (current?.conversationId === conversationId) return;
    const pointer = pointerTo(current, conversationId, since);
    if (await deps.customers.pointOpenConversation(customer.id, channel, pointer, current?.conversationId))
      return;
    current = (await deps.customers.get(customer.id))?.openConversations?.[channel];
  }
}

async function recordAround(deps: FollowUpDeps, message: InboundMessage, sender: FollowUpSender) {
  if (deps.identityWindows && WINDOWED_CHANNELS.has(message.channel)) {
    await deps.identityWindows.recordInbound(message.from, message.channel, message.receivedAt);
  }
  if (sender.detected && sender.detected !== sender.customer.detectedLanguage) {
    await deps.customers.recordDetectedLanguage(sender.customer.id, sender.detected);
  }
}

async function escalate(
  deps: FollowUpDeps,
  conversation: Conversation,
  message: InboundMessage,
  inboundKey: string,
  unansweredContacts: number | undefined,
) {
  await escalateInbound(deps.escalation, {
    conversation,
    message,
    inboundKey,
    ...(unansweredContacts === undefined ? {} : { unansweredContacts }),
  });
}

/** Counted once, after the put that stored it: a retry finds it stored and counts nothing. */
async function count(deps: FollowUpDeps, stored: Message, conversation: Conversation, counted: boolean) {
  await recordInbound(deps.insights, { message: stored, conversation, isNew: false, counted }).catch(
    (error: unknown) => deps.insights.onFailure?.(error),
  );
}
