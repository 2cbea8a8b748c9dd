import type { Channel, Escalation, ResponseDeadlineDue } from '../model.ts';

/* Channel-hour counters, response times and deadlines, escalations and agent tasks. */

/** Counter values by name (`inbound`, `outbound:agent-reply`, `firstResponseBucket:30`…; see core/service-levels/counters.ts). */
export type InsightCounters = Readonly<Record<string, number>>;

/** The counters of one channel in one UTC hour. */
export interface ChannelHourCounters {
  readonly channel: Channel;
  /** Start of the UTC hour, ISO (`2026-11-23T10:00:00.000Z`). */
  readonly hour: string;
  readonly counters: InsightCounters;
}

/**
 * Channel insights: counters per channel per UTC hour. Every `add` is one atomic
 * write (no read first), so concurrent events never lose a count; `read` is a bounded Query
 * per day, never a scan.
 */
export interface ChannelInsights {
  /** Adds each value to its counter of the hour of `at` on `channel`. */
  add(channel: Channel, at: Date, counters: InsightCounters): Promise<void>;
  /** Every channel-hour with counts whose hour starts in [from, to). */
  read(range: { readonly from: Date; readonly to: Date }): Promise<ChannelHourCounters[]>;
}

/**
 * Response times kept on the conversation, each written once (a condition, not a read first), so
 * a redelivered send or close counts once.
 */
export interface ResponseTimes {
  /** Records the first response; false when one was recorded already (or no such conversation). */
  recordFirstResponse(
    conversationId: string,
    record: { readonly at: string; readonly businessMinutes: number },
  ): Promise<boolean>;
  /** Records a resolution at `at`; false when this very close was recorded already. */
  recordResolution(
    conversationId: string,
    record: { readonly at: string; readonly businessMinutes: number },
  ): Promise<boolean>;
  /** Marks a missed target; false when it was marked already (count a breach once). */
  recordBreach(conversationId: string, target: ResponseDeadlineDue['target'], at: string): Promise<boolean>;
}

/** Queues a response-deadline check on the outbound queue, where the dispatcher handles it. */
export interface ResponseDeadlines {
  /** Queues every check in one request (a new conversation has two: first response and resolution). */
  watch(dues: readonly ResponseDeadlineDue[], options?: { readonly delaySeconds?: number }): Promise<void>;
}

/**
 * Escalations kept on their conversation: one record per event key, written with a
 * condition, plus an `escalated` flag on the conversation so the agent queue shows it.
 */
export interface EscalationLog {
  /**
   * Stores the escalation unless one with its event key is stored; returns the stored one and
   * whether this call created it.
   */
  record(escalation: Escalation): Promise<{ readonly created: boolean; readonly stored: Escalation }>;
  /** Notes the agent task created for an escalation (safe to repeat). */
  attachTask(conversationId: string, eventKey: string, taskId: string): Promise<void>;
  /**
   * Adds one contact (idempotent on `contactKey`) to the conversation's count of contacts since
   * `since` (the last answer, or `unanswered`) and returns the count.
   */
  countUnansweredContact(conversationId: string, since: string, contactKey: string): Promise<number>;
}

/** A task for agents (an Amazon Connect task contact) pointing at a conversation. */
export interface AgentTask {
  /** Deterministic: the same escalation always asks with the same token, so Connect makes one task. */
  readonly clientToken: string;
  readonly name: string;
  readonly description: string;
  readonly conversationId: string;
  readonly customerId: string;
}

export interface AgentTasks {
  /** Creates the task (once per client token) and returns its id. */
  create(task: AgentTask): Promise<{ readonly taskId: string }>;
}

/** One channel-hour's sum of a stream batch, keyed by the batch's first record of that channel-hour. */
export interface ChannelHourBatchSum {
  readonly channel: Channel;
  /** Start of the UTC hour, ISO. */
  readonly hour: string;
  /** The stream record id of the first record summed: the sum's key. */
  readonly firstEventId: string;
  /** The stream position of the last record summed. */
  readonly through: string;
  readonly counters: InsightCounters;
}

/**
 * Sums of stream batches beside the channel-hour counters: `read` of the same ChannelInsights
 * returns them as rows of their hour, so the reports add them up with the rest.
 */
export interface ChannelBatchCounts {
  /**
   * Stores the sum unless one with its key is stored; refused: the position that one was summed
   * through (what of this batch it covers already).
   */
  putSum(
    sum: ChannelHourBatchSum,
  ): Promise<{ readonly stored: true } | { readonly stored: false; readonly through: string }>;
}
