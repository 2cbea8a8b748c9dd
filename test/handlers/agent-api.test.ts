import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../functions/core/model.ts';
import type { ChannelInsights } from '../../functions/core/ports/service-levels.ts';
import { makeAgentApiHandler } from '../../functions/handlers/agent-api.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { apiGatewayV2Event, withJwtClaims } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { openConversation } from '../support/conversation-builders.ts';
import { MemoryAgentConversations, memoryInboxDeps } from '../support/in-memory-agent-ports.ts';
import { MemoryCustomers, MemoryQueue, readableIds } from '../support/in-memory-ports.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');

const noInsights: ChannelInsights = { add: async () => undefined, read: async () => [] };

let conversations: MemoryAgentConversations;
let outbound: MemoryQueue;
let handler: ReturnType<typeof makeAgentApiHandler>;

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ channel: 'sms', ...overrides });
}

beforeEach(() => {
  const customers = new MemoryCustomers();
  customers.customers.set('cust-1', {
    id: 'cust-1',
    consent: {},
    identities: [{ kind: 'phone', value: '+905321112233' }],
    createdAt: '2026-11-20T10:00:00.000Z',
  });
  conversations = new MemoryAgentConversations();
  conversations.conversations.set('conv-1', conversation());
  outbound = new MemoryQueue();
  const clock = { now: () => NOW };
  handler = makeAgentApiHandler(() => ({
    agent: {
      clock,
      ids: readableIds,
      config: sandboxSupportConfig,
      customers,
      conversations,
      outbound,
    },
    reports: { insights: noInsights, config: sandboxSupportConfig },
    inbox: memoryInboxDeps({ clock, config: sandboxSupportConfig, conversations, customers }),
  }));
});

/** An API Gateway v2 event as the JWT authorizer passes it on (claims of agent `agent-7`). */
function request(
  method: string,
  path: string,
  options: {
    body?: unknown;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    sub?: string | null;
  } = {},
): APIGatewayProxyEventV2 {
  const event = apiGatewayV2Event({
    method,
    path,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    query: options.query,
  });
  if (options.sub === null) return event;
  return withJwtClaims(event, { sub: options.sub ?? 'agent-7' });
}

async function call(event: APIGatewayProxyEventV2) {
  const response = await handler(event, lambdaContext('switchboard-agent-api'));
  return {
    status: response.statusCode,
    body: JSON.parse(String(response.body ?? '{}')) as Record<string, unknown>,
  };
}

describe('agent-api handler', () => {
  it('answers 401 when the authorizer passed no agent identity', async () => {
    // Act
    const response = await call(request('GET', '/conversations', { sub: null }));

    // Assess
    expect(response.status).toBe(401);
  });

  it('queues a reply and answers 202 with its id', async () => {
    // Act
    const response = await call(
      request('POST', '/conversations/conv-1/replies', { body: { text: 'Merhaba' } }),
    );

    // Assess
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'queued', conversationId: 'conv-1', channel: 'sms' });
    expect(outbound.sent[0]).toMatchObject({ kind: 'agent-reply', to: '+905321112233', agentId: 'agent-7' });
  });

  it('keys a reply on the Idempotency-Key header', async () => {
    // Act
    const first = await call(
      request('POST', '/conversations/conv-1/replies', {
        body: { text: 'A' },
        headers: { 'Idempotency-Key': 'k1' },
      }),
    );
    const second = await call(
      request('POST', '/conversations/conv-1/replies', {
        body: { text: 'A' },
        headers: { 'Idempotency-Key': 'k1' },
      }),
    );

    // Assess
    expect(second.body.outboundId).toBe(first.body.outboundId);
  });

  it.each([
    ['a reply without text', request('POST', '/conversations/conv-1/replies', { body: {} }), 'text'],
    [
      'a reply with an empty text',
      request('POST', '/conversations/conv-1/replies', { body: { text: '' } }),
      'text',
    ],
    [
      'an unknown status',
      request('POST', '/conversations/conv-1/status', { body: { status: 'archived' } }),
      'status',
    ],
    [
      'an assignment without assignee',
      request('POST', '/conversations/conv-1/assign', { body: {} }),
      'assignee',
    ],
    [
      'a body that is not JSON',
      { ...request('POST', '/conversations/conv-1/replies'), body: '{nope' },
      'body',
    ],
    ['an unknown channel filter', request('GET', '/conversations', { query: { channel: 'fax' } }), 'channel'],
    ['a page size over the limit', request('GET', '/conversations', { query: { limit: '500' } }), 'limit'],
    ['a forged page token', request('GET', '/conversations', { query: { nextToken: 'abc' } }), 'nextToken'],
    ['an id with a slash-like character', request('GET', '/conversations/a%20b'), 'id'],
    [
      'a report range backwards',
      request('GET', '/reports/channels', { query: { from: '2026-11-24', to: '2026-11-23' } }),
      'to',
    ],
  ])('answers 400 naming the field for %s', async (_case, event, field) => {
    // Act
    const response = await call(event);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid-input', field });
  });

  it.each([
    ['GET', '/conversations/nope'],
    ['POST', '/conversations/nope/close'],
    ['POST', '/conversations/nope/replies'],
    ['GET', '/customers/nobody/timeline'],
  ])('answers 404 for %s %s of an unknown id', async (method, path) => {
    // Act
    const response = await call(
      request(method, path, { body: method === 'POST' ? { text: 'x' } : undefined }),
    );

    // Assess
    expect(response.status).toBe(404);
  });

  it('records the agent on assignment and close', async () => {
    // Act
    const assigned = await call(
      request('POST', '/conversations/conv-1/assign', { body: { assignee: 'agent-9' } }),
    );
    const closed = await call(request('POST', '/conversations/conv-1/close'));

    // Assess
    expect(assigned.body).toMatchObject({ assignee: 'agent-9', assignedBy: 'agent-7' });
    expect(closed.body).toMatchObject({
      status: 'closed',
      closedBy: 'agent-7',
      changed: true,
      surveyOutcome: { queued: true },
    });
  });

  it('lists conversations as items with a next token when there are more', async () => {
    // Prepare
    conversations.conversations.set(
      'conv-2',
      conversation({ id: 'conv-2', lastMessageAt: '2026-11-23T09:30:00.000Z' }),
    );

    // Act
    const response = await call(request('GET', '/conversations', { query: { status: 'open', limit: '1' } }));

    // Assess
    expect(response.status).toBe(200);
    expect((response.body.items as Conversation[]).map((c) => c.id)).toEqual(['conv-2']);
    expect(typeof response.body.nextToken).toBe('string');
  });

  it('answers 404 for a path it does not serve, and 405 with Allow for a known path with another method', async () => {
    // Act
    const unknown = await handler(request('GET', '/agents'), lambdaContext('switchboard-agent-api'));
    const wrongMethod = await handler(
      request('DELETE', '/conversations/conv-1'),
      lambdaContext('switchboard-agent-api'),
    );

    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers?.allow).toBe('GET');
    expect(JSON.parse(String(wrongMethod.body)).reason).toBe('/conversations/conv-1 takes GET, not DELETE');
  });

  it('answers 413 naming the limit for a body over it', async () => {
    // Act
    const response = await call(
      request('POST', '/conversations/conv-1/replies', { body: { text: 'x'.repeat(70_000) } }),
    );

    // Assess
    expect(response.status).toBe(413);
    expect(response.body.reason).toMatch(
      /^the body is 70\d{3} bytes; the agent API takes at most 65536 bytes \(64 KB\)$/,
    );
    expect(outbound.sent).toHaveLength(0);
  });

  it.each([
    [{}, 'text is required'],
    [{ text: 42 }, 'text must be a text, not 42'],
    [{ text: '' }, 'text must not be empty'],
  ])('says what is wrong with the field in a sentence for %j', async (body, reason) => {
    // Act
    const response = await call(request('POST', '/conversations/conv-1/replies', { body }));

    // Assess
    expect(response.body).toEqual({ error: 'invalid-input', field: 'text', reason });
  });

  it('says which statuses there are for an unknown one', async () => {
    // Act
    const response = await call(
      request('POST', '/conversations/conv-1/status', { body: { status: 'archived' } }),
    );

    // Assess
    expect(response.body.reason).toBe('status must be one of "open", "pending", "closed", not "archived"');
  });
});

describe('agent-api handler with replies restricted to the assignee', () => {
  it("answers 403 with the reason to anyone but the assignee, and queues the assignee's reply", async () => {
    // Prepare
    conversations.conversations.set('conv-1', conversation({ assignee: 'agent-9' }));
    const customers = new MemoryCustomers();
    customers.customers.set('cust-1', {
      id: 'cust-1',
      consent: {},
      identities: [{ kind: 'phone', value: '+905321112233' }],
      createdAt: '2026-11-20T10:00:00.000Z',
    });
    const restricted = makeAgentApiHandler(() => ({
      agent: {
        clock: { now: () => NOW },
        ids: readableIds,
        config: sandboxSupportConfig,
        customers,
        conversations,
        outbound,
        repliesOnlyByAssignee: true,
      },
      reports: { insights: noInsights, config: sandboxSupportConfig },
      inbox: memoryInboxDeps({
        clock: { now: () => NOW },
        config: sandboxSupportConfig,
        conversations,
        customers,
      }),
    }));
    const reply = (sub: string) =>
      restricted(
        request('POST', '/conversations/conv-1/replies', { body: { text: 'Merhaba' }, sub }),
        lambdaContext('switchboard-agent-api'),
      );

    // Act
    const byOther = await reply('agent-7');
    const byAssignee = await reply('agent-9');

    // Assess
    expect(byOther.statusCode).toBe(403);
    expect(JSON.parse(String(byOther.body))).toEqual({
      error: 'forbidden',
      reason:
        'only the assigned agent (agent-9) may reply: ask them, or assign the conversation to yourself first',
    });
    expect(byAssignee.statusCode).toBe(202);
    expect(outbound.sent.map((r) => r.agentId)).toEqual(['agent-9']);
  });
});
