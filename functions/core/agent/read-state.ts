import { NotFoundError } from '../errors.ts';
import type { Agent } from './agent.ts';
import type { InboxDeps } from './rows.ts';

/** The read tick names at most this many of the visitor's newest messages (one small frame). */
export const MAX_READ_RECEIPT_IDS = 50;

export interface ReadResult {
  readonly readAt: string;
  /** Chat: the visitor's open widgets that got the read tick. */
  readonly receipts?: number;
}

/**
 * Marks the conversation read for the calling agent (their unread state). On a chat it also
 * tells the visitor: the time goes on the conversation (a resync shows the tick) and every open
 * widget of the visitor gets a `read` frame with their messages up to now. A widget with no open
 * socket sees it on its next resync.
 */
export async function markConversationRead(
  deps: Pick<InboxDeps, 'clock' | 'conversations' | 'inbox' | 'readMarkers' | 'chat'>,
  input: { readonly conversationId: string; readonly agent: Agent },
): Promise<ReadResult> {
  const conversation = await deps.conversations.get(input.conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  const now = deps.clock.now();
  const readAt = now.toISOString();
  await deps.readMarkers.markRead(input.agent.id, conversation.id, readAt);
  if (conversation.channel !== 'chat' || !deps.chat) return { readAt };
  await deps.inbox.recordAgentRead(conversation.id, readAt);
  const theirs = (await deps.conversations.listMessages(conversation.id)).filter(
    (m) => m.direction === 'inbound' && m.at <= readAt,
  );
  const visitor = theirs.at(-1)?.from;
  if (visitor?.kind !== 'chat') return { readAt, receipts: 0 };
  const messageIds = theirs.slice(-MAX_READ_RECEIPT_IDS).map((m) => m.id);
  let receipts = 0;
  for (const connection of await deps.chat.connections.ofVisitor(visitor.value, now)) {
    const outcome = await deps.chat.gateway.post(connection.connectionId, { type: 'read', messageIds });
    if (outcome === 'sent') receipts += 1;
    else await deps.chat.connections.close(connection.visitorId, connection.connectionId);
  }
  return { readAt, receipts };
}
