import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { ReportView, replayFolder } from '../support/replay-report.ts';

/**
 * Forged senders through the sandbox: mail whose SPF (or DKIM) passed for the attacker's own
 * domain while From names someone else, and DMARC had no verdict (GRAY).
 */
const FOLDER = 'test/fixtures/replay/email-forged';
const NOW = '2026-11-23T10:00:00Z';

let report: Report;
let view: ReportView;

beforeAll(async () => {
  ({ report } = await replayFolder(FOLDER, NOW));
  view = new ReportView(report);
}, 120_000);

describe('replay of forged-sender mail', () => {
  it('sends no acknowledgement to the bystander a forged From names, and flags the mail', () => {
    // Act
    const bystander = view.customerWith('email', 'victim.bystander@example.net');
    const [conversation] = view.conversationsOf(bystander?.id);

    // Assess
    expect(view.sentTo('victim.bystander@example.net')).toEqual([]);
    expect(conversation?.flags).toContain('unauthenticated');
    expect(conversation?.messages[0]?.flags).toContain('unauthenticated');
  });

  it("keeps a forged reply out of the real customer's conversation, flagged, unanswered", () => {
    // Act
    const customer = view.customerWith('email', 'ayse.yilmaz@example.com');
    const conversations = view.conversationsOf(customer?.id);
    const genuine = conversations.find((c) => c.messages.some((m) => m.text.includes('100234')));
    const forged = conversations.find((c) => c.messages.some((m) => m.text.includes('attacker.example')));

    // Assess
    expect(conversations).toHaveLength(2);
    expect(genuine?.messages.filter((m) => m.direction === 'inbound')).toHaveLength(1);
    expect(genuine?.flags ?? []).not.toContain('unauthenticated');
    expect(forged?.id).not.toBe(genuine?.id);
    expect(forged?.flags).toContain('unauthenticated');
    // Her own question was answered once; nothing went out for the forgery.
    expect(view.sentTo('ayse.yilmaz@example.com', { kind: 'auto-reply' })).toHaveLength(1);
  });

  it('acknowledges the genuine mail with a neutral subject, not the one she wrote', () => {
    // Act
    const [ack] = view.sentTo('ayse.yilmaz@example.com', { kind: 'auto-reply' });

    // Assess
    expect(ack?.subject).toMatch(/^Mesajınızı aldık \[#[0-9A-Z-]+\]$/);
    expect(JSON.stringify(report.outbox)).not.toContain('attacker.example');
  });
});
