import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { countDispatch, countMetric, METRIC, metricsMiddleware } from '../adapters/metrics.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { withDeadLetters } from '../adapters/sqs/dead-letters.ts';
import { InvalidInputError, RetryableError } from '../core/errors.ts';
import { type DispatchOutboundDeps, dispatchOutbound } from '../core/outbound/dispatch.ts';
import { parseOutboundQueueMessage } from '../core/outbound/request-schema.ts';
import type { DeadLetters, RetryBackoff } from '../core/ports/queues.ts';
import { type FireReminderDeps, fireReminder } from '../core/reminders/reminders.ts';
import { checkResponseDeadline } from '../core/service-levels/deadlines.ts';

/**
 * `getBackoff` delays the next try of a record that failed for a passing reason; without it the
 * queue's visibility timeout decides (the sandbox retries at once). `getDeadLetters` puts a record
 * that fails its last allowed receive on the DLQ with the reason; without it SQS's redrive does,
 * reasonless.
 */
export function makeDispatcherHandler(
  getDeps: () => DispatchOutboundDeps | FireReminderDeps,
  getBackoff?: () => RetryBackoff,
  getDeadLetters?: () => DeadLetters | undefined,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const dispatchRecord = async (record: SQSRecord): Promise<void> => {
    const log = { sqsMessageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
    try {
      const message = parseOutboundQueueMessage(record.body);
      if (message.type === 'response-deadline') {
        // A response-time deadline: held until due, then a missed target is a breach.
        const { insights } = getDeps();
        if (!insights) throw new InvalidInputError('this dispatcher does not track response times');
        const check = await checkResponseDeadline(insights, message);
        logger.info('response deadline handled', {
          ...log,
          conversationId: message.conversationId,
          target: message.target,
          status: check.status,
        });
        return;
      }
      if (message.type === 'reminder') {
        // A due reminder (its schedule fired, or an external scheduler queued it): channel,
        // consent and quiet hours are decided now, then it is sent like any other message.
        const deps = getDeps();
        if (!('reminders' in deps))
          throw new InvalidInputError('this dispatcher is not set up for reminders');
        const fired = await fireReminder(deps, message);
        logger.info('reminder handled', {
          ...log,
          reminderId: fired.reminderId,
          status: fired.status === 'dispatched' ? fired.delivery.status : 'skipped',
          reason: fired.status === 'dispatched' ? fired.delivery.reason : fired.reason,
        });
        return;
      }
      const request = message;
      const result = await dispatchOutbound(getDeps(), request);
      countDispatch(request, result);
      logger.info('outbound message handled', {
        ...log,
        outboundId: request.id,
        kind: request.kind,
        // The channel it actually went out on; a fallback says which it was queued for and why.
        channel: result.fallback?.channel ?? request.channel,
        ...(result.fallback
          ? { fallbackFrom: result.fallback.from, fallbackReason: result.fallback.reason }
          : {}),
        status: result.status,
        duplicate: result.duplicate,
        reason: result.reason,
      });
    } catch (error) {
      // The record goes back to the queue; after maxReceiveCount it lands in the DLQ.
      // A concurrent delivery of the same event is expected, not an error worth paging for.
      const level = error instanceof RetryableError ? 'warn' : 'error';
      logger[level]('outbound message failed', { ...log, error: describeError(error) });
      if (level === 'error') countMetric(METRIC.outboundFailed);
      // No backoff for a last try: it is about to be dead-lettered.
      if (error instanceof RetryableError && getBackoff && !getDeadLetters?.()?.isFinalAttempt(record)) {
        await getBackoff()
          .delay(record)
          .catch((backoffError: unknown) =>
            logger.warn('could not delay the retry', { ...log, error: describeError(backoffError) }),
          );
      }
      throw error;
    }
  };
  return middy(async function dispatchOutboundBatch(
    event: SQSEvent,
    context: Context,
  ): Promise<SQSBatchResponse> {
    // One record at a time: a batch shares one customer's sends and one SES rate.
    return processPartialResponse(event, withDeadLetters(dispatchRecord, getDeadLetters), processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metricsMiddleware());
}
