import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describeError, logger } from '../adapters/observability.ts';
import { verifyMetaSignature, verifyTokenMatches } from '../channels/meta/signature.ts';
import type { MetaSecrets, WebhookQueue } from '../core/ports.ts';

export interface MetaWebhookDeps {
  readonly secrets: MetaSecrets;
  readonly queue: WebhookQueue;
}

/** Meta's documented cap is far below this; anything bigger is not a webhook delivery. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `GET /webhooks/meta`: the subscription handshake (echo hub.challenge when hub.verify_token is
 * ours). `POST /webhooks/meta`: check X-Hub-Signature-256 on the raw bytes before anything reads
 * them, put the verified body on the inbound queue, answer 200 at once. Meta retries a delivery
 * that is not answered quickly, so the real work happens behind the queue.
 */
export function makeMetaWebhookHandler(getDeps: () => MetaWebhookDeps) {
  return middy(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const method = event.requestContext.http.method;
      try {
        if (method === 'GET') return await handshake(getDeps(), event);
        if (method === 'POST') return await delivery(getDeps(), event);
        return respond(405, {
          error: 'method-not-allowed',
          reason: 'use GET (handshake) or POST (deliveries)',
        });
      } catch (error) {
        // A failure here (Secrets Manager, SQS) is ours: 500 makes Meta redeliver later.
        logger.error('meta webhook failed', { method, error: describeError(error) });
        return respond(500, {
          error: 'failed',
          reason: 'the delivery could not be taken; it will be retried',
        });
      }
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

async function handshake(deps: MetaWebhookDeps, event: APIGatewayProxyEventV2) {
  const query = event.queryStringParameters ?? {};
  const mode = query['hub.mode'];
  const challenge = query['hub.challenge'];
  const token = query['hub.verify_token'];
  if (mode !== 'subscribe' || challenge === undefined || challenge === '') {
    logger.warn('meta webhook handshake refused', { reason: 'not a subscribe request' });
    return respond(403, { error: 'forbidden', reason: 'expected hub.mode=subscribe with a hub.challenge' });
  }
  if (!verifyTokenMatches(token, await deps.secrets.get('verifyToken'))) {
    logger.warn('meta webhook handshake refused', { reason: 'verify token mismatch' });
    return respond(403, { error: 'forbidden', reason: 'hub.verify_token does not match' });
  }
  logger.info('meta webhook handshake accepted');
  // Meta expects the challenge back verbatim as the body.
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: challenge };
}

async function delivery(deps: MetaWebhookDeps, event: APIGatewayProxyEventV2) {
  // API Gateway hands binary-looking or non-UTF-8 bodies over base64-encoded: decode to the
  // exact bytes Meta signed.
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length === 0 || raw.length > MAX_BODY_BYTES) {
    return respond(400, { error: 'bad-request', reason: 'the body is empty or too large' });
  }
  const header = headerValue(event.headers, 'x-hub-signature-256');
  const check = verifyMetaSignature(raw, header, await deps.secrets.get('appSecret'));
  if (!check.valid) {
    logger.warn('meta webhook delivery refused', { reason: `signature ${check.problem}`, bytes: raw.length });
    return respond(401, { error: 'unauthorized', reason: `X-Hub-Signature-256 ${check.problem}` });
  }
  const text = raw.toString('utf8');
  try {
    // Cheap, and after the signature: a signed body that is not JSON would fail the same way on
    // every retry behind the queue, so Meta (or whoever signed it) hears it now.
    JSON.parse(text);
  } catch {
    logger.warn('meta webhook delivery refused', { reason: 'not JSON', bytes: raw.length });
    return respond(400, {
      error: 'invalid-input',
      field: 'body',
      reason: 'the body is not JSON: a Meta webhook delivery is a JSON object',
    });
  }
  await deps.queue.enqueue(text, {});
  logger.info('meta webhook delivery queued', { bytes: raw.length });
  return respond(200, { status: 'queued' });
}

/** API Gateway v2 lowercases header names; other callers may not. */
function headerValue(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

function respond(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
