import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  composeOutboundEmail,
  type OutboundEmail,
  replyTokenAddress,
} from '../../../functions/channels/email/compose-outbound-email.ts';
import { parseInboundEmail } from '../../../functions/channels/email/parse-inbound-email.ts';
import { InvalidInputError, PermanentDeliveryError } from '../../../functions/core/errors.ts';
import { rawHeaderNames, SUPPORT_ADDRESS, sesReceiptContext } from './email-fixtures.ts';

/** An acknowledgement in Turkish answering a customer's Gmail message. */
function turkishAcknowledgement(overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    from: { name: 'Example Shop Destek', address: SUPPORT_ADDRESS },
    to: 'ayse.yilmaz@example.com',
    replyTo: replyTokenAddress(SUPPORT_ADDRESS, 'abc123'),
    subject: 'Mesajınızı aldık: Siparişim nerede? ğüşıöç İĞÜŞÖÇ',
    text: 'Merhaba Ayşe,\n\nMesajınızı aldık. Size 4 iş saati içinde dönüş yapacağız.\n\nExample Shop Destek',
    messageId: 'ack-51be07d4@support.example.com',
    inReplyTo: 'CAH3vZk9Lr2mX7pQwE4tN8sYbC1uJ6dFg0hKaR5oVz2iTe7Wn3Q@mail.gmail.com',
    references: ['CAH3vZk9Lr2mX7pQwE4tN8sYbC1uJ6dFg0hKaR5oVz2iTe7Wn3Q@mail.gmail.com'],
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    language: 'tr',
    date: new Date('2026-03-04T07:02:30Z'),
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

describe('composeOutboundEmail: what a mail client reads back', () => {
  it('round-trips ids, threading, automation headers and Turkish text through a MIME parser', async () => {
    // Prepare
    const mail = turkishAcknowledgement();

    // Act
    const raw = await composeOutboundEmail(mail);

    // Assess
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.messageId).toBe('<ack-51be07d4@support.example.com>');
    expect(parsed.inReplyTo).toBe('<CAH3vZk9Lr2mX7pQwE4tN8sYbC1uJ6dFg0hKaR5oVz2iTe7Wn3Q@mail.gmail.com>');
    expect(parsed.references).toBe('<CAH3vZk9Lr2mX7pQwE4tN8sYbC1uJ6dFg0hKaR5oVz2iTe7Wn3Q@mail.gmail.com>');
    expect(parsed.subject).toBe('Mesajınızı aldık: Siparişim nerede? ğüşıöç İĞÜŞÖÇ');
    expect(parsed.from?.value).toEqual([{ name: 'Example Shop Destek', address: SUPPORT_ADDRESS }]);
    expect(parsed.replyTo?.value).toEqual([{ name: '', address: 'support+c-abc123@support.example.com' }]);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.headers.get('content-language')).toBe('tr');
    expect(parsed.date?.toISOString()).toBe('2026-03-04T07:02:30.000Z');
    expect(parsed.text?.trim()).toBe(mail.text);
  });

  it('encodes the non-ASCII subject so the raw message stays 7-bit', async () => {
    // Prepare
    const mail = turkishAcknowledgement();

    // Act
    const raw = await composeOutboundEmail(mail);

    // Assess
    expect(raw.every((byte) => byte < 0x80)).toBe(true);
    expect(Buffer.from(raw).toString('latin1')).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('uses CRLF line endings only', async () => {
    // Prepare
    const mail = turkishAcknowledgement({ text: 'one\ntwo\r\nthree\rfour' });

    // Act
    const raw = Buffer.from(await composeOutboundEmail(mail)).toString('latin1');

    // Assess
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).not.toMatch(/\r[^\n]/);
  });

  it('threads when our own parser reads the reply token and ids back', async () => {
    // Prepare
    const raw = await composeOutboundEmail(turkishAcknowledgement());

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), {
      supportAddress: SUPPORT_ADDRESS,
    });

    // Assess
    expect(message.email?.threading.messageId).toBe('ack-51be07d4@support.example.com');
    expect(message.email?.threading.inReplyTo).toEqual([
      'CAH3vZk9Lr2mX7pQwE4tN8sYbC1uJ6dFg0hKaR5oVz2iTe7Wn3Q@mail.gmail.com',
    ]);
    expect(message.email?.signals.autoSubmitted).toBe('auto-replied');
  });

  it('ends References with the message it answers, drops malformed ids and keeps the last 50', async () => {
    // Prepare
    const older = Array.from({ length: 60 }, (_, index) => `ref-${index}@example.com`);
    const mail = turkishAcknowledgement({
      inReplyTo: '<parent@example.com>',
      references: ['parent@example.com', 'bad id@example.com', 'x\r\nBcc: y@example.com', ...older],
    });

    // Act
    const parsed = await simpleParser(Buffer.from(await composeOutboundEmail(mail)));

    // Assess
    const references = Array.isArray(parsed.references) ? parsed.references : [];
    expect(references).toHaveLength(50);
    expect(references[0]).toBe('<ref-11@example.com>');
    expect(references.at(-1)).toBe('<parent@example.com>');
    expect(parsed.inReplyTo).toBe('<parent@example.com>');
  });

  it('leaves out In-Reply-To and References for a message that starts a thread', async () => {
    // Prepare
    const mail = turkishAcknowledgement({ inReplyTo: undefined, references: [], replyTo: undefined });

    // Act
    const names = rawHeaderNames(await composeOutboundEmail(mail));

    // Assess
    expect(names).not.toContain('in-reply-to');
    expect(names).not.toContain('references');
    expect(names).not.toContain('reply-to');
  });
});

describe('composeOutboundEmail: header injection', () => {
  const expectedHeaders = [
    'auto-submitted',
    'x-auto-response-suppress',
    'content-language',
    'from',
    'to',
    'reply-to',
    'in-reply-to',
    'references',
    'subject',
    'message-id',
    'date',
    'content-transfer-encoding',
    'mime-version',
    'content-type',
  ];

  it('keeps a subject with CR/LF on one header line', async () => {
    // Prepare
    const mail = turkishAcknowledgement({ subject: 'Hi\r\nBcc: victim@example.com' });

    // Act
    const raw = await composeOutboundEmail(mail);

    // Assess
    expect(rawHeaderNames(raw).sort()).toEqual([...expectedHeaders].sort());
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.subject).toBe('Hi Bcc: victim@example.com');
    expect(parsed.bcc).toBeUndefined();
  });

  it('keeps a display name with a newline inside the From header', async () => {
    // Prepare
    const mail = turkishAcknowledgement({
      from: { name: 'Example Shop\nBcc: victim@example.com', address: SUPPORT_ADDRESS },
    });

    // Act
    const raw = await composeOutboundEmail(mail);

    // Assess
    expect(rawHeaderNames(raw).sort()).toEqual([...expectedHeaders].sort());
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.from?.value).toEqual([
      { name: 'Example Shop Bcc: victim@example.com', address: SUPPORT_ADDRESS },
    ]);
  });

  it('keeps an extra header value with CR/LF on its line', async () => {
    // Prepare
    const mail = turkishAcknowledgement({
      headers: {
        'Auto-Submitted': 'auto-replied\r\nBcc: victim@example.com',
        'X-Auto-Response-Suppress': 'All',
      },
    });

    // Act
    const raw = await composeOutboundEmail(mail);

    // Assess
    expect(rawHeaderNames(raw).sort()).toEqual([...expectedHeaders].sort());
  });

  it.each([
    ['a line break', 'X-Evil\r\nBcc'],
    ['a colon', 'X-Evil: yes'],
    ['a space', 'X Evil'],
  ])('refuses a header name with %s', async (_case, name) => {
    // Prepare
    const mail = turkishAcknowledgement({ headers: { [name]: 'value' } });

    // Act
    const error = await rejection(composeOutboundEmail(mail));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
  });

  it.each(['Bcc', 'to', 'Message-ID', 'Content-Type'])(
    'refuses to set the structural header %s through headers',
    async (name) => {
      // Prepare
      const mail = turkishAcknowledgement({ headers: { [name]: 'victim@example.com' } });

      // Act
      const error = await rejection(composeOutboundEmail(mail));

      // Assess
      expect(error).toBeInstanceOf(InvalidInputError);
    },
  );

  it.each([
    'victim@example.com\r\nBcc: other@example.com',
    'ayse@example.com, victim@example.com',
    'Ayşe <ayse@example.com>',
    'not-an-address',
    '',
  ])('refuses the recipient %j as a permanent delivery failure', async (to) => {
    // Prepare
    const mail = turkishAcknowledgement({ to });

    // Act
    const error = await rejection(composeOutboundEmail(mail));

    // Assess
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).reason).toBe('the recipient is not a valid email address');
  });

  it.each([
    ['from', { from: { name: 'Shop', address: 'support@support.example.com\nBcc: x@example.com' } }],
    ['replyTo', { replyTo: 'support+c-abc@support.example.com\r\nBcc: x@example.com' }],
    ['messageId', { messageId: 'ack-1@support.example.com\r\nBcc: x@example.com' }],
    ['messageId', { messageId: 'no-domain' }],
    ['language', { language: 'tr\r\nBcc: x@example.com' }],
    ['date', { date: new Date('not a date') }],
  ] as const)('refuses an invalid %s', async (field, override) => {
    // Prepare
    const mail = turkishAcknowledgement(override);

    // Act
    const error = await rejection(composeOutboundEmail(mail));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
  });

  it('drops a malformed In-Reply-To instead of failing the reply', async () => {
    // Prepare
    const mail = turkishAcknowledgement({ inReplyTo: 'x\r\nBcc: victim@example.com', references: [] });

    // Act
    const names = rawHeaderNames(await composeOutboundEmail(mail));

    // Assess
    expect(names).not.toContain('in-reply-to');
    expect(names).not.toContain('bcc');
  });
});

describe('composeOutboundEmail with files', () => {
  it('carries each file as an attachment part with its type, a one-line name and the exact bytes', async () => {
    // Prepare
    const pdf = new Uint8Array(Buffer.from('%PDF-1.4\nfatura\n%%EOF\n'));
    const mail = turkishAcknowledgement({
      attachments: [
        { filename: 'Fatura\r\nBcc: x@evil.example/ğ.pdf', contentType: 'application/pdf', content: pdf },
      ],
    });

    // Act
    const parsed = await simpleParser(Buffer.from(await composeOutboundEmail(mail)));

    // Assess
    expect(parsed.text?.trim()).toBe(mail.text);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.attachments).toHaveLength(1);
    const [file] = parsed.attachments;
    expect(file?.contentType).toBe('application/pdf');
    expect(file?.contentDisposition).toBe('attachment');
    expect(file?.filename).toBe('Fatura Bcc: x@evil.example_ğ.pdf');
    expect(new Uint8Array(file?.content ?? [])).toEqual(pdf);
  });
});
