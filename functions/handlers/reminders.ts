import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpErrorMapping } from '../adapters/http/error-mapping.ts';
import { parseJsonBody } from '../adapters/http/request.ts';
import { jsonResponse } from '../adapters/http/responses.ts';
import { checkShopSignature, signedShopBody } from '../adapters/http/shop-request.ts';
import { logger } from '../adapters/observability.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { ShopSecret } from '../core/ports/secrets.ts';
import {
  cancelReminder,
  createReminder,
  REMINDER_ID,
  REMINDER_ID_RULE,
  type ReminderAnswer,
  type ReminderDeps,
  reminderRequestSchema,
} from '../core/reminders/reminders.ts';

export interface RemindersHandlerDeps {
  readonly secret: ShopSecret;
  /** The clock the signature's timestamp is checked against. */
  readonly clock: Clock;
  /** Also accept the old body-only signature from requests without a timestamp. */
  readonly legacyBodySignature?: boolean;
  readonly reminders: ReminderDeps;
}

/**
 * `POST /reminders` (`{"action":"create",…}` or `{"action":"cancel","id":…}`) and
 * `DELETE /reminders/{id}`, signed like order events: X-Signature-SHA256 is the hex HMAC-SHA256
 * of `<timestamp>.<METHOD> <path with query>\n<body>`; a DELETE has an empty body, so its
 * signature names the reminder it cancels (and the query), and cannot be sent again later.
 */
export function makeRemindersHandler(getDeps: () => RemindersHandlerDeps) {
  return middy(async function handleReminderRequest(
    event: APIGatewayProxyEventV2,
    _context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const method = event.requestContext.http.method;
    const deps = getDeps();
    const signing = {
      keys: await deps.secret.keys(),
      now: deps.clock.now(),
      legacyBodySignature: deps.legacyBodySignature,
    };
    if (method === 'DELETE') {
      const id = event.pathParameters?.id ?? '';
      checkShopSignature(event, Buffer.alloc(0), signing);
      if (!REMINDER_ID.test(id)) {
        throw new InvalidInputError(`id: ${REMINDER_ID_RULE}`, { field: 'id' });
      }
      return answer(await cancelReminder(deps.reminders, id));
    }
    if (method !== 'POST') {
      return jsonResponse(405, { error: 'method-not-allowed', reason: 'use POST or DELETE' });
    }
    const request = parseJsonBody(reminderRequestSchema, signedShopBody(event, signing));
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
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(
      httpErrorMapping({
        refusedLog: 'reminder request refused',
        failedLog: 'reminder request failed',
        failureReason: 'the request could not be processed; send it again later',
        logFields: (event) => ({ method: event.requestContext?.http?.method }),
      }),
    );
}

/** A cancel that finds the reminder already sent is a conflict the shop should know about. */
function answer(result: ReminderAnswer): APIGatewayProxyStructuredResultV2 {
  if (result.state === 'fired' && !result.duplicate) {
    return jsonResponse(409, { error: 'already-fired', reason: 'the reminder was already sent', ...result });
  }
  return jsonResponse(200, result);
}
