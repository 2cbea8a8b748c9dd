import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { invalidInput, parseJsonBody, respond, signedShopBody } from '../adapters/http/shop-request.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { InvalidInputError, RetryableError } from '../core/errors.ts';
import { type OrderEventDeps, orderEventSchema, receiveOrderEvent } from '../core/orders.ts';
import type { Clock, ShopSecret } from '../core/ports.ts';

export interface OrderEventsHandlerDeps {
  readonly secret: ShopSecret;
  /** The clock the signature's timestamp is checked against. */
  readonly clock: Clock;
  /** Also accept the old body-only signature from requests without a timestamp. */
  readonly legacyBodySignature?: boolean;
  readonly orders: OrderEventDeps;
}

/**
 * `POST /orders/events`: the shop's signed order event. The signature (timestamp, method, path
 * and raw body) is checked before anything parses the body (401, also when the timestamp is more
 * than five minutes off), then the body is validated (400 naming the field),
 * then the event is applied and answered synchronously, so the shop learns at once whether it
 * was taken; a redelivered event answers 200 with `duplicate: true` and sends nothing again.
 */
export function makeOrderEventsHandler(getDeps: () => OrderEventsHandlerDeps) {
  return middy(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      try {
        const deps = getDeps();
        const signed = signedShopBody(event, {
          keys: await deps.secret.keys(),
          now: deps.clock.now(),
          legacyBodySignature: deps.legacyBodySignature,
        });
        if ('refusal' in signed) {
          logger.warn('order event refused', { reason: signed.why });
          return signed.refusal;
        }
        const { raw } = signed;
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
        return respond(200, {
          status: result.duplicate ? 'duplicate' : 'accepted',
          eventId: orderEvent.eventId,
          ...result,
        });
      } catch (error) {
        if (error instanceof InvalidInputError) {
          logger.warn('order event refused', { reason: 'invalid', field: error.field });
          return invalidInput(error);
        }
        if (error instanceof RetryableError) {
          return respond(409, { error: 'in-progress', reason: error.reason });
        }
        logger.error('order event failed', { error: describeError(error) });
        return respond(500, {
          error: 'failed',
          reason: 'the event could not be processed; send it again later',
        });
      }
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}
