import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  SHOP_SIGNATURE_HEADER,
  SHOP_TIMESTAMP_HEADER,
  type ShopSignatureContext,
  verifyShopRequest,
} from '../../channels/shop-signature.ts';
import { UnauthorizedError } from '../../core/errors.ts';
import { BODY_LIMITS, headerValue, pathWithQuery, readRequestBody } from './request.ts';

/**
 * What the shop-facing HTTP handlers share: the raw body as signed, and the signature check on
 * those bytes (timing-safe, in channels/shop-signature.ts) before anything parses them.
 */

/**
 * Throws {@link UnauthorizedError} with the reason unless the request (timestamp, method, path
 * with query, `raw` body) is signed with one of the shop's keys within the tolerance.
 */
export function checkShopSignature(
  event: APIGatewayProxyEventV2,
  raw: Uint8Array,
  signing: ShopSignatureContext,
): void {
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
  if (!check.valid) throw new UnauthorizedError(check.reason);
}

/**
 * The body of a signed shop request as the shop signed it. Throws InvalidInputError (400) when it
 * is empty or too large, UnauthorizedError (401) when the signature does not match or is stale.
 */
export function signedShopBody(event: APIGatewayProxyEventV2, signing: ShopSignatureContext): Buffer {
  const raw = readRequestBody(event, BODY_LIMITS.shopApi);
  checkShopSignature(event, raw, signing);
  return raw;
}
