import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  AgentConnection,
  AgentServerFrame,
  AgentSocketDeps,
} from '../../functions/core/agent/live-updates.ts';
import { RetryableError } from '../../functions/core/errors.ts';
import { makeLiveUpdatesHandler } from '../../functions/handlers/live-updates.ts';
import { lambdaContext } from '../../local/lambda-context.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/live-updates/${name}`, import.meta.url), 'utf8'));

/** Two open inbox connections; `failing` makes every post throw as a throttled API would. */
function agentSockets(options: { failing?: boolean } = {}) {
  const posted: Array<{ connectionId: string; frame: AgentServerFrame }> = [];
  let reads = 0;
  const connections: AgentConnection[] = ['conn-a', 'conn-b'].map((connectionId) => ({
    connectionId,
    agentId: 'agent-1',
    connectedAt: '2026-11-23T09:00:00Z',
    expiresAt: '2026-11-23T11:00:00Z',
  }));
  const deps: AgentSocketDeps = {
    clock: { now: () => new Date('2026-11-23T10:10:00Z') },
    agentConnections: {
      open: async () => undefined,
      close: async () => undefined,
      all: async () => {
        reads += 1;
        return connections;
      },
    },
    agentGateway: {
      post: async (connectionId, frame) => {
        if (options.failing) throw new RetryableError('throttled');
        posted.push({ connectionId, frame });
        return 'sent';
      },
    },
  };
  return { deps, posted, reads: () => reads };
}

describe('the live-updates stream consumer', () => {
  it('tells every agent connection once about a new mail (its message and its conversation)', async () => {
    // Prepare
    const sockets = agentSockets();
    const handler = makeLiveUpdatesHandler(() => sockets.deps);

    // Act
    const response = await handler(fixture('new-mail.json'), lambdaContext('live-updates'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sockets.reads()).toBe(1);
    expect(sockets.posted.filter((p) => p.connectionId === 'conn-a').map((p) => p.frame)).toEqual([
      {
        type: 'conversation.changed',
        conversationId: 'c-mail-1',
        change: 'message',
        at: '2026-11-23T10:00:00.000Z',
      },
      {
        type: 'conversation.changed',
        conversationId: 'c-mail-1',
        change: 'created',
        at: '2026-11-23T10:00:00.000Z',
      },
    ]);
    expect(sockets.posted).toHaveLength(4);
  });

  it.each([
    ['assignment.json', 'assignment'],
    ['note.json', 'note'],
  ])('turns %s into a %s notice', async (file, change) => {
    // Prepare
    const sockets = agentSockets();
    const handler = makeLiveUpdatesHandler(() => sockets.deps);

    // Act
    await handler(fixture(file), lambdaContext('live-updates'));

    // Assess
    expect(sockets.posted.map((p) => p.frame)).toEqual([
      expect.objectContaining({ type: 'conversation.changed', conversationId: 'c-mail-1', change }),
      expect.objectContaining({ type: 'conversation.changed', conversationId: 'c-mail-1', change }),
    ]);
  });

  it('reads no connection for items agents are not told about', async () => {
    // Prepare
    const sockets = agentSockets();
    const handler = makeLiveUpdatesHandler(() => sockets.deps);

    // Act
    const response = await handler(fixture('other-items.json'), lambdaContext('live-updates'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sockets.reads()).toBe(0);
    expect(sockets.posted).toEqual([]);
  });

  it('reports the batch from its first record when posting fails, so Lambda retries it', async () => {
    // Prepare
    const sockets = agentSockets({ failing: true });
    const handler = makeLiveUpdatesHandler(() => sockets.deps);

    // Act
    const response = await handler(fixture('new-mail.json'), lambdaContext('live-updates'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '100000000000000000001' }] });
  });

  it('refuses an event that is not a stream event', async () => {
    // Prepare
    const handler = makeLiveUpdatesHandler(() => agentSockets().deps);

    // Act
    const invoking = handler({ Records: 'nope' }, lambdaContext('live-updates'));

    // Assess
    await expect(invoking).rejects.toThrow('not a DynamoDB Streams event');
  });
});
