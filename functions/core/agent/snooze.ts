import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Conversation } from '../model.ts';
import type { Agent } from './agent.ts';
import type { InboxDeps } from './rows.ts';

/** Snoozing further ahead is closing the conversation, not snoozing it. */
export const MAX_SNOOZE_DAYS = 90;

/**
 * Takes the conversation out of the open queue until `until` (undefined: wakes it now). Nothing
 * has to wake it up: the listing treats a snooze that has passed as awake, and the customer's
 * next message removes the snooze in the same update that stores it.
 */
export async function snoozeConversation(
  deps: Pick<InboxDeps, 'clock' | 'conversations' | 'inbox'>,
  input: { readonly conversationId: string; readonly until: string | undefined; readonly agent: Agent },
): Promise<Conversation> {
  const now = deps.clock.now();
  let until: string | undefined;
  if (input.until !== undefined) {
    const time = Date.parse(input.until);
    if (Number.isNaN(time)) throw new InvalidInputError('until is not an ISO 8601 time', { field: 'until' });
    if (time <= now.getTime()) {
      throw new InvalidInputError(`until must be in the future (it is ${now.toISOString()} now)`, {
        field: 'until',
      });
    }
    if (time > now.getTime() + MAX_SNOOZE_DAYS * 86_400_000) {
      throw new InvalidInputError(`a snooze lasts at most ${MAX_SNOOZE_DAYS} days`, { field: 'until' });
    }
    until = new Date(time).toISOString();
    const conversation = await deps.conversations.get(input.conversationId);
    if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
    if (conversation.status === 'closed' || conversation.status === 'quarantined') {
      throw new InvalidInputError(`a ${conversation.status} conversation is not in the queue to snooze`, {
        field: 'status',
      });
    }
  }
  const snoozed = await deps.inbox.snooze(input.conversationId, {
    until,
    at: now.toISOString(),
    by: input.agent.id,
  });
  if (!snoozed) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  return snoozed;
}
