import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SANDBOX_AGENT_TOKEN } from '../../bin/sandbox/agents.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));

interface Frame {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A socket on `/chat/ws` and every frame it got, once open; rejects with the HTTP status if refused. */
async function socketOn(query: Record<string, string>): Promise<{ socket: WebSocket; frames: Frame[] }> {
  const socket = new WebSocket(`${sandbox.base.replace('http', 'ws')}/chat/ws?${new URLSearchParams(query)}`);
  const frames: Frame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused with ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
  return { socket, frames };
}

async function agentPost(path: string, body: unknown) {
  const response = await fetch(`${sandbox.base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

async function issueToken(body: unknown): Promise<string> {
  const response = await fetch(`${sandbox.base}/sandbox/agent-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

const changes = (frames: Frame[], conversationId: string) =>
  frames.filter((f) => f.type === 'conversation.changed' && f.conversationId === conversationId);

describe("agents' live updates on the sandbox's WebSocket endpoint", () => {
  it('tells a connected agent about a new mail and about an assignment, without polling the API', async () => {
    // Prepare
    const { socket, frames } = await socketOn({ agentToken: DEFAULT_SANDBOX_AGENT_TOKEN });

    // Act
    const injected = await fetch(`${sandbox.base}/sandbox/events/eml`, {
      method: 'POST',
      body: fixture('replay/email-basics/04-question-en.eml'),
    });
    const { outbox } = (await injected.json()) as { outbox: Array<{ conversationId: string }> };
    const conversationId = outbox[0]?.conversationId ?? '';
    await expect.poll(() => changes(frames, conversationId).map((f) => f.change)).toContain('created');
    await agentPost(`/conversations/${conversationId}/assign`, { assignee: 'dev-agent' });

    // Assess
    await expect.poll(() => changes(frames, conversationId).map((f) => f.change)).toContain('assignment');
    const created = changes(frames, conversationId).find((f) => f.change === 'created');
    expect(created?.at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    socket.close();
  });

  it("relays a chat visitor's typing to agents, once per burst", async () => {
    // Prepare: the visitor has a conversation to type into
    const agent = await socketOn({ agentToken: DEFAULT_SANDBOX_AGENT_TOKEN });
    const visitor = await socketOn({ visitorId: 'v-typing-relay' });
    visitor.socket.send(JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'Hello there' }));
    // The agent hears of the new conversation: that is the one the visitor types into.
    const created = () =>
      agent.frames.find((f) => f.type === 'conversation.changed' && f.change === 'created');
    await expect.poll(() => created()).toBeDefined();
    const conversationId = created()?.conversationId;

    // Act
    visitor.socket.send(JSON.stringify({ action: 'typing', state: 'start' }));
    visitor.socket.send(JSON.stringify({ action: 'typing', state: 'start' }));
    visitor.socket.send(JSON.stringify({ action: 'typing', state: 'stop' }));

    // Assess
    await expect
      .poll(() => agent.frames.filter((f) => f.type === 'typing').map((f) => f.state))
      .toEqual(['start', 'stop']);
    const typing = agent.frames.filter((f) => f.type === 'typing');
    expect(typing.map((f) => f.conversationId)).toEqual([conversationId, conversationId]);
    agent.socket.close();
    visitor.socket.close();
  });

  it('answers agent.ping with pong, and refuses visitor routes on an agent socket', async () => {
    // Prepare
    const { socket, frames } = await socketOn({ agentToken: DEFAULT_SANDBOX_AGENT_TOKEN });

    // Act
    socket.send(JSON.stringify({ action: 'agent.ping' }));
    socket.send(JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'not a visitor' }));

    // Assess
    await expect.poll(() => frames.map((f) => f.type)).toEqual(['pong', 'error']);
    expect(String(frames[1]?.reason)).toContain('agent.ping');
    socket.close();
  });

  it('refuses agent.ping on a visitor socket', async () => {
    // Prepare
    const { socket, frames } = await socketOn({ visitorId: 'v-not-an-agent' });

    // Act
    socket.send(JSON.stringify({ action: 'agent.ping' }));

    // Assess
    await expect.poll(() => frames.find((f) => f.type === 'error')?.reason).toContain('agents');
    expect(frames.some((f) => f.type === 'pong')).toBe(false);
    socket.close();
  });

  it.each([
    ['a token the sandbox never issued', async () => 'not-a-token'],
    [
      'an expired token',
      async () => issueToken({ sub: 'agent-7', scopes: ['switchboard/agent.read'], lifetimeSeconds: -60 }),
    ],
    [
      'a token without the read scope',
      async () => issueToken({ sub: 'agent-8', scopes: ['switchboard/agent.write'], lifetimeSeconds: 600 }),
    ],
  ])('refuses %s at connect', async (_name, token) => {
    // Prepare
    const agentToken = await token();

    // Act
    const connecting = socketOn({ agentToken });

    // Assess
    await expect(connecting).rejects.toThrow('refused with 401');
  });

  it('takes an issued token for another agent', async () => {
    // Prepare
    const agentToken = await issueToken({
      sub: 'agent-9',
      scopes: ['switchboard/agent.read'],
      lifetimeSeconds: 600,
    });

    // Act
    const { socket, frames } = await socketOn({ agentToken });
    socket.send(JSON.stringify({ action: 'agent.ping' }));

    // Assess
    await expect.poll(() => frames.map((f) => f.type)).toContain('pong');
    socket.close();
  });
});
