import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SANDBOX_AGENT_TOKEN } from '../../bin/sandbox/agents.ts';
import { DynamoChatConnections } from '../../functions/adapters/dynamodb/chat-connections.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T07:00:00Z'));

interface Frame {
  type: string;
  [field: string]: unknown;
}

/** A visitor's socket on `/chat/ws`, with every frame it got. */
async function visitorSocket(query: Record<string, string>): Promise<{ socket: WebSocket; frames: Frame[] }> {
  const url = `${sandbox.base.replace('http', 'ws')}/chat/ws?${new URLSearchParams(query)}`;
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames };
}

async function agent(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const answer = await fetch(`${sandbox.base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(answer.status).toBeLessThan(300);
  return (await answer.json()) as Record<string, unknown>;
}

const messagesOf = (frames: Frame[]) =>
  frames
    .filter((f) => f.type === 'message')
    .map((f) => f.message as { text: string; kind?: string; id: string });

describe('the chat WebSocket endpoint of the sandbox', () => {
  it('keeps a message sent twice (a double click) once and acknowledges it once', async () => {
    // Prepare
    const { socket, frames } = await visitorSocket({ visitorId: 'v-double-click' });
    const frame = JSON.stringify({
      action: 'send',
      clientMessageId: 'c-1',
      text: 'Hello, can I change my address?',
      language: 'en',
    });

    // Act
    socket.send(frame);
    socket.send(frame);
    await expect.poll(() => frames.filter((f) => f.type === 'received').length).toBe(2);
    await expect.poll(() => messagesOf(frames).length).toBe(1);

    // Assess
    const received = frames.filter((f) => f.type === 'received');
    expect(received[0]?.messageId).toBe(received[1]?.messageId);
    expect(received.map((f) => f.duplicate)).toEqual([false, true]);
    expect(messagesOf(frames)[0]?.kind).toBe('auto-reply');
    socket.close();
  });

  it('sends the survey in the chat when an agent closes the conversation', async () => {
    // Prepare
    const { socket, frames } = await visitorSocket({ visitorId: 'v-surveyed' });
    socket.send(
      JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'Merhaba, faturamı alabilir miyim?' }),
    );
    await expect.poll(() => messagesOf(frames).length).toBe(1);
    const listed = (await agent('/conversations?channel=chat')) as unknown as {
      items: Array<{ id: string; customerId: string }>;
    };
    const customer = sandbox.engine.outbox.find((o) => o.to === 'v-surveyed')?.customerId;
    const conversation = listed.items.find((c) => c.customerId === customer);

    // Act
    await agent(`/conversations/${conversation?.id}/close`, {});

    // Assess
    await expect.poll(() => messagesOf(frames).map((m) => m.kind)).toEqual(['auto-reply', 'survey']);
    socket.close();
  });

  it('forgets a connection that answers 410 Gone and still delivers to the live one', async () => {
    // Prepare
    const { socket, frames } = await visitorSocket({ visitorId: 'v-two-tabs' });
    socket.send(
      JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'Is the blue mug in stock?' }),
    );
    await expect.poll(() => messagesOf(frames).length).toBe(1);
    const connections = new DynamoChatConnections(
      documentClient(sandbox.engine.standIns.clients.dynamo),
      sandbox.engine.standIns.tableName,
    );
    const now = sandbox.engine.clock.now();
    await connections.open({
      connectionId: 'closed-tab',
      visitorId: 'v-two-tabs',
      connectedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });
    const conversationId = sandbox.engine.outbox.find((o) => o.to === 'v-two-tabs')?.conversationId;

    // Act
    await agent(`/conversations/${conversationId}/replies`, { text: 'Yes, 12 left.' });

    // Assess
    await expect.poll(() => messagesOf(frames).map((m) => m.text)).toContain('Yes, 12 left.');
    const left = await connections.ofVisitor('v-two-tabs', sandbox.engine.clock.now());
    expect(left.map((c) => c.connectionId)).not.toContain('closed-tab');
    expect(left).toHaveLength(1);
    socket.close();
  });

  it('refuses a connection without a visitor id, and answers a bad frame with an error frame', async () => {
    // Act
    const refused = new Promise<number>((resolve) => {
      const socket = new WebSocket(`${sandbox.base.replace('http', 'ws')}/chat/ws`);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('error', () => undefined);
    });
    const { socket, frames } = await visitorSocket({ visitorId: 'v-bad-frames' });
    socket.send(JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: '   ' }));

    // Assess
    expect(await refused).toBe(401);
    await expect.poll(() => frames.find((f) => f.type === 'error')?.reason).toMatch(/text must not be empty/);
    socket.close();
  });

  it('mails a signed-in visitor an answer they did not see in the chat in time, and not one they saw', async () => {
    // Prepare: two signed-in visitors ask, and leave
    const away = await askAndLeave('v-went-away', 'deniz@example.com');
    const back = await askAndLeave('v-came-back', 'mert@example.com');
    await agent(`/conversations/${away}/replies`, { text: 'Your refund was issued today.' });
    await agent(`/conversations/${back}/replies`, { text: 'The blue one is back in stock.' });
    // One of them comes back: the resync shows the answer.
    const returned = await visitorSocket({
      visitorId: 'v-came-back',
      token: sandbox.engine.chat.signIdentity({ email: 'mert@example.com' }),
    });
    returned.socket.send(JSON.stringify({ action: 'resync' }));
    await expect
      .poll(() => JSON.stringify(returned.frames.find((f) => f.type === 'history')))
      .toContain('back in stock');
    returned.socket.close();

    // Act: eleven minutes later
    const later = new Date(sandbox.engine.clock.now().getTime() + 11 * 60_000).toISOString();
    const answer = await fetch(`${sandbox.base}/sandbox/events/clock.json`, {
      method: 'POST',
      body: JSON.stringify({ now: later }),
    });
    const { outbox } = (await answer.json()) as {
      outbox: Array<{ channel: string; to: string; text: string; subject?: string }>;
    };

    // Assess
    const mailed = outbox.filter((o) => o.channel === 'email');
    expect(mailed.map((o) => o.to)).toEqual(['deniz@example.com']);
    expect(mailed[0]?.text).toContain('Your refund was issued today.');
    expect(mailed[0]?.subject).toBe('Our answer to your chat');
  });
  it('links an anonymous visitor to the email they leave only once they confirm it from the mail', async () => {
    // Prepare: Ayla wrote from her laptop, signed in; now she is anonymous on her phone
    const laptop = await fetch(`${sandbox.base}/sandbox/events/chat.json`, {
      method: 'POST',
      body: JSON.stringify({
        visitorId: 'v-ayla-laptop',
        clientMessageId: 'c-1',
        text: 'Hello, is the green vase back?',
        identity: { email: 'ayla@example.com' },
      }),
    });
    expect(laptop.status).toBe(200);
    const phone = await visitorSocket({ visitorId: 'v-ayla-phone' });
    phone.socket.send(
      JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'Hi, any news?', language: 'en' }),
    );
    await expect.poll(() => messagesOf(phone.frames).length).toBe(1);

    // Act: she leaves her address; the mail goes out; then she opens its link
    const sentBefore = sandbox.engine.outbox.length;
    phone.socket.send(JSON.stringify({ action: 'link-email', email: 'Ayla@example.com' }));
    await expect.poll(() => phone.frames.some((f) => f.type === 'email-link-sent')).toBe(true);
    const mailed = () => sandbox.engine.outbox.slice(sentBefore).find((o) => o.channel === 'email');
    await expect.poll(mailed).toBeDefined();
    const mail = mailed();
    phone.socket.send(JSON.stringify({ action: 'resync' }));
    await expect.poll(() => phone.frames.filter((f) => f.type === 'history').length).toBe(1);
    const beforeConfirming = JSON.stringify(phone.frames.find((f) => f.type === 'history'));
    const link = new URL(mail?.text.match(/http:\/\/\S+/)?.[0] ?? 'http://invalid/');
    const forged = await fetch(
      `${sandbox.base}/chat/confirm?token=${link.searchParams.get('token')?.slice(0, -1)}0`,
    );
    const confirmed = await fetch(`${sandbox.base}${link.pathname}${link.search}`);
    phone.socket.send(JSON.stringify({ action: 'resync' }));
    await expect.poll(() => phone.frames.filter((f) => f.type === 'history').length).toBe(2);
    const afterConfirming = JSON.stringify(phone.frames.filter((f) => f.type === 'history')[1]);

    // Assess
    expect(mail?.to).toBe('ayla@example.com');
    expect(beforeConfirming).not.toContain('green vase');
    expect(forged.status).toBe(400);
    expect(confirmed.status).toBe(200);
    expect(afterConfirming).toContain('green vase');
    expect(afterConfirming).toContain('any news');
    phone.socket.close();
  });
  it("shows the visitor an agent's typing signal, and refuses one on a conversation that is not a chat", async () => {
    // Prepare
    const { socket, frames } = await visitorSocket({ visitorId: 'v-waiting' });
    socket.send(JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'Hello, is anyone there?' }));
    await expect.poll(() => messagesOf(frames).length).toBe(1);
    const conversationId = sandbox.engine.outbox.find((o) => o.to === 'v-waiting')?.conversationId;

    // Act
    const typed = await agent(`/conversations/${conversationId}/typing`, { state: 'start' });
    const unknown = await fetch(`${sandbox.base}/conversations/nope/typing`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });

    // Assess
    expect(typed).toEqual({ delivered: 1 });
    await expect
      .poll(() => frames.find((f) => f.type === 'typing'))
      .toEqual({ type: 'typing', from: 'agent', state: 'start' });
    expect(unknown.status).toBe(404);
    socket.close();
  });
});

/** A signed-in visitor's question, answered by the acknowledgement; then the tab closes. Returns the conversation. */
async function askAndLeave(visitorId: string, email: string): Promise<string | undefined> {
  const { socket, frames } = await visitorSocket({
    visitorId,
    token: sandbox.engine.chat.signIdentity({ email }),
  });
  socket.send(
    JSON.stringify({
      action: 'send',
      clientMessageId: 'c-1',
      text: 'Hello, a question about my order.',
      language: 'en',
    }),
  );
  await expect.poll(() => messagesOf(frames).length).toBe(1);
  socket.close();
  await expect.poll(() => sandbox.engine.chat.openSockets(visitorId)).toBe(0);
  return sandbox.engine.outbox.find((o) => o.to === visitorId)?.conversationId;
}
