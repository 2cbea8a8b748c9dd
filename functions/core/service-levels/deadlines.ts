import * as z from 'zod';
import type { SupportConfig } from '../config.ts';
import { InvalidInputError } from '../errors.ts';
import type { Conversation, ResponseDeadlineDue } from '../model.ts';
import type { ConversationStore } from '../ports/conversations.ts';
import type { DeferredSends } from '../ports/outbound.ts';
import type { Clock } from '../ports/runtime.ts';
import type { ChannelInsights, ResponseDeadlines, ResponseTimes } from '../ports/service-levels.ts';
import { addBusinessMinutes } from './business-hours.ts';

/**
 * Response-time targets. Each new conversation that someone must answer gets two deadlines (first
 * response, resolution) in business time; a check travels on the outbound queue until it is due.
 * A missed target (a breach) raises an escalation, once per conversation and target, whether it
 * shows when the late answer goes out or when the deadline passes with no answer at all.
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

/** What the deadline checks and breaches touch; the counters' dependencies extend it. */
export interface ResponseDeadlineDeps {
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
}

const DUE_TOLERANCE_MS = 60_000;
/** SQS holds a message at most this long; longer waits hop through the queue again. */
const MAX_QUEUE_DELAY_SECONDS = 900;

/** The counter a breach adds to (one of the counter names, see counters.ts `COUNTER`). */
export function breachCounter(target: ResponseTarget): string {
  return `breaches:${target}`;
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
  deps: ResponseDeadlineDeps,
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
export async function breach(
  deps: ResponseDeadlineDeps,
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
  await deps.insights.add(conversation.channel, at, { [breachCounter(target)]: 1 });
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
