/**
 * Small, pure helpers for the values that travel in email headers. Both directions use them: the
 * parser to normalize what strangers send us, the composer to make sure nothing we send can break
 * out of its header line.
 */

/**
 * Characters that end or bend a header line (CR, LF, every other control character, Unicode line
 * and paragraph separators). Replacing them with a space is what keeps a value on its own line.
 */
const LINE_BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;

/** Invisible format characters (bidi overrides, zero-width joiners): they disguise file names. */
const INVISIBLE = /\p{Cf}+/gu;

const WHITESPACE_RUN = /\s+/g;

/** Cuts a string to at most `maxLength` UTF-16 units without splitting a surrogate pair. */
export function truncateCodeUnits(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  const cut = value.slice(0, maxLength);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** One line of display text (a subject, a display name): no control characters, single spaces. */
export function toSingleLine(value: string, maxLength: number): string {
  const flattened = value.replace(LINE_BREAKING, ' ').replace(WHITESPACE_RUN, ' ').trim();
  return truncateCodeUnits(flattened, maxLength).trim();
}

/** Like {@link toSingleLine}, and also drops invisible characters that could disguise a name. */
export function toVisibleSingleLine(value: string, maxLength: number): string {
  return toSingleLine(value.replace(INVISIBLE, ''), maxLength);
}

/**
 * A mailbox address as strangers write it: one `@`, a local part without spaces or structural
 * characters, a domain with at least two labels. Internationalized addresses are allowed because
 * mailparser decodes punycode domains to Unicode.
 */
const RECEIVED_ADDRESS =
  /^[^\s\p{Cc}@<>()[\]\\,;:"]{1,64}@[^\s\p{Cc}@<>()[\]\\,;:".]{1,63}(\.[^\s\p{Cc}@<>()[\]\\,;:".]{1,63})+$/u;

export function isReceivedAddress(address: string): boolean {
  return address.length <= 254 && RECEIVED_ADDRESS.test(address);
}

/**
 * An address we are willing to send to: an ASCII dot-atom local part (SES does not do SMTPUTF8
 * local parts) and a domain of letters, digits and hyphens (Unicode letters are punycoded by the
 * composer).
 */
const SENDABLE_ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

export function isSendableAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  return address.length <= 254 && at > 0 && at <= 64 && SENDABLE_ADDRESS.test(address);
}

/** Longest Message-ID we keep; real ones are well under 100 characters. */
export const MAX_MESSAGE_ID_LENGTH = 250;

/** Printable ASCII except the angle brackets that delimit it and the space that separates ids. */
const MESSAGE_ID = /^[\x21-\x3b\x3d\x3f-\x7e]+$/;

/**
 * The one normalized form of a Message-ID in this project: without angle brackets, trimmed, case
 * kept (the local part is case-sensitive). Undefined when the value cannot be a Message-ID.
 */
export function normalizeMessageId(value: string): string | undefined {
  const bare = value.trim().replace(/^<\s*/, '').replace(/\s*>$/, '');
  if (bare.length === 0 || bare.length > MAX_MESSAGE_ID_LENGTH || !MESSAGE_ID.test(bare)) return undefined;
  return bare;
}

/**
 * Every Message-ID of a header such as References or In-Reply-To, in order, without duplicates.
 * Clients disagree on separators (spaces, commas, folding, nothing at all between `><`), so the
 * bracketed ids are taken wherever they are; a value without brackets is split on whitespace.
 */
export function extractMessageIds(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>]*)>/g)].map((match) => match[1] ?? '');
  const candidates = bracketed.length > 0 ? bracketed : value.split(/[\s,]+/);
  const ids = new Set<string>();
  for (const candidate of candidates) {
    const id = normalizeMessageId(candidate);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}
