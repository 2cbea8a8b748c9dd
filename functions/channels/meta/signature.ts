import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { verifyHmacSha256Hex } from '../hmac-signature.ts';

/** Why a webhook delivery's signature was refused; reported as the HTTP reason, never logged with the body. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch';

const SIGNATURE_PREFIX = 'sha256=';

/**
 * Checks Meta's `X-Hub-Signature-256` header: `sha256=` and the hex HMAC-SHA256 of the exact
 * bytes Meta sent, keyed with the app secret. Must run on the raw body before it is parsed:
 * re-serialized JSON has different bytes (escaped unicode, key order), so it would never match.
 * The comparison is constant-time so the answer's timing tells nothing about the right digest.
 */
export function verifyMetaSignature(
  rawBody: Uint8Array,
  header: string | undefined,
  appSecret: string,
): { readonly valid: true } | { readonly valid: false; readonly problem: SignatureProblem } {
  if (header === undefined || header.trim() === '') return { valid: false, problem: 'missing' };
  const value = header.trim();
  if (!value.startsWith(SIGNATURE_PREFIX)) return { valid: false, problem: 'malformed' };
  const hex = value.slice(SIGNATURE_PREFIX.length);
  // The project's one HMAC check (shared with the shop's signed order events).
  const check = verifyHmacSha256Hex(rawBody, hex, appSecret);
  // An empty digest after the prefix is a malformed header, not a missing one.
  return !check.valid && check.problem === 'missing' ? { valid: false, problem: 'malformed' } : check;
}

/** The header value Meta would send for `rawBody`: for the sandbox and tests. */
export function signMetaBody(rawBody: Uint8Array | string, appSecret: string): string {
  return `${SIGNATURE_PREFIX}${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Compares the GET handshake's hub.verify_token with ours without leaking it through timing, its
 * length included: both are hashed to 32 bytes first, so the comparison always runs, on equal
 * lengths, whatever was sent.
 */
export function verifyTokenMatches(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256')
    .update(given ?? '', 'utf8')
    .digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  const same = timingSafeEqual(a, b);
  return same && given !== undefined && expected !== '';
}
