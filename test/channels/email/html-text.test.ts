import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../../functions/channels/email/bounded-html.ts';
import { htmlToPlainText } from '../../../functions/channels/email/html-text.ts';
import { parseInboundEmail } from '../../../functions/channels/email/parse-inbound-email.ts';
import { SUPPORT_ADDRESS, sesReceiptContext } from './email-fixtures.ts';

describe('htmlToPlainText', () => {
  it.each([
    ['a <br> that ends a block draws no line', '<div>Thanks,<br></div><div>Ayşe</div>', 'Thanks,\nAyşe'],
    [
      'a block holding only a <br> is a blank line',
      '<div>Hello</div><div><br></div><div>Bye</div>',
      'Hello\n\n\nBye',
    ],
    ['a <br> inside text breaks the line', '<p>one<br>two</p>', 'one\ntwo'],
    [
      'links keep their address',
      '<p>See <a href="https://shop.example/t?a=1&amp;b=2">tracking</a></p>',
      'See tracking [https://shop.example/t?a=1&b=2]',
    ],
    ['entities are decoded once', '<p>a &amp;lt; b &lt; c</p>', 'a &lt; b < c'],
    [
      'scripts and styles are not text',
      '<style>p{color:red}</style><p>Hi</p><script>alert(1)</script>',
      'Hi',
    ],
    [
      'unclosed paragraphs and list items still break',
      '<p>one<p>two<ul><li>a<li>b</ul>',
      'one\n\ntwo\n\n * a\n * b',
    ],
    ['table cells are lines', '<table><tr><td>Order</td><td>100234</td></tr></table>', 'Order\n100234'],
  ])('%s', (_case, html, expected) => {
    // Act
    const text = htmlToPlainText(html);

    // Assess
    expect(text.trim()).toBe(expected);
  });

  it('keeps the text of elements nested deeper than the structure it keeps', () => {
    // Prepare
    const depth = MAX_DEPTH * 10;
    const html = `${'<div><b>'.repeat(depth)}deep text${'</b></div>'.repeat(depth)}<p>after</p>`;

    // Act
    const text = htmlToPlainText(html);

    // Assess
    expect(text).toContain('deep text');
    expect(text).toContain('after');
  });
});

// ---------------------------------------------------------------------------------------------
// CPU bound: adversarial HTML of one size converts in time comparable to plain text of that size.

/** The size of each adversarial body: the 1.2 MB that blocked the sandbox for 32 seconds. */
const BODY_BYTES = 1_200_000;
/** How much longer than a plain-text mail of the same size an HTML mail may take, at most. */
const MAX_TIME_RATIO = 25;

const tagName = fc.constantFrom(
  'div',
  'b',
  'span',
  'td',
  'tr',
  'table',
  'li',
  'ul',
  'p',
  'blockquote',
  'font',
  'a',
);
const attributes = fc
  .array(fc.tuple(fc.constantFrom('style', 'class', 'data-x', 'href', 'a'), fc.string({ maxLength: 20 })), {
    maxLength: 300,
  })
  .map((list) => list.map(([name, value]) => ` ${name}="${value.replace(/"/g, '')}"`).join(''));

/** One repeating unit of hostile HTML; repeated to {@link BODY_BYTES}. */
const adversarialUnit = fc.oneof(
  // Deep nesting, closed or not.
  fc
    .tuple(tagName, fc.integer({ min: 50, max: 5_000 }), fc.boolean())
    .map(([tag, depth, closed]) => `${`<${tag}>`.repeat(depth)}x${closed ? `</${tag}>`.repeat(depth) : ''}`),
  // Unclosed tags with text between them.
  fc.tuple(tagName, fc.string({ maxLength: 5 })).map(([tag, text]) => `<${tag}>${text.replace(/[<&]/g, '')}`),
  // Many attributes, and tags left open in the middle of one.
  fc.tuple(tagName, attributes).map(([tag, attrs]) => `<${tag}${attrs}>x</${tag}>`),
  attributes.map((attrs) => `<div${attrs} title="`),
  // Huge tables.
  fc
    .integer({ min: 1, max: 50 })
    .map((cells) => `<table>${`<tr>${'<td>cell</td>'.repeat(cells)}</tr>`.repeat(200)}</table>`),
  // Closing tags of elements that are not open, against a pile of open ones.
  fc.tuple(tagName, tagName).map(([open, close]) => `<${open}>x</${close}>`),
  // Runs of whitespace before a line break.
  fc.integer({ min: 1, max: 100_000 }).map((spaces) => `<div>${' '.repeat(spaces)}<br></div>`),
);

function mail(contentType: string, body: string): Buffer {
  return Buffer.from(
    [
      'From: Ayşe Yılmaz <ayse@example.com>',
      `To: ${SUPPORT_ADDRESS}`,
      'Subject: Siparişim',
      'Message-ID: <cpu-bound@example.com>',
      'MIME-Version: 1.0',
      `Content-Type: ${contentType}; charset=utf-8`,
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
    ].join('\r\n'),
    'utf8',
  );
}

/** The fastest of a few runs: the least disturbed by whatever else the machine does. */
async function fastestMs(work: () => Promise<unknown>, runs = 3): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const parse = (raw: Buffer) =>
  parseInboundEmail(raw, sesReceiptContext(), { supportAddress: SUPPORT_ADDRESS });

describe('HTML mail under adversarial input', () => {
  it(`parses ${BODY_BYTES / 1e6} MB of hostile HTML within ${MAX_TIME_RATIO}× a plain-text mail of that size (fast-check)`, async () => {
    // Prepare: the baseline, a plain-text mail of the same size through the same parser.
    const plain = mail(
      'text/plain',
      'Merhaba, siparişim nerede? '.repeat(BODY_BYTES / 28).slice(0, BODY_BYTES),
    );
    const plainMs = await fastestMs(() => parse(plain));

    await fc.assert(
      fc.asyncProperty(adversarialUnit, async (unit) => {
        const body = unit.repeat(Math.ceil(BODY_BYTES / unit.length)).slice(0, BODY_BYTES);
        const hostile = mail('text/html', body);

        // Act
        const htmlMs = await fastestMs(() => parse(hostile), 2);

        // Assess
        expect(
          htmlMs / plainMs,
          `${htmlMs.toFixed(0)} ms against ${plainMs.toFixed(0)} ms for plain text`,
        ).toBeLessThan(MAX_TIME_RATIO);
      }),
      { numRuns: 12 },
    );
  }, 180_000);
});
