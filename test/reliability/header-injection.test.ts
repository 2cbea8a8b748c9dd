import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { derivedIds } from '../../functions/adapters/ids.ts';
import type { S3RawMailSource } from '../../functions/adapters/s3/mail-storage.ts';
import { SesEmailSender } from '../../functions/adapters/ses/ses-email-sender.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { makeInboundEmailHandler } from '../../functions/handlers/inbound-email.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { sesReceiptEvent } from '../../local/events/ses.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import {
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
} from '../support/in-memory-ports.ts';
import { memoryEmailDeps } from '../support/inbound-deps.ts';

/**
 * Header injection: whatever a stranger puts into a display name, a subject, an address or a
 * Message-ID (CR, LF, other control characters, Unicode line separators, encoded-words that decode
 * to line breaks), the acknowledgement we send carries exactly our headers, each on its own line.
 * The path is the real one: inbound-email handler (MIME parser, core) → outbound request →
 * dispatcher handler → SES sender → composed MIME, captured where SES would receive it.
 */

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const NOW = new Date('2026-11-23T10:00:00.000Z');
const SUPPORT = sandboxSupportConfig.supportAddress;

interface HostileMail {
  readonly displayName: string;
  readonly subject: string;
  /** The header lines as they are written (with or without encoding). */
  readonly fromLine: string;
  readonly subjectLine: string;
  readonly messageIdLine: string;
  readonly referencesLine: string;
}

/** Pieces that have broken header handling somewhere: line breaks of every kind, header starts. */
const hostilePiece = fc.constantFrom(
  '\r\nBcc: victim@evil.example',
  '\nBcc: victim@evil.example',
  '\rBcc: victim@evil.example',
  '\r\n\r\n<html>body takeover</html>',
  '\r\n X-Folded: continuation',
  '\u2028Cc: other@evil.example',
  '\u2029',
  '\u0085X-Nel: 1',
  '\u000bX-Vt: 1',
  '\u000c',
  '\u0000',
  '\u001b[31m',
  '\t',
  '=?UTF-8?Q?=0D=0ABcc:_nested@evil.example?=',
  '=?UTF-8?B?DQpCY2M6IG5lc3RlZEBldmlsLmV4YW1wbGU=?=',
  '\u202eevil\u202c',
  'Re: ',
  'Ünïcödé ş ğ ı',
);

const hostileText = fc
  .array(fc.oneof(hostilePiece, fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

/** How a header value reaches us: as an encoded-word (B or Q), which may carry any byte, or raw. */
const encoding = fc.constantFrom('base64', 'quoted-printable', 'raw') as fc.Arbitrary<
  'base64' | 'quoted-printable' | 'raw'
>;

function encodedWord(text: string, how: 'base64' | 'quoted-printable' | 'raw'): string {
  if (how === 'base64') return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
  if (how === 'quoted-printable') {
    const bytes = Buffer.from(text, 'utf8');
    const encoded = [...bytes]
      .map((byte) =>
        byte === 0x20
          ? '_'
          : /[A-Za-z0-9]/.test(String.fromCharCode(byte))
            ? String.fromCharCode(byte)
            : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('');
    return `=?UTF-8?Q?${encoded}?=`;
  }
  // Raw: a header line cannot hold a bare CR or LF, so those become folding (CRLF + space).
  return text.replace(/\r\n|\r|\n/g, '\r\n ');
}

const hostileMail: fc.Arbitrary<HostileMail> = fc
  .record({
    name: hostileText,
    nameEncoding: encoding,
    subject: hostileText,
    subjectEncoding: encoding,
    idTail: fc.oneof(
      fc.constant(''),
      hostilePiece.map((piece) => encodeURIComponent(piece)),
      hostilePiece,
    ),
    referenceTail: fc.oneof(fc.constant(''), hostilePiece),
    quotedAddressTrick: fc.boolean(),
    n: fc.nat({ max: 1_000_000 }),
  })
  .map(({ name, nameEncoding, subject, subjectEncoding, idTail, referenceTail, quotedAddressTrick, n }) => {
    const address = 'deniz.aydin@example.org';
    // An encoded-word where an address is expected: decoders that decode it would see a line break.
    const fromLine = quotedAddressTrick
      ? `From: ${encodedWord(name, nameEncoding)} <${address}>, ${encodedWord(`x@evil.example\r\nBcc: y@evil.example`, 'base64')}`
      : `From: ${encodedWord(name, nameEncoding)} <${address}>`;
    return {
      displayName: name,
      subject,
      fromLine,
      subjectLine: `Subject: ${encodedWord(subject, subjectEncoding)}`,
      messageIdLine: `Message-ID: <m${n}${encodeWhitespace(idTail)}@mail.example.org>`,
      referencesLine: `References: <r${n}@mail.example.org>${encodeWhitespace(referenceTail)} <q${n}@mail.example.org>`,
    };
  });

/** Keeps the raw header structurally a header: real line breaks inside become folds. */
function encodeWhitespace(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n ');
}

function rawMime(mail: HostileMail): string {
  return [
    'Return-Path: <deniz.aydin@example.org>',
    mail.fromLine,
    `To: <${SUPPORT}>`,
    mail.subjectLine,
    'Date: Mon, 23 Nov 2026 09:59:00 +0000',
    mail.messageIdLine,
    mail.referencesLine,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Merhaba, siparişim nerede?',
    '',
  ].join('\r\n');
}

/** Receives `mail`, dispatches what was queued, and returns the raw MIME handed to SES (if any). */
async function acknowledgementOf(mail: HostileMail): Promise<string[]> {
  const sent: string[] = [];
  ses.reset();
  ses.on(SendEmailCommand).callsFake((input: { Content?: { Raw?: { Data?: Uint8Array } } }) => {
    sent.push(Buffer.from(input.Content?.Raw?.Data ?? new Uint8Array()).toString('latin1'));
    return { MessageId: `ses-out-${sent.length}` };
  });
  const clock = { now: () => NOW };
  const customers = new MemoryCustomers();
  const conversations = new MemoryConversations();
  const outbound = new MemoryQueue();
  const raw = Buffer.from(rawMime(mail), 'utf8');
  const inbound = makeInboundEmailHandler(() =>
    memoryEmailDeps(NOW, {
      ids: derivedIds,
      customers,
      conversations,
      outbound,
      rawMail: { read: async () => new Uint8Array(raw) } as unknown as S3RawMailSource,
    }),
  );
  const received = inbound(
    sesReceiptEvent({
      messageId: 'ses-in-1',
      source: 'deniz.aydin@example.org',
      recipients: [SUPPORT],
      at: NOW,
    }),
    lambdaContext('inbound-email'),
  );
  try {
    await received;
  } catch (error) {
    // A mail we cannot read (no usable From) is refused with its reason and answered by nobody.
    if (error instanceof InvalidInputError) return [];
    throw error;
  }
  const dispatcher = makeDispatcherHandler(() => ({
    clock,
    ledger: new MemoryLedger(),
    conversations,
    customers,
    senders: {
      email: new SesEmailSender(ses as unknown as SESv2Client, sandboxSupportConfig, clock),
    },
  }));
  const response = await dispatcher(
    sqsEventOfBodies(outbound.sent.map((request) => JSON.stringify(request))),
    lambdaContext('dispatcher'),
  );
  expect(response.batchItemFailures).toEqual([]);
  return sent;
}

/** The header block of a raw message: everything before the first empty line. */
function headerBlockOf(raw: string): string {
  const end = raw.indexOf('\r\n\r\n');
  expect(end).toBeGreaterThan(0);
  return raw.slice(0, end);
}

/** Header names in order, one per field (continuation lines belong to the field above). */
function headerNamesOf(block: string): string[] {
  return block
    .split('\r\n')
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')));
}

/** Headers every acknowledgement carries, whatever came in. */
const REQUIRED_HEADERS = ['From', 'To', 'Subject', 'Message-ID', 'Date', 'MIME-Version', 'Auto-Submitted'];

/** The headers an acknowledgement carries when nothing hostile came in. */
let expectedHeaderNames: string[];

describe('header injection from inbound mail into the acknowledgement', () => {
  it('sends a plain acknowledgement with one line per header (the control)', async () => {
    // Act
    const [raw] = await acknowledgementOf({
      displayName: 'Deniz',
      subject: 'Siparişim nerede?',
      fromLine: 'From: Deniz <deniz.aydin@example.org>',
      subjectLine: 'Subject: =?UTF-8?Q?Sipari=C5=9Fim_nerede=3F?=',
      messageIdLine: 'Message-ID: <m1@mail.example.org>',
      referencesLine: 'References: <r1@mail.example.org>',
    });

    // Assess
    expect(raw).toBeDefined();
    expectedHeaderNames = headerNamesOf(headerBlockOf(raw ?? ''));
    expect(expectedHeaderNames).toEqual(
      expect.arrayContaining(['From', 'To', 'Subject', 'Message-ID', 'In-Reply-To', 'References']),
    );
    expect(expectedHeaderNames).not.toContain('Bcc');
  });

  it.each([
    [
      'a subject that decodes to an encoded-word',
      'Subject: =?UTF-8?B?PT9VVEYtOD9CP0RRcENZMk02SUc1bGMzUmxaRUJsZG1sc0xtVjRZVzF3YkdVPT89?=',
      'Message-ID: <m1@mail.example.org>',
    ],
    [
      'a Message-ID that spells an encoded-word',
      'Subject: Merhaba',
      'Message-ID: <m2=?UTF-8?Q?=0D=0ABcc:_nested@evil.example?=@mail.example.org>',
    ],
  ])(
    'sends nothing a client would decode into a line break for %s',
    async (_case, subjectLine, messageIdLine) => {
      // Act
      const [raw] = await acknowledgementOf({
        displayName: 'Deniz',
        subject: '',
        fromLine: 'From: Deniz <deniz.aydin@example.org>',
        subjectLine,
        messageIdLine,
        referencesLine: 'References: <r1@mail.example.org>',
      });

      // Assess
      const parsed = await simpleParser(raw ?? '');
      expect(parsed.headers.has('bcc')).toBe(false);
      expect(JSON.stringify([parsed.subject, parsed.inReplyTo, parsed.references])).not.toMatch(/\\r|\\n/);
    },
  );

  it('never lets CR, LF, control characters or encoded-word tricks add or break a header (300 runs)', async () => {
    let composed = 0;
    await fc.assert(
      fc.asyncProperty(hostileMail, async (mail) => {
        // Act
        const sent = await acknowledgementOf(mail);

        // Assess
        for (const raw of sent) {
          composed += 1;
          const block = headerBlockOf(raw);
          // Only CRLF ends a line; no other control character, no 8-bit byte in a header.
          expect(block).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
          expect(block).not.toMatch(/[^\t\r\n\x20-\x7e]/);
          // Only our headers, each once, in the order of a harmless message; In-Reply-To and
          // References may be missing when the stranger's Message-ID was unusable.
          const names = headerNamesOf(block);
          expect(names).toEqual(expectedHeaderNames.filter((name) => names.includes(name)));
          expect(names).toEqual(expect.arrayContaining(REQUIRED_HEADERS));
          // And what a mail client decodes from them is one line each.
          const parsed = await simpleParser(raw);
          expect(parsed.headers.has('bcc')).toBe(false);
          expect(parsed.headers.has('cc')).toBe(false);
          expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toHaveLength(1);
          for (const value of [parsed.subject ?? '', parsed.from?.value[0]?.name ?? '']) {
            expect(value).not.toMatch(/[\p{Cc}\p{Zl}\p{Zp}]/u);
          }
          for (const id of [parsed.inReplyTo ?? [], parsed.references ?? []].flat()) {
            expect(id).toMatch(/^<[\x21-\x3b\x3d\x3f-\x7e]+>$/);
          }
        }
      }),
      { numRuns: 300 },
    );
    // Most hostile mails are still answered: the check above was not vacuous.
    expect(composed).toBeGreaterThan(150);
  }, 60_000);
});
