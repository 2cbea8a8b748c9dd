import * as z from 'zod';
import { signHmacSha256Hex, verifyHmacSha256Hex } from '../hmac-signature.ts';

/**
 * Who the shop says a chat visitor is: its backend signs these claims for a logged-in customer and
 * hands the token to the widget (`Switchboard.identify(token)`), so the visitor lands on their own
 * timeline across every channel. `exp` is seconds since the epoch, like a JWT's.
 */
export const chatIdentityClaimsSchema = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((s) => s.toLowerCase())
      .optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'use E.164, for example +905321234567')
      .optional(),
    name: z.string().min(1).max(120).optional(),
    customerRef: z.string().min(1).max(120).optional(),
    exp: z.number().int().positive(),
  })
  .refine((c) => c.email !== undefined || c.phone !== undefined, {
    message: 'an identity names an email or a phone',
  });
export type ChatIdentityClaims = z.infer<typeof chatIdentityClaimsSchema>;

export type ChatIdentityCheck =
  | { readonly valid: true; readonly claims: ChatIdentityClaims }
  | { readonly valid: false; readonly problem: 'malformed' | 'mismatch' | 'expired' | 'invalid-claims' };

/** The longest token taken: claims are a few short fields, so anything longer is not one. */
const MAX_TOKEN_LENGTH = 2_048;

/**
 * `<claims as base64url JSON>.<hex HMAC-SHA256 of that first part>`: the signature covers the
 * exact characters the shop sent (no re-serialized JSON), and is compared in constant time.
 */
export function verifyChatIdentityToken(token: string, secret: string, now: Date): ChatIdentityCheck {
  if (token.length > MAX_TOKEN_LENGTH) return { valid: false, problem: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { valid: false, problem: 'malformed' };
  const payload = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) return { valid: false, problem: 'malformed' };
  const signature = verifyHmacSha256Hex(Buffer.from(payload, 'utf8'), token.slice(dot + 1), secret);
  if (!signature.valid)
    return { valid: false, problem: signature.problem === 'mismatch' ? 'mismatch' : 'malformed' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, problem: 'malformed' };
  }
  const claims = chatIdentityClaimsSchema.safeParse(json);
  if (!claims.success) return { valid: false, problem: 'invalid-claims' };
  if (claims.data.exp * 1000 <= now.getTime()) return { valid: false, problem: 'expired' };
  return { valid: true, claims: claims.data };
}

/** What the shop's backend does (the sandbox's demo page and replay, tests, the example in docs/channels/chat.md). */
export function signChatIdentityToken(
  claims: z.input<typeof chatIdentityClaimsSchema>,
  secret: string,
): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${signHmacSha256Hex(payload, secret)}`;
}

/** What a confirmation link proves once clicked: this visitor reads this mailbox. */
export const emailLinkClaimsSchema = z.object({
  purpose: z.literal('link-email'),
  visitorId: z.string().min(1).max(80),
  email: z.email().max(254),
  exp: z.number().int().positive(),
});
export type EmailLinkClaims = Omit<z.infer<typeof emailLinkClaimsSchema>, 'purpose'>;

/** Signed apart from identity tokens (its own prefix in the MAC), so one can never pass for the other. */
const LINK_PREFIX = 'link-email.';

export function signEmailLinkToken(claims: EmailLinkClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ purpose: 'link-email', ...claims }), 'utf8').toString(
    'base64url',
  );
  return `${payload}.${signHmacSha256Hex(LINK_PREFIX + payload, secret)}`;
}

export function verifyEmailLinkToken(token: string, secret: string, now: Date): EmailLinkClaims | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const [payload, digest, extra] = token.split('.');
  if (!payload || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
  if (!verifyHmacSha256Hex(Buffer.from(LINK_PREFIX + payload, 'utf8'), digest, secret).valid)
    return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const claims = emailLinkClaimsSchema.safeParse(json);
  if (!claims.success || claims.data.exp * 1000 <= now.getTime()) return undefined;
  const { visitorId, email, exp } = claims.data;
  return { visitorId, email: email.toLowerCase(), exp };
}
