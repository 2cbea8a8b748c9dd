import { compile } from 'html-to-text';
import { boundHtml, MAX_DEPTH, MAX_ELEMENTS } from './bounded-html.ts';

/**
 * html-to-text tuned for reading mail: no hard wrapping (the text is stored, not printed), links
 * as "text [url]" unless the text is the url, no images (tracking pixels, inline images are
 * attachments), headings and table cells as plain lines.
 */
const htmlToText = compile({
  wordwrap: false,
  // boundHtml already keeps depth and element count small; these only restate its bounds.
  limits: { maxDepth: MAX_DEPTH + 1, maxChildNodes: MAX_ELEMENTS + 1 },
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
 * Plain text of an HTML mail body, before normalization and reply extraction. The HTML is first
 * bounded (see bounded-html.ts), so the time taken grows with the size of the input only, never
 * with how it is nested: a body of any size SES accepts converts in well under a second.
 */
export function htmlToPlainText(html: string): string {
  return htmlToText(boundHtml(html));
}
