import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a webhook delivery's signature was refused; reported as the HTTP reason, never logged with the body. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch';

const SIGNATURE_PREFIX = 'sha256=';
/** 32 bytes of HMAC-SHA256 as lowercase or uppercase hex. */
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

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
  // Checked before decoding: Buffer.from(hex) silently drops what is not hex, which would turn a
  // malformed header into a short buffer rather than a refusal.
  if (!HEX_DIGEST.test(hex)) return { valid: false, problem: 'malformed' };
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // timingSafeEqual throws on different lengths; both are 32 bytes here, checked anyway.
  if (given.length !== expected.length) return { valid: false, problem: 'malformed' };
  return timingSafeEqual(given, expected) ? { valid: true } : { valid: false, problem: 'mismatch' };
}

/** The header value Meta would send for `rawBody`: for the sandbox and tests. */
export function signMetaBody(rawBody: Uint8Array | string, appSecret: string): string {
  return `${SIGNATURE_PREFIX}${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Compares the GET handshake's hub.verify_token with ours without leaking it through timing. */
export function verifyTokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
