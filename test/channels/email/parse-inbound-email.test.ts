import { describe, expect, it } from 'vitest';
import {
  MAX_MIME_PARTS,
  MAX_RAW_EMAIL_BYTES,
  MAX_REFERENCES,
  MAX_TEXT_BYTES,
  parseInboundEmail,
  TRUNCATION_MARKER,
  UNNAMED_SENDER,
} from '../../../functions/channels/email/parse-inbound-email.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import { SENDER_NOT_NORMALISED } from '../../../functions/core/model.ts';
import { readEmailFixture, SUPPORT_ADDRESS, sesReceiptContext } from './email-fixtures.ts';

const options = { supportAddress: SUPPORT_ADDRESS };

/** A minimal well-formed message for the cases no client fixture covers. */
function syntheticMessage(headers: readonly string[], body = 'Hello, where is my order 100400?'): string {
  return [
    'From: Deniz Aydin <deniz.aydin@example.com>',
    'To: support@support.example.com',
    'Date: Fri, 6 Mar 2026 10:00:00 +0300',
    'Message-ID: <synthetic-1@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...headers,
    '',
    body,
    '',
  ].join('\r\n');
}

async function rejection(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('parseInboundEmail: replies keep only the new text', () => {
  it.each([
    {
      fixture: 'gmail-reply-en.eml',
      text: 'Hi, the order number is 100234. It still shows "preparing" after 5 days.\nCan you check?\n\nThanks,\nJane',
      quoted: 'We received your message and will get back to you',
    },
    {
      fixture: 'gmail-reply-tr.eml',
      text: 'Merhaba,\n\nSipariş numaram 100234. Kargo hâlâ yola çıkmadı görünüyor, yardımcı olabilir\nmisiniz?\n\nTeşekkürler,\nAyşe',
      quoted: 'tarihinde şunu yazdı:',
    },
    {
      fixture: 'outlook-reply-en.eml',
      text: "Hello,\n\nI still haven't received the refund for order 100187. It has been two weeks since I sent the parcel back.",
      quoted: 'Sent: Tuesday, March 3, 2026 10:15 AM',
    },
    {
      fixture: 'outlook-reply-tr.eml',
      text: 'Merhaba,\n\nÜrün bugün elime ulaştı ancak kutu hasarlı geldi. Fotoğrafları ekte gönderebilirim, nasıl ilerleyelim?',
      quoted: 'Kimden: Example Shop Destek <support@support.example.com>',
    },
    {
      fixture: 'apple-mail-reply.eml',
      text: 'Yes, please cancel it. I ordered the wrong size.',
      quoted: '> On 3 Mar 2026, at 10:15, Example Shop Support <support@support.example.com> wrote:',
    },
    {
      fixture: 'reply-with-token.eml',
      text: 'Thanks, that works for me. Please send the replacement to the same address.',
      quoted: 'Shall we use the address on the order?',
    },
  ])('$fixture yields only what the customer wrote', async ({ fixture, text, quoted }) => {
    // Prepare
    const raw = readEmailFixture(fixture);

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.text).toBe(text);
    expect(message.fullText).toContain(quoted);
    expect(message.fullText?.startsWith(text.split('\n')[0] ?? '')).toBe(true);
  });
});

describe('parseInboundEmail: replies from clients in other languages', () => {
  it.each([
    {
      fixture: 'gmail-reply-ru.eml',
      text: 'Спасибо, жду ответа. Номер заказа 100234.',
      quoted: 'нояб. 2026 г. в 12:58',
    },
    { fixture: 'apple-mail-reply-ru.eml', text: 'Да, адрес тот же.', quoted: 'написал(а):' },
    {
      fixture: 'thunderbird-reply-ru.eml',
      text: 'Посылка так и не пришла.',
      quoted: 'Example Shop Support пишет:',
    },
    {
      fixture: 'gmail-reply-de.eml',
      text: 'Danke, ich warte auf die Lieferung.',
      quoted: 'Uhr schrieb Example Shop Support',
    },
    {
      fixture: 'apple-mail-reply-de.eml',
      text: 'Bitte an die neue Adresse liefern.',
      quoted: 'Am 23.11.2026 um 12:58 schrieb',
    },
    { fixture: 'gmail-reply-fr.eml', text: "Merci, j'attends votre réponse.", quoted: 'a écrit' },
    { fixture: 'gmail-reply-es.eml', text: 'Gracias, espero su respuesta.', quoted: 'escribió:' },
    { fixture: 'outlook-mobile-reply-tr.eml', text: 'Tamam, teşekkürler.', quoted: 'şunu yazdı:' },
    {
      fixture: 'thunderbird-reply-tr.eml',
      text: 'Kargo hâlâ gelmedi.',
      quoted: 'tarihinde Example Shop Support yazdı:',
    },
  ])('$fixture yields only what the customer wrote', async ({ fixture, text, quoted }) => {
    // Prepare
    const raw = readEmailFixture(fixture);

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.text).toBe(text);
    expect(message.fullText).toContain(quoted);
  });

  it.each(['Am Montag schrieb mein Mann:', 'Annem dün yazdı:', 'Мой муж написал:'])(
    'keeps "%s" without an address or a time as the customer text',
    async (line) => {
      // Prepare
      const raw = syntheticMessage([], `Hallo,\r\n\r\n${line}\r\nDas Paket fehlt.`);

      // Act
      const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

      // Assess
      expect(message.text).toContain('Das Paket fehlt.');
    },
  );
});

describe('parseInboundEmail: who vouched for the sender', () => {
  it('names the organizational domains of From, the envelope and every DKIM signature', async () => {
    // Prepare
    const raw = readEmailFixture('gmail-reply-en.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess: X-SES-DKIM-SIGNATURE and X-Google-DKIM-Signature are not DKIM-Signature headers.
    expect(message.email?.authentication).toEqual({
      fromDomain: 'example.com',
      envelopeDomain: 'example.com',
      dkimDomains: ['example.com'],
    });
  });

  it("reads subdomains as their organization and keeps a signature's unreadable domain as ''", async () => {
    // Prepare
    const raw = syntheticMessage([
      'DKIM-Signature: v=1; a=rsa-sha256; s=s1; b=YWJj;\r\n\td=Mail.Esp.Example; c=relaxed/relaxed',
      'DKIM-Signature: v=1; a=rsa-sha256; s=s2; b=ZGVm',
    ]).replace('deniz.aydin@example.com', 'deniz@store.shop.co.uk');

    // Act
    const { message } = await parseInboundEmail(
      raw,
      sesReceiptContext({ source: 'bounce+123@bounces.mail.shop.co.uk' }),
      options,
    );

    // Assess
    expect(message.email?.authentication).toEqual({
      fromDomain: 'shop.co.uk',
      envelopeDomain: 'shop.co.uk',
      dkimDomains: ['esp.example', ''],
    });
  });
});

describe('parseInboundEmail: mail as it is stored', () => {
  it.each(['leading-blank-line.eml', 'leading-whitespace-line.eml', 'ses-headers-then-blank-line.eml'])(
    'reads %s, whose header block has a stray blank line before it',
    async (fixture) => {
      // Prepare
      const raw = readEmailFixture(fixture);

      // Act
      const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

      // Assess
      expect(message.from).toEqual({ kind: 'email', value: 'ayse.yilmaz@example.com' });
      expect(message.subject).toBe('Siparişim nerede?');
      expect(message.text).toBe('Merhaba, 100234 numaralı siparişim hâlâ gelmedi.\n\nAyşe');
      expect(message.email?.threading.messageId).toMatch(/@mail\.example\.com$/);
    },
  );

  it('keeps a body that starts with "Name: value" lines as the body', async () => {
    // Prepare
    const raw = syntheticMessage([], 'Order: 100234\r\nCarrier: Yurtiçi\r\n\r\nWhere is it?');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.text).toContain('Order: 100234');
    expect(message.text).toContain('Where is it?');
  });

  it('reads a mail of 1,500 parts: text, headers and the first parts, the rest recorded as dropped', async () => {
    // Prepare
    const raw = readEmailFixture('many-parts.eml');

    // Act
    const parsed = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    const { message } = parsed;
    expect(message.subject).toBe('Fatura kopyaları');
    expect(message.text).toContain('Sipariş 100234');
    expect(message.flags).toEqual(['truncated', 'mime-parts-dropped']);
    // The text part is one of the parts read: 999 attachments come with it.
    expect(parsed.attachments).toHaveLength(MAX_MIME_PARTS - 1);
    expect(parsed.attachments.at(-1)?.filename).toBe('satir-0999.csv');
    expect(parsed.droppedParts?.count).toBe(1_501 - MAX_MIME_PARTS);
    const notRead = message.attachments.find((a) => a.skippedReason !== undefined);
    expect(notRead?.skippedReason).toContain(
      `${1_501 - MAX_MIME_PARTS} MIME parts after the first ${MAX_MIME_PARTS}`,
    );
    expect(notRead?.size).toBeGreaterThan(0);
  });
});

describe('parseInboundEmail: new questions', () => {
  it('reads an English Gmail question with its sender, subject and provider ids', async () => {
    // Prepare
    const raw = readEmailFixture('new-question-en.eml');
    const context = sesReceiptContext({
      sesMessageId: 'ses-new-question-en',
      timestamp: '2026-03-06T07:31:20.118Z',
    });

    // Act
    const { message, attachments, truncated } = await parseInboundEmail(raw, context, options);

    // Assess
    expect(message).toMatchObject({
      channel: 'email',
      providerMessageId: expect.stringMatching(/^mid:[0-9a-f]{40}$/),
      receivedAt: '2026-03-06T07:31:20.118Z',
      from: { kind: 'email', value: 'sophie.taylor@example.com' },
      fromName: 'Sophie Taylor',
      subject: 'Where is my order #100301?',
      text: "Hello,\n\nI placed order #100301 last Friday and haven't received any shipping\nupdate yet. Where is my order?\n\nThanks,\nSophie Taylor",
      attachments: [],
    });
    expect(message.email?.threading).toEqual({
      messageId: 'CAK9pRz3Wm1xN7qL4vT8sB2yH6dG0eJcFa5uK1oQr9iZt3Xn7Vw@mail.gmail.com',
      inReplyTo: [],
      references: [],
    });
    expect(attachments).toEqual([]);
    expect(truncated).toBe(false);
  });

  it('reads a Turkish Outlook question with base64 body and ISO-8859-9 encoded headers', async () => {
    // Prepare
    const raw = readEmailFixture('new-question-tr.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.from).toEqual({ kind: 'email', value: 'can.yildiz@example.com' });
    expect(message.fromName).toBe('Can Yıldız');
    expect(message.subject).toBe('Siparişim nerede?');
    expect(message.text).toBe(
      'Merhaba, siparişim nerede?\n\n100310 numaralı siparişi 5 gün önce verdim ama hâlâ kargoya verilmedi görünüyor.\n\nTeşekkürler\nCan Yıldız',
    );
  });

  it('lowercases the sender address but keeps the display name', async () => {
    // Prepare
    const raw = readEmailFixture('gmail-reply-en.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.from).toEqual({ kind: 'email', value: 'jane.doe@example.com' });
    expect(message.fromName).toBe('Jane Doe');
  });

  it('accepts the raw message as a string as well as bytes', async () => {
    // Prepare
    const raw = readEmailFixture('new-question-en.eml');
    const fromBytes = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Act
    const fromString = await parseInboundEmail(raw.toString('utf8'), sesReceiptContext(), options);

    // Assess
    expect(fromString).toEqual(fromBytes);
  });
});

describe('parseInboundEmail: Turkish text in every transfer encoding and charset', () => {
  it('decodes UTF-8 quoted-printable with format=flowed', async () => {
    // Prepare
    const raw = readEmailFixture('quoted-printable-tr-utf8.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.subject).toBe('Klavye değişimi (sipariş 100245)');
    expect(message.fromName).toBe('Gülşen Işık');
    expect(message.text).toBe(
      'Merhaba,\n\nGeçen hafta aldığım kablosuz klavyede ğüşıöç İĞÜŞÖÇ tuşlarının hiçbiri çalışmıyor; diğer tuşlar sorunsuz. Sipariş numaram 100245.\n\nDeğişim için ne yapmam gerekiyor?\n\nİyi çalışmalar,\nGülşen Işık',
    );
  });

  it('decodes a base64 UTF-8 body', async () => {
    // Prepare
    const raw = readEmailFixture('base64-body.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.subject).toBe('Sipariş iptali');
    expect(message.fromName).toBe('Burak Şen');
    expect(message.text).toBe(
      'Merhaba,\n\n100251 numaralı siparişimi iptal etmek istiyorum. Ödemem ne zaman iade edilir?\n\nBurak Şen',
    );
  });

  it('decodes an 8bit ISO-8859-9 body and ISO-8859-9 encoded words', async () => {
    // Prepare
    const raw = readEmailFixture('iso-8859-9-tr.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(raw.includes(Buffer.from('ÇAĞDAŞ', 'utf8'))).toBe(false);
    expect(message.subject).toBe('Fatura adresi düzeltme');
    expect(message.fromName).toBe('Şükrü Çağlayan');
    expect(message.text).toBe(
      'Merhaba,\n\nDün verdiğim 100262 numaralı siparişin faturası yanlış unvanla düzenlenmiş.\nDoğru ve geçerli unvan: ÇAĞDAŞ GÜNEŞ İTHALAT ÖZEL ŞİRKETİ\nAdres: Işıklar Caddesi No: 5, Şişli / İstanbul\n\nDüzeltilmiş faturayı gönderebilir misiniz?\n\nŞükrü Çağlayan',
    );
  });
});

describe('parseInboundEmail: HTML-only mail', () => {
  it('turns the HTML body into readable text without tags, scripts or styles', async () => {
    // Prepare
    const raw = readEmailFixture('html-only.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.text).toBe(
      'Hello,\n\nI ordered the blue linen shirt (size M) and received size L. My order page still says M: order 100260 [https://shop.example.com/account/orders/100260].\n\nCould you tell me:\n * whether you can exchange it, and\n * how I send it back?\n\nThanks & best,\nLucas Martin',
    );
    expect(message.fullText).not.toMatch(/<\/?[a-z][^>]*>/i);
    expect(message.fullText).not.toContain('zmail');
    expect(message.fullText).not.toContain('tracking.example.net');
  });
});

describe('parseInboundEmail: attachments', () => {
  it('lists the PDF attachment and the inline image with their decoded sizes', async () => {
    // Prepare
    const raw = readEmailFixture('attachment-pdf.eml');
    const pdfBase64 = /X-Attachment-Id: f_mm3kx9a20\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(
      raw.toString('latin1'),
    )?.[1];
    const pdfBytes = Buffer.from(pdfBase64 ?? '', 'base64');

    // Act
    const { message, attachments } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(message.attachments).toEqual([
      { filename: 'box.png', contentType: 'image/png', size: 108 },
      { filename: 'İade formu.pdf', contentType: 'application/pdf', size: pdfBytes.byteLength },
    ]);
    const [image, pdf] = attachments;
    expect(image).toMatchObject({ inline: true, contentId: 'ii_mm3kx2f10' });
    expect(
      Buffer.from(image?.content ?? [])
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
    expect(pdf).toMatchObject({ inline: false, size: pdfBytes.byteLength });
    expect(Buffer.from(pdf?.content ?? []).equals(pdfBytes)).toBe(true);
    expect(message.text).toContain('Please find the signed return form for order 100277 attached.');
  });

  it('names attachments without a file name and strips paths and invisible characters', async () => {
    // Prepare
    const boundary = 'b1';
    const raw = [
      'From: Deniz Aydin <deniz.aydin@example.com>',
      'To: support@support.example.com',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Two files.',
      `--${boundary}`,
      'Content-Type: application/octet-stream',
      "Content-Disposition: attachment; filename*=UTF-8''..%2F..%2Finvoice%E2%80%AEfdp.exe",
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('MZ-not-really').toString('base64'),
      `--${boundary}`,
      'Content-Type: application/x-unknown-thing',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('0123456789').toString('base64'),
      `--${boundary}--`,
      '',
    ].join('\r\n');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.attachments).toEqual([
      { filename: 'invoicefdp.exe', contentType: 'application/octet-stream', size: 13 },
      { filename: 'attachment-2', contentType: 'application/x-unknown-thing', size: 10 },
    ]);
  });
});

describe('parseInboundEmail: automation signals', () => {
  it('reports a delivery status notification from the null sender', async () => {
    // Prepare
    const raw = readEmailFixture('bounce-dsn.eml');

    // Act
    const { message, attachments } = await parseInboundEmail(raw, sesReceiptContext({ source: '' }), options);

    // Assess
    expect(message.from).toEqual({ kind: 'email', value: 'mailer-daemon@mx1.example.org' });
    expect(message.email?.signals).toEqual({
      autoSubmitted: 'auto-replied',
      returnPath: '',
      subject: 'Undelivered Mail Returned to Sender',
      contentType: 'multipart/report',
    });
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['attachment-1', 'message/delivery-status'],
      ['attachment-2', 'text/rfc822-headers'],
    ]);
    expect(message.text).toContain('Recipient address rejected');
  });

  it('falls back to the Return-Path header when the envelope sender is not known', async () => {
    // Prepare
    const raw = readEmailFixture('bounce-dsn.eml');
    const context = sesReceiptContext();

    // Act
    const { message } = await parseInboundEmail(raw, context, options);

    // Assess
    expect(message.email?.signals.returnPath).toBe('');
  });

  it('reports an Outlook out-of-office reply', async () => {
    // Prepare
    const raw = readEmailFixture('out-of-office-outlook.eml');

    // Act
    const { message } = await parseInboundEmail(
      raw,
      sesReceiptContext({ source: 'daniel.white@example.com' }),
      options,
    );

    // Assess
    expect(message.email?.signals).toEqual({
      autoSubmitted: 'auto-replied',
      xAutoResponseSuppress: 'All',
      returnPath: 'daniel.white@example.com',
      subject: 'Automatic reply: Your order 100234 has shipped',
      contentType: 'multipart/alternative',
    });
    expect(message.email?.threading.inReplyTo).toEqual(['order-100234-shipped@support.example.com']);
  });

  it('reports a Turkish vacation responder that only says so in its subject and X-Autoreply', async () => {
    // Prepare
    const raw = readEmailFixture('out-of-office-tr-subject.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.email?.signals).toEqual({
      precedence: 'auto_reply',
      xAutoreply: 'yes',
      returnPath: 'zeynep.kaya@example.com',
      subject: 'Otomatik yanıt: Siparişiniz kargoya verildi',
      contentType: 'text/plain',
    });
  });

  it('reports a mailing list message', async () => {
    // Prepare
    const raw = readEmailFixture('mailing-list.eml');
    const source = 'shop-owners-bounces+support=support.example.com@lists.example.org';

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext({ source }), options);

    // Assess
    expect(message.email?.signals).toEqual({
      precedence: 'list',
      listId: 'Shop owners forum <shop-owners.lists.example.org>',
      listUnsubscribe: '<mailto:shop-owners-leave@lists.example.org>',
      returnPath: source,
      subject: '[Shop owners] Carrier pickups delayed this week?',
      contentType: 'text/plain',
    });
  });

  it('reports a no-reply sender with its bounce address as return path', async () => {
    // Prepare
    const raw = readEmailFixture('no-reply-sender.eml');
    const source = 'bounces+1234567-ab12-support=support.example.com@em4821.payments.example.com';

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext({ source }), options);

    // Assess
    expect(message.from).toEqual({ kind: 'email', value: 'no-reply@payments.example.com' });
    expect(message.email?.signals).toMatchObject({
      returnPath: source,
      subject: 'Payout of 1,250.00 TRY sent',
    });
    expect(message.email?.signals.autoSubmitted).toBeUndefined();
  });

  it('collects every X-Loop value and X-Autorespond when X-Autoreply is absent', async () => {
    // Prepare
    const raw = syntheticMessage([
      'X-Loop: helpdesk@example.net',
      'X-Loop: support@support.example.com',
      'X-Autorespond: vacation',
    ]);

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.email?.signals.xLoop).toEqual(['helpdesk@example.net', 'support@support.example.com']);
    expect(message.email?.signals.xAutoreply).toBe('vacation');
  });

  it('passes the SES verdicts and envelope recipients through', async () => {
    // Prepare
    const raw = readEmailFixture('new-question-en.eml');
    const verdicts = { spam: 'FAIL', virus: 'PASS', spf: 'GRAY', dkim: 'FAIL', dmarc: 'FAIL' } as const;
    const recipients = [SUPPORT_ADDRESS, 'returns@support.example.com'];

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext({ verdicts, recipients }), options);

    // Assess
    expect(message.email?.verdicts).toEqual(verdicts);
    expect(message.email?.recipients).toEqual(recipients);
  });
});

describe('parseInboundEmail: threading hints', () => {
  it('normalizes Message-ID, In-Reply-To and folded References without angle brackets', async () => {
    // Prepare
    const raw = readEmailFixture('outlook-reply-en.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.email?.threading).toEqual({
      messageId: 'AM9PR03MB7219C8E4D1F2A3B4C5D6E7F8AM9PR03MB7219@AM9PR03MB7219.eurprd03.prod.outlook.com',
      inReplyTo: ['reply-2c90e6b1-1@support.example.com'],
      references: ['ack-2c90e6b1@support.example.com', 'reply-2c90e6b1-1@support.example.com'],
    });
  });

  it('reads the reply token from the envelope recipient', async () => {
    // Prepare
    const raw = readEmailFixture('reply-with-token.eml');
    const context = sesReceiptContext({ recipients: ['support+c-abc123@support.example.com'] });

    // Act
    const { message } = await parseInboundEmail(raw, context, options);

    // Assess
    expect(message.email?.threading.replyToken).toBe('abc123');
    expect(message.email?.threading.inReplyTo).toEqual([]);
  });

  it('reads the reply token from the To header when the envelope went to the plain address', async () => {
    // Prepare
    const raw = readEmailFixture('reply-with-token.eml');

    // Act
    const { message } = await parseInboundEmail(
      raw,
      sesReceiptContext({ recipients: [SUPPORT_ADDRESS] }),
      options,
    );

    // Assess
    expect(message.email?.threading.replyToken).toBe('abc123');
  });

  it('has no reply token when no recipient carries one', async () => {
    // Prepare
    const raw = readEmailFixture('gmail-reply-en.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.email?.threading.replyToken).toBeUndefined();
  });

  it(`keeps only the last ${MAX_REFERENCES} references`, async () => {
    // Prepare
    const ids = Array.from({ length: 60 }, (_, index) => `<ref-${index}@example.com>`);
    const raw = syntheticMessage([`References: ${ids.join('\r\n ')}`, 'In-Reply-To: <ref-59@example.com>']);

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    const references = message.email?.threading.references ?? [];
    expect(references).toHaveLength(MAX_REFERENCES);
    expect(references[0]).toBe('ref-10@example.com');
    expect(references.at(-1)).toBe('ref-59@example.com');
  });

  it('puts a subject with encoded line breaks on one line', async () => {
    // Prepare
    const raw = syntheticMessage(['Subject: =?UTF-8?Q?Hi=0D=0ABcc=3A_victim@example.com?=']);

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.subject).toBe('Hi Bcc: victim@example.com');
    expect(message.email?.signals.subject).toBe('Hi Bcc: victim@example.com');
  });
});

describe('parseInboundEmail: input that is not a usable email', () => {
  it('rejects a file that is not an email at all', async () => {
    // Prepare
    const raw = readEmailFixture('garbage.eml');

    // Act
    const error = await rejection(parseInboundEmail(raw, sesReceiptContext(), options));

    // Assess
    expect(error.reason).toBe('the input is not an email message: it does not start with header fields');
  });

  it('keeps a message without a From header on its envelope sender, flagged', async () => {
    // Prepare
    const raw = readEmailFixture('missing-from.eml');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.from).toEqual({ kind: 'email', value: 'www-data@shop-backend.example.com' });
    expect(message.flags).toContain(SENDER_NOT_NORMALISED);
    expect(message.text).not.toBe('');
  });

  it('keeps a message whose From holds no valid address as the From gave it, flagged', async () => {
    // Prepare
    const raw = syntheticMessage([]).replace('<deniz.aydin@example.com>', '<deniz.aydin at example.com>');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.from.kind).toBe('email');
    expect(message.from.value).toContain('deniz.aydin at example.com');
    expect(message.flags).toContain(SENDER_NOT_NORMALISED);
    expect(message.fromName).toBeUndefined();
  });

  it('keeps a message that names no sender at all under a stand-in name, flagged', async () => {
    // Prepare: no From header, no Return-Path, no envelope sender.
    const raw = readEmailFixture('missing-from.eml')
      .toString('utf8')
      .replace(/^Return-Path: .*\r?\n/m, '');

    // Act
    const { message } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(message.from).toEqual({ kind: 'email', value: UNNAMED_SENDER });
    expect(message.flags).toContain(SENDER_NOT_NORMALISED);
  });

  it('rejects empty input', async () => {
    // Prepare
    const raw = new Uint8Array(0);

    // Act
    const error = await rejection(parseInboundEmail(raw, sesReceiptContext(), options));

    // Assess
    expect(error.reason).toBe('the message is empty');
  });

  it('rejects a message larger than SES accepts before parsing it', async () => {
    // Prepare
    const raw = new Uint8Array(MAX_RAW_EMAIL_BYTES + 1);

    // Act
    const error = await rejection(parseInboundEmail(raw, sesReceiptContext(), options));

    // Assess
    expect(error.reason).toBe(
      `the message is ${MAX_RAW_EMAIL_BYTES + 1} bytes, more than the ${MAX_RAW_EMAIL_BYTES} bytes accepted`,
    );
  });

  it('applies a lower size limit when one is given', async () => {
    // Prepare
    const raw = readEmailFixture('new-question-en.eml');

    // Act
    const error = await rejection(
      parseInboundEmail(raw, sesReceiptContext(), { ...options, maxRawBytes: 1_024 }),
    );

    // Assess
    expect(error.reason).toMatch(/more than the 1024 bytes accepted$/);
  });

  it('turns a MIME parser failure into InvalidInputError with the cause kept', async () => {
    // Prepare: a header block beyond the parser's 1 MB limit
    const raw = syntheticMessage([`X-Padding: ${'a'.repeat(1_100_000)}`]);

    // Act
    const error = await rejection(parseInboundEmail(raw, sesReceiptContext(), options));

    // Assess
    expect(error.reason).toBe('the message could not be parsed as MIME');
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('parseInboundEmail: long bodies', () => {
  it(`truncates text to ${MAX_TEXT_BYTES} bytes of UTF-8 and marks it`, async () => {
    // Prepare: two-byte characters, so a naive cut would split one
    const body = `${'ğ'.repeat(50_000)}\r\n`;
    const raw = syntheticMessage(['Content-Transfer-Encoding: 8bit'], body);

    // Act
    const { message, truncated } = await parseInboundEmail(raw, sesReceiptContext(), options);

    // Assess
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(message.fullText ?? '', 'utf8')).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    expect(message.fullText?.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(message.text).toBe(message.fullText);
    expect(message.text).not.toContain('\uFFFD');
  });
});

describe('parseInboundEmail: the dedupe key of a mail', () => {
  it('is the same for two SES copies of one mail (a sending server that retried)', async () => {
    // Prepare
    const raw = syntheticMessage([]);

    // Act
    const first = await parseInboundEmail(raw, sesReceiptContext({ sesMessageId: 'ses-copy-1' }), options);
    const second = await parseInboundEmail(raw, sesReceiptContext({ sesMessageId: 'ses-copy-2' }), options);

    // Assess
    expect(first.message.providerMessageId).toBe(second.message.providerMessageId);
    expect(first.message.providerMessageId).toMatch(/^mid:[0-9a-f]{40}$/);
  });

  it('differs when another sender reuses the Message-ID', async () => {
    // Prepare
    const genuine = syntheticMessage([]);
    const copycat = genuine.replace('Deniz Aydin <deniz.aydin@example.com>', 'Mallory <mallory@example.net>');

    // Act
    const a = await parseInboundEmail(genuine, sesReceiptContext(), options);
    const b = await parseInboundEmail(copycat, sesReceiptContext(), options);

    // Assess
    expect(a.message.providerMessageId).not.toBe(b.message.providerMessageId);
  });

  it('falls back to the SES message id for mail without a Message-ID', async () => {
    // Prepare
    const raw = syntheticMessage([]).replace('Message-ID: <synthetic-1@example.com>\r\n', '');

    // Act
    const { message } = await parseInboundEmail(
      raw,
      sesReceiptContext({ sesMessageId: 'ses-no-mid' }),
      options,
    );

    // Assess
    expect(message.providerMessageId).toBe('ses:ses-no-mid');
  });
});
