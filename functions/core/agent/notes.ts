import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Message } from '../model.ts';
import type { Agent } from './agent.ts';
import type { InboxDeps } from './rows.ts';

/** A note is for colleagues: as long as a reply at most. */
export const MAX_NOTE_CHARACTERS = 10_000;

export interface NoteInput {
  readonly conversationId: string;
  readonly text: string;
  readonly agent: Agent;
  /**
   * The client's `Idempotency-Key`: the same key stores one note. Without one the note is keyed
   * on the agent, the text and the conversation's last activity, so a retried POST stores it once
   * and the same words after the next message are a new note.
   */
  readonly idempotencyKey?: string;
}

/**
 * A private note on the conversation's timeline (`direction: 'note'`, the agent's id on it). It
 * never goes on the outbound queue and no channel shows it to the customer: only the agent API's
 * timeline returns it.
 */
export async function addNote(
  deps: Pick<InboxDeps, 'clock' | 'ids' | 'conversations' | 'inbox'>,
  input: NoteInput,
): Promise<Message> {
  const text = input.text.normalize('NFC').trim();
  if (text === '') throw new InvalidInputError('text must not be empty', { field: 'text' });
  if (text.length > MAX_NOTE_CHARACTERS) {
    throw new InvalidInputError(`text is longer than ${MAX_NOTE_CHARACTERS} characters`, { field: 'text' });
  }
  const conversation = await deps.conversations.get(input.conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  const key = input.idempotencyKey ?? `${input.agent.id}\n${conversation.lastMessageAt}\n${text}`;
  return deps.inbox.appendNote({
    id: deps.ids.derive('agent-note', conversation.id, input.agent.id, key),
    conversationId: conversation.id,
    direction: 'note',
    channel: conversation.channel,
    at: deps.clock.now().toISOString(),
    text,
    attachments: [],
    agentId: input.agent.id,
  });
}
