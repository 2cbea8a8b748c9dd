import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { ADMIN_SCOPE } from '../adapters/http/agent-routes.ts';
import { logger } from '../adapters/observability.ts';
import { scopesToSuppress } from '../core/agent/token-scopes.ts';

/** The part of Cognito's pre token generation event (version 2) the decision reads. */
const tokenEventSchema = z
  .object({
    request: z
      .object({
        groupConfiguration: z
          .object({ groupsToOverride: z.array(z.string()).nullish() })
          .loose()
          .nullish(),
      })
      .loose(),
    response: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();

/**
 * Cognito's pre token generation trigger (version 2) of the agents' user pool: the admin scope
 * stays only in the access tokens of the admins group. An event it cannot read gets no admin
 * scope either (Cognito then issues the token without it), never an error that blocks sign-in.
 */
export function makeAgentTokenScopesHandler() {
  return middy(async function issueAgentTokenScopes(event: unknown): Promise<unknown> {
    const parsed = tokenEventSchema.safeParse(event);
    const groups = parsed.success ? (parsed.data.request.groupConfiguration?.groupsToOverride ?? []) : [];
    if (!parsed.success) logger.warn('token event not understood; admin scope withheld');
    const suppressed = scopesToSuppress(groups, ADMIN_SCOPE);
    const base = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
    return {
      ...base,
      response: {
        claimsAndScopeOverrideDetails: {
          accessTokenGeneration: { scopesToSuppress: suppressed },
        },
      },
    };
  }).use(injectLambdaContext(logger));
}
