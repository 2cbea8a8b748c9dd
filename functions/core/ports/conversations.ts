import type { Channel, Conversation, Message } from '../model.ts';
import type { CountMark } from '../service-levels/stream-counts.ts';

/* Conversations, their messages and files, as the inbound paths and the agents see them. */

export interface EmailReference {
  readonly conversationId: string;
  readonly customerId: string;
}

/** What storing a message does to its conversation beside moving its clocks. */
export interface AppendEffect {
  readonly reopen?: boolean;
  /**
   * Counts this inbound contact on the conversation, in the same write, among the contacts since
   * the last answer a person gave (the escalation rule's tally); `key` makes a redelivery count once.
   */
  readonly contactKey?: string;
  /**
   * What the stored message counts in the channel-hour counters (core/service-levels/stream-counts.ts),
   * kept on the stored item: a store whose table streams to the counting consumer counts it
   * there and says so (`AppendedMessage.counted`); another leaves it to the caller.
   */
  readonly countAs?: CountMark;
}

/** A message stored for the first time. */
export interface AppendedMessage {
  /** With `contactKey`: the contacts since the last answer, this one included, where the store counted them. */
  readonly unansweredContacts?: number;
  /** With `countAs`: the message was stored marked, and its table's stream consumer counts it. */
  readonly counted?: boolean;
}

/** What a conditional continuation of an open conversation found. */
export type Continuation =
  /** The window and status held: the clocks, preview and contact moved; the message is not stored yet. */
  | {
      readonly outcome: 'continued';
      readonly conversation: Conversation;
      /** With `contactKey`: the contacts since the last answer, this one included, where the store counts them. */
      readonly unansweredContacts?: number;
    }
  /** Open and inside the window, but something newer moved its clocks: a late message or a redelivery. */
  | { readonly outcome: 'late'; readonly conversation: Conversation }
  /** Gone, closed, quarantined or outside the window: the message opens a conversation instead. */
  | { readonly outcome: 'refused' };

export interface ConversationStore {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Creates it unless it exists; returns the stored one either way. */
  create(conversation: Conversation): Promise<Conversation>;
  /**
   * Stores the message unless it is already there, and moves its conversation's timestamps.
   * Returns undefined when it was already stored (then nothing else changes).
   */
  appendMessage(message: Message, effect?: AppendEffect): Promise<AppendedMessage | undefined>;
  /** The first of these email Message-IDs that belongs to one of our conversations. */
  findByEmailReference(messageIds: readonly string[]): Promise<EmailReference | undefined>;
  recordEmailReference(messageId: string, reference: EmailReference): Promise<void>;
  latestOpenConversation(customerId: string, channel: Channel): Promise<Conversation | undefined>;
  /**
   * One conditional write: if the conversation is open or pending, its last activity is at or
   * after `windowStart` and not after the message, moves its clocks and preview to the inbound
   * `message` (reopening a pending one, counting `effect.contactKey`) without storing the message.
   */
  continueConversation(
    message: Message,
    condition: { readonly windowStart: string },
    effect?: Pick<AppendEffect, 'contactKey'>,
  ): Promise<Continuation>;
  /**
   * Stores the message unless it is there (its key comes from its id): undefined when it was.
   * Nothing else moves. With `countAs` a store that counts from its stream marks the item and
   * answers `counted: true`; one that does not leaves the counting to the caller.
   */
  storeMessage(message: Message, countAs?: CountMark): Promise<{ readonly counted: boolean } | undefined>;
  /** Which of these conversations holds the inbound message with this id, in one read. */
  conversationHolding(conversationIds: readonly string[], messageId: string): Promise<string | undefined>;
}

export interface AttachmentStore {
  /** Stores the content and returns the object key it can be read back from. */
  put(key: string, content: Uint8Array, contentType: string): Promise<string>;
}

/** Reads back a long message body the store kept beside its item (`Message.storedBody`). */
export interface MessageBodyReader {
  /** The stored bytes; undefined when nothing is stored under the key (any more). */
  read(objectKey: string): Promise<Uint8Array | undefined>;
}

/** Which conversations an agent lists; absent fields do not narrow. */
export interface ConversationQuery {
  readonly status?: import('../model.ts').ConversationStatus;
  readonly channel?: Channel;
  readonly assignee?: string;
  /** Only conversations nobody is assigned to. */
  readonly unassigned?: boolean;
  /** Only conversations carrying this label. */
  readonly label?: string;
  /**
   * `awake`: leaves out conversations snoozed past `now`; `snoozed`: only those. An expired snooze
   * counts as awake, so nothing has to wake conversations up.
   */
  readonly snooze?: { readonly show: 'awake' | 'snoozed'; readonly now: string };
}

/**
 * Where a listing stopped in each partition it reads (the status index is sharded): `start`, `end`,
 * or after the conversation with this last activity (`at`) and id. An index kept in hour buckets
 * names the `bucket` that conversation was read from (its items are ordered by `at` only once the
 * bucket is read); `at: ''` there means the whole bucket was read and the next older one follows.
 */
export type ListPosition =
  | 'start'
  | 'end'
  | { readonly at: string; readonly id: string; readonly bucket?: string };

/**
 * The agent's view of the conversation table: index reads (no scans) and the agent's
 * writes, each one conditional update (no read first).
 */
export interface AgentConversations {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Newest activity first, at most `limit`; `after` continues from a previous page's `next`. */
  list(
    query: ConversationQuery,
    page: { readonly limit: number; readonly after?: readonly ListPosition[] },
  ): Promise<{ readonly items: readonly Conversation[]; readonly next?: readonly ListPosition[] }>;
  /**
   * The conversation's messages, oldest first. `wholeBodies`: long bodies kept beside their items
   * are read back (where an agent opens the conversation); without it they are their beginning.
   */
  listMessages(conversationId: string, options?: { readonly wholeBodies?: boolean }): Promise<Message[]>;
  /** The customer's conversations, newest activity first, at most `limit` (by-customer index). */
  conversationsOf(customerId: string, limit: number): Promise<Conversation[]>;
  /** Sets (or, with `assignee` undefined, removes) the assignee; undefined: no such conversation. */
  assign(
    conversationId: string,
    change: { readonly assignee?: string; readonly at: string; readonly by: string },
  ): Promise<Conversation | undefined>;
  /**
   * Moves the status (closing also stamps `closedAt`/`closedBy`); `changed` is false when it had
   * that status already. Undefined: no such conversation.
   */
  changeStatus(
    conversationId: string,
    change: {
      readonly status: import('../model.ts').ConversationStatus;
      readonly at: string;
      readonly by: string;
    },
  ): Promise<{ readonly conversation: Conversation; readonly changed: boolean } | undefined>;
  /** Notes the survey on the conversation unless one is noted; false when one was. */
  markSurveyQueued(conversationId: string, survey: NonNullable<Conversation['survey']>): Promise<boolean>;
}

/** Survey answers: find the survey a lone "1–5" answers, and keep the first answer. */
export interface SurveyAnswers {
  /**
   * The customer's most recent conversation on `channel` whose survey was queued at or after
   * `since` (answered or not); undefined when there is none.
   */
  surveyedConversation(customerId: string, channel: Channel, since: Date): Promise<Conversation | undefined>;
  /** Stores the score unless one is stored; true when stored now or by this same message before. */
  recordCsat(conversationId: string, csat: NonNullable<Conversation['csat']>): Promise<boolean>;
}

/**
 * Merging a duplicate conversation into another: two ordered writes, each idempotent, so a retry
 * after a crash between them completes the merge (no transactions: dynalite has none).
 */
export interface ConversationMerges {
  /** Adds `sourceIds` to the target's `mergedFrom` (a set union); false: no such target. */
  recordMergedFrom(targetId: string, sourceIds: readonly string[]): Promise<boolean>;
  /**
   * Closes the source and marks it merged into `targetId`, unless it is already; `changed` is
   * false then. Undefined: no such source, or it was merged into another conversation.
   */
  markMerged(
    sourceId: string,
    targetId: string,
    change: { readonly at: string; readonly by: string },
  ): Promise<{ readonly conversation: Conversation; readonly changed: boolean } | undefined>;
}

/** The raw MIME of a received mail, by its SES message id (the receipt rule stored it first). */
export interface RawMailSource {
  read(sesMessageId: string): Promise<Uint8Array>;
}
