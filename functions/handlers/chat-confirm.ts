import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { httpErrorMapping } from '../adapters/http/error-mapping.ts';
import { pageResponse } from '../adapters/http/responses.ts';
import { logger } from '../adapters/observability.ts';
import { type ConfirmEmailLinkDeps, confirmEmailLink } from '../core/chat/email-link.ts';
import { InvalidInputError } from '../core/errors.ts';

const confirmEventSchema = z.object({
  queryStringParameters: z.object({ token: z.string().min(1).max(4_096) }),
});

/** `GET /chat/confirm?token=…`: the link in the confirmation mail of an address a chat visitor left. */
export function makeChatConfirmHandler(getDeps: () => ConfirmEmailLinkDeps) {
  return middy(async function handleEmailConfirmation(
    event: APIGatewayProxyEventV2,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const parsed = confirmEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidInputError('This link is incomplete: open the whole link from the email.', {
        field: 'token',
      });
    }
    const result = await confirmEmailLink(getDeps(), parsed.data.queryStringParameters.token);
    logger.info('chat email confirmed', { customerId: result.customerId });
    return pageResponse(
      200,
      'Thank you, your email is confirmed. You can go back to the chat. / Teşekkürler, e-postanız doğrulandı.',
    );
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(
      httpErrorMapping({
        refusedLog: 'chat email confirmation refused',
        failedLog: 'chat email confirmation failed',
        failureReason: 'Your email could not be confirmed just now: open the link again in a few minutes.',
        // A person opened a link: they get a page, not JSON.
        render: (answer) => pageResponse(answer.statusCode, answer.body.reason),
      }),
    );
}
