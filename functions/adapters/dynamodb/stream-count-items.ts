import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { CHANNELS, type Channel } from '../../core/model.ts';
import { COUNT_MARKS, type CountedRecord, isCountMark } from '../../core/service-levels/stream-counts.ts';
import { COUNT_MARK_ATTRIBUTE, keys, MESSAGE_PREFIX } from './keys.ts';

/**
 * The records the counting consumer reads, one definition for the Lambda event source filter
 * (lib/constructs/channel-counters.ts), the sandbox's stream stand-in and the consumer: inserts
 * of a message item under a conversation that carry a count mark. Every other write of the table
 * is filtered out before the consumer is invoked (no Lambda cost for it).
 */
const CONVERSATION_KEY_PREFIX = keys.conversation('-').pk.replace(/-$/, '');

/** Lambda's filter pattern (`FilterCriteria.Filters[].Pattern`), as an object. */
export const COUNTED_INSERT_FILTER_PATTERN = {
  eventName: ['INSERT'],
  dynamodb: {
    Keys: {
      pk: { S: [{ prefix: CONVERSATION_KEY_PREFIX }] },
      sk: { S: [{ prefix: MESSAGE_PREFIX }] },
    },
    NewImage: { [COUNT_MARK_ATTRIBUTE]: { S: [...COUNT_MARKS] } },
  },
} as const;

/** Whether a record passes the filter pattern, as Lambda evaluates it (the sandbox's use). */
export function passesCountedInsertFilter(record: {
  readonly eventName?: string;
  readonly keys?: Record<string, AttributeValue>;
  readonly newImage?: Record<string, AttributeValue>;
}): boolean {
  const pk = record.keys?.pk?.S ?? '';
  const sk = record.keys?.sk?.S ?? '';
  return (
    record.eventName === 'INSERT' &&
    pk.startsWith(CONVERSATION_KEY_PREFIX) &&
    sk.startsWith(MESSAGE_PREFIX) &&
    isCountMark(record.newImage?.[COUNT_MARK_ATTRIBUTE]?.S)
  );
}

/**
 * The counted message of one stream record; undefined for a record that is not a marked insert
 * (a filter that let it through by mistake, or a malformed record: nothing to count, nothing to retry).
 */
export function countedRecordOf(record: DynamoDBRecord): CountedRecord | undefined {
  const stream = record.dynamodb;
  const newImage = stream?.NewImage as Record<string, AttributeValue> | undefined;
  if (
    !passesCountedInsertFilter({
      eventName: record.eventName,
      keys: stream?.Keys as Record<string, AttributeValue> | undefined,
      newImage,
    })
  ) {
    return undefined;
  }
  const sequence = stream?.SequenceNumber;
  const eventId = record.eventID;
  const mark = newImage?.[COUNT_MARK_ATTRIBUTE]?.S;
  const channel = CHANNELS.find((c) => c === newImage?.channel?.S) as Channel | undefined;
  const at = newImage?.at?.S;
  if (!sequence || !/^\d+$/.test(sequence) || !eventId || !channel || !at || !isCountMark(mark)) {
    return undefined;
  }
  return { sequence, eventId, channel, at, mark };
}
