import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { runSandbox } from '../support/sandbox-process.ts';

// 22:00 in Istanbul: the customer wrote on WhatsApp at 21:59, the order ships at 21:59:30 and its
// notice is held by quiet hours until 08:00, then goes out at 08:00 (the clock file moves past it).
const FOLDER = 'test/fixtures/replay/whatsapp-window';
const NOW = '2026-11-23T19:00:00Z';
const PHONE = '+905321234567';

let report: Report;

beforeAll(async () => {
  const run = await runSandbox(['replay', FOLDER, '--now', NOW]);
  if (run.code !== 0) throw new Error(`replay exited ${run.code}: ${run.stderr}`);
  report = JSON.parse(run.stdout) as Report;
}, 120_000);

describe('an order notice to a customer who just wrote on WhatsApp, held by quiet hours', () => {
  it('goes out on WhatsApp in the morning: the window is the sender’s, not the order conversation’s', () => {
    // Act
    const notices = report.outbox.filter((o) => o.kind === 'order-status');

    // Assess
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ channel: 'whatsapp' });
    expect(notices[0]?.sentAt).toBe('2026-11-24T05:00:00.000Z');
  });

  it('sends nothing by SMS, to which the customer never consented', () => {
    // Act
    const sms = report.outbox.filter((o) => o.channel === 'sms' && o.to === PHONE && o.kind !== 'auto-reply');

    // Assess
    expect(sms).toEqual([]);
  });

  it('records the notice on the timeline with the channel it went out on', () => {
    // Act
    const recorded = report.conversations
      .flatMap((c) => c.messages)
      .filter((m) => m.direction === 'outbound' && (m as { kind?: string }).kind === 'order-status');

    // Assess
    expect(recorded.map((m) => m.channel)).toEqual(['whatsapp']);
  });
});
