import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpErrorMapping } from '../adapters/http/error-mapping.ts';
import { BODY_LIMITS, headerValue, readRequestBody } from '../adapters/http/request.ts';
import { jsonResponse } from '../adapters/http/responses.ts';
import { logger } from '../adapters/observability.ts';
import { verifyMetaSignature, verifyTokenMatches } from '../channels/meta/signature.ts';
import { ForbiddenError, InvalidInputError, UnauthorizedError } from '../core/errors.ts';
import type { WebhookQueue } from '../core/ports/queues.ts';
import type { MetaSecrets } from '../core/ports/secrets.ts';

export interface MetaWebhookDeps {
  readonly secrets: MetaSecrets;
  readonly queue: WebhookQueue;
}

/**
 * `GET /webhooks/meta`: the subscription handshake (echo hub.challenge when hub.verify_token is
 * ours). `POST /webhooks/meta`: check X-Hub-Signature-256 on the raw bytes before anything reads
 * them, put the verified body on the inbound queue, answer 200 at once. Meta retries a delivery
 * that is not answered quickly, so the real work happens behind the queue.
 */
export function makeMetaWebhookHandler(getDeps: () => MetaWebhookDeps) {
  return middy(async function handleMetaWebhook(
    event: APIGatewayProxyEventV2,
    _context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const method = event.requestContext.http.method;
    if (method === 'GET') return await handshake(getDeps(), event);
    if (method === 'POST') return await delivery(getDeps(), event);
    return jsonResponse(405, {
      error: 'method-not-allowed',
      reason: 'use GET (handshake) or POST (deliveries)',
    });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(
      httpErrorMapping({
        refusedLog: 'meta webhook refused',
        // A failure here (Secrets Manager, SQS) is ours: 500 makes Meta redeliver later.
        failedLog: 'meta webhook failed',
        failureReason: 'the delivery could not be taken; it will be retried',
        logFields: (event) => ({ method: event.requestContext?.http?.method }),
      }),
    );
}

async function handshake(deps: MetaWebhookDeps, event: APIGatewayProxyEventV2) {
  const query = event.queryStringParameters ?? {};
  const mode = query['hub.mode'];
  const challenge = query['hub.challenge'];
  const token = query['hub.verify_token'];
  if (mode !== 'subscribe' || challenge === undefined || challenge === '') {
    throw new ForbiddenError('expected hub.mode=subscribe with a hub.challenge');
  }
  if (!verifyTokenMatches(token, await deps.secrets.get('verifyToken'))) {
    throw new ForbiddenError('hub.verify_token does not match');
  }
  logger.info('meta webhook handshake accepted');
  // Meta expects the challenge back verbatim as the body.
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: challenge };
}

async function delivery(deps: MetaWebhookDeps, event: APIGatewayProxyEventV2) {
  const raw = readRequestBody(event, BODY_LIMITS.metaWebhook);
  const header = headerValue(event.headers, 'x-hub-signature-256');
  const check = verifyMetaSignature(raw, header, await deps.secrets.get('appSecret'));
  if (!check.valid) throw new UnauthorizedError(`X-Hub-Signature-256 ${check.problem}`);
  const text = raw.toString('utf8');
  // Cheap, and after the signature: a signed body that is not JSON would fail the same way on
  // every retry behind the queue, so Meta (or whoever signed it) hears it now.
  if (!isJson(text)) {
    throw new InvalidInputError('the body is not JSON: a Meta webhook delivery is a JSON object', {
      field: 'body',
    });
  }
  await deps.queue.enqueue(text, {});
  logger.info('meta webhook delivery queued', { bytes: raw.length });
  return jsonResponse(200, { status: 'queued' });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
