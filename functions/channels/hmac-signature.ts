import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a signed request was refused; said in the HTTP answer, never logged with the body. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch';

export type SignatureCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly problem: SignatureProblem };

/** 32 bytes of HMAC-SHA256 as lowercase or uppercase hex. */
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

/**
 * The one HMAC-SHA256 check of the project (Meta's X-Hub-Signature-256 after its `sha256=`
 * prefix, the shop's X-Signature-SHA256 as it is): the hex digest of the exact raw bytes, keyed
 * with the secret, compared in constant time so the answer's timing says nothing about the right
 * digest. Run it on the raw body before parsing: re-serialized JSON has different bytes.
 */
export function verifyHmacSha256Hex(
  rawBody: Uint8Array,
  hexDigest: string | undefined,
  secret: string,
): SignatureCheck {
  if (hexDigest === undefined || hexDigest.trim() === '') return { valid: false, problem: 'missing' };
  const hex = hexDigest.trim();
  // Checked before decoding: Buffer.from(hex) silently drops what is not hex, which would turn a
  // malformed value into a short buffer rather than a refusal.
  if (!HEX_DIGEST.test(hex)) return { valid: false, problem: 'malformed' };
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  if (given.length !== expected.length) return { valid: false, problem: 'malformed' };
  return timingSafeEqual(given, expected) ? { valid: true } : { valid: false, problem: 'mismatch' };
}

/** The hex HMAC-SHA256 of `rawBody`: what a signer sends (sandbox, tests, the docs' examples). */
export function signHmacSha256Hex(rawBody: Uint8Array | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}
