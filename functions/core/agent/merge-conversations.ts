import { pointerTo } from '../conversations/open-conversation.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { Conversation, Message } from '../model.ts';
import type { AgentConversations, ConversationMerges } from '../ports/conversations.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { Clock } from '../ports/runtime.ts';
import type { Agent } from './agent.ts';

/** A timeline shows the messages of at most this many merged-in conversations. */
export const MAX_MERGED_CONVERSATIONS = 20;

export interface MergeConversationsDeps {
  readonly clock: Clock;
  readonly customers: Pick<CustomerDirectory, 'get' | 'pointOpenConversation'>;
  readonly conversations: Pick<AgentConversations, 'get'>;
  readonly merges: ConversationMerges;
}

export interface ConversationMergeResult {
  readonly conversation: Conversation;
  /** False when the source was merged into the target already (a repeated request). */
  readonly changed: boolean;
}

/**
 * An admin merges a duplicate conversation into another of the same customer (or of a customer
 * merged into that one). Two ordered writes, each idempotent: the target first lists the source
 * in `mergedFrom` (so its timeline shows the source's messages at once), then the source is closed
 * with `mergedInto`. A retry after a crash between them finds the first done and makes the second;
 * a repeated request changes nothing. Nothing is deleted, no message is copied or moved.
 */
export async function mergeConversations(
  deps: MergeConversationsDeps,
  input: { readonly sourceId: string; readonly targetId: string; readonly agent: Agent },
): Promise<ConversationMergeResult> {
  if (input.sourceId === input.targetId) {
    throw new InvalidInputError('sourceId and targetId are the same conversation', { field: 'targetId' });
  }
  const [source, target] = await Promise.all([
    deps.conversations.get(input.sourceId),
    deps.conversations.get(input.targetId),
  ]);
  if (!source) throw new NotFoundError(`conversation ${input.sourceId} does not exist`);
  if (!target) throw new NotFoundError(`conversation ${input.targetId} does not exist`);
  if (target.mergedInto !== undefined) {
    throw new ConflictError(
      `conversation ${target.id} was itself merged into ${target.mergedInto}: merge into ${target.mergedInto} instead`,
      { field: 'targetId' },
    );
  }
  if (source.mergedInto !== undefined && source.mergedInto !== target.id) {
    throw new ConflictError(
      `conversation ${source.id} was already merged into ${source.mergedInto}; a conversation is merged once`,
      { field: 'sourceId' },
    );
  }
  if (!(await sameCustomer(deps, source, target))) {
    throw new ConflictError(
      `conversations ${source.id} and ${target.id} belong to different customers: merge the customers first (POST /customers/merge)`,
      { field: 'sourceId' },
    );
  }
  const listed = target.mergedFrom?.includes(source.id) === true;
  if (listed && source.mergedInto === target.id) return { conversation: target, changed: false };

  // The source's own merged-in conversations come along, so a chain of merges shows everything.
  const sources = [source.id, ...(source.mergedFrom ?? [])];
  if (!(await deps.merges.recordMergedFrom(target.id, sources))) {
    throw new NotFoundError(`conversation ${input.targetId} does not exist`);
  }
  const marked = await deps.merges.markMerged(source.id, target.id, {
    at: deps.clock.now().toISOString(),
    by: input.agent.id,
  });
  if (!marked) {
    throw new ConflictError(`conversation ${source.id} was merged into another conversation meanwhile`, {
      field: 'sourceId',
    });
  }
  const updated = await deps.conversations.get(target.id);
  await movePointer(deps, source, updated ?? target, deps.clock.now().toISOString());
  return { conversation: updated ?? target, changed: true };
}

/**
 * Follow-ups on the source's channel go where its messages went: the target, if it is on the same
 * channel. The source stays among the earlier
 * conversations, and only messages from now on continue the target directly, so a late
 * redelivery of a message stored in the source is found there, not stored a second time. A crash
 * before this leaves the pointer on the closed source: its condition refuses, nothing is lost.
 */
async function movePointer(
  deps: Pick<MergeConversationsDeps, 'customers'>,
  source: Conversation,
  target: Conversation,
  at: string,
): Promise<void> {
  const customer = await deps.customers.get(target.customerId);
  const pointer = customer?.openConversations?.[source.channel];
  if (!customer || pointer?.conversationId !== source.id) return;
  // On another channel there is nothing to continue: the pointer names the closed source, whose
  // condition refuses every follow-up, and the next message opens a conversation.
  if (target.channel !== source.channel) return;
  await deps.customers.pointOpenConversation(
    customer.id,
    source.channel,
    pointerTo(pointer, target.id, at),
    source.id,
  );
}

/** Same customer, directly or after a customer merge (aliases lead to the customer they joined). */
async function sameCustomer(
  deps: Pick<MergeConversationsDeps, 'customers'>,
  source: Conversation,
  target: Conversation,
): Promise<boolean> {
  if (source.customerId === target.customerId) return true;
  const [a, b] = await Promise.all([
    deps.customers.get(source.customerId),
    deps.customers.get(target.customerId),
  ]);
  return a !== undefined && b !== undefined && a.id === b.id;
}

/**
 * The messages of a conversation together with those of the conversations merged into it, in
 * time order: what its timeline shows. The merged ones keep their own conversation id.
 */
export async function withMergedMessages(
  deps: { readonly conversations: Pick<AgentConversations, 'listMessages'> },
  conversation: Conversation,
  messages: readonly Message[],
): Promise<Message[]> {
  const merged = (conversation.mergedFrom ?? []).slice(0, MAX_MERGED_CONVERSATIONS);
  if (merged.length === 0) return [...messages];
  const all = [...messages];
  // One after the other: a long chain must not fan out into many parallel reads.
  for (const id of merged) all.push(...(await deps.conversations.listMessages(id, { wholeBodies: true })));
  return all.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}
