/**
 * Repairs of a raw message before the MIME parser reads it, for mail as it really arrives.
 * Both work on bytes, line by line, in one pass: no decoding, nothing quadratic.
 */

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const DASH = 0x2d;

/** Blank lines looked at before giving up on finding a header block. */
const MAX_LEADING_BLANK_LINES = 100;
/** How far into the message the header blocks are looked for. */
const HEADER_SEARCH_BYTES = 256 * 1024;

interface Line {
  readonly start: number;
  /** Index of the line's end (its CR or LF, or the buffer's end). */
  readonly end: number;
  /** Index of the next line's first byte. */
  readonly next: number;
}

function lineAt(raw: Buffer, start: number): Line {
  const lf = raw.indexOf(LF, start);
  const next = lf === -1 ? raw.length : lf + 1;
  let end = lf === -1 ? raw.length : lf;
  if (end > start && raw[end - 1] === CR) end--;
  return { start, end, next };
}

function isBlank(raw: Buffer, line: Line): boolean {
  for (let i = line.start; i < line.end; i++) {
    const byte = raw[i];
    if (byte !== SPACE && byte !== TAB && byte !== CR) return false;
  }
  return true;
}

/** `Name:` at the start of the line, with a header field name (RFC 5322 ftext). */
function headerNameOf(raw: Buffer, line: Line): string | undefined {
  const colon = raw.indexOf(':', line.start);
  if (colon <= line.start || colon >= line.end || colon - line.start > 76) return undefined;
  for (let i = line.start; i < colon; i++) {
    const byte = raw[i] ?? 0;
    if (byte < 0x21 || byte > 0x7e) return undefined;
  }
  return raw.toString('latin1', line.start, colon).toLowerCase();
}

/** The lines of the header block starting at `start`, up to (not including) its blank line. */
function headerBlockAt(raw: Buffer, start: number): { names: Set<string>; end: number } | undefined {
  const names = new Set<string>();
  let position = start;
  while (position < raw.length && position - start < HEADER_SEARCH_BYTES) {
    const line = lineAt(raw, position);
    if (isBlank(raw, line)) return { names, end: position };
    const folded = raw[line.start] === SPACE || raw[line.start] === TAB;
    if (!folded) {
      const name = headerNameOf(raw, line);
      if (name === undefined) return names.size > 0 ? { names, end: position } : undefined;
      names.add(name);
    }
    position = line.next;
  }
  return names.size > 0 ? { names, end: position } : undefined;
}

/**
 * The message without blank or whitespace-only lines where no blank line belongs: before the
 * first header (some stored mail starts with one), and between the headers SES prepends
 * (Return-Path, Received, X-SES-…) and the sender's own, which would otherwise turn the
 * sender's headers into body text. The second is only repaired when the first block has no
 * From and the block after the gap does, so a body that starts with "Name: value" stays a body.
 */
export function withoutStrayBlankLines(raw: Buffer): Buffer {
  let start = 0;
  for (let skipped = 0; skipped < MAX_LEADING_BLANK_LINES && start < raw.length; skipped++) {
    const line = lineAt(raw, start);
    if (!isBlank(raw, line) || line.next === start) break;
    start = line.next;
  }
  const first = headerBlockAt(raw, start);
  if (first === undefined || first.names.has('from')) return start === 0 ? raw : raw.subarray(start);

  let afterGap = first.end;
  for (let skipped = 0; skipped < MAX_LEADING_BLANK_LINES && afterGap < raw.length; skipped++) {
    const line = lineAt(raw, afterGap);
    if (!isBlank(raw, line)) break;
    afterGap = line.next;
  }
  const second = headerBlockAt(raw, afterGap);
  if (second === undefined || !second.names.has('from')) return start === 0 ? raw : raw.subarray(start);
  return Buffer.concat([raw.subarray(start, first.end), raw.subarray(afterGap)]);
}

/** What {@link keepFirstParts} left out. */
export interface DroppedParts {
  /** MIME parts (and nested parts) not read. */
  readonly count: number;
  /** Bytes of the raw message they took. */
  readonly bytes: number;
}

const BOUNDARY_PARAMETER = /boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi;

/**
 * The message cut before its part number `maxParts + 1`: the headers, the text and the parts
 * that come first are kept; the rest is counted. Parts are found by their delimiter lines
 * (`--<boundary>`) for every boundary the message declares. The MIME parser reads a multipart
 * whose closing delimiter is missing as ending there, which is what the cut makes it.
 */
export function keepFirstParts(
  raw: Buffer,
  maxParts: number,
): { raw: Buffer; dropped: DroppedParts | undefined } {
  const boundaries = new Set<string>();
  for (const match of raw.toString('latin1').matchAll(BOUNDARY_PARAMETER)) {
    boundaries.add(match[1] ?? match[2] ?? '');
  }
  boundaries.delete('');
  if (boundaries.size === 0) return { raw, dropped: undefined };

  let parts = 0;
  let cutAt: number | undefined;
  let dropped = 0;
  for (let position = 0; position < raw.length; ) {
    const line = lineAt(raw, position);
    if (raw[line.start] === DASH && raw[line.start + 1] === DASH) {
      let value = raw.toString('latin1', line.start + 2, line.end).trimEnd();
      const closing = value.endsWith('--') && boundaries.has(value.slice(0, -2));
      if (closing) value = value.slice(0, -2);
      if (!closing && boundaries.has(value)) {
        parts++;
        if (parts > maxParts) {
          cutAt ??= line.start;
          dropped++;
        }
      }
    }
    position = line.next;
  }
  if (cutAt === undefined) return { raw, dropped: undefined };
  return { raw: raw.subarray(0, cutAt), dropped: { count: dropped, bytes: raw.length - cutAt } };
}
