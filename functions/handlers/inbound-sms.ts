import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { countInbound, metricsMiddleware } from '../adapters/metrics.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { parseInboundSms } from '../channels/sms/parse-inbound-sms.ts';
import {
  type ReceiveInboundResult,
  receiveInbound,
  type SmsInboundDeps,
} from '../core/conversations/receive-inbound.ts';
import { InvalidInputError, RetryableError } from '../core/errors.ts';

/** The SNS notification Lambda receives for each message End User Messaging publishes. */
const snsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns'),
        Sns: z.object({
          MessageId: z.string().min(1),
          Message: z.string(),
          Timestamp: z.iso.datetime(),
        }),
      }),
    )
    .min(1),
});

export function makeInboundSmsHandler(getDeps: () => SmsInboundDeps) {
  return middy(async function receiveInboundSms(event: unknown): Promise<ReceiveInboundResult[]> {
    const parsed = snsEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidInputError(`not an SNS notification: ${z.prettifyError(parsed.error)}`);
    }
    const deps = getDeps();
    const results: ReceiveInboundResult[] = [];
    for (const { Sns } of parsed.data.Records) {
      // Ids only: the numbers and the text are personal data and stay out of the logs.
      const log = { snsMessageId: Sns.MessageId };
      try {
        const input = parseInboundSms(Sns.Message, { receivedAt: Sns.Timestamp });
        const result = await receiveInbound(deps, input);
        countInbound('sms', result);
        logger.info('inbound SMS received', {
          ...log,
          inboundMessageId: input.message.providerMessageId,
          conversationId: result.conversationId,
          duplicate: result.duplicate,
          keyword: input.message.sms?.keyword?.action,
          truncated: input.truncated ?? false,
          autoReplyQueued: result.autoReply.queued,
          autoReplySkipped: result.autoReply.reasons,
        });
        results.push(result);
      } catch (error) {
        // Thrown on: Lambda retries the asynchronous SNS delivery, then hands the event with the
        // error to the failure destination queue, so a message we could not take is kept.
        const level = error instanceof RetryableError ? 'warn' : 'error';
        logger[level]('inbound SMS failed', { ...log, error: describeError(error) });
        throw error;
      }
    }
    return results;
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metricsMiddleware());
}
