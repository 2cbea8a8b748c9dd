import { DateTime } from 'luxon';
import type { SupportConfig } from '../config.ts';
import { InvalidInputError } from '../errors.ts';
import { CHANNELS, type Channel, type OutboundKind } from '../model.ts';
import type { ChannelHourCounters } from '../ports/service-levels.ts';
import { COUNTER, FIRST_RESPONSE_BUCKETS, type InsightsDeps, roundMinutes } from './counters.ts';

/** The channel report: the channel-hour counters over a range, summed per channel and in total. */

export type InsightsReportDeps = Pick<InsightsDeps, 'insights' | 'config'>;

/** The longest range one report covers: a quarter (its days are one Query each). */
export const MAX_REPORT_DAYS = 93;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ReportRange {
  readonly from: Date;
  readonly to: Date;
}

/** `?from=&to=` of `GET /reports/channels`: ISO times; default the last 7 days up to now. */
export function parseReportRange(
  query: { readonly from?: string | undefined; readonly to?: string | undefined },
  now: Date,
): ReportRange {
  const parse = (value: string | undefined, field: 'from' | 'to', fallback: Date): Date => {
    if (value === undefined || value === '') return fallback;
    const parsed = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
      throw new InvalidInputError(
        `${field} must be an ISO 8601 date or time, for example 2026-11-23T00:00:00Z`,
        {
          field,
        },
      );
    }
    return parsed;
  };
  const to = parse(query.to, 'to', now);
  const from = parse(query.from, 'from', new Date(to.getTime() - 7 * DAY_MS));
  validateRange({ from, to });
  return { from, to };
}

function validateRange(range: ReportRange): void {
  if (Number.isNaN(range.from.getTime()))
    throw new InvalidInputError('from is not a valid time', { field: 'from' });
  if (Number.isNaN(range.to.getTime()))
    throw new InvalidInputError('to is not a valid time', { field: 'to' });
  if (range.to <= range.from) throw new InvalidInputError('to must be after from', { field: 'to' });
  if (range.to.getTime() - range.from.getTime() > MAX_REPORT_DAYS * DAY_MS) {
    throw new InvalidInputError(`a report covers at most ${MAX_REPORT_DAYS} days`, { field: 'to' });
  }
}

export interface HourlyVolume {
  /** Start of the UTC hour. */
  readonly hour: string;
  readonly inbound: number;
  readonly outbound: number;
}

export interface ChannelFigures {
  readonly volume: {
    readonly inbound: number;
    readonly outbound: number;
    readonly total: number;
    readonly conversations: number;
    readonly outboundByKind: Partial<Record<OutboundKind, number>>;
  };
  /** Messages (in and out) per hour of the day in the shop's time zone, index 0 = 00:00–01:00. */
  readonly hourOfDay: readonly number[];
  /** The busiest hours of the day (shop's time zone), busiest first, at most three. */
  readonly peakHours: readonly { readonly hour: number; readonly messages: number }[];
  readonly hourly: readonly HourlyVolume[];
  readonly firstResponse: {
    readonly count: number;
    /** From the histogram, interpolated within its bucket; null without any first response. */
    readonly medianBusinessMinutes: number | null;
    readonly averageBusinessMinutes: number | null;
    readonly targetBusinessMinutes: number;
    readonly breaches: number;
  };
  readonly resolution: {
    readonly count: number;
    readonly averageBusinessMinutes: number | null;
    readonly targetBusinessMinutes: number;
    readonly breaches: number;
  };
  readonly csat: { readonly count: number; readonly average: number | null };
  readonly breaches: number;
}

export interface ChannelReport {
  /** The first hour counted (the hour of `from`) and the end of the range. */
  readonly from: string;
  readonly to: string;
  /** The zone of `hourOfDay` and `peakHours`: the business-hours time zone. */
  readonly timeZone: string;
  readonly channels: readonly (ChannelFigures & { readonly channel: Channel })[];
  readonly totals: ChannelFigures;
}

/** Volume, peak hours, median first response, CSAT and breaches per channel over a range. */
export async function channelReport(deps: InsightsReportDeps, range: ReportRange): Promise<ChannelReport> {
  validateRange(range);
  const from = new Date(Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS);
  const rows = (await deps.insights.read({ from, to: range.to })).filter(
    (row) => row.hour >= from.toISOString() && new Date(row.hour) < range.to,
  );
  const timeZone = deps.config.businessHours.timezone;
  const byChannel = new Map<Channel, ChannelHourCounters[]>();
  for (const row of rows) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row]);
  const channels = CHANNELS.filter((c) => byChannel.has(c)).map((channel) => ({
    channel,
    ...figures(byChannel.get(channel) ?? [], deps.config, timeZone),
  }));
  return {
    from: from.toISOString(),
    to: range.to.toISOString(),
    timeZone,
    channels,
    totals: figures(rows, deps.config, timeZone),
  };
}

function figures(
  rows: readonly ChannelHourCounters[],
  config: SupportConfig,
  timeZone: string,
): ChannelFigures {
  const sum = new Map<string, number>();
  const hourly = new Map<string, { inbound: number; outbound: number }>();
  const hourOfDay = Array.from({ length: 24 }, () => 0);
  for (const row of rows) {
    let outbound = 0;
    for (const [name, value] of Object.entries(row.counters)) {
      sum.set(name, (sum.get(name) ?? 0) + value);
      if (name.startsWith('outbound:')) outbound += value;
    }
    const inbound = row.counters[COUNTER.inbound] ?? 0;
    if (inbound + outbound === 0) continue;
    const slot = hourly.get(row.hour) ?? { inbound: 0, outbound: 0 };
    hourly.set(row.hour, { inbound: slot.inbound + inbound, outbound: slot.outbound + outbound });
    const localHour = DateTime.fromISO(row.hour, { zone: timeZone }).hour;
    hourOfDay[localHour] = (hourOfDay[localHour] ?? 0) + inbound + outbound;
  }
  const get = (name: string) => sum.get(name) ?? 0;
  const outboundByKind: Partial<Record<OutboundKind, number>> = {};
  for (const [name, value] of sum) {
    if (name.startsWith('outbound:') && value > 0)
      outboundByKind[name.slice('outbound:'.length) as OutboundKind] = value;
  }
  const outbound = Object.values(outboundByKind).reduce((a, b) => a + b, 0);
  const inbound = get(COUNTER.inbound);
  const average = (total: number, count: number) => (count > 0 ? roundMinutes(total / count) : null);
  const histogram = new Map<number | 'inf', number>();
  for (const upper of [...FIRST_RESPONSE_BUCKETS, 'inf' as const]) {
    const count = get(COUNTER.firstResponseBucket(upper));
    if (count > 0) histogram.set(upper, count);
  }
  const firstResponses = get(COUNTER.firstResponses);
  const firstResponseBreaches = get(COUNTER.breaches('first-response'));
  const resolutionBreaches = get(COUNTER.breaches('resolution'));
  const csatCount = get(COUNTER.csatCount);
  return {
    volume: {
      inbound,
      outbound,
      total: inbound + outbound,
      conversations: get(COUNTER.conversations),
      outboundByKind,
    },
    hourOfDay,
    peakHours: hourOfDay
      .map((messages, hour) => ({ hour, messages }))
      .filter((h) => h.messages > 0)
      .sort((a, b) => b.messages - a.messages || a.hour - b.hour)
      .slice(0, 3),
    hourly: [...hourly.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([hour, v]) => ({ hour, ...v })),
    firstResponse: {
      count: firstResponses,
      medianBusinessMinutes: medianFromHistogram(histogram),
      averageBusinessMinutes: average(get(COUNTER.firstResponseMinutes), firstResponses),
      targetBusinessMinutes: config.firstResponseTargetMinutes,
      breaches: firstResponseBreaches,
    },
    resolution: {
      count: get(COUNTER.resolutions),
      averageBusinessMinutes: average(get(COUNTER.resolutionMinutes), get(COUNTER.resolutions)),
      targetBusinessMinutes: config.resolutionTargetMinutes,
      breaches: resolutionBreaches,
    },
    csat: {
      count: csatCount,
      average: csatCount > 0 ? Math.round((get(COUNTER.csatSum) / csatCount) * 100) / 100 : null,
    },
    breaches: firstResponseBreaches + resolutionBreaches,
  };
}

/**
 * The median of a histogram of counts per bucket (upper bound inclusive, lower bound the
 * previous bucket's upper bound, 0 for the first): the bucket holding the middle rank, with
 * linear interpolation inside it. The open last bucket gives its lower bound. Null when empty.
 */
export function medianFromHistogram(buckets: ReadonlyMap<number | 'inf', number>): number | null {
  const ordered = [...buckets.entries()]
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => (a === 'inf' ? 1 : b === 'inf' ? -1 : a - b));
  const total = ordered.reduce((n, [, count]) => n + count, 0);
  if (total === 0) return null;
  const rank = total / 2;
  let below = 0;
  for (const [upper, count] of ordered) {
    const lower = previousBound(upper);
    if (below + count >= rank) {
      if (upper === 'inf') return lower;
      return roundMinutes(lower + ((upper - lower) * (rank - below)) / count);
    }
    below += count;
  }
  return null;
}

function previousBound(upper: number | 'inf'): number {
  const bounds: readonly number[] = FIRST_RESPONSE_BUCKETS;
  const index = upper === 'inf' ? bounds.length : bounds.indexOf(upper);
  if (index === -1)
    throw new InvalidInputError(`${upper} is not a first-response bucket`, { field: 'bucket' });
  return index === 0 ? 0 : (bounds[index - 1] ?? 0);
}
