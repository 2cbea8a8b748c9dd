import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpErrorMapping } from '../adapters/http/error-mapping.ts';
import { parseJsonBody } from '../adapters/http/request.ts';
import { jsonResponse } from '../adapters/http/responses.ts';
import { signedShopBody } from '../adapters/http/shop-request.ts';
import { logger } from '../adapters/observability.ts';
import { type OrderEventDeps, orderEventSchema, receiveOrderEvent } from '../core/orders/order-events.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { ShopSecret } from '../core/ports/secrets.ts';

export interface OrderEventsHandlerDeps {
  readonly secret: ShopSecret;
  /** The clock the signature's timestamp is checked against. */
  readonly clock: Clock;
  /** Also accept the old body-only signature from requests without a timestamp. */
  readonly legacyBodySignature?: boolean;
  readonly orders: OrderEventDeps;
}

/** How the shop API answers what it refuses and what fails here. */
const ORDER_EVENT_ERRORS = {
  refusedLog: 'order event refused',
  failedLog: 'order event failed',
  failureReason: 'the event could not be processed; send it again later',
} as const;

/**
 * `POST /orders/events`: the shop's signed order event. The signature (timestamp, method, path
 * and raw body) is checked before anything parses the body (401, also when the timestamp is more
 * than five minutes off), then the body is validated (400 naming the field),
 * then the event is applied and answered synchronously, so the shop learns at once whether it
 * was taken; a redelivered event answers 200 with `duplicate: true` and sends nothing again.
 */
export function makeOrderEventsHandler(getDeps: () => OrderEventsHandlerDeps) {
  return middy(async function handleOrderEvent(
    event: APIGatewayProxyEventV2,
    _context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const deps = getDeps();
    const raw = signedShopBody(event, {
      keys: await deps.secret.keys(),
      now: deps.clock.now(),
      legacyBodySignature: deps.legacyBodySignature,
    });
    const orderEvent = parseJsonBody(orderEventSchema, raw);
    const result = await receiveOrderEvent(deps.orders, orderEvent);
    // Ids and outcomes only: no address, phone or name reaches the logs.
    logger.info('order event handled', {
      eventId: orderEvent.eventId,
      type: orderEvent.type,
      duplicate: result.duplicate,
      applied: result.applied,
      merged: result.merged.length,
      notification: result.notification.queued ? result.notification.channel : result.notification.reason,
    });
    return jsonResponse(200, {
      status: result.duplicate ? 'duplicate' : 'accepted',
      eventId: orderEvent.eventId,
      ...result,
    });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpErrorMapping(ORDER_EVENT_ERRORS));
}
