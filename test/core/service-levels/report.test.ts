import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  FIRST_RESPONSE_BUCKETS,
  firstResponseBucketOf,
  type InsightsDeps,
} from '../../../functions/core/service-levels/counters.ts';
import {
  channelReport,
  medianFromHistogram,
  parseReportRange,
} from '../../../functions/core/service-levels/report.ts';
import type { MemoryChannelInsights } from '../../support/in-memory-insights.ts';
import { MONDAY_0930, serviceLevelsWorld } from '../../support/service-levels.ts';

let now: Date;
let counters: MemoryChannelInsights;
let deps: InsightsDeps;

beforeEach(async () => {
  now = new Date(MONDAY_0930);
  ({ counters, deps } = await serviceLevelsWorld(() => now));
});

describe('medianFromHistogram', () => {
  it('interpolates the median inside the bucket that holds the middle rank', () => {
    // Prepare: 4 in (15, 20], 4 in (20, 30], 2 in (30, 45]: rank 5 is the first of (20, 30].
    const histogram = new Map<number | 'inf', number>([
      [20, 4],
      [30, 4],
      [45, 2],
    ]);

    // Act
    const median = medianFromHistogram(histogram);

    // Assess: 20 + 10 × (5 − 4) / 4
    expect(median).toBe(22.5);
  });

  it('gives null without responses and the lower bound when the median is in the open bucket', () => {
    expect(medianFromHistogram(new Map())).toBeNull();
    expect(medianFromHistogram(new Map<number | 'inf', number>([['inf', 3]]))).toBe(5760);
  });

  it('lands in the bucket of the true (lower) median for any set of response times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 8_000, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (times) => {
          const histogram = new Map<number | 'inf', number>();
          for (const t of times) {
            const bucket = firstResponseBucketOf(t);
            histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
          }
          const sorted = [...times].sort((a, b) => a - b);
          const lowerMedian = sorted[Math.ceil(sorted.length / 2) - 1] ?? 0;
          const bucket = firstResponseBucketOf(lowerMedian);
          const bounds: readonly number[] = FIRST_RESPONSE_BUCKETS;
          const index = bucket === 'inf' ? bounds.length : bounds.indexOf(bucket);
          const lower = index === 0 ? 0 : (bounds[index - 1] ?? 0);
          const upper = bucket === 'inf' ? lower : bucket;
          const median = medianFromHistogram(histogram) ?? -1;
          expect(median).toBeGreaterThanOrEqual(lower);
          expect(median).toBeLessThanOrEqual(upper);
        },
      ),
    );
  });
});

describe('channelReport', () => {
  beforeEach(async () => {
    // Email: 3 in at 07:xxZ (10:00 Istanbul), 1 in and 2 out at 11:xxZ (14:00); SMS: 1 in at 07:xxZ.
    for (let i = 0; i < 3; i++) await counters.add('email', new Date('2026-11-23T07:10:00Z'), { inbound: 1 });
    await counters.add('email', new Date('2026-11-23T11:05:00Z'), { inbound: 1, conversations: 1 });
    await counters.add('email', new Date('2026-11-23T11:06:00Z'), { 'outbound:auto-reply': 1 });
    await counters.add('email', new Date('2026-11-23T11:30:00Z'), {
      'outbound:agent-reply': 1,
      firstResponses: 1,
      firstResponseMinutes: 25,
      'firstResponseBucket:30': 1,
    });
    await counters.add('sms', new Date('2026-11-23T07:40:00Z'), { inbound: 1, csatCount: 2, csatSum: 9 });
    await counters.add('sms', new Date('2026-11-23T08:00:00Z'), { 'breaches:first-response': 1 });
    // Outside the range asked for below.
    await counters.add('email', new Date('2026-11-22T23:00:00Z'), { inbound: 7 });
  });

  it('reports volume, hour-of-day in the shop zone, peak hours, median first response, CSAT and breaches', async () => {
    // Act
    const report = await channelReport(deps, {
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-24T00:00:00Z'),
    });

    // Assess
    expect(report.timeZone).toBe('Europe/Istanbul');
    expect(report.channels.map((c) => c.channel)).toEqual(['email', 'sms']);
    const email = report.channels.find((c) => c.channel === 'email');
    expect(email?.volume).toEqual({
      inbound: 4,
      outbound: 2,
      total: 6,
      conversations: 1,
      outboundByKind: { 'auto-reply': 1, 'agent-reply': 1 },
    });
    expect(email?.hourOfDay[10]).toBe(3);
    expect(email?.hourOfDay[14]).toBe(3);
    expect(email?.peakHours).toEqual([
      { hour: 10, messages: 3 },
      { hour: 14, messages: 3 },
    ]);
    expect(email?.hourly).toEqual([
      { hour: '2026-11-23T07:00:00.000Z', inbound: 3, outbound: 0 },
      { hour: '2026-11-23T11:00:00.000Z', inbound: 1, outbound: 2 },
    ]);
    expect(email?.firstResponse).toEqual({
      count: 1,
      medianBusinessMinutes: 25,
      averageBusinessMinutes: 25,
      targetBusinessMinutes: 120,
      breaches: 0,
    });
    const sms = report.channels.find((c) => c.channel === 'sms');
    expect(sms?.csat).toEqual({ count: 2, average: 4.5 });
    expect(sms?.breaches).toBe(1);
    expect(report.totals.volume.inbound).toBe(5);
    expect(report.totals.peakHours[0]).toEqual({ hour: 10, messages: 4 });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('refuses a range that is empty, reversed or longer than 93 days, naming the field', async () => {
    await expect(
      channelReport(deps, { from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') }),
    ).rejects.toMatchObject({ field: 'to' });
    await expect(
      channelReport(deps, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') }),
    ).rejects.toMatchObject({ field: 'to' });
    expect(() => parseReportRange({ from: 'yesterday' }, now)).toThrow(
      expect.objectContaining({ field: 'from' }),
    );
  });

  it('defaults the range to the 7 days up to now', () => {
    expect(parseReportRange({}, now)).toEqual({ from: new Date('2026-11-16T06:30:00.000Z'), to: now });
  });
});
