import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { describeError, logger } from '../adapters/observability.ts';
import { parseContactEvent } from '../channels/connect/contact-event.ts';
import { RetryableError } from '../core/errors.ts';
import {
  type ContactEventDeps,
  type ContactEventResult,
  recordContactEvent,
} from '../core/voice/contact-events.ts';

/**
 * The EventBridge rule's target for "Amazon Connect Contact Event". Thrown errors make Lambda
 * retry the asynchronous invocation and then hand the event, with the error, to the failed-events
 * queue: a malformed event is kept there with its reason, never dropped.
 */
export function makeVoiceEventsHandler(getDeps: () => ContactEventDeps) {
  return middy(async function handleContactEvent(event: unknown): Promise<ContactEventResult> {
    const parsed = (() => {
      try {
        return parseContactEvent(event);
      } catch (error) {
        // The sender's mistake, kept with its reason in the failed-events queue: a warning.
        logger.warn('contact event refused', { error: describeError(error) });
        throw error;
      }
    })();
    const log = {
      eventId: parsed.eventId,
      contactId: parsed.event.contactId,
      eventType: parsed.event.eventType,
    };
    try {
      const result = await recordContactEvent(getDeps(), parsed.event);
      logger.info('contact event recorded', {
        ...log,
        status: result.status,
        reason: result.reason,
        duplicate: result.duplicate,
        conversationId: result.conversationId,
        missedCall: result.missedCall?.queued,
        missedCallDeferredUntil:
          result.missedCall?.queued === true ? result.missedCall.deferredUntil : undefined,
      });
      return result;
    } catch (error) {
      const level = error instanceof RetryableError ? 'warn' : 'error';
      logger[level]('contact event failed', { ...log, error: describeError(error) });
      throw error;
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
