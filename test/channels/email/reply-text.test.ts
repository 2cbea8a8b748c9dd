import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { htmlToPlainText } from '../../../functions/channels/email/html-text.ts';
import { extractNewText, normalizeBodyText } from '../../../functions/channels/email/reply-text.ts';
import { readEmailFixture } from './email-fixtures.ts';

describe('normalizeBodyText', () => {
  it('unifies line breaks, drops control characters and collapses blank lines', () => {
    // Prepare
    const body = '\uFEFF Hello\u00A0there  \r\n\r\n\r\n\r\nsecond\u0000 line\t \rthird\u2028fourth\n\n';

    // Act
    const text = normalizeBodyText(body);

    // Assess
    expect(text).toBe('Hello there\n\nsecond line\nthird\nfourth');
  });

  it('stays fast on a long run of spaces inside a line', () => {
    // Prepare
    const body = `a${' '.repeat(200_000)}b`;
    const started = performance.now();

    // Act
    const text = normalizeBodyText(body);

    // Assess
    expect(text).toBe(body);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('extractNewText: quote headers the reply parser misses', () => {
  it.each([
    {
      name: 'Outlook block whose From line has no address',
      body: 'Please cancel it.\n\nFrom: Example Shop Support\nSent: Tuesday, March 3, 2026 10:15 AM\nTo: Emma\nSubject: Re: Order\n\nHello Emma,',
      expected: 'Please cancel it.',
    },
    {
      name: 'Outlook "-----Original Message-----" separator',
      body: 'Thanks!\n\n-----Original Message-----\nFrom: support@support.example.com\nSent: Tuesday\n\nHello',
      expected: 'Thanks!',
    },
    {
      name: 'Turkish Outlook "-----Özgün İleti-----" separator without a header block',
      body: 'Teşekkürler.\n\n-----Özgün İleti-----\nMerhaba, siparişiniz yolda.',
      expected: 'Teşekkürler.',
    },
    {
      name: 'Turkish Outlook block with "Gönderen:" and the separator line above it',
      body: 'Tamamdır.\n________________________________\nGönderen: Example Shop Destek <support@support.example.com>\nGönderildi: 3 Mart 2026 Salı 10:15\nKonu: Sipariş',
      expected: 'Tamamdır.',
    },
    {
      name: 'Outlook for Mac block with "Date:" and an address',
      body: 'See below.\n\nFrom: Example Shop Support <support@support.example.com>\nDate: Tuesday, 3 March 2026 at 10:15\nTo: Emma',
      expected: 'See below.',
    },
    {
      name: 'Turkish Apple Mail attribution',
      body: 'Evet, iptal edin lütfen.\n\n3 Mar 2026 tarihinde 10:15 saatinde, Example Shop Destek <support@support.example.com> şunu yazdı:\n\n> Merhaba',
      expected: 'Evet, iptal edin lütfen.',
    },
    {
      name: 'Gmail attribution wrapped over three lines',
      body: 'Got it.\n\nOn Tue, Mar 3, 2026 at 10:15 AM Example Shop Customer Support Team\nfor Orders <\nsupport@support.example.com> wrote:\n\n> Hello',
      expected: 'Got it.',
    },
    {
      name: 'attribution with no blank line above it',
      body: 'Yes please.\nOn Tue, Mar 3, 2026 at 10:15 AM Support <support@support.example.com> wrote:\nHello, shall we refund?',
      expected: 'Yes please.',
    },
    {
      name: 'Turkish iPhone signature',
      body: 'Kargo gelmedi.\n\niPhone’umdan gönderildi\n\n> 3 Mar 2026 tarihinde 10:15 saatinde, Destek <support@support.example.com> şunu yazdı:',
      expected: 'Kargo gelmedi.',
    },
  ])('cuts at the $name', ({ body, expected }) => {
    // Prepare
    const fullText = normalizeBodyText(body);

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('extractNewText: text that only looks like a quote header stays', () => {
  it.each([
    {
      name: 'an "On … wrote:" sentence without an address',
      body: 'On Monday my husband wrote: "please check the order".\nCan you help?',
    },
    {
      name: 'a shipping request with From: and Date: lines',
      body: 'Please ship it:\nFrom: Ankara\nDate: 5 March\nTo: İzmir',
    },
  ])('keeps $name', ({ body }) => {
    // Prepare
    const fullText = normalizeBodyText(body);

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(fullText);
  });

  it('returns the whole text when everything in it is quoted', () => {
    // Prepare
    const fullText = normalizeBodyText('> Hello Emma,\n> your order has shipped.');

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(fullText);
  });
});

describe('extractNewText: forwards', () => {
  it("keeps a forwarded message whole after the customer's own words, without their signature", () => {
    // Prepare
    const forwarded =
      '---------- Forwarded message ---------\nFrom: Example Shop <orders@shop.example.com>\nDate: Mon, Mar 2, 2026 at 9:00 AM\nSubject: Order 100234 confirmed\n\nThank you for your order 100234.';
    const fullText = normalizeBodyText(`This is the order I mean.\n\nSent from my iPhone\n\n${forwarded}`);

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(`This is the order I mean.\n\n${forwarded}`);
  });

  it('keeps a Turkish Gmail forward without any own words', () => {
    // Prepare
    const fullText = normalizeBodyText(
      '---------- Yönlendirilmiş ileti ---------\nGönderen: Kargo <bildirim@kargo.example.com>\nDate: 2 Mar 2026 Pzt 09:00\n\nKargonuz teslim edilemedi.',
    );

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(fullText);
  });

  it('treats a forward marker inside quoted history as history', () => {
    // Prepare
    const fullText = normalizeBodyText(
      'Any news?\n\nOn Tue, Mar 3, 2026 at 10:15 AM Support <support@support.example.com> wrote:\n\n---------- Forwarded message ---------\nold forwarded text',
    );

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe('Any news?');
  });
});

describe('extractNewText: hostile input stays fast', () => {
  it('handles a 64 KB line that starts like an attribution', () => {
    // Prepare
    const fullText = `On ${'a '.repeat(32_000)}`.trim();
    const started = performance.now();

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(fullText);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('handles thousands of short lines that start like quote headers', () => {
    // Prepare
    const fullText = Array.from({ length: 12_000 }, (_, index) => (index % 2 === 0 ? 'Op a' : 'Den x')).join(
      '\n',
    );
    const started = performance.now();

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(fullText);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('keeps a long quoted line hidden and a long new line visible', () => {
    // Prepare
    const longNewLine = `I need help ${'x'.repeat(3_000)}`;
    const fullText = `${longNewLine}\n\nOn Tue, Mar 3, 2026 Support <support@support.example.com> wrote:\n> ${'y'.repeat(3_000)}`;

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(text).toBe(longNewLine);
  });
});

describe('extractNewText on text converted from the HTML part of real replies', () => {
  it.each([
    {
      fixture: 'gmail-reply-en.eml',
      expected:
        'Hi, the order number is 100234. It still shows "preparing" after 5 days.\nCan you check?\n\nThanks,\nJane',
    },
    {
      fixture: 'gmail-reply-tr.eml',
      expected:
        'Merhaba,\n\nSipariş numaram 100234. Kargo hâlâ yola çıkmadı görünüyor, yardımcı olabilir misiniz?\n\nTeşekkürler,\nAyşe',
    },
    {
      fixture: 'outlook-reply-en.eml',
      expected:
        "Hello,\n\nI still haven't received the refund for order 100187. It has been two weeks since I sent the parcel back.",
    },
    {
      fixture: 'outlook-reply-tr.eml',
      expected:
        'Merhaba,\n\nÜrün bugün elime ulaştı ancak kutu hasarlı geldi. Fotoğrafları ekte gönderebilirim, nasıl ilerleyelim?',
    },
    { fixture: 'apple-mail-reply.eml', expected: 'Yes, please cancel it. I ordered the wrong size.' },
    {
      fixture: 'reply-with-token.eml',
      expected: 'Thanks, that works for me. Please send the replacement to the same address.',
    },
  ])('$fixture', async ({ fixture, expected }) => {
    // Prepare
    const mail = await simpleParser(readEmailFixture(fixture), { skipHtmlToText: true, keepCidLinks: true });
    const html = typeof mail.html === 'string' ? mail.html : '';
    const fullText = normalizeBodyText(htmlToPlainText(html));

    // Act
    const text = extractNewText(fullText);

    // Assess
    expect(html).not.toBe('');
    expect(text).toBe(expected);
  });
});

describe('htmlToPlainText', () => {
  it('renders blocks, lists, links and headings as readable text', () => {
    // Prepare
    const html =
      '<html><head><style>p{color:red}</style><title>ignored</title></head><body>' +
      '<h2>Order 100400</h2><div>Hello,<br></div><div><br></div><div>See <a href="https://shop.example.com/o/100400">my order</a>' +
      ' or write to <a href="mailto:ayse@example.com">ayse@example.com</a>.<br></div>' +
      '<ul><li>blue</li><li>size M</li></ul><table><tr><td>Qty</td><td>2</td></tr></table>' +
      '<img src="cid:logo" alt="logo"><script>track()</script></body></html>';

    // Act
    const text = normalizeBodyText(htmlToPlainText(html));

    // Assess
    expect(text).toBe(
      'Order 100400\n\nHello,\n\nSee my order [https://shop.example.com/o/100400] or write to ayse@example.com.\n * blue\n * size M\n\nQty\n2',
    );
  });
});
