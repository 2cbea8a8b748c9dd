import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
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

let handler: ReturnType<typeof makeAgentApiHandler>;
let outbound: MemoryQueue;

beforeEach(() => {
  const customers = new MemoryCustomers();
  const conversations = new MemoryAgentConversations();
  conversations.conversations.set('conv-1', openConversation());
  outbound = new MemoryQueue();
  const clock = { now: () => NOW };
  handler = makeAgentApiHandler(() => ({
    agent: { clock, ids: readableIds, config: sandboxSupportConfig, customers, conversations, outbound },
    reports: { insights: noInsights, config: sandboxSupportConfig },
    inbox: memoryInboxDeps({ clock, config: sandboxSupportConfig, conversations, customers }),
  }));
});

function request(
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const event = apiGatewayV2Event({
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    query,
  });
  return withJwtClaims(event, { sub: 'agent-7' });
}

async function call(event: APIGatewayProxyEventV2) {
  const response = await handler(event, lambdaContext('switchboard-agent-api'));
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    body: JSON.parse(String(response.body ?? '{}')) as Record<string, unknown>,
  };
}

describe('agent-api handler: the inbox routes', () => {
  it('answers 400 naming the field for a wrong list parameter, note, snooze or canned response', async () => {
    // Act
    const answers = await Promise.all([
      call(request('GET', '/conversations', undefined, { view: 'everything' })),
      call(request('GET', '/conversations', undefined, { sort: 'age' })),
      call(request('POST', '/conversations/conv-1/notes', { text: '' })),
      call(request('POST', '/conversations/conv-1/snooze', { until: 'tomorrow' })),
      call(request('POST', '/canned-responses', { shortcut: 'a b', title: 'x', text: 'y' })),
    ]);

    // Assess
    expect(answers.map((a) => [a.status, a.body.field])).toEqual([
      [400, 'view'],
      [400, 'sort'],
      [400, 'text'],
      [400, 'until'],
      [400, 'shortcut'],
    ]);
  });

  it('answers 404 for an unknown conversation or canned response, and 405 with Allow on the canned path', async () => {
    // Act
    const note = await call(request('POST', '/conversations/nope/notes', { text: 'x' }));
    const put = await call(
      request('PUT', '/canned-responses/nope', { shortcut: 'a', title: 'b', text: 'c' }),
    );
    const wrong = await call(request('POST', '/canned-responses/nope', {}));

    // Assess
    expect(note.status).toBe(404);
    expect(put.status).toBe(404);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('PUT, DELETE');
  });

  it('stores a note with 201 and queues nothing', async () => {
    // Act
    const answer = await call(request('POST', '/conversations/conv-1/notes', { text: 'Not' }));

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.body.note).toMatchObject({ direction: 'note', agentId: 'agent-7', text: 'Not' });
    expect(outbound.sent).toEqual([]);
  });
});
