import { Tokenizer } from 'htmlparser2';

/**
 * A bounded copy of an HTML mail body, for html-to-text to read.
 *
 * html-to-text (and htmlparser2's tree builder under it) take time quadratic in the nesting
 * depth: a 1.2 MB body of unclosed `<b>` tags blocked a function for half a minute. This pass
 * reads the HTML once with htmlparser2's tokenizer (linear, no tree) and writes HTML that keeps
 * every piece of text and only as much structure as a person's mail has: at most
 * {@link MAX_DEPTH} open elements, {@link MAX_ELEMENTS} elements in all, no attributes but a
 * link's `href`, no comments, scripts or styles. Tags past a limit are dropped; their text stays.
 * It stops once {@link MAX_OUTPUT_CHARS} are written: more than the text a message keeps.
 */

/** Deeper than any mail client nests a reply chain; past it, elements lose their tags. */
export const MAX_DEPTH = 32;
/** Elements written in all; past it, the rest of the body is text only. */
export const MAX_ELEMENTS = 20_000;
/** Far more than the body text kept (see parse-inbound-email), so the cut never shows. */
export const MAX_OUTPUT_CHARS = 2_000_000;

/** Elements with no content and no closing tag. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Their content is code or presentation, never text for a reader. */
const DROPPED_WITH_CONTENT = new Set(['script', 'style']);

/** A tag name worth writing back: lowercase letters, digits, "-" (custom elements). */
const TAG_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Which open elements an opening tag closes (a subset of the HTML parsing rules, as htmlparser2 has them). */
const P_CLOSERS = [
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'div',
  'ul',
  'ol',
  'table',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'hr',
];
const OPEN_IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ...P_CLOSERS.map((name) => [name, new Set(['p'])] as const),
  ['li', new Set(['li', 'p'])],
  ['tr', new Set(['tr', 'td', 'th'])],
  ['td', new Set(['td', 'th'])],
  ['th', new Set(['td', 'th'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
]);

/**
 * Closing one of these right after a `<br>` makes the `<br>` draw nothing in a browser, though
 * html-to-text would render it as a line; clients end nearly every block with one
 * (`<div>Thanks,<br></div>`). A block holding only a `<br>` is a blank line in both, so it stays.
 */
const BREAK_ABSORBING_CLOSERS = new Set([
  'div',
  'p',
  'li',
  'td',
  'th',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);
const BREAK_KEEPING_OPENERS = new Set(['div', 'p']);

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"]/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : '&quot;',
  );
}

class BoundedHtmlWriter {
  readonly #html: string;
  readonly #out: string[] = [];
  #outChars = 0;
  readonly #stack: string[] = [];
  /** Elements open past the depth or element limit: their closing tags are swallowed. */
  #droppedDepth = 0;
  #elements = 0;
  #full = false;

  // The tag being read.
  #tagName = '';
  #attributeName = '';
  #attributeValue = '';
  #href: string | undefined;

  /** Inside <script> or <style>: text is dropped. */
  #inDroppedContent = false;
  /** A `<br>` waiting to see whether a block closes right after it, and the blank text since. */
  #pendingBreak: { keep: boolean; whitespace: string } | undefined;
  /** The last thing written was the opening of a `div` or `p` (only whitespace since). */
  #afterBlockOpening = false;

  constructor(html: string) {
    this.#html = html;
  }

  get full(): boolean {
    return this.#full;
  }

  result(): string {
    this.#flushBreak();
    while (this.#stack.length > 0) this.#write(`</${this.#stack.pop()}>`);
    return this.#out.join('');
  }

  slice(start: number, end: number): string {
    return this.#html.slice(start, end);
  }

  text(value: string): void {
    if (this.#inDroppedContent || value === '') return;
    if (this.#pendingBreak && value.trim() === '') {
      this.#pendingBreak.whitespace += value;
      return;
    }
    this.#flushBreak();
    if (value.trim() !== '') this.#afterBlockOpening = false;
    this.#write(escapeText(value));
  }

  openTagName(rawName: string): void {
    this.#tagName = rawName.toLowerCase();
    this.#href = undefined;
    this.#attributeName = '';
    this.#attributeValue = '';
  }

  attributeName(name: string): void {
    this.#attributeName = name.toLowerCase();
    this.#attributeValue = '';
  }

  attributeData(value: string): void {
    // Only a link's address is kept; other values (inline styles, data URIs) are not even copied.
    if (this.#tagName === 'a' && this.#attributeName === 'href' && this.#attributeValue.length < 4_096) {
      this.#attributeValue += value;
    }
  }

  attributeEnd(): void {
    if (this.#tagName === 'a' && this.#attributeName === 'href' && this.#href === undefined) {
      this.#href = this.#attributeValue;
    }
  }

  openTagEnd(selfClosing: boolean): void {
    const name = this.#tagName;
    if (DROPPED_WITH_CONTENT.has(name)) {
      this.#inDroppedContent = !selfClosing;
      return;
    }
    if (name === 'br') {
      this.#flushBreak();
      this.#pendingBreak = { keep: this.#afterBlockOpening, whitespace: '' };
      return;
    }
    this.#flushBreak();
    if (!TAG_NAME.test(name)) return;
    const isVoid = VOID_ELEMENTS.has(name);
    if (this.#droppedDepth === 0) this.#closeImplied(name);
    const kept = this.#droppedDepth === 0 && this.#stack.length < MAX_DEPTH && this.#elements < MAX_ELEMENTS;
    this.#afterBlockOpening = kept && BREAK_KEEPING_OPENERS.has(name);
    if (!kept) {
      if (!isVoid && !selfClosing) this.#droppedDepth++;
      return;
    }
    this.#elements++;
    const href = name === 'a' && this.#href !== undefined ? ` href="${escapeAttribute(this.#href)}"` : '';
    this.#write(`<${name}${href}>`);
    if (!isVoid) {
      if (selfClosing) this.#write(`</${name}>`);
      else this.#stack.push(name);
    }
  }

  closeTag(rawName: string): void {
    const name = rawName.toLowerCase();
    if (DROPPED_WITH_CONTENT.has(name)) {
      this.#inDroppedContent = false;
      return;
    }
    if (this.#pendingBreak) {
      if (BREAK_ABSORBING_CLOSERS.has(name) && !this.#pendingBreak.keep) this.#pendingBreak = undefined;
      this.#flushBreak();
    }
    this.#afterBlockOpening = false;
    if (name === 'br') {
      // `</br>` is a line break in every browser.
      this.#write('<br>');
      return;
    }
    if (this.#droppedDepth > 0) {
      this.#droppedDepth--;
      return;
    }
    const at = this.#stack.lastIndexOf(name);
    if (at === -1) return;
    while (this.#stack.length > at) this.#write(`</${this.#stack.pop()}>`);
  }

  #closeImplied(name: string): void {
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    if (!closes) return;
    while (this.#stack.length > 0 && closes.has(this.#stack[this.#stack.length - 1] ?? '')) {
      this.#write(`</${this.#stack.pop()}>`);
    }
  }

  #flushBreak(): void {
    const pending = this.#pendingBreak;
    if (!pending) return;
    this.#pendingBreak = undefined;
    if (this.#elements < MAX_ELEMENTS) {
      this.#elements++;
      this.#write('<br>');
    } else this.#write('\n');
    this.#write(escapeText(pending.whitespace));
    this.#afterBlockOpening = false;
  }

  #write(chunk: string): void {
    if (this.#full) return;
    this.#out.push(chunk);
    this.#outChars += chunk.length;
    if (this.#outChars >= MAX_OUTPUT_CHARS) this.#full = true;
  }
}

/** The bounded HTML of `html` (see the module comment); linear in the input. */
export function boundHtml(html: string): string {
  const writer = new BoundedHtmlWriter(html);
  const tokenizer: Tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext: (start, end) => writer.text(writer.slice(start, end)),
      ontextentity: (codepoint) => writer.text(String.fromCodePoint(codepoint)),
      onopentagname: (start, end) => writer.openTagName(writer.slice(start, end)),
      onattribname: (start, end) => writer.attributeName(writer.slice(start, end)),
      onattribdata: (start, end) => writer.attributeData(writer.slice(start, end)),
      onattribentity: (codepoint) => writer.attributeData(String.fromCodePoint(codepoint)),
      onattribend: () => writer.attributeEnd(),
      onopentagend: () => writer.openTagEnd(false),
      onselfclosingtag: () => writer.openTagEnd(true),
      onclosetag: (start, end) => writer.closeTag(writer.slice(start, end)),
      oncdata: () => undefined,
      oncomment: () => undefined,
      ondeclaration: () => undefined,
      onprocessinginstruction: () => undefined,
      onend: () => undefined,
    },
  );
  // One chunk, so the tokenizer's indexes are indexes into `html`. Feeding stops once the output
  // is full: the rest could only be cut away again.
  const CHUNK = 1 << 20;
  for (let offset = 0; offset < html.length && !writer.full; offset += CHUNK) {
    tokenizer.write(html.slice(offset, offset + CHUNK));
  }
  tokenizer.end();
  return writer.result();
}
