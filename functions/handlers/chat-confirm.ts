import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { describeError, logger } from '../adapters/observability.ts';
import { type ConfirmEmailLinkDeps, confirmEmailLink } from '../core/chat/email-link.ts';
import { InvalidInputError } from '../core/errors.ts';

const confirmEventSchema = z.object({
  queryStringParameters: z.object({ token: z.string().min(1).max(4_096) }),
});

function page(status: number, text: string): APIGatewayProxyStructuredResultV2 {
  const escaped = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    statusCode: status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>switchboard</title><p>${escaped}</p>`,
  };
}

/** `GET /chat/confirm?token=…`: the link in the confirmation mail of an address a chat visitor left. */
export function makeChatConfirmHandler(getDeps: () => ConfirmEmailLinkDeps) {
  return middy(async (event: unknown): Promise<APIGatewayProxyStructuredResultV2> => {
    const parsed = confirmEventSchema.safeParse(event);
    if (!parsed.success) return page(400, 'This link is incomplete: open the whole link from the email.');
    try {
      const result = await confirmEmailLink(getDeps(), parsed.data.queryStringParameters.token);
      logger.info('chat email confirmed', { customerId: result.customerId });
      return page(
        200,
        'Thank you, your email is confirmed. You can go back to the chat. / Teşekkürler, e-postanız doğrulandı.',
      );
    } catch (error) {
      if (error instanceof InvalidInputError) return page(400, error.reason);
      logger.error('chat email confirmation failed', { error: describeError(error) });
      throw error;
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
