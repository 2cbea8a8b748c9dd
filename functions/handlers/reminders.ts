import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { remindersClients } from '../adapters/function-clients.ts';
import {
  invalidInput,
  parseJsonBody,
  refuseUnsigned,
  respond,
  signedShopBody,
} from '../adapters/http/shop-request.ts';
import { describeError, logger } from '../adapters/observability.ts';
import type { ShopSecret } from '../adapters/shop/shop-secret.ts';
import { once, remindersDeps, settingsFromEnvironment } from '../adapters/wiring.ts';
import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import {
  cancelReminder,
  createReminder,
  type ReminderAnswer,
  type ReminderDeps,
  reminderRequestSchema,
} from '../core/reminders.ts';

export interface RemindersHandlerDeps {
  readonly secret: ShopSecret;
  readonly reminders: ReminderDeps;
}

/**
 * `POST /reminders` (`{"action":"create",…}` or `{"action":"cancel","id":…}`) and
 * `DELETE /reminders/{id}`, signed like order events: X-Signature-SHA256 is the hex HMAC-SHA256
 * of the raw body, and for DELETE (no body) of the request path (`/reminders/<id>`), so a
 * signature can only ever cancel the reminder it names.
 */
export function makeRemindersHandler(getDeps: () => RemindersHandlerDeps) {
  return middy(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const method = event.requestContext.http.method;
      try {
        const deps = getDeps();
        if (method === 'DELETE') {
          const id = event.pathParameters?.id ?? '';
          const signed = Buffer.from(event.rawPath ?? `/reminders/${id}`, 'utf8');
          const refusal = refuseUnsigned(event, signed, await deps.secret.get());
          if (refusal) return refusal;
          if (!/^[A-Za-z0-9._-]{1,100}$/.test(id)) {
            throw new InvalidInputError('id: use 1-100 letters, digits, ".", "_" or "-"', { field: 'id' });
          }
          return answer(await cancelReminder(deps.reminders, id));
        }
        if (method !== 'POST')
          return respond(405, { error: 'method-not-allowed', reason: 'use POST or DELETE' });
        const signed = signedShopBody(event, await deps.secret.get());
        if ('refusal' in signed) {
          logger.warn('reminder request refused', { reason: signed.why });
          return signed.refusal;
        }
        const { raw } = signed;
        const request = parseJsonBody(reminderRequestSchema, raw);
        const result =
          request.action === 'create'
            ? await createReminder(deps.reminders, request)
            : await cancelReminder(deps.reminders, request.id);
        logger.info('reminder request handled', {
          action: request.action,
          reminderId: result.id,
          state: result.state,
        });
        return answer(result);
      } catch (error) {
        if (error instanceof InvalidInputError) return invalidInput(error);
        if (error instanceof NotFoundError) return respond(404, { error: 'not-found', reason: error.reason });
        logger.error('reminder request failed', { method, error: describeError(error) });
        return respond(500, {
          error: 'failed',
          reason: 'the request could not be processed; send it again later',
        });
      }
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

/** A cancel that finds the reminder already sent is a conflict the shop should know about. */
function answer(result: ReminderAnswer): APIGatewayProxyStructuredResultV2 {
  if (result.state === 'fired' && !result.duplicate) {
    return respond(409, { error: 'already-fired', reason: 'the reminder was already sent', ...result });
  }
  return respond(200, result);
}

export const handler = makeRemindersHandler(
  once(() => remindersDeps(remindersClients(), settingsFromEnvironment())),
);
