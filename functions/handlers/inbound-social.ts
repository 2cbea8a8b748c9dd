import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { countInbound, metricsMiddleware } from '../adapters/metrics.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { withDeadLetters } from '../adapters/sqs/dead-letters.ts';
import { parseMetaWebhook } from '../channels/meta/parse-webhook.ts';
import { type MetaInboundDeps, receiveInbound } from '../core/conversations/receive-inbound.ts';
import { InvalidInputError, RetryableError } from '../core/errors.ts';
import { recordDeliveryStatus } from '../core/outbound/delivery-status.ts';
import type { ProviderMessageIndex } from '../core/ports/outbound.ts';
import type { DeadLetters } from '../core/ports/queues.ts';

export interface SocialInboundDeps extends MetaInboundDeps {
  readonly providerMessages: ProviderMessageIndex;
}

/** What one webhook delivery turned into, for the logs and the sandbox. */
export interface SocialDeliveryResult {
  readonly messages: number;
  readonly duplicates: number;
  readonly statuses: Record<string, number>;
  readonly ignored: number;
}

/**
 * Processes one verified Meta webhook delivery: every message through receiveInbound (deduped on
 * its wamid or mid, so Meta's redeliveries and our own retries are no-ops) and every status onto
 * the outbound message it names. Items go one at a time, in order: a sticker and the text after
 * it must land in that order, and one customer's messages must not race each other for the
 * conversation and the auto-reply slot.
 */
export async function processMetaDelivery(
  deps: SocialInboundDeps,
  body: string,
): Promise<SocialDeliveryResult> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidInputError('the webhook delivery is not JSON', { cause: error });
  }
  const parsed = parseMetaWebhook(json, { receivedAt: deps.clock.now().toISOString() });
  let duplicates = 0;
  for (const message of parsed.messages) {
    const result = await receiveInbound(deps, { message, attachments: [] });
    countInbound(message.channel, result);
    if (result.duplicate) duplicates += 1;
    logger.info('social message received', {
      channel: message.channel,
      conversationId: result.conversationId,
      duplicate: result.duplicate,
      autoReplyQueued: result.autoReply.queued,
      autoReplySkipped: result.autoReply.reasons,
      faq: result.autoReply.faq,
      flags: message.flags,
    });
  }
  const statuses: Record<string, number> = {};
  for (const status of parsed.statuses) {
    const outcome = await recordDeliveryStatus(deps, status);
    statuses[outcome] = (statuses[outcome] ?? 0) + 1;
  }
  if (parsed.ignored.length > 0) {
    // Reasons are fixed phrases without ids or content.
    logger.info('social webhook items ignored', { object: parsed.object, reasons: parsed.ignored });
  }
  if (parsed.unreadable.length > 0) {
    // What could be read is stored (a redrive of the delivery is a no-op for it); the rest goes to
    // the DLQ with where it was in the delivery, never dropped.
    throw new InvalidInputError(
      `parts of the webhook delivery could not be read: ${parsed.unreadable.slice(0, 10).join('; ')}`,
    );
  }
  return { messages: parsed.messages.length, duplicates, statuses, ignored: parsed.ignored.length };
}

/** `getDeadLetters`: see makeDispatcherHandler. */
export function makeInboundSocialHandler(
  getDeps: () => SocialInboundDeps,
  getDeadLetters?: () => DeadLetters | undefined,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const log = { sqsMessageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
    try {
      const result = await processMetaDelivery(getDeps(), record.body);
      logger.info('social webhook delivery processed', { ...log, ...result });
    } catch (error) {
      // Back to the queue, or on the last allowed receive to the DLQ with this reason (withDeadLetters).
      const level = error instanceof RetryableError ? 'warn' : 'error';
      logger[level]('social webhook delivery failed', { ...log, error: describeError(error) });
      throw error;
    }
  };
  return middy(async function receiveMetaDeliveries(
    event: SQSEvent,
    context: Context,
  ): Promise<SQSBatchResponse> {
    return processPartialResponse(event, withDeadLetters(processRecord, getDeadLetters), processor, {
      context,
      // One record at a time (see processMetaDelivery).
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metricsMiddleware());
}
