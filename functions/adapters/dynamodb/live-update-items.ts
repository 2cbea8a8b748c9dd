import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ConversationItemChange } from '../../core/agent/live-updates.ts';
import { keys, MESSAGE_PREFIX, withoutStorageAttributes } from './keys.ts';

/**
 * The items of the table agents hear about, one definition for the Lambda event source filter
 * (lib/constructs/live-updates.ts), the sandbox's stream stand-in and the consumer: a
 * conversation's META, its messages (notes are messages with `direction: 'note'`) and the
 * agents' read markers (`READ#<agent>`) under it. Escalations, tallies and the rest under a
 * conversation are filtered out before the consumer is ever invoked (no Lambda cost for them).
 */
const CONVERSATION_KEY_PREFIX = keys.conversation('-').pk.replace(/-$/, '');
const META_SORT_KEY = keys.conversation('-').sk;
export const READ_MARKER_PREFIX = 'READ#';

/** Lambda's filter pattern (`FilterCriteria.Filters[].Pattern`), as an object. */
export const LIVE_UPDATE_FILTER_PATTERN = {
  dynamodb: {
    Keys: {
      pk: { S: [{ prefix: CONVERSATION_KEY_PREFIX }] },
      sk: { S: [META_SORT_KEY, { prefix: MESSAGE_PREFIX }, { prefix: READ_MARKER_PREFIX }] },
    },
  },
} as const;

type KeyMatcher = string | { readonly prefix: string };

/** Whether a record's keys pass the filter pattern, as Lambda evaluates it (the sandbox's use). */
export function passesLiveUpdateFilter(keysOfRecord: Record<string, AttributeValue> | undefined): boolean {
  const patterns = LIVE_UPDATE_FILTER_PATTERN.dynamodb.Keys as Record<string, { S: readonly KeyMatcher[] }>;
  return Object.entries(patterns).every(([name, { S: matchers }]) => {
    const value = keysOfRecord?.[name]?.S;
    return (
      value !== undefined &&
      matchers.some((m) => (typeof m === 'string' ? value === m : value.startsWith(m.prefix)))
    );
  });
}

/**
 * The written item of one stream record in domain terms; undefined for an item the notices do
 * not cover (a filter that let it through by mistake, or a malformed record).
 */
export function conversationItemChangeOf(
  record: DynamoDBRecord,
  /** When a record carries no creation time. */
  now: Date,
): ConversationItemChange | undefined {
  const streamKeys = record.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
  if (!passesLiveUpdateFilter(streamKeys)) return undefined;
  const pk = streamKeys?.pk?.S ?? '';
  const sk = streamKeys?.sk?.S ?? '';
  const conversationId = pk.slice(CONVERSATION_KEY_PREFIX.length);
  if (conversationId.length === 0) return undefined;
  const item = sk === META_SORT_KEY ? 'conversation' : sk.startsWith(MESSAGE_PREFIX) ? 'message' : 'read';
  const image = (value: unknown) =>
    value
      ? withoutStorageAttributes<Record<string, unknown>>(unmarshall(value as Record<string, AttributeValue>))
      : undefined;
  const before = image(record.dynamodb?.OldImage);
  const after = image(record.dynamodb?.NewImage);
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return {
    item,
    conversationId,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    at: seconds !== undefined ? new Date(seconds * 1000).toISOString() : now.toISOString(),
  };
}
