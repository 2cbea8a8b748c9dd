import type { Clock } from '../ports/runtime.ts';
/**
 * What agents' open inboxes hear on the WebSocket API: short notices, never the data itself.
 * The app fetches what changed through the agent API, so a notice can be lost or repeated
 * without harm, and what an agent sees always went through the API's own checks.
 */

/** What happened to a conversation. */
export const CONVERSATION_CHANGES = [
  /** A new conversation (a customer's first message, or a proactive send). */
  'created',
  /** A message in or out, or a delivery status. */
  'message',
  'note',
  'assignment',
  'status',
  'labels',
  'snooze',
  /** An agent read it (unread counts move). */
  'read',
  'merge',
] as const;
export type ConversationChange = (typeof CONVERSATION_CHANGES)[number];

export type AgentLiveFrame =
  | {
      readonly type: 'conversation.changed';
      readonly conversationId: string;
      readonly change: ConversationChange;
      /** When the change was written (ISO 8601). */
      readonly at: string;
    }
  /** The customer is typing in the chat widget (throttled on the widget's side). */
  | {
      readonly type: 'typing';
      readonly conversationId: string;
      readonly state: 'start' | 'stop';
    }
  /** The connection is about to be dropped by the platform (2 h limit): reconnect and refetch. */
  | { readonly type: 'reconnect' };

/** What else the server says on an agent's socket: the answer to `agent.ping`, and refusals. */
export type AgentServerFrame =
  | AgentLiveFrame
  | { readonly type: 'pong' }
  | { readonly type: 'error'; readonly reason: string };

/** One open WebSocket of an agent's inbox (API Gateway drops it after 2 h, or 10 min idle). */
export interface AgentConnection {
  readonly connectionId: string;
  /** The token's `sub`. */
  readonly agentId: string;
  readonly connectedAt: string;
  /** When the table's TTL removes the record even if no $disconnect ever came. */
  readonly expiresAt: string;
}

/** Every agent's open connections, kept in the table with a TTL. */
export interface AgentConnections {
  open(connection: AgentConnection): Promise<void>;
  close(connectionId: string): Promise<void>;
  /** All connections that have not expired (one Query; a team has hundreds at most). */
  all(now: Date): Promise<AgentConnection[]>;
}

/** PostToConnection on the WebSocket API: 410 Gone means the socket closed. */
export interface AgentGateway {
  post(connectionId: string, frame: AgentServerFrame): Promise<'sent' | 'gone'>;
}

/** What a verified agent token says: who, and what it may do. */
export type AgentTokenCheck =
  | { readonly valid: true; readonly agentId: string; readonly scopes: readonly string[] }
  | { readonly valid: false; readonly problem: string };

/**
 * Checks an agent's JWT (signature, issuer, audience, expiry): the identity provider's keys in
 * the cloud, the sandbox's own tokens locally.
 */
export interface AgentTokenVerifier {
  verify(token: string): Promise<AgentTokenCheck>;
}

export type AgentAuthorization =
  | { readonly allowed: true; readonly agentId: string }
  | { readonly allowed: false; readonly reason: string };

/**
 * The $connect decision for an agent: a token that verifies and carries `requiredScope` (the
 * agent API's read scope: whoever may read the queue may hear that it changed).
 */
export async function authorizeAgent(
  token: string,
  verifier: AgentTokenVerifier,
  requiredScope: string,
): Promise<AgentAuthorization> {
  if (token.length === 0 || token.length > 8_192) {
    return { allowed: false, reason: 'the agentToken parameter must be a JWT (1 to 8192 characters)' };
  }
  const check = await verifier.verify(token);
  if (!check.valid) return { allowed: false, reason: check.problem };
  if (!check.scopes.includes(requiredScope)) {
    const has = check.scopes.length > 0 ? check.scopes.join(', ') : 'none';
    return {
      allowed: false,
      reason: `live updates need the scope ${requiredScope}; the token has ${has}`,
    };
  }
  return { allowed: true, agentId: check.agentId };
}

/** API Gateway closes a WebSocket after two hours at the latest: the record lives no longer. */
export const AGENT_CONNECTION_HOURS = 2;

export interface AgentSocketDeps {
  readonly clock: Clock;
  readonly agentConnections: AgentConnections;
  readonly agentGateway: AgentGateway;
}

export async function openAgentConnection(
  deps: AgentSocketDeps,
  input: { readonly connectionId: string; readonly agentId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.agentConnections.open({
    connectionId: input.connectionId,
    agentId: input.agentId,
    connectedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + AGENT_CONNECTION_HOURS * 3_600_000).toISOString(),
  });
}

export async function closeAgentConnection(
  deps: AgentSocketDeps,
  input: { readonly connectionId: string },
): Promise<void> {
  await deps.agentConnections.close(input.connectionId);
}

/** `{"action":"agent.ping"}`: keeps the socket out of API Gateway's 10-minute idle cut. */
export async function answerAgentPing(
  deps: AgentSocketDeps,
  input: { readonly connectionId: string },
): Promise<void> {
  await deps.agentGateway.post(input.connectionId, { type: 'pong' });
}

/**
 * Sends each frame to every open agent connection: the connections are read once for all
 * frames, and a connection API Gateway says is gone (410) is removed. A failed post of one
 * connection does not stop the others; the first failure is rethrown at the end so the caller's
 * retry covers it (a repeated notice only makes an app refetch).
 */
export async function broadcastToAgents(
  deps: AgentSocketDeps,
  frames: readonly AgentLiveFrame[],
): Promise<{ readonly connections: number; readonly sent: number; readonly pruned: number }> {
  if (frames.length === 0) return { connections: 0, sent: 0, pruned: 0 };
  const connections = await deps.agentConnections.all(deps.clock.now());
  let sent = 0;
  let pruned = 0;
  let failure: unknown;
  await Promise.all(
    connections.map(async (connection) => {
      for (const frame of frames) {
        let outcome: 'sent' | 'gone';
        try {
          outcome = await deps.agentGateway.post(connection.connectionId, frame);
        } catch (error) {
          failure ??= error;
          return;
        }
        if (outcome === 'gone') {
          await deps.agentConnections.close(connection.connectionId);
          pruned += 1;
          return;
        }
        sent += 1;
      }
    }),
  );
  if (failure !== undefined) throw failure;
  return { connections: connections.length, sent, pruned };
}

/**
 * One written item of a conversation, as a change-data record shows it (DynamoDB Streams):
 * the item before and after, in domain fields (no table keys). `before` absent: created;
 * `after` absent: deleted.
 */
export interface ConversationItemChange {
  readonly item: 'conversation' | 'message' | 'read';
  readonly conversationId: string;
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
  /** When it was written (ISO 8601). */
  readonly at: string;
}

/**
 * Which conversation fields move which notice. A field not listed (a counter, a response-time
 * figure written beside a reply) moves none on its own: the write that goes with it does.
 */
const CONVERSATION_FIELD_CHANGES: Readonly<Record<string, ConversationChange>> = {
  status: 'status',
  closedAt: 'status',
  resolvedAt: 'status',
  firstResponseBreachedAt: 'status',
  resolutionBreachedAt: 'status',
  survey: 'status',
  csat: 'status',
  flags: 'status',
  assignee: 'assignment',
  labels: 'labels',
  snoozedUntil: 'snooze',
  mergedInto: 'merge',
  lastMessageAt: 'message',
  lastInboundAt: 'message',
  subject: 'message',
};

/**
 * The notices one written item makes: a new conversation is `created`; a changed one says what
 * moved (several at once if several fields did); a message written or updated (a delivery
 * status) is `message`, or `note` for a private note; a read marker is `read`. A deleted item
 * tells nothing an agent acts on (conversations are closed or merged, never deleted).
 */
export function conversationChangesOf(change: ConversationItemChange): ConversationChange[] {
  const { before, after } = change;
  if (!after) return [];
  switch (change.item) {
    case 'message':
      return [after.direction === 'note' ? 'note' : 'message'];
    case 'read':
      return ['read'];
    case 'conversation': {
      if (!before) return ['created'];
      const moved = new Set<ConversationChange>();
      for (const [field, kind] of Object.entries(CONVERSATION_FIELD_CHANGES)) {
        if (!sameValue(before[field], after[field])) moved.add(kind);
      }
      return CONVERSATION_CHANGES.filter((kind) => moved.has(kind));
    }
  }
}

/**
 * The frames of a batch of written items, one per conversation and kind (the first write's
 * time): a reply writes its message and the conversation's `lastMessageAt`, and agents hear
 * `message` once.
 */
export function liveFramesOf(changes: readonly ConversationItemChange[]): AgentLiveFrame[] {
  const frames = new Map<string, AgentLiveFrame>();
  for (const change of changes) {
    for (const kind of conversationChangesOf(change)) {
      const key = `${change.conversationId}\u0000${kind}`;
      if (!frames.has(key)) {
        frames.set(key, {
          type: 'conversation.changed',
          conversationId: change.conversationId,
          change: kind,
          at: change.at,
        });
      }
    }
  }
  return [...frames.values()];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Set) return stableJson([...value].sort());
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([x], [y]) => x.localeCompare(y));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
