import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface HttpApiRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array | string;
  readonly query?: Record<string, string>;
  /** The query string exactly as the client sent it (without `?`); `query` is derived from it. */
  readonly rawQuery?: string;
  readonly pathParameters?: Record<string, string>;
}

/**
 * The event an API Gateway v2 HTTP API hands a Lambda for one request: header names lowercased,
 * and a body that is not valid UTF-8 base64-encoded, as API Gateway does.
 */
export function apiGatewayV2Event(request: HttpApiRequest): APIGatewayProxyEventV2 {
  const bytes =
    typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body ?? []);
  const text = bytes.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(bytes);
  const routeKey = `${request.method} ${request.path}`;
  const query =
    request.query ?? (request.rawQuery ? Object.fromEntries(new URLSearchParams(request.rawQuery)) : {});
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQuery ?? new URLSearchParams(query).toString(),
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(request.pathParameters && Object.keys(request.pathParameters).length > 0
      ? { pathParameters: request.pathParameters }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'sandbox',
      domainName: '127.0.0.1',
      domainPrefix: 'sandbox',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'sandbox',
      },
      requestId: 'sandbox',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: bytes.length === 0 ? undefined : isText ? text : bytes.toString('base64'),
    isBase64Encoded: bytes.length > 0 && !isText,
  };
}

/** What API Gateway's JWT authorizer adds to a request it let through: the token's claims and scopes. */
export function withJwtClaims(
  event: APIGatewayProxyEventV2,
  claims: Record<string, string | number>,
  scopes: readonly string[] = [],
): APIGatewayProxyEventV2 {
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: { jwt: { claims, scopes: [...scopes] } },
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

export interface WebSocketFrame {
  /** `$connect`, `$disconnect`, or the route the body's `action` selects (`send`, `typing`, …). */
  readonly routeKey: string;
  readonly connectionId: string;
  /** What the `$connect` authorizer put in its context (the visitor's or the agent's ids). */
  readonly authorizer: Record<string, string>;
  readonly body?: string;
  readonly at: Date;
}

/**
 * The event an API Gateway WebSocket API hands the route's Lambda for one frame, with the
 * authorizer's context as API Gateway passes it on (its `principalId` beside the context's keys).
 */
export function webSocketEvent(frame: WebSocketFrame) {
  const { routeKey, authorizer } = frame;
  return {
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
      connectionId: frame.connectionId,
      requestTimeEpoch: frame.at.getTime(),
      domainName: '127.0.0.1',
      stage: '$default',
      apiId: 'sandbox',
      authorizer: { ...authorizer, principalId: authorizer.visitorId ?? authorizer.agentId },
    },
    isBase64Encoded: false,
    ...(frame.body === undefined ? {} : { body: frame.body }),
  };
}
