import { compile } from 'html-to-text';

/**
 * html-to-text tuned for reading mail: no hard wrapping (the text is stored, not printed), links
 * as "text [url]" unless the text is the url, no images (tracking pixels, inline images are
 * attachments), headings and table cells as plain lines.
 */
const htmlToText = compile({
  wordwrap: false,
  limits: { maxDepth: 200, maxChildNodes: 5_000 },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'hr', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'td', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'th', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
  ],
});

/**
 * A `<br>` that ends a non-empty block draws no extra line in a browser, but html-to-text renders
 * it as one; clients end nearly every `<div>` with one (`<div>Thanks,<br></div>`). A block holding
 * only a `<br>` is a blank line in both, so it stays.
 */
const TRAILING_BREAK =
  /(<(?:div|p)\b[^>]*>)?\s*<br\s*\/?>(?=\s*<\/(?:div|p|li|td|th|blockquote|h[1-6])\s*>)/gi;

/** Plain text of an HTML mail body, before normalization and reply extraction. */
export function htmlToPlainText(html: string): string {
  const withoutTrailingBreaks = html.replace(TRAILING_BREAK, (match, opening: string | undefined) =>
    opening === undefined ? '' : match,
  );
  return htmlToText(withoutTrailingBreaks);
}
