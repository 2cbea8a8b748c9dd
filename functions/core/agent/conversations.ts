import type { SupportConfig } from '../config.ts';
import { queueSurvey, type SurveyOutcome } from '../conversations/survey.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Conversation, ConversationStatus, Customer, Message } from '../model.ts';
import type { AgentConversations, ConversationQuery } from '../ports/conversations.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { OutboundQueue } from '../ports/outbound.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import { type InsightsDeps, recordResolution } from '../service-levels/counters.ts';
import type { Agent } from './agent.ts';
import { withMergedMessages } from './merge-conversations.ts';
import { decodePageToken, encodePageToken } from './paging.ts';

/** What the agent use-cases work with. */
export interface AgentDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly customers: Pick<CustomerDirectory, 'get'>;
  readonly conversations: AgentConversations;
  readonly outbound: OutboundQueue;
  /** Channel insights: a close counts as a resolution. Absent: nothing is counted. */
  readonly insights?: InsightsDeps;
  /** Only the conversation's assignee may reply (the deployment's `agents.repliesOnlyByAssignee`). */
  readonly repliesOnlyByAssignee?: boolean;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/** A customer's timeline reads at most this many of their newest conversations. */
export const MAX_TIMELINE_CONVERSATIONS = 50;

export interface ConversationListing {
  readonly items: readonly Conversation[];
  readonly nextToken?: string;
}

/**
 * The agent queue: conversations by status, channel and assignee, newest activity first, a page
 * at a time. Without a status or an assignee it lists the open ones.
 */
export async function listConversations(
  deps: Pick<AgentDeps, 'conversations'>,
  input: ConversationQuery & { readonly limit?: number; readonly nextToken?: string },
): Promise<ConversationListing> {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, {
      field: 'limit',
    });
  }
  const query: ConversationQuery = {
    status: input.status ?? (input.assignee === undefined ? 'open' : undefined),
    channel: input.channel,
    assignee: input.assignee,
  };
  const after = input.nextToken === undefined ? undefined : decodePageToken(query, input.nextToken);
  const page = await deps.conversations.list(query, { limit, after });
  return {
    items: page.items,
    ...(page.next ? { nextToken: encodePageToken(query, page.next) } : {}),
  };
}

export interface ConversationDetail {
  readonly conversation: Conversation;
  readonly messages: readonly Message[];
}

export async function getConversation(
  deps: Pick<AgentDeps, 'conversations'>,
  conversationId: string,
): Promise<ConversationDetail> {
  const conversation = await deps.conversations.get(conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${conversationId} does not exist`);
  const messages = await deps.conversations.listMessages(conversationId, { wholeBodies: true });
  // A conversation merged into this one shows its messages here too.
  return { conversation, messages: await withMergedMessages(deps, conversation, messages) };
}

export interface CustomerTimeline {
  readonly customer: Customer;
  readonly conversations: readonly Conversation[];
  /** Every message of those conversations, oldest first, whatever the channel. */
  readonly messages: readonly Message[];
  /** True when the customer has more conversations than the timeline reads. */
  readonly truncated: boolean;
}

/**
 * One customer's whole history across channels: their conversations through the by-customer index
 * (a merged-away profile leads to the customer it was merged into), all messages merged by time.
 */
export async function customerTimeline(
  deps: Pick<AgentDeps, 'conversations' | 'customers'>,
  customerId: string,
): Promise<CustomerTimeline> {
  const customer = await deps.customers.get(customerId);
  if (!customer) throw new NotFoundError(`customer ${customerId} does not exist`);
  const found = await deps.conversations.conversationsOf(customer.id, MAX_TIMELINE_CONVERSATIONS + 1);
  const conversations = found.slice(0, MAX_TIMELINE_CONVERSATIONS);
  const messages: Message[] = [];
  // One conversation after the other: a long history must not fan out into many parallel reads.
  for (const conversation of conversations) {
    messages.push(...(await deps.conversations.listMessages(conversation.id, { wholeBodies: true })));
  }
  messages.sort(
    (a, b) => a.at.localeCompare(b.at) || a.direction.localeCompare(b.direction) || a.id.localeCompare(b.id),
  );
  return { customer, conversations, messages, truncated: found.length > conversations.length };
}

/** Assigns the conversation to `assignee` (an agent id), or unassigns it with `undefined`. */
export async function assignConversation(
  deps: Pick<AgentDeps, 'conversations' | 'clock'>,
  input: { readonly conversationId: string; readonly assignee?: string; readonly agent: Agent },
): Promise<Conversation> {
  const assigned = await deps.conversations.assign(input.conversationId, {
    assignee: input.assignee,
    at: deps.clock.now().toISOString(),
    by: input.agent.id,
  });
  if (!assigned) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  return assigned;
}

export interface StatusChange {
  readonly conversation: Conversation;
  /** False when the conversation had that status already (a repeated request). */
  readonly changed: boolean;
  /** Closing: what happened to the satisfaction survey. */
  readonly survey?: SurveyOutcome;
}

/** Statuses an agent may set; `quarantined` is the virus scan's, not a person's choice. */
export const AGENT_STATUSES = ['open', 'pending', 'closed'] as const satisfies readonly ConversationStatus[];

/** Moves the conversation to `status`; `closed` goes through {@link closeConversation}. */
export async function changeConversationStatus(
  deps: AgentDeps,
  input: { readonly conversationId: string; readonly status: ConversationStatus; readonly agent: Agent },
): Promise<StatusChange> {
  if (!(AGENT_STATUSES as readonly string[]).includes(input.status)) {
    throw new InvalidInputError(`status must be one of ${AGENT_STATUSES.join(', ')}`, { field: 'status' });
  }
  if (input.status === 'closed') return closeConversation(deps, input);
  const result = await deps.conversations.changeStatus(input.conversationId, {
    status: input.status,
    at: deps.clock.now().toISOString(),
    by: input.agent.id,
  });
  if (!result) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  return result;
}

/**
 * Closes the conversation, counts the resolution (once, when it really closed now) and queues the
 * satisfaction survey. Closing a closed conversation changes nothing, but still queues a survey
 * that a crash kept from being queued the first time.
 */
export async function closeConversation(
  deps: AgentDeps,
  input: { readonly conversationId: string; readonly agent: Agent },
): Promise<StatusChange> {
  const closedAt = deps.clock.now();
  const result = await deps.conversations.changeStatus(input.conversationId, {
    status: 'closed',
    at: closedAt.toISOString(),
    by: input.agent.id,
  });
  if (!result) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  // With the time of the close that happened (this one, or the earlier one a retry finds), so the
  // insights count each close once however often it is requested.
  const closedTime = result.conversation.closedAt ? new Date(result.conversation.closedAt) : closedAt;
  // A repeated close is only passed on where the response-times record can tell it apart.
  if (deps.insights && (result.changed || deps.insights.responseTimes)) {
    await recordResolution(deps.insights, result.conversation, closedTime);
  }
  const survey = await queueSurvey(deps, result.conversation);
  return { ...result, survey };
}
