import { DateTime } from 'luxon';
import * as z from 'zod';
import type { SupportConfig } from '../config.ts';
import { InvalidInputError } from '../errors.ts';
import {
  CHANNELS,
  type Channel,
  type Conversation,
  type Message,
  type OutboundKind,
  type OutboundRequest,
  type ResponseDeadlineDue,
} from '../model.ts';
import type { ConversationStore } from '../ports/conversations.ts';
import type { DeferredSends } from '../ports/outbound.ts';
import type { Clock } from '../ports/runtime.ts';
import type {
  ChannelHourCounters,
  ChannelInsights,
  ResponseDeadlines,
  ResponseTimes,
} from '../ports/service-levels.ts';
import { addBusinessMinutes, businessMinutesBetween } from './business-hours.ts';

/**
 * Channel insights and response-time targets.
 *
 * Counters: every event adds to the counters of its channel and UTC hour in one atomic write
 * (ChannelInsights). Response times are measured in business minutes (the shop's calendar), so a
 * mail that arrives on Friday evening and is answered on Monday at 09:30 took 30 minutes, as the
 * acknowledgement promised it. A missed target (a breach) raises an escalation, once per
 * conversation and target, whether it shows when the late answer goes out or when the deadline
 * passes with no answer at all.
 */

export type ResponseTarget = ResponseDeadlineDue['target'];
export type BreachReason = 'first-response-breach' | 'resolution-breach';

/**
 * Raises an escalation (core/conversations/escalation.ts `raiseEscalation`, bound to its dependencies by the
 * wiring). Returns false when this eventKey was escalated already.
 */
export type RaiseEscalation = (input: {
  readonly conversation: Conversation;
  readonly reason: BreachReason;
  readonly detail?: string;
  readonly eventKey: string;
}) => Promise<boolean>;

export interface InsightsDeps {
  readonly insights: ChannelInsights;
  readonly config: SupportConfig;
  readonly clock: Clock;
  /** Reads the conversation of an agent reply (first response) and of a due deadline. */
  readonly conversations?: Pick<ConversationStore, 'get'>;
  /** Marks first response, resolution and breaches on the conversation, each once. */
  readonly responseTimes?: ResponseTimes;
  /** Inbound side: where a new conversation's deadlines are queued to be checked. */
  readonly deadlines?: ResponseDeadlines;
  /** Dispatcher side: holds a deadline check until it is due (EventBridge Scheduler). */
  readonly deferredSends?: DeferredSends;
  /** Absent: a breach is still counted and marked, but nobody is alerted. */
  readonly escalate?: RaiseEscalation;
  /**
   * Told about a count that failed after its event was handled: a sent message is not retried
   * for it (the customer would get it twice), a stored inbound message would count nothing on a
   * retry, and a missed first-response target is still caught by the deadline check. The wiring
   * logs it and counts it as a metric.
   */
  readonly onFailure?: (error: unknown) => void;
}

export type InsightsReportDeps = Pick<InsightsDeps, 'insights' | 'config'>;

/** Counter names as they are stored (one attribute per name in each channel-hour item). */
export const COUNTER = {
  inbound: 'inbound',
  conversations: 'conversations',
  outbound: (kind: OutboundKind) => `outbound:${kind}`,
  firstResponses: 'firstResponses',
  firstResponseMinutes: 'firstResponseMinutes',
  firstResponseBucket: (upperBound: number | 'inf') => `firstResponseBucket:${upperBound}`,
  resolutions: 'resolutions',
  resolutionMinutes: 'resolutionMinutes',
  csatCount: 'csatCount',
  csatSum: 'csatSum',
  breaches: (target: ResponseTarget) => `breaches:${target}`,
} as const;

/**
 * Upper bounds (business minutes, inclusive) of the first-response histogram: fine where
 * targets usually are (minutes to a few hours), coarse beyond; the median is interpolated
 * inside its bucket, so it is exact to within one bucket.
 */
export const FIRST_RESPONSE_BUCKETS = [
  1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2880, 5760,
] as const;

/** The longest range one report covers: a quarter (its days are one Query each). */
export const MAX_REPORT_DAYS = 93;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DUE_TOLERANCE_MS = 60_000;
/** SQS holds a message at most this long; longer waits hop through the queue again. */
const MAX_QUEUE_DELAY_SECONDS = 900;

function roundMinutes(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}

export function firstResponseBucketOf(businessMinutes: number): number | 'inf' {
  return FIRST_RESPONSE_BUCKETS.find((upper) => businessMinutes <= upper) ?? 'inf';
}

// ---------------------------------------------------------------------------------------------
// Events

/**
 * Counts one stored inbound message (never a duplicate: the caller counts after the store said
 * it was new) and, for a new conversation someone must answer, queues its deadline checks.
 */
export async function recordInbound(
  deps: InsightsDeps,
  input: { readonly message: Message; readonly conversation: Conversation; readonly isNew: boolean },
): Promise<void> {
  const { message, conversation, isNew } = input;
  await deps.insights.add(message.channel, new Date(message.at), {
    [COUNTER.inbound]: 1,
    ...(isNew ? { [COUNTER.conversations]: 1 } : {}),
  });
  if (!isNew || !deps.deadlines || !needsAnswer(conversation)) return;
  await deps.deadlines.watch(responseDeadlines(deps.config, conversation));
}

/** Spam and quarantined mail wait for no answer: no target applies to them. */
function needsAnswer(conversation: Conversation): boolean {
  return conversation.status === 'open' && !conversation.flags?.includes('spam');
}

/** The deadlines of a conversation that opened at `createdAt`, in business time. */
export function responseDeadlines(config: SupportConfig, conversation: Conversation): ResponseDeadlineDue[] {
  const opened = new Date(conversation.createdAt);
  const deadline = (target: ResponseTarget, minutes: number): ResponseDeadlineDue => ({
    type: 'response-deadline',
    conversationId: conversation.id,
    target,
    due: addBusinessMinutes(opened, minutes, config.businessHours).toISOString(),
  });
  return [
    deadline('first-response', config.firstResponseTargetMinutes),
    deadline('resolution', config.resolutionTargetMinutes),
  ];
}

/**
 * Counts one message that went out, and when it is the conversation's first agent reply (not an
 * auto-reply) records the first response: its business minutes, the histogram, and a breach
 * when it came after the target.
 */
export async function recordOutbound(
  deps: InsightsDeps,
  request: OutboundRequest,
  sentAt: Date,
): Promise<void> {
  const outbound = { [COUNTER.outbound(request.kind)]: 1 };
  const answered = await answeredConversation(deps, request);
  const first = answered ? await firstResponseOf(deps, answered, sentAt) : undefined;
  // One counter write when both land in the same channel-hour item (the usual case).
  if (first && answered?.channel === request.channel) {
    await deps.insights.add(request.channel, sentAt, { ...outbound, ...first.counters });
  } else {
    await deps.insights.add(request.channel, sentAt, outbound);
    if (first && answered) await deps.insights.add(answered.channel, sentAt, first.counters);
  }
  if (first && answered && first.minutes > deps.config.firstResponseTargetMinutes) {
    // Rare: the escalation wants the whole conversation.
    const conversation = await deps.conversations?.get(answered.id);
    if (!conversation) return;
    await breach(
      deps,
      conversation,
      'first-response',
      sentAt,
      `first response after ${first.minutes} business minutes`,
    );
  }
}

/** What the first-response count needs of the conversation an agent reply answers. */
interface AnsweredConversation {
  readonly id: string;
  readonly channel: Channel;
  readonly createdAt: string;
  readonly firstResponseAt?: string;
}

/**
 * The conversation an agent reply answers, when its first response may still be open: from the
 * request when it says (no read; an answered one needs nothing), else read.
 */
async function answeredConversation(
  deps: InsightsDeps,
  request: OutboundRequest,
): Promise<AnsweredConversation | undefined> {
  if (request.kind !== 'agent-reply' || !request.conversationId) return undefined;
  if (request.answering) {
    if (request.answering.answered) return undefined;
    return {
      id: request.conversationId,
      channel: request.answering.channel,
      createdAt: request.answering.openedAt,
    };
  }
  return deps.conversations?.get(request.conversationId);
}

/** How long the conversation has been open at `at`, in whole business minutes. */
function businessMinutesOpen(
  deps: InsightsDeps,
  conversation: Pick<Conversation, 'createdAt'>,
  at: Date,
): number {
  return roundMinutes(
    businessMinutesBetween(new Date(conversation.createdAt), at, deps.config.businessHours),
  );
}

/**
 * Marks the conversation's first response once (a second reply, or this one redelivered, finds
 * the mark set) and returns the counters it adds; undefined when it was not the first.
 */
async function firstResponseOf(
  deps: InsightsDeps,
  conversation: AnsweredConversation,
  at: Date,
): Promise<{ readonly minutes: number; readonly counters: Record<string, number> } | undefined> {
  const minutes = businessMinutesOpen(deps, conversation, at);
  const first = deps.responseTimes
    ? await deps.responseTimes.recordFirstResponse(conversation.id, {
        at: at.toISOString(),
        businessMinutes: minutes,
      })
    : conversation.firstResponseAt === undefined;
  if (!first) return undefined;
  return {
    minutes,
    counters: {
      [COUNTER.firstResponses]: 1,
      [COUNTER.firstResponseMinutes]: minutes,
      [COUNTER.firstResponseBucket(firstResponseBucketOf(minutes))]: 1,
    },
  };
}

/** A conversation closed: its resolution time, and a breach when it took longer than the target. */
export async function recordResolution(
  deps: InsightsDeps,
  conversation: Conversation,
  closedAt: Date,
): Promise<void> {
  const minutes = businessMinutesOpen(deps, conversation, closedAt);
  const recorded = deps.responseTimes
    ? await deps.responseTimes.recordResolution(conversation.id, {
        at: closedAt.toISOString(),
        businessMinutes: minutes,
      })
    : true;
  if (!recorded) return;
  await deps.insights.add(conversation.channel, closedAt, {
    [COUNTER.resolutions]: 1,
    [COUNTER.resolutionMinutes]: minutes,
  });
  if (minutes > deps.config.resolutionTargetMinutes) {
    await breach(deps, conversation, 'resolution', closedAt, `resolved after ${minutes} business minutes`);
  }
}

/**
 * A satisfaction answer (1–5) for the conversation's channel. Called once per recognised answer:
 * the survey code stores the answer with a condition first.
 */
export async function recordCsat(
  deps: InsightsDeps,
  conversation: Conversation,
  score: number,
  at: Date,
): Promise<void> {
  if (!Number.isInteger(score) || score < 1 || score > 5) {
    throw new InvalidInputError(`a satisfaction score is a whole number from 1 to 5, got ${score}`, {
      field: 'score',
    });
  }
  await deps.insights.add(conversation.channel, at, { [COUNTER.csatCount]: 1, [COUNTER.csatSum]: score });
}

export type DeadlineCheck =
  | { readonly status: 'held'; readonly until: string }
  | { readonly status: 'met' | 'unknown-conversation' }
  | { readonly status: 'breached'; readonly counted: boolean };

/**
 * A deadline check from the outbound queue. Before it is due it is held (a deferred send, or
 * another hop through the queue where no scheduler exists); when due, a target still unmet is a
 * breach. Safe to run more than once: the escalation and the breach count are keyed on the
 * conversation and target.
 */
export async function checkResponseDeadline(
  deps: InsightsDeps,
  due: ResponseDeadlineDue,
): Promise<DeadlineCheck> {
  const now = deps.clock.now();
  const dueAt = new Date(due.due);
  if (Number.isNaN(dueAt.getTime())) {
    throw new InvalidInputError('the deadline is not a valid time', { field: 'due' });
  }
  // A schedule that fires a moment "early" by this function's clock is due: holding it again
  // would collide with the schedule that is still being deleted.
  if (now.getTime() < dueAt.getTime() - DUE_TOLERANCE_MS) {
    if (deps.deferredSends) {
      await deps.deferredSends.schedule({
        id: `deadline#${due.target}#${due.conversationId}`,
        at: dueAt,
        request: due,
      });
    } else if (deps.deadlines) {
      const seconds = Math.ceil((dueAt.getTime() - now.getTime()) / 1_000);
      await deps.deadlines.watch([due], { delaySeconds: Math.min(seconds, MAX_QUEUE_DELAY_SECONDS) });
    } else {
      throw new InvalidInputError('a response deadline arrived early and nothing can hold it', {
        field: 'due',
      });
    }
    return { status: 'held', until: due.due };
  }
  const conversation = await deps.conversations?.get(due.conversationId);
  if (!conversation) return { status: 'unknown-conversation' };
  if (!targetMissed(conversation, due.target, dueAt)) return { status: 'met' };
  const detail =
    due.target === 'first-response'
      ? `no first response by ${due.due} (${deps.config.firstResponseTargetMinutes} business minutes)`
      : `not resolved by ${due.due} (${deps.config.resolutionTargetMinutes} business minutes)`;
  const counted = await breach(deps, conversation, due.target, now, detail);
  return { status: 'breached', counted };
}

/** Whether the conversation, as it is at its deadline, missed the target. */
export function targetMissed(conversation: Conversation, target: ResponseTarget, due: Date): boolean {
  // Closed (answered elsewhere, or nothing to answer) or quarantined: nobody is waiting.
  if (conversation.status === 'closed' || conversation.status === 'quarantined') return false;
  if (target === 'resolution') return true;
  const answered = conversation.firstResponseAt;
  return answered === undefined || new Date(answered) > due;
}

/** Escalates (idempotent on the key), then counts the breach once per conversation and target. */
async function breach(
  deps: InsightsDeps,
  conversation: Conversation,
  target: ResponseTarget,
  at: Date,
  detail: string,
): Promise<boolean> {
  const reason: BreachReason = target === 'first-response' ? 'first-response-breach' : 'resolution-breach';
  const eventKey = `${reason}#${conversation.id}`;
  const raised = deps.escalate ? await deps.escalate({ conversation, reason, detail, eventKey }) : true;
  const first = deps.responseTimes
    ? await deps.responseTimes.recordBreach(conversation.id, target, at.toISOString())
    : raised;
  if (!first) return false;
  await deps.insights.add(conversation.channel, at, { [COUNTER.breaches(target)]: 1 });
  return true;
}

const NO_CONVERSATION = 'the response deadline names no valid conversation';
const NO_DUE_TIME = 'the response deadline has no valid due time';

/** A deadline check as it travels on the outbound queue (`"type": "response-deadline"`). */
export const responseDeadlineDueSchema = z.object({
  type: z.literal('response-deadline'),
  conversationId: z.string({ error: NO_CONVERSATION }).min(1, NO_CONVERSATION).max(200, NO_CONVERSATION),
  target: z.enum(['first-response', 'resolution'], { error: 'the response deadline has an unknown target' }),
  due: z
    .string({ error: NO_DUE_TIME })
    .refine((due) => !Number.isNaN(Date.parse(due)), NO_DUE_TIME)
    .transform((due) => new Date(due).toISOString()),
}) satisfies z.ZodType<ResponseDeadlineDue>;

/** A deadline check as it travels on the outbound queue, or undefined when the body is something else. */
export function responseDeadlineOf(body: unknown): ResponseDeadlineDue | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if ((body as { type?: unknown }).type !== 'response-deadline') return undefined;
  const parsed = responseDeadlineDueSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(issue?.message ?? NO_CONVERSATION, { field: issue?.path.join('.') });
}

// ---------------------------------------------------------------------------------------------
// Report

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
