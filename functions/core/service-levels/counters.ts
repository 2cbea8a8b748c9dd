import { InvalidInputError } from '../errors.ts';
import type { Channel, Conversation, Message, OutboundKind, OutboundRequest } from '../model.ts';
import { businessMinutesBetween } from './business-hours.ts';
import { breach, breachCounter, type ResponseDeadlineDeps, responseDeadlines } from './deadlines.ts';

/**
 * Channel counters. Every event adds to the counters of its channel and UTC hour in one atomic
 * write (ChannelInsights). Response times are measured in business minutes (the shop's calendar),
 * so a mail that arrives on Friday evening and is answered on Monday at 09:30 took 30 minutes, as
 * the acknowledgement promised it.
 */

export interface InsightsDeps extends ResponseDeadlineDeps {
  /**
   * Told about a count that failed after its event was handled: a sent message is not retried
   * for it (the customer would get it twice), a stored inbound message would count nothing on a
   * retry, and a missed first-response target is still caught by the deadline check. The wiring
   * logs it and counts it as a metric.
   */
  readonly onFailure?: (error: unknown) => void;
}

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
  breaches: breachCounter,
} as const;

/**
 * Upper bounds (business minutes, inclusive) of the first-response histogram: fine where
 * targets usually are (minutes to a few hours), coarse beyond; the median is interpolated
 * inside its bucket, so it is exact to within one bucket.
 */
export const FIRST_RESPONSE_BUCKETS = [
  1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2880, 5760,
] as const;

/** Minutes as the counters and the report keep them: two decimals. */
export function roundMinutes(minutes: number): number {
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
  input: {
    readonly message: Message;
    readonly conversation: Conversation;
    readonly isNew: boolean;
    /** The store counted it already (the message went in marked, the table's stream sums it). */
    readonly counted?: boolean;
  },
): Promise<void> {
  const { message, conversation, isNew } = input;
  if (!input.counted) {
    await deps.insights.add(message.channel, new Date(message.at), {
      [COUNTER.inbound]: 1,
      ...(isNew ? { [COUNTER.conversations]: 1 } : {}),
    });
  }
  if (!isNew || !deps.deadlines || !needsAnswer(conversation)) return;
  await deps.deadlines.watch(responseDeadlines(deps.config, conversation));
}

/** Spam and quarantined mail wait for no answer: no target applies to them. */
function needsAnswer(conversation: Conversation): boolean {
  return conversation.status === 'open' && !conversation.flags?.includes('spam');
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
