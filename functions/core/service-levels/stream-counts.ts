import { CHANNELS, type Channel } from '../model.ts';
import type { ChannelBatchCounts } from '../ports/service-levels.ts';
import { COUNTER } from './counters.ts';

/**
 * Counters that leave the hot path: the write that stores a message names what it counts (a
 * mark on the stored item), and a consumer of the table's stream sums a batch of such inserts
 * per channel and UTC hour and writes each sum once. The hot path pays nothing for the count; the
 * consumer pays one conditional put per channel-hour per batch.
 */

/** What a stored message counts: an inbound message, or the first message of a new conversation. */
export const COUNT_MARKS = ['inbound', 'inbound-opening'] as const;
export type CountMark = (typeof COUNT_MARKS)[number];

export function isCountMark(value: unknown): value is CountMark {
  return (COUNT_MARKS as readonly unknown[]).includes(value);
}

/** The counters a mark adds (the same as the hot path's `recordInbound` added before). */
export function countersOfMark(mark: CountMark): Record<string, number> {
  return mark === 'inbound-opening'
    ? { [COUNTER.inbound]: 1, [COUNTER.conversations]: 1 }
    : { [COUNTER.inbound]: 1 };
}

/** One stream record of a marked message insert, in domain terms. */
export interface CountedRecord {
  /** The record's stream position (a decimal string, increasing within a shard). */
  readonly sequence: string;
  /** The record's globally unique id: names the sum its channel-hour's first record starts. */
  readonly eventId: string;
  readonly channel: Channel;
  /** When the message was stored as having happened (its `at`): the hour it counts in. */
  readonly at: string;
  readonly mark: CountMark;
}

/** The records of one channel-hour of a batch, in stream order, and what they add up to. */
export interface ChannelHourSum {
  readonly channel: Channel;
  /** Start of the UTC hour, ISO. */
  readonly hour: string;
  readonly records: readonly CountedRecord[];
}

const HOUR_MS = 3_600_000;

/** Stream positions compared as the numbers they are (they grow past 2^53 and in length). */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The batch's records grouped by channel and UTC hour, each group in stream order. */
export function sumsByChannelHour(records: readonly CountedRecord[]): ChannelHourSum[] {
  const groups = new Map<string, { channel: Channel; hour: string; records: CountedRecord[] }>();
  const ordered = [...records].sort((a, b) => compareSequence(a.sequence, b.sequence));
  for (const record of ordered) {
    const ms = Date.parse(record.at);
    if (Number.isNaN(ms)) continue;
    const hour = new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
    const key = `${hour}#${record.channel}`;
    const group = groups.get(key) ?? { channel: record.channel, hour, records: [] };
    group.records.push(record);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => a.hour.localeCompare(b.hour) || CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel),
  );
}

export function countersOf(records: readonly CountedRecord[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const record of records) {
    for (const [name, value] of Object.entries(countersOfMark(record.mark))) {
      sum[name] = (sum[name] ?? 0) + value;
    }
  }
  return sum;
}

export interface StreamCountsDeps {
  readonly counts: ChannelBatchCounts;
}

/**
 * Counts one stream batch of marked inserts, exactly once however often the batch is delivered.
 *
 * Each channel-hour's records are written as one sum, keyed by the id of its first record and
 * carrying the position of its last (`through`), with a condition that no sum has that key. A
 * retried batch starts at the same record (the consumer fails a batch as a whole, without
 * bisecting), so it finds its sums stored and writes nothing again; a retry that reads further
 * along the shard than the first attempt counts only the records after `through`, as a sum of
 * their own. Several channel-hours are written one after another: a failure leaves the ones
 * written before it stored, and the retry skips them.
 */
export async function countStreamBatch(
  deps: StreamCountsDeps,
  records: readonly CountedRecord[],
): Promise<{ readonly sums: number; readonly counted: number }> {
  let sums = 0;
  for (const group of sumsByChannelHour(records)) {
    let remaining = group.records;
    while (remaining.length > 0) {
      const first = remaining[0];
      const last = remaining[remaining.length - 1];
      if (!first || !last) break;
      const result = await deps.counts.putSum({
        channel: group.channel,
        hour: group.hour,
        firstEventId: first.eventId,
        through: last.sequence,
        counters: countersOf(remaining),
      });
      if (result.stored) {
        sums += 1;
        break;
      }
      const counted = result.through;
      const after = remaining.filter((r) => compareSequence(r.sequence, counted) > 0);
      // A stored sum that covers none of its own first record is not this stream's: never loop on it.
      if (after.length === remaining.length) {
        throw new Error(`the stored sum of ${group.channel} ${group.hour} does not cover its first record`);
      }
      remaining = after;
    }
  }
  return { sums, counted: records.length };
}
