import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

// Monday 13:00 in Istanbul: the team is in.
const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const AUTH = { authorization: 'Bearer dev-agent-token' };

// biome-ignore lint/suspicious/noExplicitAny: the test reads JSON answers field by field
type Json = Record<string, any>;

async function agent(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = AUTH,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sandbox.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function tokenFor(scopes: string[]): Promise<Record<string, string>> {
  const answer = await fetch(`${sandbox.base}/sandbox/agent-tokens`, {
    method: 'POST',
    body: JSON.stringify({ sub: 'agent-9', scopes, lifetimeSeconds: 3600 }),
  });
  const { token } = (await answer.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

let conversationId: string;

beforeAll(async () => {
  await fetch(`${sandbox.base}/sandbox/events/eml`, {
    method: 'POST',
    body: fixture('replay/email-basics/01-question-tr.eml'),
  });
  const listed = await agent('GET', '/conversations?channel=email');
  conversationId = listed.body.items[0]?.id;
});

describe('the inbox API in the sandbox', () => {
  it('lists rows with the customer name, a preview, unread and a deadline counting in business minutes', async () => {
    // Act
    const listed = await agent('GET', '/conversations?view=all&sort=deadline');

    // Assess
    expect(listed.status).toBe(200);
    const row = listed.body.items.find((r: Json) => r.id === conversationId);
    expect(row).toMatchObject({
      customer: { id: expect.any(String), name: expect.any(String) },
      preview: { direction: expect.stringMatching(/inbound|outbound/), channel: 'email' },
      labels: [],
      unread: true,
      deadline: { kind: 'firstResponse', breached: false },
    });
    expect(row.preview.text.length).toBeLessThanOrEqual(140);
    expect(row.preview.text).not.toMatch(/\n/);
    expect(row.deadline.businessMinutesLeft).toBeGreaterThan(0);
  });

  it('marks read for the caller only, and filters by unread', async () => {
    // Act
    const read = await agent('POST', `/conversations/${conversationId}/read`, {});
    const mine = await agent('GET', '/conversations?unread=true');
    const other = await agent(
      'GET',
      '/conversations?unread=true',
      undefined,
      await tokenFor(['switchboard/agent.read']),
    );

    // Assess
    expect(read.status).toBe(200);
    expect(read.body.readAt).toMatch(/^2026-11-23T10:00/);
    expect(mine.body.items.map((r: Json) => r.id)).not.toContain(conversationId);
    expect(other.body.items.map((r: Json) => r.id)).toContain(conversationId);
  });

  it('keeps a private note on the timeline, once per Idempotency-Key, and never sends it', async () => {
    // Prepare
    const outboxBefore = sandbox.engine.outbox.length;
    const headers = { ...AUTH, 'idempotency-key': 'note-1' };

    // Act
    const first = await agent(
      'POST',
      `/conversations/${conversationId}/notes`,
      { text: 'Kargo firmasını aradım' },
      headers,
    );
    const again = await agent(
      'POST',
      `/conversations/${conversationId}/notes`,
      { text: 'Kargo firmasını aradım' },
      headers,
    );
    const detail = await agent('GET', `/conversations/${conversationId}`);

    // Assess
    expect(first.status).toBe(201);
    expect(first.body.note).toMatchObject({ direction: 'note', agentId: 'dev-agent' });
    expect(again.body.note.id).toBe(first.body.note.id);
    expect(detail.body.conversation.id).toBe(conversationId);
    expect(detail.body.messages.filter((m: Json) => m.direction === 'note')).toHaveLength(1);
    expect(sandbox.engine.outbox.length).toBe(outboxBefore);
  });

  it('labels a conversation and lists it by label; a wrong label is a 400 naming the field', async () => {
    // Act
    const labelled = await agent('POST', `/conversations/${conversationId}/labels`, {
      add: ['Kargo', 'vip'],
    });
    const byLabel = await agent('GET', '/conversations?label=kargo');
    const wrong = await agent('POST', `/conversations/${conversationId}/labels`, { add: ['iki kelime'] });

    // Assess
    expect(labelled.status).toBe(200);
    expect(labelled.body.conversation.labels).toEqual(['kargo', 'vip']);
    expect(byLabel.body.items.map((r: Json) => r.id)).toEqual([conversationId]);
    expect(wrong.status).toBe(400);
    expect(wrong.body.field).toBe('add.0');
  });

  it('snoozes a conversation out of the open queue and wakes it when the clock passes the time', async () => {
    // Act
    const snoozed = await agent('POST', `/conversations/${conversationId}/snooze`, {
      until: '2026-11-24T07:00:00Z',
    });
    const queue = await agent('GET', '/conversations');
    const snoozedTab = await agent('GET', '/conversations?snoozed=true');
    await fetch(`${sandbox.base}/sandbox/clock`, {
      method: 'POST',
      body: JSON.stringify({ now: '2026-11-24T08:00:00Z' }),
    });
    const later = await agent('GET', '/conversations');

    // Assess
    expect(snoozed.body.conversation.snoozedUntil).toBe('2026-11-24T07:00:00.000Z');
    expect(queue.body.items.map((r: Json) => r.id)).not.toContain(conversationId);
    expect(snoozedTab.body.items.map((r: Json) => r.id)).toEqual([conversationId]);
    expect(later.body.items.map((r: Json) => r.id)).toContain(conversationId);
  });

  it('serves the seeded canned responses and lets only admins change them (POST, PUT, DELETE)', async () => {
    // Prepare
    const writer = await tokenFor(['switchboard/agent.read', 'switchboard/agent.write']);
    const body = { shortcut: 'kargo', title: 'Kargo', text: 'Takip: {order.trackingUrl}', language: 'tr' };

    // Act
    const seeded = await agent('GET', '/canned-responses');
    const refused = await agent('POST', '/canned-responses', body, writer);
    const created = await agent('POST', '/canned-responses', body);
    const id = created.body.cannedResponse.id;
    const updated = await agent('PUT', `/canned-responses/${id}`, { ...body, title: 'Kargo takibi' });
    const deleted = await agent('DELETE', `/canned-responses/${id}`);
    const after = await agent('GET', '/canned-responses');

    // Assess
    expect(seeded.body.items.map((r: Json) => r.shortcut)).toEqual(
      expect.arrayContaining(['siparis', 'order', 'iade', 'thanks']),
    );
    expect(seeded.body.items.find((r: Json) => r.shortcut === 'siparis')).toMatchObject({
      language: 'tr',
      text: expect.stringContaining('{order.trackingUrl}'),
    });
    expect(refused.status).toBe(403);
    expect(created.status).toBe(201);
    expect(updated.body.cannedResponse.title).toBe('Kargo takibi');
    expect(deleted.body).toEqual({ deleted: true });
    expect(after.body.items.map((r: Json) => r.id)).not.toContain(id);
  });
});
