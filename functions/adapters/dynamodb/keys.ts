import type { ConversationStatus, Identity } from '../../core/model.ts';

/** Item keys of the conversation table (DESIGN §3). */
export const keys = {
  customer: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'PROFILE' }),
  identity: (identity: Identity) => ({ pk: `IDENTITY#${identity.kind}#${identity.value}`, sk: 'IDENTITY' }),
  conversation: (conversationId: string) => ({ pk: `CONVERSATION#${conversationId}`, sk: 'META' }),
  message: (conversationId: string, at: string, messageId: string) => ({
    pk: `CONVERSATION#${conversationId}`,
    sk: `MESSAGE#${at}#${messageId}`,
  }),
  /**
   * An inbound message, keyed by its id (derived from the provider's message id), not by its
   * time: a redelivery finds it whatever time it comes with, so the put is the event's dedupe.
   * Messages stored before keep `MESSAGE#<at>#<id>`; lists sort by `at` either way.
   */
  inboundMessage: (conversationId: string, messageId: string) => ({
    pk: `CONVERSATION#${conversationId}`,
    sk: `${INBOUND_MESSAGE_PREFIX}${messageId}`,
  }),
  emailReference: (messageId: string) => ({ pk: `EMAILREF#${messageId}`, sk: 'EMAILREF' }),
  event: (key: string) => ({ pk: `EVENT#${key}`, sk: 'EVENT' }),
  /** One consent change in the customer's history, in time order under the profile. */
  consentChange: (customerId: string, at: string, channel: string, eventKey: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `${CONSENT_PREFIX}${at}#${channel}#${eventKey}`,
  }),
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  /** Under the customer's profile, newest placed last: the latest order is one Query. */
  customerOrder: (customerId: string, firstEventAt: string, orderId: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `${ORDER_PREFIX}${firstEventAt}#${orderId}`,
  }),
  /** One event of an order, in event time under the order. */
  orderEvent: (orderId: string, occurredAt: string, eventId: string) => ({
    pk: `ORDER#${orderId}`,
    sk: `EVENT#${occurredAt}#${eventId}`,
  }),
  reminder: (reminderId: string) => ({ pk: `REMINDER#${reminderId}`, sk: 'REMINDER' }),
  /** An Amazon Connect contact (a call) and its caller. */
  voiceContact: (contactId: string) => ({ pk: `CONTACT#${contactId}`, sk: 'CONTACT' }),
  /** One escalation of a conversation, under it, once per event key. */
  escalation: (conversationId: string, eventKey: string) => ({
    pk: `CONVERSATION#${conversationId}`,
    sk: `ESCALATION#${eventKey}`,
  }),
  /** The contacts of a conversation since its last answer (`since`), for the escalation rule. */
  contactTally: (conversationId: string, since: string) => ({
    pk: `CONVERSATION#${conversationId}`,
    sk: `TALLY#${since}`,
  }),
  /** Insight counters of one channel in one UTC hour, a day's hours under one partition. */
  channelHour: (day: string, hour: string, channel: string) => ({
    pk: `${INSIGHTS_PREFIX}${day}`,
    sk: `HOUR#${hour}#${channel}`,
  }),
  /**
   * One stream batch's sum for a channel-hour, beside that hour's counters (the report's range
   * query reads both): keyed by the id of the batch's first record of that channel-hour.
   */
  channelHourBatch: (day: string, hour: string, channel: string, firstEventId: string) => ({
    pk: `${INSIGHTS_PREFIX}${day}`,
    sk: `HOUR#${hour}#${channel}#BATCH#${firstEventId}`,
  }),
  /** The automatic responses of one budget scope in one UTC hour (`2026-11-23T10`). */
  autoResponseBudget: (hour: string, scope: string, key: string) => ({
    pk: `${AUTO_RESPONSE_BUDGET_PREFIX}${hour}#${scope}#${key}`,
    sk: 'BUDGET',
  }),
  /** Self-service counters of one help-center article on one UTC day. */
  selfServiceArticle: (day: string, language: string, slug: string) => ({
    pk: `${SELF_SERVICE_PREFIX}${day}`,
    sk: `ARTICLE#${language}#${slug}`,
  }),
  /** How often one (normalized) question found no confident article on one UTC day. */
  selfServiceUnanswered: (day: string, language: string, question: string) => ({
    pk: `${SELF_SERVICE_PREFIX}${day}`,
    sk: `UNANSWERED#${language}#${question}`,
  }),
  /** One "was this helpful?" answer, in time order under its day. */
  selfServiceFeedback: (day: string, at: string, id: string) => ({
    pk: `${SELF_SERVICE_PREFIX}${day}`,
    sk: `FEEDBACK#${at}#${id}`,
  }),
  /** The article an automatic answer linked in a conversation, under the conversation. */
  selfServiceAnswer: (conversationId: string) => ({
    pk: `CONVERSATION#${conversationId}`,
    sk: 'SELFSERVICE',
  }),
  /** When one agent last read a conversation, under the conversation. */
  readMarker: (conversationId: string, agentId: string) => ({
    pk: `CONVERSATION#${conversationId}`,
    sk: `${READ_MARKER_PREFIX}${agentId}`,
  }),
  /** Fixes the time (and so the message key) of a private note the first time it is written. */
  noteGuard: (conversationId: string, noteId: string) => ({
    pk: `CONVERSATION#${conversationId}`,
    sk: `NOTE#${noteId}`,
  }),
  /** Canned responses share one partition: listing them is one Query. */
  cannedResponse: (id: string) => ({ pk: `${CANNED_RESPONSE_PREFIX}RESPONSES`, sk: `RESPONSE#${id}` }),
  /** Feedback requests of one client (a hash of its address) in one window. */
  feedbackThrottle: (client: string, windowStart: string) => ({
    pk: `${FEEDBACK_THROTTLE_PREFIX}${client}`,
    sk: windowStart,
  }),
};

export const AUTO_RESPONSE_BUDGET_PREFIX = 'BUDGET#';
export const SELF_SERVICE_PREFIX = 'SELFSERVICE#';
export const FEEDBACK_THROTTLE_PREFIX = 'FEEDBACKTHROTTLE#';

export const ORDER_PREFIX = 'ORDER#';
export const INSIGHTS_PREFIX = 'INSIGHTS#';

export const MESSAGE_PREFIX = 'MESSAGE#';
export const INBOUND_MESSAGE_PREFIX = 'MESSAGE#IN#';
export const READ_MARKER_PREFIX = 'READ#';
export const CANNED_RESPONSE_PREFIX = 'CANNED#';
export const CONSENT_PREFIX = 'CONSENT#';

/** Spreads the agent queue index over a few partitions so a busy status is not one hot key. */
export const STATUS_SHARDS = 4;

export function statusShard(conversationId: string): number {
  let hash = 0;
  for (const char of conversationId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % STATUS_SHARDS;
}

export function statusIndexKey(status: ConversationStatus, conversationId: string): string {
  return `STATUS#${status}#${statusShard(conversationId)}`;
}

/** `2026-11-23T10`: the hour of an ISO time, and the length of an hour bucket's name. */
const HOUR_LENGTH = 13;

/**
 * The sort key of the agent queue indexes (status and assignee): the hour of the last message and
 * the conversation id (`2026-11-23T10#<id>`). Inside an hour a message leaves the key where it is
 * and only the projected `lastMessageAt` changes, which costs one index write instead of two; a
 * reader orders each bucket by `lastMessageAt` (agent-conversations.ts).
 */
export function queueIndexSortKey(lastMessageAt: string, conversationId: string): string {
  return `${lastMessageAt.slice(0, HOUR_LENGTH)}#${conversationId}`;
}

/**
 * The hour bucket of a queue index sort key. Keys written before the buckets were the last
 * activity itself (`2026-11-23T10:15:00.000Z`) and fall into the same bucket as the new ones.
 */
export function queueBucketOf(sortKey: string): string {
  return sortKey.slice(0, HOUR_LENGTH);
}

/** The agent's own queue (sparse: only assigned conversations carry it). */
export function assigneeIndexKey(assignee: string): string {
  return `ASSIGNEE#${assignee}`;
}

export function customerIndexKey(customerId: string): string {
  return `CUSTOMER#${customerId}`;
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The attribute of a stored message that names what it counts (core/service-levels/stream-counts.ts). */
export const COUNT_MARK_ATTRIBUTE = 'countAs';

/** Attributes that only exist for the table's keys and indexes, never in the domain object. */
const STORAGE_ATTRIBUTES = new Set([
  'pk',
  'sk',
  'entity',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'expiresAt',
  // The labels' optimistic lock (inbox-conversations.ts).
  'labelsVersion',
  // The escalation rule's tally on the conversation (conversation-store.ts).
  'unansweredContactKeys',
  // What a message counts, for the stream's counting consumer (stream-count-items.ts).
  COUNT_MARK_ATTRIBUTE,
]);

export function withoutStorageAttributes<T>(item: Record<string, unknown>): T {
  const domain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) if (!STORAGE_ATTRIBUTES.has(name)) domain[name] = value;
  return domain as T;
}
