import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { ReportView, replayFolder } from '../support/replay-report.ts';

const FOLDER = 'test/fixtures/replay/chat';
// A Monday morning in Istanbul: the team answers within the first-response target, today.
const NOW = '2026-11-23T07:00:00Z';

let report: Report;
let view: ReportView;

beforeAll(async () => {
  ({ report } = await replayFolder(FOLDER, NOW));
  view = new ReportView(report);
}, 120_000);

describe('replay of the chat folder', () => {
  it('makes an anonymous visitor a customer with the chat identity, and a double click one message', () => {
    // Act
    const visitor = view.customerWith('chat', 'v-5f2c9a');
    const conversations = view.conversationsOf(visitor?.id, 'chat');

    // Assess
    expect(visitor).toBeDefined();
    expect(conversations).toHaveLength(1);
    const inbound = conversations[0]?.messages.filter((m) => m.direction === 'inbound') ?? [];
    expect(inbound.map((m) => m.text)).toEqual(['Merhaba, iade nasıl yapılır?']);
    expect(conversations[0]?.channel).toBe('chat');
  });

  it('acknowledges once, on chat to the visitor id, in Turkish with the FAQ answer and the response time', () => {
    // Act
    const sent = view.sentTo('v-5f2c9a', { channel: 'chat' });

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'chat', to: 'v-5f2c9a', kind: 'auto-reply', language: 'tr' });
    expect(sent[0]?.text).toMatch(/14 gün/);
    expect(sent[0]?.text).toMatch(/bugün \d{2}:\d{2}/);
  });

  it("puts a visitor with a valid signed identity on that email's customer, and tells them their order", () => {
    // Act
    const ayse = view.customerWith('email', 'ayse@example.com');
    const chats = view.conversationsOf(ayse?.id, 'chat');
    const sent = view.sentTo('v-8d41be', { channel: 'chat' });

    // Assess
    expect(chats).toHaveLength(1);
    expect(view.customerWith('chat', 'v-8d41be')).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.customerId).toBe(ayse?.id);
    expect(sent[0]?.text).toContain('100777');
  });

  it('keeps a visitor with a forged identity anonymous: no order and no access to that customer', () => {
    // Act
    const ayse = view.customerWith('email', 'ayse@example.com');
    const forger = view.customerWith('chat', 'v-77aa01');
    const sent = view.sentTo('v-77aa01', { channel: 'chat' });

    // Assess
    expect(forger).toBeDefined();
    expect(forger?.id).not.toBe(ayse?.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).not.toContain('100777');
    expect(report.rejected).toEqual([]);
  });
});
