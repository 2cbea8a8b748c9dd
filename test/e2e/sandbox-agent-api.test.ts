import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../bin/sandbox/engine.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const AUTH = { authorization: 'Bearer dev-agent-token' };

/** The answers of the agent routes, loosely: each test reads the fields its route returns. */
interface AgentAnswer {
  readonly [field: string]: unknown;
  readonly items: Array<{ id: string; channel: string; customerId: string; at: string }>;
  readonly messages: Array<Record<string, unknown>>;
  readonly customer: { id: string };
  readonly outboundId?: string;
  readonly field?: string;
}

async function agent(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const response = await fetch(`${sandbox.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as AgentAnswer };
}

async function inject(suffix: string, content: Uint8Array) {
  const response = await fetch(`${sandbox.base}/sandbox/events/${suffix}`, { method: 'POST', body: content });
  return (await response.json()) as { accepted: boolean; outbox: OutboxEntry[] };
}

const sent = (conversationId: string, kind: string) =>
  sandbox.engine.outbox.filter((o) => o.conversationId === conversationId && o.kind === kind);

describe.each([
  {
    channel: 'email',
    suffix: 'eml',
    question: 'replay/email-basics/01-question-tr.eml',
    answer: 'agent/survey-answer-5-tr.eml',
    to: 'ayse.yilmaz@example.com',
  },
  {
    channel: 'sms',
    suffix: 'sms.json',
    question: 'replay/sms-basics/01-question-tr.sms.json',
    answer: 'agent/survey-answer-5.sms.json',
    to: '+905321112233',
  },
])(
  'an agent answers a $channel conversation through the API',
  ({ channel, suffix, question, answer, to }) => {
    let conversationId: string;

    beforeAll(async () => {
      await inject(suffix, fixture(question));
      // Found as an agent finds it: the newest open conversation on the channel.
      const listed = await agent('GET', `/conversations?channel=${channel}`);
      conversationId = listed.body.items[0]?.id ?? '';
    });

    it('refuses a request without the agent token with 401', async () => {
      // Act
      const response = await agent('GET', '/conversations', undefined, {});
      const wrong = await agent('GET', '/conversations', undefined, { authorization: 'Bearer nope' });

      // Assess
      expect(response.status).toBe(401);
      expect(wrong.status).toBe(401);
    });

    it('lists the open conversation on its channel and reads it with its messages', async () => {
      // Act
      const listed = await agent('GET', `/conversations?status=open&channel=${channel}`);
      const read = await agent('GET', `/conversations/${conversationId}`);

      // Assess
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(conversationId);
      expect(listed.body.items.every((c: { channel: string }) => c.channel === channel)).toBe(true);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: conversationId, channel, status: 'open' });
      expect(read.body.messages).toContainEqual(expect.objectContaining({ direction: 'inbound', channel }));
    });

    it('sends a reply on the customer channel once, however often the POST is retried', async () => {
      // Act
      const first = await agent('POST', `/conversations/${conversationId}/replies`, {
        text: 'Kargonuz yarın teslim edilecek.',
      });
      const retried = await agent('POST', `/conversations/${conversationId}/replies`, {
        text: 'Kargonuz yarın teslim edilecek.',
      });

      // Assess
      expect(first.status).toBe(202);
      expect(retried.body.outboundId).toBe(first.body.outboundId);
      const replies = sent(conversationId, 'agent-reply');
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ channel, to, text: 'Kargonuz yarın teslim edilecek.' });
      if (channel === 'email') {
        expect(replies[0]?.headers['In-Reply-To']).toBe('<CAF7a1q1-tr-question@mail.example.com>');
        expect(replies[0]?.subject).toBe('Re: Siparişim nerede?');
      }
      const read = await agent('GET', `/conversations/${conversationId}`);
      expect(read.body.messages).toContainEqual(
        expect.objectContaining({ kind: 'agent-reply', agentId: 'dev-agent', deliveryStatus: 'sent' }),
      );
    });

    it('closes the conversation and surveys it once, even when closed twice', async () => {
      // Act
      const closed = await agent('POST', `/conversations/${conversationId}/close`);
      const again = await agent('POST', `/conversations/${conversationId}/close`);

      // Assess
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'dev-agent', changed: true });
      expect(again.body).toMatchObject({ status: 'closed', changed: false });
      const surveys = sent(conversationId, 'survey');
      expect(surveys).toHaveLength(1);
      expect(surveys[0]).toMatchObject({ channel, to, language: 'tr' });
      expect(surveys[0]?.text).toMatch(/1 .* 5/);
    });

    it('records a "5" answer on the closed conversation without reopening or acknowledging it', async () => {
      // Prepare
      const acknowledgementsBefore = sandbox.engine.outbox.filter((o) => o.kind === 'auto-reply').length;

      // Act
      const answered = await inject(suffix, fixture(answer));
      const read = await agent('GET', `/conversations/${conversationId}`);

      // Assess
      expect(answered.accepted).toBe(true);
      expect(read.body).toMatchObject({ status: 'closed', csat: { score: 5 } });
      expect(read.body.messages).toContainEqual(expect.objectContaining({ direction: 'inbound', text: '5' }));
      expect(sandbox.engine.outbox.filter((o) => o.kind === 'auto-reply')).toHaveLength(
        acknowledgementsBefore,
      );
    });
  },
);

describe('the agent API in the sandbox', () => {
  it('answers 404 for an unknown conversation and 400 naming the field for a bad body', async () => {
    // Act
    const unknown = await agent('GET', '/conversations/doesnotexist');
    const listed = await agent('GET', '/conversations?status=closed');
    const id = listed.body.items[0]?.id;
    const bad = await agent('POST', `/conversations/${id}/status`, { status: 'archived' });

    // Assess
    expect(unknown.status).toBe(404);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('status');
  });

  it('shows a customer timeline across conversations', async () => {
    // Prepare
    const listed = await agent('GET', '/conversations?status=closed&channel=email');
    const customerId = listed.body.items[0]?.customerId;

    // Act
    const timeline = await agent('GET', `/customers/${customerId}/timeline`);

    // Assess
    expect(timeline.status).toBe(200);
    expect(timeline.body.customer.id).toBe(customerId);
    const ats = timeline.body.items.map((m: { at: string }) => m.at);
    expect(ats).toEqual([...ats].sort());
  });

  it('serves the channel report', async () => {
    // Act
    const report = await agent('GET', '/reports/channels?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z');

    // Assess
    expect(report.status).toBe(200);
  });
});
