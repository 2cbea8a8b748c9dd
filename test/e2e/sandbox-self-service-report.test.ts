import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../bin/sandbox/engine.ts';
import type { SelfServiceReport } from '../../functions/core/knowledge-base/self-service-report.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

// Monday 23 November 2026, 10:10 in Istanbul.
const sandbox = sandboxServerForTests(new Date('2026-11-23T07:10:00Z'));
const AUTH = { authorization: 'Bearer dev-agent-token', 'content-type': 'application/json' };
const RANGE = 'from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z';
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/replay/self-service/${name}`, import.meta.url));

async function inject(suffix: string, name: string): Promise<OutboxEntry[]> {
  const response = await fetch(`${sandbox.base}/sandbox/events/${suffix}`, {
    method: 'POST',
    body: fixture(name),
  });
  return ((await response.json()) as { outbox: OutboxEntry[] }).outbox;
}

async function report(): Promise<SelfServiceReport> {
  const response = await fetch(`${sandbox.base}/reports/self-service?${RANGE}`, { headers: AUTH });
  expect(response.status).toBe(200);
  return (await response.json()) as SelfServiceReport;
}

let damagedConversation: string;
let linked: { slug: string; url: string }[] = [];

beforeAll(async () => {
  const [damaged] = await inject('eml', '02-damaged-en.eml');
  damagedConversation = damaged?.conversationId ?? '';
  const [returns] = await inject('eml', '01-returns-question-tr.eml');
  linked = [...(damaged?.articles ?? []), ...(returns?.articles ?? [])];
  await inject('eml', '03-off-topic-en.eml');
  await inject('meta.json', '08-off-topic-tr.meta.json');
  await fetch(`${sandbox.base}/help/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      slug: 'damaged-item',
      language: 'en',
      helpful: false,
      comment: 'No address to send it to',
    }),
  });
}, 60_000);

describe('GET /reports/self-service (agent API)', () => {
  it('counts answered articles as deflected until a person replies, with their helpfulness', async () => {
    // Act
    const before = await report();
    await fetch(`${sandbox.base}/conversations/${damagedConversation}/replies`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ text: 'Sorry about the vase, a replacement is on its way.' }),
    });
    const after = await report();

    // Assess
    const damagedBefore = before.articles.find((a) => a.slug === 'damaged-item' && a.language === 'en');
    expect(damagedBefore).toMatchObject({ answered: 1, deflected: 1, notHelpful: 1, helpfulness: 0 });
    expect(before.articles.find((a) => a.slug === 'returns-refunds')).toMatchObject({
      answered: 1,
      deflected: 1,
    });
    expect(after.articles.find((a) => a.slug === 'damaged-item')).toMatchObject({
      answered: 1,
      humanFollowUps: 1,
      deflected: 0,
      deflectionRate: 0,
    });
    expect(after.totals).toMatchObject({ answered: 2, deflected: 1 });
  });

  it('groups the questions no article answered by their normalized text', async () => {
    // Act
    const body = await report();

    // Assess
    expect(body.unanswered).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          language: 'en',
          count: 1,
          question: expect.stringContaining('influencer'),
        }),
        expect.objectContaining({ language: 'tr', count: 1, question: expect.stringContaining('istanbul') }),
      ]),
    );
    expect(body.totals.unanswered).toBe(2);
  });

  it('links articles at this server’s own address, and every link opens its page', async () => {
    // Act
    const pages = await Promise.all(
      linked.map(async (l) => ({ url: l.url, status: (await fetch(l.url)).status })),
    );

    // Assess
    expect(linked.map((l) => l.slug)).toEqual(['damaged-item', 'returns-refunds']);
    expect(pages).toEqual(
      linked.map((l) => ({ url: `${sandbox.base}/help/${l.url.split('/help/')[1]}`, status: 200 })),
    );
  });

  it('refuses a request without the agent token', async () => {
    // Act
    const response = await fetch(`${sandbox.base}/reports/self-service`);

    // Assess
    expect(response.status).toBe(401);
  });
});
