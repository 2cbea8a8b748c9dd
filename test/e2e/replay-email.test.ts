import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { ReportView, replayFolder } from '../support/replay-report.ts';
import { runSandbox } from '../support/sandbox-process.ts';

const FOLDER = 'test/fixtures/replay/email-basics';
const NOW = '2026-11-23T10:00:00Z';

let report: Report;
let view: ReportView;
let firstStdout: string;

beforeAll(async () => {
  ({ report, stdout: firstStdout } = await replayFolder(FOLDER, NOW));
  view = new ReportView(report);
}, 120_000);

const customerByEmail = (address: string) => view.customerWith('email', address);
const conversationsOf = (address: string) => view.conversationsOf(customerByEmail(address)?.id);
const autoRepliesTo = (address: string) => view.sentTo(address, { kind: 'auto-reply' });

describe('replay of the email basics folder', () => {
  it('prints one JSON report and nothing else on stdout', () => {
    // Assess
    expect(firstStdout.trim().startsWith('{')).toBe(true);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['customers', 'conversations', 'outbox', 'responses', 'rejected']),
    );
  });

  it('stores a mail delivered twice once and acknowledges it once, in Turkish', () => {
    // Act
    const conversations = conversationsOf('ayse.yilmaz@example.com');
    const replies = autoRepliesTo('ayse.yilmaz@example.com');

    // Assess
    expect(conversations).toHaveLength(1);
    const inbound = conversations[0]?.messages.filter((m) => m.direction === 'inbound') ?? [];
    expect(inbound).toHaveLength(2); // the question (once) and her follow-up
    expect(replies).toHaveLength(1);
    expect(replies[0]?.language).toBe('tr');
    expect(replies[0]?.headers['Auto-Submitted']).toBe('auto-replied');
    expect(replies[0]?.text).toMatch(/yanıt/i);
    expect(customerByEmail('ayse.yilmaz@example.com')?.language).toBe('tr');
  });

  it('joins a reply that References the first mail to its conversation without a second auto-reply', () => {
    // Act
    const [conversation] = conversationsOf('ayse.yilmaz@example.com');

    // Assess
    const followUp = conversation?.messages.find((m) => m.text.includes('fatura adresimi'));
    expect(followUp).toBeDefined();
    expect(followUp?.text).not.toContain('Geçen hafta verdiğim');
  });

  it('threads the acknowledgement: In-Reply-To the question, a Reply-To with the conversation token', () => {
    // Act
    const [reply] = autoRepliesTo('ayse.yilmaz@example.com');
    const [conversation] = conversationsOf('ayse.yilmaz@example.com');

    // Assess
    expect(reply?.headers['In-Reply-To']).toContain('CAF7a1q1-tr-question@mail.example.com');
    expect(reply?.headers['Reply-To']).toContain(`support+c-${conversation?.id}@support.example.com`);
    expect(reply?.headers['Message-ID']).toMatch(/@support\.example\.com>?$/);
  });

  it('acknowledges English mail in English with the expected response time', () => {
    // Act
    const replies = autoRepliesTo('john.carter@example.org');

    // Assess
    expect(replies).toHaveLength(1);
    expect(replies[0]?.language).toBe('en');
    // Monday 10:00 UTC is 13:00 in Istanbul; two business hours later is 15:00 the same day.
    expect(replies[0]?.text).toContain('15:00');
    // A neutral subject with the reference: never the text the sender chose.
    expect(replies[0]?.subject).toMatch(/^We received your message \[#[0-9A-Z-]+\]$/);
  });

  it('gives a stranger replying into someone else thread a conversation of their own', () => {
    // Act
    const strangers = conversationsOf('mallory@example.net');
    const ayse = conversationsOf('ayse.yilmaz@example.com');

    // Assess
    expect(strangers).toHaveLength(1);
    expect(strangers[0]?.id).not.toBe(ayse[0]?.id);
    expect(ayse[0]?.messages.some((m) => m.text.includes('delivery address'))).toBe(false);
  });

  it.each([
    ['out-of-office', 'bob.miller@example.com'],
    ['mailing list', 'newsletter@lists.example.com'],
    ['bounce', 'mailer-daemon@mx.example.org'],
    ['no-reply sender', 'no-reply@carrier.example.com'],
    ['spam verdict', 'winner@lottery.example.net'],
    ['virus verdict', 'invoices@billing.example.net'],
  ])('stores %s mail but sends it no auto-reply', (_, address) => {
    // Act
    const conversations = conversationsOf(address);

    // Assess
    expect(conversations).toHaveLength(1);
    expect(report.outbox.filter((o) => o.to === address)).toHaveLength(0);
  });

  it('flags spam and quarantines a virus without storing its attachment', () => {
    // Act
    const [spam] = conversationsOf('winner@lottery.example.net');
    const [virus] = conversationsOf('invoices@billing.example.net');

    // Assess
    expect(spam?.flags).toContain('spam');
    expect(virus?.status).toBe('quarantined');
    expect(virus?.messages[0]?.attachments).toEqual([
      expect.objectContaining({ filename: 'invoice.pdf.exe', stored: false }),
    ]);
  });

  it('records an attachment on its message', () => {
    // Act
    const [conversation] = conversationsOf('elif.kaya@example.com');

    // Assess
    expect(conversation?.messages[0]?.attachments).toEqual([
      { filename: 'fatura-100240.pdf', contentType: 'application/pdf', size: 193, stored: true },
    ]);
  });

  it('sends at most one auto-reply per customer per window across conversations', () => {
    // Act
    const conversations = conversationsOf('john.carter@example.org');

    // Assess
    expect(conversations).toHaveLength(2);
    expect(autoRepliesTo('john.carter@example.org')).toHaveLength(1);
  });

  it('reports files it cannot take under rejected, with a reason', () => {
    // Act
    const files = report.rejected.map((r) => r.file);

    // Assess
    expect(files).toEqual(expect.arrayContaining(['13-notes.txt', '14-garbage.eml']));
    for (const rejection of report.rejected) expect(rejection.reason.length).toBeGreaterThan(10);
  });

  it('prints the same report for the same input and --now', async () => {
    // Act
    const again = await runSandbox(['replay', FOLDER, '--now', NOW]);

    // Assess
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(firstStdout);
  }, 120_000);
});

describe('replies to our own mail', () => {
  it('threads a reply to the acknowledgement (In-Reply-To our Message-ID) into the first conversation', () => {
    // Prepare
    const [acknowledgement] = autoRepliesTo('john.carter@example.org');

    // Act
    const conversation = report.conversations.find((c) => c.id === acknowledgement?.conversationId);

    // Assess
    const texts = conversation?.messages.filter((m) => m.direction === 'inbound').map((m) => m.text) ?? [];
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe('The order number is 100255, in case that helps.\n\nJohn');
  });

  it('threads a reply that only carries the conversation token in its address', () => {
    // Act
    const conversations = conversationsOf('elif.kaya@example.com');

    // Assess
    expect(conversations).toHaveLength(1);
    expect(conversations[0]?.messages.filter((m) => m.direction === 'inbound')).toHaveLength(2);
    expect(autoRepliesTo('elif.kaya@example.com')).toHaveLength(1);
  });
});
