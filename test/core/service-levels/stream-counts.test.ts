import { describe, expect, it } from 'vitest';
import type {
  ChannelBatchCounts,
  ChannelHourBatchSum,
} from '../../../functions/core/ports/service-levels.ts';
import {
  type CountedRecord,
  compareSequence,
  countStreamBatch,
  sumsByChannelHour,
} from '../../../functions/core/service-levels/stream-counts.ts';

/** Sums kept by key as a conditional put keeps them: the first one with a key stays. */
class MemoryBatchCounts implements ChannelBatchCounts {
  readonly sums = new Map<string, ChannelHourBatchSum>();
  failOn?: string;

  async putSum(sum: ChannelHourBatchSum) {
    if (sum.channel === this.failOn) throw new Error('throttled');
    const key = `${sum.hour}#${sum.channel}#${sum.firstEventId}`;
    const stored = this.sums.get(key);
    if (stored) return { stored: false as const, through: stored.through };
    this.sums.set(key, sum);
    return { stored: true as const };
  }

  /** What the reports would add up, per channel-hour. */
  totals(): Record<string, Record<string, number>> {
    const totals: Record<string, Record<string, number>> = {};
    for (const sum of this.sums.values()) {
      const key = `${sum.hour} ${sum.channel}`;
      const row = totals[key] ?? {};
      totals[key] = row;
      for (const [name, value] of Object.entries(sum.counters)) row[name] = (row[name] ?? 0) + value;
    }
    return totals;
  }
}

const record = (n: number, overrides: Partial<CountedRecord> = {}): CountedRecord => ({
  sequence: String(100_000_000_000_000_000_000n + BigInt(n)),
  eventId: `event-${n}`,
  channel: 'sms',
  at: `2026-11-23T10:${String(n % 60).padStart(2, '0')}:00.000Z`,
  mark: 'inbound',
  ...overrides,
});

describe('counting a stream batch of stored messages', () => {
  it('sums a batch per channel and UTC hour, a new conversation counting as one', () => {
    // Prepare
    const batch = [
      record(1),
      record(2, { mark: 'inbound-opening' }),
      record(3, { channel: 'email' }),
      record(4, { at: '2026-11-23T11:05:00.000Z' }),
    ];

    // Act
    const sums = sumsByChannelHour(batch);

    // Assess
    expect(sums.map((s) => [s.hour, s.channel, s.records.map((r) => r.eventId)])).toEqual([
      ['2026-11-23T10:00:00.000Z', 'email', ['event-3']],
      ['2026-11-23T10:00:00.000Z', 'sms', ['event-1', 'event-2']],
      ['2026-11-23T11:00:00.000Z', 'sms', ['event-4']],
    ]);
  });

  it('writes one sum per channel-hour and counts a redelivered batch once', async () => {
    // Prepare
    const counts = new MemoryBatchCounts();
    const batch = [record(1), record(2, { mark: 'inbound-opening' }), record(3, { channel: 'email' })];

    // Act
    const first = await countStreamBatch({ counts }, batch);
    const again = await countStreamBatch({ counts }, batch);

    // Assess
    expect(first.sums).toBe(2);
    expect(again.sums).toBe(0);
    expect(counts.totals()).toEqual({
      '2026-11-23T10:00:00.000Z sms': { inbound: 2, conversations: 1 },
      '2026-11-23T10:00:00.000Z email': { inbound: 1 },
    });
  });

  it('after a failure part way, the retry writes only the sums that are missing', async () => {
    // Prepare
    const counts = new MemoryBatchCounts();
    const batch = [record(1), record(2, { channel: 'email' }), record(3)];
    counts.failOn = 'email';

    // Act
    await expect(countStreamBatch({ counts }, batch)).rejects.toThrow('throttled');
    counts.failOn = undefined;
    await countStreamBatch({ counts }, batch);

    // Assess
    expect(counts.totals()).toEqual({
      '2026-11-23T10:00:00.000Z sms': { inbound: 2 },
      '2026-11-23T10:00:00.000Z email': { inbound: 1 },
    });
  });

  it('a retry that reads further along the stream counts only the records after the stored sum', async () => {
    // Prepare
    const counts = new MemoryBatchCounts();
    await countStreamBatch({ counts }, [record(1), record(2)]);

    // Act: the same start, two more records.
    await countStreamBatch({ counts }, [record(1), record(2), record(3), record(4)]);
    await countStreamBatch({ counts }, [record(1), record(2), record(3), record(4)]);

    // Assess
    expect(counts.totals()).toEqual({ '2026-11-23T10:00:00.000Z sms': { inbound: 4 } });
    expect(counts.sums.size).toBe(2);
  });

  it('compares stream positions as numbers, beyond what a double holds', () => {
    // Assess
    expect(compareSequence('900000000000000000001', '900000000000000000002')).toBe(-1);
    expect(compareSequence('99', '100')).toBe(-1);
    expect(compareSequence('100', '100')).toBe(0);
  });
});
