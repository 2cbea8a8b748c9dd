import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { chatIdentitySecretFromEnvironment } from '../adapters/chat-wiring.ts';
import { systemClock } from '../adapters/ids.ts';
import { logger } from '../adapters/observability.ts';
import type { ShopSecret } from '../adapters/shop/shop-secret.ts';
import { once } from '../adapters/wiring.ts';
import { authorizeVisitor, visitorContext } from '../channels/chat/authorize-visitor.ts';
import type { Clock } from '../core/ports.ts';

/** The REQUEST authorizer event API Gateway sends for a WebSocket $connect. */
const authorizerEventSchema = z.object({
  methodArn: z.string().min(1),
  queryStringParameters: z.record(z.string(), z.string()).nullish(),
});

export interface ChatAuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: ReadonlyArray<{ Action: string; Effect: 'Allow' | 'Deny'; Resource: string }>;
  };
  readonly context?: Record<string, string>;
}

/**
 * $connect's authorizer: a visitor id is required; a signed identity token, when it verifies,
 * names the customer. Its context reaches every route of the connection.
 */
export function makeChatAuthorizerHandler(getSecret: () => ShopSecret, clock: Clock = systemClock) {
  return middy(async (event: unknown): Promise<ChatAuthorizerResult> => {
    const parsed = authorizerEventSchema.safeParse(event);
    const methodArn = parsed.success ? parsed.data.methodArn : '*';
    const policy = (effect: 'Allow' | 'Deny') => ({
      Version: '2012-10-17' as const,
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
    });
    if (!parsed.success) {
      logger.warn('chat connect refused', { reason: 'not an authorizer event' });
      return { principalId: 'unknown', policyDocument: policy('Deny') };
    }
    const decision = authorizeVisitor(
      parsed.data.queryStringParameters ?? {},
      (await getSecret().keys()).current,
      clock.now(),
    );
    if (!decision.allowed) {
      logger.warn('chat connect refused', { reason: decision.reason });
      return { principalId: 'unknown', policyDocument: policy('Deny') };
    }
    logger.info('chat connect authorized', {
      identified: decision.visitor.identity !== undefined,
      identityProblem: decision.identityProblem,
    });
    return {
      principalId: decision.visitor.visitorId,
      policyDocument: policy('Allow'),
      context: visitorContext(decision),
    };
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = makeChatAuthorizerHandler(once(() => chatIdentitySecretFromEnvironment()));
