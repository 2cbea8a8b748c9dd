import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChannelFigures, ChannelReport } from '../../functions/core/service-levels/report.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

/**
 * Mixed traffic into the running sandbox (email, SMS, WhatsApp, a redelivery, an agent reply, a
 * clock move past the first-response deadline, a later email), then `GET /reports/channels`
 * as an agent reads it.
 */

// Monday 23 November 2026, 13:00 in Istanbul: open; the first-response target is 120 business minutes.
const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));
let report: ChannelReport;
let emailConversations: string[];

const fixture = (path: string) => readFileSync(new URL(`../fixtures/replay/${path}`, import.meta.url));
const AUTH = { authorization: 'Bearer dev-agent-token' };

async function inject(suffix: string, content: Uint8Array | string) {
  const response = await fetch(`${sandbox.base}/sandbox/events/${suffix}`, { method: 'POST', body: content });
  const body = (await response.json()) as { accepted: boolean; reason?: string };
  expect(body, `${suffix}: ${body.reason}`).toMatchObject({ accepted: true });
  return body;
}

async function agent(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const response = await fetch(`${sandbox.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Messages the sandbox actually sent, per channel and UTC hour: what the report must match. */
function sentPerHour(channel: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of sandbox.engine.outbox.filter((o) => o.channel === channel)) {
    const hour = `${entry.sentAt.slice(0, 13)}:00:00.000Z`;
    counts[hour] = (counts[hour] ?? 0) + 1;
  }
  return counts;
}

function figuresOf(channel: string): ChannelFigures {
  const found = report.channels.find((c) => c.channel === channel);
  expect(found, channel).toBeDefined();
  return found as ChannelFigures;
}

beforeAll(async () => {
  // Prepare: 10:00 UTC — two emails, two SMS of one conversation, one WhatsApp message delivered twice.
  await inject('eml', fixture('email-basics/01-question-tr.eml'));
  await inject('eml', fixture('email-basics/04-question-en.eml'));
  await inject('sms.json', fixture('sms-basics/01-question-tr.sms.json'));
  await inject('sms.json', fixture('sms-basics/03-follow-up-tr.sms.json'));
  await inject('meta.json', fixture('social/02-whatsapp-same-phone-tr.meta.json'));
  await inject('meta.json', fixture('social/03-whatsapp-same-phone-tr-redelivered.meta.json'));
  const listed = await agent('GET', '/conversations?channel=email');
  emailConversations = (listed.body.items as { id: string; customerId: string }[]).map((c) => c.id);
  const ayse = sandbox.engine.outbox.find(
    (o) => o.to === 'ayse.yilmaz@example.com' && o.kind === 'auto-reply',
  );
  // An agent answers Ayşe within minutes; nobody answers the others.
  const reply = await agent('POST', `/conversations/${ayse?.conversationId}/replies`, {
    text: 'Kargonuz yarın teslim edilecek.',
  });
  expect(reply.status).toBe(202);

  // Act: 12:30 UTC (15:30 in Istanbul) passes the 15:00 deadline; one more email in that hour.
  await inject('clock.json', JSON.stringify({ now: '2026-11-23T12:30:00Z' }));
  await inject('eml', fixture('email-basics/11-attachment.eml'));
  const answer = await agent('GET', '/reports/channels?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z');
  expect(answer.status).toBe(200);
  report = answer.body as unknown as ChannelReport;
}, 120_000);

describe('GET /reports/channels on the sandbox', () => {
  it('refuses a caller without the agent token', async () => {
    // Act
    const answer = await agent('GET', '/reports/channels', undefined, {});

    // Assess
    expect(answer.status).toBe(401);
  });

  it('counts inbound messages per channel and hour; a redelivery is not counted', () => {
    // Assess
    expect(emailConversations).toHaveLength(2);
    expect(figuresOf('email').hourly.map((h) => [h.hour, h.inbound])).toEqual([
      ['2026-11-23T10:00:00.000Z', 2],
      ['2026-11-23T12:00:00.000Z', 1],
    ]);
    expect(figuresOf('sms').hourly.map((h) => [h.hour, h.inbound])).toEqual([
      ['2026-11-23T10:00:00.000Z', 2],
    ]);
    expect(figuresOf('whatsapp').hourly.map((h) => [h.hour, h.inbound])).toEqual([
      ['2026-11-23T10:00:00.000Z', 1],
    ]);
    expect(figuresOf('email').volume.conversations).toBe(3);
    expect(figuresOf('sms').volume.conversations).toBe(1);
    expect(report.totals.volume.inbound).toBe(6);
  });

  it('counts what went out per channel and hour exactly as the outbox shows it', () => {
    // Assess
    for (const channel of ['email', 'sms', 'whatsapp']) {
      const reported = Object.fromEntries(
        figuresOf(channel)
          .hourly.filter((h) => h.outbound > 0)
          .map((h) => [h.hour, h.outbound]),
      );
      expect(reported, channel).toEqual(sentPerHour(channel));
    }
    expect(figuresOf('email').volume.outboundByKind['agent-reply']).toBe(1);
  });

  it('places the traffic in the shop hours (Istanbul) and names the peak hour', () => {
    // Assess: 10:00 UTC is 13:00 in Istanbul.
    expect(report.timeZone).toBe('Europe/Istanbul');
    expect(report.totals.peakHours[0]?.hour).toBe(13);
    expect(figuresOf('email').hourOfDay[13]).toBe(
      2 + (sentPerHour('email')['2026-11-23T10:00:00.000Z'] ?? 0),
    );
  });

  it('measures the agent answer as a first response and counts the unanswered ones as breaches', () => {
    // Assess
    const email = figuresOf('email');
    expect(email.firstResponse.count).toBe(1);
    expect(email.firstResponse.medianBusinessMinutes).toBeGreaterThan(0);
    expect(email.firstResponse.medianBusinessMinutes).toBeLessThanOrEqual(1);
    expect(email.firstResponse.targetBusinessMinutes).toBe(120);
    // John's email went unanswered past 15:00; Ayşe's was answered in time.
    expect(email.firstResponse.breaches).toBe(1);
    expect(figuresOf('sms').firstResponse.breaches).toBe(1);
    expect(figuresOf('whatsapp').firstResponse.breaches).toBe(1);
    expect(report.totals.breaches).toBe(3);
  });

  it('refuses a range longer than 93 days with the field', async () => {
    // Act
    const answer = await agent('GET', '/reports/channels?from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ field: 'to' });
  });
});
