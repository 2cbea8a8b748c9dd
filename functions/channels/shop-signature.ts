import { signHmacSha256Hex, verifyHmacSha256Hex } from './hmac-signature.ts';

/**
 * The shop's signed requests (order events, reminders). The signature covers a timestamp, the
 * method and the path with its query as well as the body, so a captured request cannot be sent
 * again later (outside the tolerance) nor aimed at another route or another reminder.
 */

/** How far the shop's timestamp may be from our clock, either way. */
export const SHOP_SIGNATURE_TOLERANCE_SECONDS = 300;

export const SHOP_SIGNATURE_HEADER = 'x-signature-sha256';
export const SHOP_TIMESTAMP_HEADER = 'x-signature-timestamp';

/** Unix time in whole seconds, as the shop sends it in X-Signature-Timestamp. */
const UNIX_SECONDS = /^\d{1,11}$/;

export interface ShopRequestToSign {
  /** X-Signature-Timestamp exactly as sent (Unix seconds). */
  readonly timestamp: string;
  readonly method: string;
  /** The path as requested, with `?` and the raw query string when there is one. */
  readonly pathWithQuery: string;
  readonly body: Uint8Array | string;
}

/** The keys a signature may be made with: the current one, and the previous one during a rotation. */
export interface ShopSigningKeys {
  readonly current: string;
  readonly previous?: string;
}

export interface ShopSignatureContext {
  readonly keys: ShopSigningKeys;
  readonly now: Date;
  /**
   * Accept the old body-only signature (the request path for a DELETE) from a request that sends
   * no X-Signature-Timestamp. It has no replay protection; off unless the deployment turns it on.
   */
  readonly legacyBodySignature?: boolean;
}

export interface ShopSignedRequest extends Omit<ShopRequestToSign, 'timestamp'> {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

export type ShopSignatureCheck =
  | { readonly valid: true; readonly scheme: 'timestamped' | 'legacy' }
  | { readonly valid: false; readonly reason: string };

/** `<timestamp>.<METHOD> <path with query>\n<body>`: the bytes the HMAC is computed over. */
export function shopSigningInput(request: ShopRequestToSign): Buffer {
  const head = `${request.timestamp}.${request.method.toUpperCase()} ${request.pathWithQuery}\n`;
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

/** The X-Signature-SHA256 value for `request`: what the shop (and the sandbox, and tests) send. */
export function signShopRequest(request: ShopRequestToSign, secret: string): string {
  return signHmacSha256Hex(shopSigningInput(request), secret);
}

/** The X-Signature-Timestamp value for `at`. */
export function shopTimestamp(at: Date): string {
  return String(Math.floor(at.getTime() / 1000));
}

/**
 * Whether `request` is signed by the shop, recently: the digest is compared in constant time
 * against each active key (all of them, so timing does not tell which one matched).
 */
export function verifyShopRequest(
  request: ShopSignedRequest,
  context: ShopSignatureContext,
): ShopSignatureCheck {
  const keys = [context.keys.current, ...(context.keys.previous ? [context.keys.previous] : [])];
  const timestamp = request.timestamp?.trim();
  if (timestamp === undefined || timestamp === '') {
    if (context.legacyBodySignature) return verifyLegacy(request, keys);
    if (request.signature === undefined || request.signature.trim() === '') {
      return { valid: false, reason: 'X-Signature-SHA256 missing' };
    }
    return {
      valid: false,
      reason:
        'X-Signature-Timestamp missing: send the Unix time in seconds and sign timestamp + "." + METHOD + " " + path with query + "\\n" + body',
    };
  }
  if (!UNIX_SECONDS.test(timestamp)) {
    return { valid: false, reason: 'X-Signature-Timestamp malformed: use the Unix time in whole seconds' };
  }
  const skewSeconds = Number(timestamp) - Math.floor(context.now.getTime() / 1000);
  if (Math.abs(skewSeconds) > SHOP_SIGNATURE_TOLERANCE_SECONDS) {
    return {
      valid: false,
      reason: `X-Signature-Timestamp is ${Math.abs(skewSeconds)} s ${skewSeconds < 0 ? 'behind' : 'ahead of'} the server clock (at most ${SHOP_SIGNATURE_TOLERANCE_SECONDS} s either way): sign every request when it is sent, and check the clock of the shop's server`,
    };
  }
  const input = shopSigningInput({ ...request, timestamp });
  return anyKeyMatches(input, request.signature, keys, 'timestamped');
}

function verifyLegacy(request: ShopSignedRequest, keys: readonly string[]): ShopSignatureCheck {
  // The old scheme signed the body, or the bare path for a DELETE, which has none.
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const signed = body.length > 0 ? body : Buffer.from(request.pathWithQuery.split('?')[0] ?? '', 'utf8');
  return anyKeyMatches(signed, request.signature, keys, 'legacy');
}

function anyKeyMatches(
  input: Uint8Array,
  signature: string | undefined,
  keys: readonly string[],
  scheme: 'timestamped' | 'legacy',
): ShopSignatureCheck {
  let problem: string | undefined;
  let matched = false;
  for (const key of keys) {
    const check = verifyHmacSha256Hex(input, signature, key);
    if (check.valid) matched = true;
    else problem ??= check.problem;
  }
  return matched
    ? { valid: true, scheme }
    : { valid: false, reason: `X-Signature-SHA256 ${problem ?? 'mismatch'}` };
}
