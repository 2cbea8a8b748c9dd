import { describe, expect, it } from 'vitest';
import {
  type AgentConnection,
  type AgentServerFrame,
  authorizeAgent,
  broadcastToAgents,
  type ConversationItemChange,
  conversationChangesOf,
  liveFramesOf,
} from '../../../functions/core/agent/live-updates.ts';

const AT = '2026-11-23T10:00:00.000Z';
const META = { id: 'c-1', status: 'open', channel: 'email', lastMessageAt: '2026-11-23T09:00:00Z' };
const change = (c: Omit<ConversationItemChange, 'conversationId' | 'at'>): ConversationItemChange => ({
  conversationId: 'c-1',
  at: AT,
  ...c,
});

describe('which notices a written conversation item makes', () => {
  it.each([
    ['a new conversation', change({ item: 'conversation', after: META }), ['created']],
    [
      'an assignment',
      change({ item: 'conversation', before: META, after: { ...META, assignee: 'agent-1' } }),
      ['assignment'],
    ],
    [
      'a close with its survey',
      change({
        item: 'conversation',
        before: META,
        after: { ...META, status: 'closed', closedAt: AT, survey: { queuedAt: AT } },
      }),
      ['status'],
    ],
    [
      'labels changed (order aside)',
      change({
        item: 'conversation',
        before: { ...META, labels: ['vip'] },
        after: { ...META, labels: ['vip', 'refund'] },
      }),
      ['labels'],
    ],
    [
      'a reply: last message and assignee at once',
      change({
        item: 'conversation',
        before: META,
        after: { ...META, lastMessageAt: AT, assignee: 'agent-1' },
      }),
      ['message', 'assignment'],
    ],
    [
      'a snooze',
      change({ item: 'conversation', before: META, after: { ...META, snoozedUntil: AT } }),
      ['snooze'],
    ],
    [
      'a merge',
      change({ item: 'conversation', before: META, after: { ...META, mergedInto: 'c-2' } }),
      ['merge'],
    ],
    [
      'a counter only',
      change({ item: 'conversation', before: META, after: { ...META, firstResponseBusinessMinutes: 12 } }),
      [],
    ],
    [
      'a customer message',
      change({ item: 'message', after: { direction: 'inbound', text: 'hi' } }),
      ['message'],
    ],
    [
      'a delivery status',
      change({
        item: 'message',
        before: { direction: 'outbound', deliveryStatus: 'sent' },
        after: { direction: 'outbound', deliveryStatus: 'delivered' },
      }),
      ['message'],
    ],
    ['a private note', change({ item: 'message', after: { direction: 'note', text: 'vip' } }), ['note']],
    ['a read marker', change({ item: 'read', after: { agentId: 'agent-1', readAt: AT } }), ['read']],
    ['a deleted item', change({ item: 'conversation', before: META }), []],
  ])('%s', (_name, input, expected) => {
    // Act
    const kinds = conversationChangesOf(input);

    // Assess
    expect(kinds).toEqual(expected);
  });

  it('keeps one frame per conversation and kind in a batch, at the first write', () => {
    // Prepare: a reply writes its message and moves the conversation's lastMessageAt
    const batch = [
      change({ item: 'message', after: { direction: 'outbound' } }),
      {
        ...change({ item: 'conversation', before: META, after: { ...META, lastMessageAt: AT } }),
        at: 'later',
      },
      { ...change({ item: 'message', after: { direction: 'inbound' } }), conversationId: 'c-2' },
    ];

    // Act
    const frames = liveFramesOf(batch);

    // Assess
    expect(frames).toEqual([
      { type: 'conversation.changed', conversationId: 'c-1', change: 'message', at: AT },
      { type: 'conversation.changed', conversationId: 'c-2', change: 'message', at: AT },
    ]);
  });
});

describe('authorizing an agent connection', () => {
  const verifier = (scopes: string[]) => ({
    verify: async (token: string) =>
      token === 'good'
        ? { valid: true as const, agentId: 'agent-1', scopes }
        : { valid: false as const, problem: 'expired' },
  });

  it('admits a verified token with the read scope as its sub', async () => {
    // Act
    const decision = await authorizeAgent(
      'good',
      verifier(['switchboard/agent.read']),
      'switchboard/agent.read',
    );

    // Assess
    expect(decision).toEqual({ allowed: true, agentId: 'agent-1' });
  });

  it.each([
    ['a token that does not verify', 'bad', ['switchboard/agent.read'], 'expired'],
    [
      'a token without the scope',
      'good',
      ['switchboard/agent.write'],
      'need the scope switchboard/agent.read',
    ],
    ['an empty token', '', ['switchboard/agent.read'], 'must be a JWT'],
  ])('refuses %s with the reason', async (_name, token, scopes, reason) => {
    // Act
    const decision = await authorizeAgent(token, verifier(scopes), 'switchboard/agent.read');

    // Assess
    expect(decision.allowed).toBe(false);
    expect(decision.allowed ? '' : decision.reason).toContain(reason);
  });
});

describe('broadcasting to agents', () => {
  const connection = (connectionId: string): AgentConnection => ({
    connectionId,
    agentId: 'agent-1',
    connectedAt: AT,
    expiresAt: AT,
  });

  it('reads the connections once, posts every frame to each, and removes the gone ones', async () => {
    // Prepare
    const posted: Array<[string, AgentServerFrame]> = [];
    const closed: string[] = [];
    let reads = 0;
    const deps = {
      clock: { now: () => new Date(AT) },
      agentConnections: {
        open: async () => undefined,
        close: async (id: string) => void closed.push(id),
        all: async () => {
          reads += 1;
          return [connection('a'), connection('gone')];
        },
      },
      agentGateway: {
        post: async (id: string, frame: AgentServerFrame) => {
          posted.push([id, frame]);
          return id === 'gone' ? ('gone' as const) : ('sent' as const);
        },
      },
    };
    const frames = liveFramesOf([
      change({ item: 'message', after: { direction: 'inbound' } }),
      { ...change({ item: 'conversation', after: META }), conversationId: 'c-9' },
    ]);

    // Act
    const result = await broadcastToAgents(deps, frames);

    // Assess
    expect(reads).toBe(1);
    expect(posted.filter(([id]) => id === 'a')).toHaveLength(2);
    expect(closed).toEqual(['gone']);
    expect(result).toEqual({ connections: 2, sent: 2, pruned: 1 });
  });
});
