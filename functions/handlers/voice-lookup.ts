import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { describeError, logger } from '../adapters/observability.ts';
import { parseContactFlowEvent } from '../channels/connect/contact-flow-event.ts';
import {
  type CallerAttributes,
  type CallerLookupDeps,
  lookUpCaller,
  unknownCaller,
} from '../core/voice/caller-lookup.ts';

/**
 * The flow's answer: the caller's attributes plus `lookup` (`ok`, `invalid-event`, `failed`), so
 * the flow can branch on a failed lookup instead of taking the Lambda block's error branch.
 */
export type VoiceLookupResponse = CallerAttributes & { readonly lookup: 'ok' | 'invalid-event' | 'failed' };

/**
 * The contact flow's "Invoke AWS Lambda function" block, synchronous: never throws. A malformed
 * event or a failed lookup answers the unknown-caller map, which the flow handles like any
 * caller we do not know.
 */
export function makeVoiceLookupHandler(getDeps: () => CallerLookupDeps) {
  return middy(async function lookUpCallerForFlow(event: unknown): Promise<VoiceLookupResponse> {
    let deps: CallerLookupDeps | undefined;
    try {
      deps = getDeps();
      const input = parseContactFlowEvent(event);
      try {
        const attributes = await lookUpCaller(deps, input);
        // Ids only: the number and the name are personal data.
        logger.info('caller looked up', {
          contactId: input.contactId,
          known: attributes.known,
          customerId: attributes.customerId || undefined,
        });
        return { ...attributes, lookup: 'ok' };
      } catch (error) {
        logger.error('caller lookup failed', { contactId: input.contactId, error: describeError(error) });
        return { ...unknownCaller(deps.config), lookup: 'failed' };
      }
    } catch (error) {
      logger.warn('contact flow event refused', { error: describeError(error) });
      return {
        ...unknownCaller(deps?.config ?? { defaultLanguage: '' }),
        lookup: deps ? 'invalid-event' : 'failed',
      };
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
