import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { S3RawMailSource } from '../../functions/adapters/s3/mail-storage.ts';
import type { VerdictStatus } from '../../functions/core/model.ts';
import { makeInboundEmailHandler } from '../../functions/handlers/inbound-email.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { sesReceiptEvent } from '../../local/events/ses.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { MemoryConversations, MemoryQueue } from '../support/in-memory-ports.ts';
import { memoryEmailDeps } from '../support/inbound-deps.ts';

/**
 * Mail written by machines never gets an automatic response (RFC 3834: no
 * loops, no backscatter, no answers to lists), and the SES verdicts decide as the policy says.
 * Everything goes through the real inbound-email handler, MIME parser and core; only storage is
 * in memory.
 */

const SUPPORT = sandboxSupportConfig.supportAddress;
const NOW = new Date('2026-11-23T10:00:00.000Z');

type Verdicts = Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', VerdictStatus>;
const PASSING: Verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

interface Mail {
  readonly fromName: string;
  readonly fromAddress: string;
  readonly subject: string;
  readonly body: string;
  /** Extra header lines, as `[name, value]`. */
  readonly headers: readonly (readonly [string, string])[];
  /** The envelope sender SES reports (`mail.source`). */
  readonly envelopeSender?: string;
  readonly contentType?: string;
}

const HUMAN: Mail = {
  fromName: 'Deniz Aydın',
  fromAddress: 'deniz.aydin@example.org',
  subject: 'Siparişim nerede?',
  body: 'Merhaba, 100234 numaralı siparişim hâlâ gelmedi. Yardımcı olur musunuz?',
  headers: [],
};

let counter = 0;

function rawMime(mail: Mail, messageId: string): string {
  const encodedName = `=?UTF-8?B?${Buffer.from(mail.fromName, 'utf8').toString('base64')}?=`;
  const encodedSubject = `=?UTF-8?B?${Buffer.from(mail.subject, 'utf8').toString('base64')}?=`;
  return [
    `Return-Path: <${mail.envelopeSender ?? mail.fromAddress}>`,
    `From: ${encodedName} <${mail.fromAddress}>`,
    `To: <${SUPPORT}>`,
    `Subject: ${encodedSubject}`,
    'Date: Mon, 23 Nov 2026 09:59:00 +0000',
    `Message-ID: <${messageId}@mail.example.org>`,
    ...mail.headers.map(([name, value]) => `${name}: ${value}`),
    'MIME-Version: 1.0',
    `Content-Type: ${mail.contentType ?? 'text/plain; charset=utf-8'}`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(mail.body, 'utf8').toString('base64'),
    '',
  ].join('\r\n');
}

/** Delivers `mail` through the inbound-email handler into fresh in-memory stores. */
async function receive(mail: Mail, verdicts: Verdicts = PASSING) {
  counter += 1;
  const sesMessageId = `ses-${counter}`;
  const raw = Buffer.from(rawMime(mail, `msg-${counter}`), 'utf8');
  const conversations = new MemoryConversations();
  const outbound = new MemoryQueue();
  const rawMail = { read: async () => new Uint8Array(raw) } as unknown as S3RawMailSource;
  const handler = makeInboundEmailHandler(() => memoryEmailDeps(NOW, { conversations, outbound, rawMail }));
  await handler(
    sesReceiptEvent({
      messageId: sesMessageId,
      source: mail.envelopeSender ?? mail.fromAddress,
      recipients: [SUPPORT],
      at: NOW,
      verdicts,
    }),
    lambdaContext('inbound-email'),
  );
  return {
    stored: [...conversations.messages.values()],
    conversations: [...conversations.conversations.values()],
    autoResponses: outbound.sent.filter((request) => request.kind === 'auto-reply'),
  };
}

/** Header names as mail software writes them, in any case. */
const casing = (name: string) =>
  fc.constantFrom(name, name.toLowerCase(), name.toUpperCase()).map((variant) => variant as string);

/** One kind of automatic mail: what it changes on an otherwise human-looking message. */
type AutoMail = (mail: Mail) => fc.Arbitrary<Mail>;

const withHeader =
  (name: string, values: readonly string[]): AutoMail =>
  (mail) =>
    fc
      .tuple(casing(name), fc.constantFrom(...values))
      .map(([header, value]) => ({ ...mail, headers: [...mail.headers, [header, value] as const] }));

const fromSender =
  (addresses: readonly string[]): AutoMail =>
  (mail) =>
    fc.constantFrom(...addresses).map((fromAddress) => ({ ...mail, fromAddress }));

const withSubject =
  (prefixes: readonly string[]): AutoMail =>
  (mail) =>
    fc.constantFrom(...prefixes).map((prefix) => ({ ...mail, subject: `${prefix} ${mail.subject}` }));

const AUTOMATIC_MAIL: Record<string, AutoMail> = {
  'Auto-Submitted': withHeader('Auto-Submitted', [
    'auto-generated',
    'auto-replied',
    'auto-notified',
    'Auto-Replied; owner-email="ops@example.org"',
    'auto-generated (vacation)',
  ]),
  Precedence: withHeader('Precedence', ['bulk', 'junk', 'list', 'Bulk', 'auto_reply']),
  'List-Id': withHeader('List-Id', ['Shop news <news.shop.example.org>', '<deals.example.net>']),
  'List-Unsubscribe': withHeader('List-Unsubscribe', [
    '<mailto:unsubscribe@lists.example.org>',
    '<https://lists.example.org/u?id=1>',
  ]),
  'null return path': (mail) =>
    fc.constantFrom('<>', '').map((envelopeSender) => ({ ...mail, envelopeSender })),
  'system sender': fromSender([
    'MAILER-DAEMON@mx.example.org',
    'mailer-daemon@example.org',
    'postmaster@example.org',
    'Postmaster@Example.org',
    'bounces+1234@lists.example.org',
  ]),
  'no-reply sender': fromSender([
    'no-reply@example.org',
    'noreply@shop.example.net',
    'NoReply@example.org',
    'do-not-reply@example.org',
    'no_reply+alerts@example.org',
  ]),
  'X-Loop with our address': withHeader('X-Loop', [
    SUPPORT,
    `Support <${SUPPORT}>`,
    SUPPORT.toUpperCase(),
    `support+c-123@${sandboxSupportConfig.mailDomain}`,
  ]),
  'X-Auto-Response-Suppress': withHeader('X-Auto-Response-Suppress', [
    'All',
    'OOF',
    'AutoReply',
    'DR, RN, NRN, OOF, AutoReply',
  ]),
  'X-Autoreply': withHeader('X-Autoreply', ['yes']),
  'out-of-office subject': withSubject([
    'Out of Office:',
    'Out-of-Office:',
    'OUT OF OFFICE',
    'Automatic reply:',
    'Auto reply:',
    'Autoreply:',
    'Otomatik yanıt:',
    'OTOMATİK YANIT:',
    'Ofis dışında:',
    'Abwesenheitsnotiz:',
  ]),
  'our own address': fromSender([
    SUPPORT,
    SUPPORT.toUpperCase(),
    ...sandboxSupportConfig.ownAddresses,
    `support+c-abc@${sandboxSupportConfig.mailDomain}`,
  ]),
  'repeated headers (a relay added its own below a harmless one)': (mail) =>
    fc
      .constantFrom<readonly (readonly [string, string])[]>(
        [
          ['Auto-Submitted', 'no'],
          ['Auto-Submitted', 'auto-generated'],
        ],
        [
          ['Precedence', 'normal'],
          ['Precedence', 'bulk'],
        ],
        [
          ['X-Auto-Response-Suppress', 'DR'],
          ['X-Auto-Response-Suppress', 'OOF'],
        ],
      )
      .map((lines) => ({ ...mail, headers: [...mail.headers, ...lines] })),
  'delivery report': (mail) =>
    fc.constant({ ...mail, contentType: 'multipart/report; report-type=delivery-status; boundary="b"' }),
};

/** A human message with noise that must not matter: other harmless headers, other words. */
const humanMail: fc.Arbitrary<Mail> = fc
  .record({
    subject: fc.constantFrom(
      'Siparişim nerede?',
      'Where is my order?',
      'İade talebi',
      'Question about sizes',
    ),
    body: fc.string({ minLength: 1, maxLength: 200 }).map((text) => `Merhaba, ${text}`),
    extra: fc.subarray([
      ['X-Mailer', 'Apple Mail (2.3774)'],
      ['Auto-Submitted', 'no'],
      ['Precedence', 'normal'],
      ['Thread-Topic', 'Sipariş'],
      ['X-MS-Has-Attach', ''],
    ] as const),
  })
  .map(({ subject, body, extra }) => ({ ...HUMAN, subject, body, headers: extra }));

describe('automatic mail of every kind gets no automatic response', () => {
  it('answers the plain human message once (the control: the path does send)', async () => {
    // Act
    const result = await receive(HUMAN);

    // Assess
    expect(result.stored).toHaveLength(1);
    expect(result.autoResponses).toHaveLength(1);
  });

  it.each(Object.keys(AUTOMATIC_MAIL))(
    'stores but does not answer %s mail, in every variant',
    async (kind) => {
      // Prepare: every variant of this kind, exhaustively
      const automatic = AUTOMATIC_MAIL[kind] as AutoMail;
      const variants = fc.sample(automatic(HUMAN), { numRuns: 60, seed: 8 });

      for (const mail of variants) {
        // Act
        const result = await receive(mail);

        // Assess
        expect(result.stored, JSON.stringify(mail.headers)).toHaveLength(1);
        expect(result.autoResponses, `${kind}: ${JSON.stringify(mail)}`).toEqual([]);
      }
    },
  );

  it('never answers a generated human-looking message that carries any automation signal (300 runs)', async () => {
    const kinds = Object.keys(AUTOMATIC_MAIL);
    const automaticMail = fc
      .tuple(humanMail, fc.uniqueArray(fc.constantFrom(...kinds), { minLength: 1, maxLength: 3 }))
      .chain(([mail, chosen]) =>
        chosen.reduce<fc.Arbitrary<Mail>>(
          (arbitrary, kind) => arbitrary.chain((m) => (AUTOMATIC_MAIL[kind] as AutoMail)(m)),
          fc.constant(mail),
        ),
      );
    await fc.assert(
      fc.asyncProperty(automaticMail, async (mail) => {
        const result = await receive(mail);
        expect(result.stored).toHaveLength(1);
        expect(result.autoResponses).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('answers every generated human message without a signal exactly once (100 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(humanMail, async (mail) => {
        const result = await receive(mail);
        expect(result.autoResponses).toHaveLength(1);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// SES verdicts: 5 verdicts × 4 statuses, every pair of (verdict, status) values covered.

const VERDICT_NAMES = ['spam', 'virus', 'spf', 'dkim', 'dmarc'] as const;
const STATUSES = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED'] as const satisfies readonly VerdictStatus[];

/**
 * A small set of rows that covers every pair of values of every two parameters (greedy, in the
 * manner of AETG): each new row is the candidate of all 4^5 that covers the most uncovered pairs.
 */
function pairwise(parameters: number, values: readonly string[]): string[][] {
  const pairKey = (i: number, a: string, j: number, b: string) => `${i}=${a}|${j}=${b}`;
  const uncovered = new Set<string>();
  for (let i = 0; i < parameters; i++)
    for (let j = i + 1; j < parameters; j++)
      for (const a of values) for (const b of values) uncovered.add(pairKey(i, a, j, b));
  const candidates: string[][] = [[]];
  for (let p = 0; p < parameters; p++) {
    const next: string[][] = [];
    for (const row of candidates) for (const value of values) next.push([...row, value]);
    candidates.splice(0, candidates.length, ...next);
  }
  const pairsOf = (row: string[]) => {
    const keys: string[] = [];
    for (let i = 0; i < parameters; i++)
      for (let j = i + 1; j < parameters; j++) keys.push(pairKey(i, row[i] ?? '', j, row[j] ?? ''));
    return keys;
  };
  const rows: string[][] = [];
  while (uncovered.size > 0) {
    let best = candidates[0] ?? [];
    let bestGain = -1;
    for (const candidate of candidates) {
      const gain = pairsOf(candidate).filter((key) => uncovered.has(key)).length;
      if (gain > bestGain) [best, bestGain] = [candidate, gain];
    }
    rows.push(best);
    for (const key of pairsOf(best)) uncovered.delete(key);
  }
  return rows;
}

const VERDICT_ROWS: Verdicts[] = pairwise(VERDICT_NAMES.length, STATUSES).map(
  (row) => Object.fromEntries(VERDICT_NAMES.map((name, i) => [name, row[i]])) as Verdicts,
);

/**
 * The policy of DESIGN §4, written out independently of the code under test. The mail's
 * envelope is at the From domain (SPF aligned) and it carries no DKIM signature, so a DKIM PASS
 * has nothing aligned to stand on.
 */
function expectedOutcome(v: Verdicts): { quarantined: boolean; autoResponses: number } {
  const quarantined = v.virus === 'FAIL';
  const authenticated = v.dmarc === 'PASS' || (v.dmarc !== 'FAIL' && v.spf === 'PASS');
  const silent = quarantined || v.spam === 'FAIL' || !authenticated;
  return { quarantined, autoResponses: silent ? 0 : 1 };
}

describe('SES verdict combinations (pairwise over 5 verdicts × 4 statuses)', () => {
  it('covers every pair of (verdict, status) values in far fewer rows than all 1,024', () => {
    // Assess
    for (const [i, a] of VERDICT_NAMES.entries()) {
      for (const b of VERDICT_NAMES.slice(i + 1)) {
        for (const x of STATUSES) {
          for (const y of STATUSES) {
            expect(
              VERDICT_ROWS.some((row) => row[a] === x && row[b] === y),
              `${a}=${x} with ${b}=${y}`,
            ).toBe(true);
          }
        }
      }
    }
    expect(VERDICT_ROWS.length).toBeLessThanOrEqual(30);
  });

  it.each(VERDICT_ROWS.map((row) => [Object.values(row).join(' '), row] as const))(
    'follows the policy for spam/virus/spf/dkim/dmarc = %s',
    async (_label, verdicts) => {
      // Act
      const result = await receive(HUMAN, verdicts);

      // Assess
      const expected = expectedOutcome(verdicts);
      expect(result.stored).toHaveLength(1);
      expect(result.conversations[0]?.status).toBe(expected.quarantined ? 'quarantined' : 'open');
      expect(result.autoResponses).toHaveLength(expected.autoResponses);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Forged senders: SPF or DKIM pass for a domain of the attacker's, not for the From domain.

const NO_DMARC: Verdicts = { ...PASSING, dmarc: 'GRAY' };

describe('forged senders get no acknowledgement (no backscatter)', () => {
  it("stores and flags mail whose SPF passed for the attacker's envelope domain, and sends nothing", async () => {
    // Prepare
    const forged: Mail = { ...HUMAN, envelopeSender: 'bounce@attacker.example' };

    // Act
    const result = await receive(forged, { ...NO_DMARC, dkim: 'GRAY' });

    // Assess
    expect(result.autoResponses).toHaveLength(0);
    expect(result.stored).toHaveLength(1);
    expect(result.stored[0]?.flags).toContain('unauthenticated');
    expect(result.conversations[0]?.flags).toContain('unauthenticated');
  });

  it("sends nothing when the DKIM pass is the attacker's own signature", async () => {
    // Prepare
    const forged: Mail = {
      ...HUMAN,
      envelopeSender: 'bounce@attacker.example',
      headers: [['DKIM-Signature', 'v=1; a=rsa-sha256; c=relaxed/relaxed; d=attacker.example; s=s1; b=abc']],
    };

    // Act
    const result = await receive(forged, { ...NO_DMARC, spf: 'GRAY' });

    // Assess
    expect(result.autoResponses).toHaveLength(0);
    expect(result.stored[0]?.flags).toContain('unauthenticated');
  });

  it('answers mail whose DKIM pass is a signature of a subdomain of the From domain', async () => {
    // Prepare
    const signed: Mail = {
      ...HUMAN,
      envelopeSender: 'bounce@esp.example',
      headers: [
        ['DKIM-Signature', 'v=1; a=rsa-sha256;\r\n\tb=abc; s=s1;\r\n\td=Mail.Example.org; c=relaxed/relaxed'],
      ],
    };

    // Act
    const result = await receive(signed, { ...NO_DMARC, spf: 'GRAY' });

    // Assess
    expect(result.autoResponses).toHaveLength(1);
    expect(result.stored[0]?.flags ?? []).not.toContain('unauthenticated');
  });

  it('echoes neither the subject nor the display name in the acknowledgement', async () => {
    // Prepare
    const mail: Mail = {
      ...HUMAN,
      fromName: 'Visit evil.example now',
      subject: 'Your account is locked: log in at evil.example',
    };

    // Act
    const result = await receive(mail);

    // Assess
    const [ack] = result.autoResponses;
    expect(ack?.subject).toMatch(/^Mesajınızı aldık \[#[0-9A-Z-]+\]$/);
    expect(ack?.subject).not.toContain('evil.example');
    expect(ack?.text).not.toContain('evil.example');
    expect(ack?.text.startsWith('Merhaba,\n')).toBe(true);
  });
});
