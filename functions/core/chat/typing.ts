import { lastInbound } from '../agent/addressing.ts';
import { type AgentSocketDeps, broadcastToAgents } from '../agent/live-updates.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Identity } from '../model.ts';
import type { AgentConversations } from '../ports/conversations.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { Clock } from '../ports/runtime.ts';
import { type ChatConnections, type ChatGateway, visitorIdentity } from './ports.ts';

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

/** A visitor's typing reaches agents at most this often per connection (the widget sends every few seconds). */
export const VISITOR_TYPING_INTERVAL_MS = 3_000;

/**
 * Per function instance: the conversation each visitor connection types into, and when it last
 * told the agents, so a burst of typing frames costs one lookup and one broadcast. Kept in
 * memory only: losing it (a cold start) costs one lookup more, never a store write.
 */
export class VisitorTypingRelay {
  private readonly connections = new Map<
    string,
    { conversationId: string | undefined; lastStartAt: number; state: 'start' | 'stop' }
  >();

  constructor(
    private readonly intervalMs = VISITOR_TYPING_INTERVAL_MS,
    private readonly maxConnections = 10_000,
  ) {}

  /** The connection's conversation if it was looked up before (undefined: never looked up). */
  known(connectionId: string): { conversationId: string | undefined } | undefined {
    const entry = this.connections.get(connectionId);
    return entry ? { conversationId: entry.conversationId } : undefined;
  }

  /**
   * Whether this signal goes out: a `start` once per interval, a `stop` only after a `start`
   * went out (and records it).
   */
  take(
    connectionId: string,
    conversationId: string | undefined,
    state: 'start' | 'stop',
    now: Date,
  ): boolean {
    const at = now.getTime();
    const entry = this.connections.get(connectionId);
    if (!entry && this.connections.size >= this.maxConnections) {
      const oldest = this.connections.keys().next().value;
      if (oldest !== undefined) this.connections.delete(oldest);
    }
    const previous = entry ?? {
      conversationId,
      lastStartAt: Number.NEGATIVE_INFINITY,
      state: 'stop' as const,
    };
    let forward: boolean;
    if (state === 'start')
      forward = previous.state === 'stop' || at - previous.lastStartAt >= this.intervalMs;
    else forward = previous.state === 'start';
    this.connections.set(connectionId, {
      conversationId,
      lastStartAt: forward && state === 'start' ? at : previous.lastStartAt,
      state: forward ? state : previous.state,
    });
    return forward;
  }

  forget(connectionId: string): void {
    this.connections.delete(connectionId);
  }
}

export interface VisitorTypingDeps extends AgentSocketDeps {
  readonly customers: Pick<CustomerDirectory, 'findByIdentity'>;
  readonly history: Pick<AgentConversations, 'conversationsOf'>;
  readonly typingRelay: VisitorTypingRelay;
}

/**
 * "The customer is typing…" in the agents' inboxes: the visitor's newest chat conversation that
 * is not closed, told to every agent connection. Nothing is stored; a visitor with no
 * conversation yet (typing their first message) is not shown.
 */
export async function relayVisitorTyping(
  deps: VisitorTypingDeps,
  input: {
    readonly connectionId: string;
    readonly visitorId: string;
    readonly identified?: Identity;
    readonly state: 'start' | 'stop';
  },
): Promise<{ readonly forwarded: boolean; readonly sent: number }> {
  const now = deps.clock.now();
  let conversationId = deps.typingRelay.known(input.connectionId)?.conversationId;
  if (conversationId === undefined) {
    const customer = await deps.customers.findByIdentity(visitorIdentity(input.visitorId, input.identified));
    const conversations = customer ? await deps.history.conversationsOf(customer.id, 10) : [];
    conversationId = conversations.find((c) => c.channel === 'chat' && c.status !== 'closed')?.id;
  }
  if (!deps.typingRelay.take(input.connectionId, conversationId, input.state, now) || !conversationId) {
    return { forwarded: false, sent: 0 };
  }
  const result = await broadcastToAgents(deps, [{ type: 'typing', conversationId, state: input.state }]);
  return { forwarded: true, sent: result.sent };
}
