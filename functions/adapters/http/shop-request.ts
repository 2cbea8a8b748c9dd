import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { verifyHmacSha256Hex } from '../../channels/hmac-signature.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { firstIssue } from '../../core/validation.ts';

/**
 * What the shop-facing HTTP handlers share: the raw body as signed, the signature check, JSON
 * answers, and zod issues turned into "the field that is wrong".
 */

/** Order events and reminders are small; anything bigger is not one. */
export const MAX_SHOP_BODY_BYTES = 64 * 1024;

export const SHOP_SIGNATURE_HEADER = 'x-signature-sha256';

/** API Gateway hands non-UTF-8 bodies over base64-encoded: decode to the bytes the shop signed. */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

/** API Gateway v2 lowercases header names; other callers may not. */
export function headerValue(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Undefined when the request is signed with `secret`; else the 401 answer with the reason. */
export function refuseUnsigned(
  event: APIGatewayProxyEventV2,
  raw: Uint8Array,
  secret: string,
): APIGatewayProxyStructuredResultV2 | undefined {
  const check = verifyHmacSha256Hex(raw, headerValue(event.headers, SHOP_SIGNATURE_HEADER), secret);
  if (check.valid) return undefined;
  return respond(401, { error: 'unauthorized', reason: `X-Signature-SHA256 ${check.problem}` });
}

/**
 * The body of a signed shop request as the shop signed it, or the answer that refuses it:
 * 400 when it is empty or too large, 401 when the signature does not match.
 */
export function signedShopBody(
  event: APIGatewayProxyEventV2,
  secret: string,
): { raw: Buffer } | { refusal: APIGatewayProxyStructuredResultV2; why: 'size' | 'signature' } {
  const raw = rawBody(event);
  if (raw.length === 0 || raw.length > MAX_SHOP_BODY_BYTES) {
    return {
      refusal: respond(400, {
        error: 'invalid-input',
        field: 'body',
        reason: 'the body is empty or too large',
      }),
      why: 'size',
    };
  }
  const refusal = refuseUnsigned(event, raw, secret);
  return refusal ? { refusal, why: 'signature' } : { raw };
}

/** Parses JSON and validates it; InvalidInputError names the first wrong field. */
export function parseJsonBody<T extends z.ZodType>(schema: T, raw: Uint8Array): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (error) {
    throw new InvalidInputError('the body is not JSON', { field: 'body', cause: error });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const { field, reason } = firstIssue(parsed.error, json);
  throw new InvalidInputError(reason, { field });
}

export function invalidInput(error: InvalidInputError): APIGatewayProxyStructuredResultV2 {
  return respond(400, { error: 'invalid-input', field: error.field ?? 'body', reason: error.reason });
}

export function respond(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
