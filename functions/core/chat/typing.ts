import { lastInbound } from '../agent/addressing.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { AgentConversations, Clock } from '../ports.ts';
import type { ChatConnections, ChatGateway } from './ports.ts';

export interface AgentTypingDeps {
  readonly clock: Clock;
  readonly history: Pick<AgentConversations, 'get' | 'listMessages'>;
  readonly connections: ChatConnections;
  readonly gateway: ChatGateway;
}

/**
 * "Support is typing…" in the visitor's open widgets. Nothing is stored: a typing signal that
 * finds no open socket is simply not shown. Agents' tools send it at most every few seconds (the
 * route is throttled on its own).
 */
export async function signalAgentTyping(
  deps: AgentTypingDeps,
  input: { readonly conversationId: string; readonly state: 'start' | 'stop' },
): Promise<{ readonly delivered: number }> {
  const conversation = await deps.history.get(input.conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  if (conversation.channel !== 'chat') {
    throw new InvalidInputError('typing indicators are shown in chat conversations only', {
      field: 'channel',
    });
  }
  const from = lastInbound(await deps.history.listMessages(conversation.id))?.from;
  if (from?.kind !== 'chat') return { delivered: 0 };
  let delivered = 0;
  for (const connection of await deps.connections.ofVisitor(from.value, deps.clock.now())) {
    const outcome = await deps.gateway.post(connection.connectionId, {
      type: 'typing',
      from: 'agent',
      state: input.state,
    });
    if (outcome === 'sent') delivered += 1;
    else await deps.connections.close(connection.visitorId, connection.connectionId);
  }
  return { delivered };
}
