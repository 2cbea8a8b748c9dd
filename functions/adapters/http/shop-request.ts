import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import {
  SHOP_SIGNATURE_HEADER,
  SHOP_TIMESTAMP_HEADER,
  type ShopSignatureContext,
  verifyShopRequest,
} from '../../channels/shop-signature.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { firstIssue } from '../../core/validation.ts';

/**
 * What the shop-facing HTTP handlers share: the raw body as signed, the signature check, JSON
 * answers, and zod issues turned into "the field that is wrong".
 */

/** Order events and reminders are small; anything bigger is not one. */
export const MAX_SHOP_BODY_BYTES = 64 * 1024;

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

/** The path the client asked for with its raw query string: part of what the shop signs. */
export function pathWithQuery(event: APIGatewayProxyEventV2): string {
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  return event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
}

/**
 * Undefined when the request (timestamp, method, path with query, `raw` body) is signed with one
 * of the shop's keys within the tolerance; else the 401 answer with the reason.
 */
export function refuseUnsigned(
  event: APIGatewayProxyEventV2,
  raw: Uint8Array,
  signing: ShopSignatureContext,
): APIGatewayProxyStructuredResultV2 | undefined {
  const check = verifyShopRequest(
    {
      timestamp: headerValue(event.headers, SHOP_TIMESTAMP_HEADER),
      signature: headerValue(event.headers, SHOP_SIGNATURE_HEADER),
      method: event.requestContext?.http?.method ?? 'POST',
      pathWithQuery: pathWithQuery(event),
      body: raw,
    },
    signing,
  );
  if (check.valid) return undefined;
  return respond(401, { error: 'unauthorized', reason: check.reason });
}

/**
 * The body of a signed shop request as the shop signed it, or the answer that refuses it:
 * 400 when it is empty or too large, 401 when the signature does not match or is not recent.
 */
export function signedShopBody(
  event: APIGatewayProxyEventV2,
  signing: ShopSignatureContext,
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
  const refusal = refuseUnsigned(event, raw, signing);
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
