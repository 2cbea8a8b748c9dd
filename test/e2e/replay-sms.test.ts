import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../bin/sandbox/report.ts';
import { countSmsSegments } from '../../functions/core/sms/segments.ts';
import { ReportView, replayFolder } from '../support/replay-report.ts';
import { runSandbox } from '../support/sandbox-process.ts';

const FOLDER = 'test/fixtures/replay/sms-basics';
const NOW = '2026-11-23T10:00:00Z';
const AYSE = '+905321112233';
const JOHN = '+12065550123';

let report: Report;
let view: ReportView;
let firstStdout: string;

beforeAll(async () => {
  ({ report, stdout: firstStdout } = await replayFolder(FOLDER, NOW));
  view = new ReportView(report);
}, 120_000);

const customerByPhone = (phone: string) => view.customerWith('phone', phone);
const conversationsOf = (phone: string) => view.conversationsOf(customerByPhone(phone)?.id);
const smsTo = (phone: string) => view.sentTo(phone, { channel: 'sms' });

/** The ordinary acknowledgement carries the conversation reference; keyword answers do not. */
function acknowledgementsTo(phone: string) {
  return smsTo(phone).filter((o) => /\(ref #|\(#/.test(o.text));
}

describe('replay of the SMS basics folder', () => {
  it('stores an SMS delivered twice once, and continues the conversation with the follow-up', () => {
    // Act
    const conversations = conversationsOf(AYSE);

    // Assess
    expect(conversations).toHaveLength(1);
    const inbound = conversations[0]?.messages.filter((m) => m.direction === 'inbound') ?? [];
    expect(inbound.map((m) => m.text)).toEqual([
      'Merhaba, 100234 numaralı siparişim hâlâ gelmedi. Kargom nerede?',
      'Bu arada teslimat adresim değişti, Kadıköy şubesine bırakabilir misiniz?',
      'İptal',
      'Siparişim geldi, teşekkürler.',
    ]);
    expect(conversations[0]?.channel).toBe('sms');
  });

  it('acknowledges the first SMS once, in the sender’s language, by SMS to the E.164 number', () => {
    // Act
    const turkish = acknowledgementsTo(AYSE);
    const english = acknowledgementsTo(JOHN);

    // Assess
    expect(turkish).toHaveLength(1);
    expect(turkish[0]?.language).toBe('tr');
    expect(turkish[0]?.kind).toBe('auto-reply');
    expect(turkish[0]?.to).toMatch(/^\+[1-9]\d{6,14}$/);
    expect(turkish[0]?.sentAt).toBe('2026-11-23T10:00:00.000Z');
    expect(english).toHaveLength(1);
    expect(english[0]?.language).toBe('en');
    expect(english[0]?.text).toContain('will answer by today at 15:00');
  });

  it('keeps an acknowledgement without an FAQ answer to one SMS segment, in the GSM-7 spelling of Turkish', () => {
    // Act
    const [acknowledgement] = acknowledgementsTo('+905559876543');

    // Assess
    expect(acknowledgement?.text).toMatch(/^Tesekkürler, mesajinizi aldik/);
    expect(countSmsSegments(acknowledgement?.text ?? '')).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('opts the number out on İptal, once, confirms it in Turkish, and shows it on the customer', () => {
    // Act
    const customer = customerByPhone(AYSE);
    const confirmations = smsTo(AYSE).filter((o) => /listemizden/.test(o.text));

    // Assess
    expect(customer?.consent).toEqual({ sms: 'opted-out' });
    expect(customer?.consentHistory).toEqual([
      {
        channel: 'sms',
        state: 'opted-out',
        source: 'sms-keyword',
        keyword: 'IPTAL',
        at: '2026-11-23T10:00:05.000Z',
      },
    ]);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.language).toBe('tr');
  });

  it('sends nothing more to the number after the opt-out: the message after it gets no acknowledgement', () => {
    // Act
    const afterStop = smsTo(AYSE).filter((o) => o.sentAt > '2026-11-23T10:00:05.000Z');
    const [conversation] = conversationsOf(AYSE);

    // Assess
    expect(afterStop).toEqual([]);
    expect(conversation?.messages.at(-1)).toMatchObject({
      direction: 'inbound',
      text: 'Siparişim geldi, teşekkürler.',
    });
  });

  it('answers HELP with the help text instead of an acknowledgement, and honours STOP then START', () => {
    // Act
    const customer = customerByPhone(JOHN);
    const texts = smsTo(JOHN).map((o) => o.text);

    // Assess
    expect(texts).toHaveLength(4);
    expect(texts[1]).toMatch(/Reply STOP to opt out/);
    expect(texts[2]).toMatch(/unsubscribed/);
    expect(texts[3]).toMatch(/subscribed again/);
    expect(customer?.consent).toEqual({ sms: 'opted-in' });
    expect(customer?.consentHistory?.map((h) => `${h.state}:${h.keyword}`)).toEqual([
      'opted-out:STOP',
      'opted-in:START',
    ]);
  });

  it('never answers our own number, keeps an invalid number as it came unanswered, and rejects a body that is not JSON', () => {
    // Act
    const own = smsTo('+908501234567');
    const invalid = report.customers.find((c) => c.identities.some((i) => i.value === '12345'));

    // Assess
    expect(own).toEqual([]);
    expect(invalid?.identities).toEqual([{ kind: 'phone', value: '12345' }]);
    expect(smsTo('12345')).toEqual([]);
    expect(report.rejected).toEqual([
      { file: '14-not-json.sms.json', reason: 'the SNS message is not JSON' },
    ]);
    expect(report.deadLetters).toEqual([]);
    expect(report.deferred).toEqual([]);
  });

  it('bounds an overlong multi-part body and flags it', () => {
    // Act
    const [conversation] = conversationsOf('+905559876543');
    const first = conversation?.messages[0];

    // Assess
    expect(Array.from(first?.text ?? '')).toHaveLength(1_600);
    expect(first?.flags).toContain('text-truncated');
  });

  it('starts a new conversation when the same number writes again after the window', () => {
    // Act
    const conversations = conversationsOf('+905559876543');

    // Assess: 10:00:10 on the 23rd, then 12:00 on the 24th, past the 24-hour window
    expect(conversations).toHaveLength(2);
    expect(conversations[1]?.messages[0]?.text).toBe('Merhaba, iade kodumu alabilir miyim?');
    expect(acknowledgementsTo('+905559876543')).toHaveLength(2);
  });

  it('prints the same report for the same folder and --now', async () => {
    // Act
    const again = await runSandbox(['replay', FOLDER, '--now', NOW]);

    // Assess
    expect(again.stdout).toBe(firstStdout);
  }, 120_000);
});
