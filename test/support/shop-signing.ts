import {
  SHOP_SIGNATURE_HEADER,
  SHOP_TIMESTAMP_HEADER,
  shopTimestamp,
  signShopRequest,
} from '../../functions/channels/shop-signature.ts';

/** The headers a shop sends with a request signed at `at`: X-Signature-Timestamp and X-Signature-SHA256. */
export function shopSignatureHeaders(request: {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly body?: Uint8Array | string;
  readonly secret: string;
  readonly at: Date;
}): Record<string, string> {
  const timestamp = shopTimestamp(request.at);
  return {
    [SHOP_TIMESTAMP_HEADER]: timestamp,
    [SHOP_SIGNATURE_HEADER]: signShopRequest(
      { timestamp, method: request.method, pathWithQuery: request.pathWithQuery, body: request.body ?? '' },
      request.secret,
    ),
  };
}
