import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { AGENT_TOKEN_PARAMETER, agentContext } from '../adapters/apigateway/agent-socket-context.ts';
import { AGENT_READ_SCOPE } from '../adapters/http/agent-routes.ts';
import { systemClock } from '../adapters/ids.ts';
import { logger } from '../adapters/observability.ts';
import { authorizeVisitor, visitorContext } from '../channels/chat/authorize-visitor.ts';
import { type AgentTokenVerifier, authorizeAgent } from '../core/agent/live-updates.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { ShopSecret } from '../core/ports/secrets.ts';

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

export interface SocketAuthorizerDeps {
  /** The chat's identity secret; undefined where no chat is deployed (visitors are refused). */
  readonly visitorSecret: () => ShopSecret | undefined;
  /** Agents' token verifier; undefined where no issuer is configured (agents are refused). */
  readonly agentTokens: () => AgentTokenVerifier | undefined;
  readonly clock?: Clock;
}

/**
 * $connect's authorizer for both kinds of connection on the one WebSocket API. With
 * `agentToken` in the query it is an agent's inbox: the JWT must verify and carry the agent
 * API's read scope, and the context marks the connection as the agent's (`sub`). Otherwise it
 * is a chat visitor: a visitor id is required; a signed identity token, when it verifies, names
 * the customer. The context reaches every route of the connection.
 */
export function makeChatAuthorizerHandler(deps: SocketAuthorizerDeps) {
  const clock = deps.clock ?? systemClock;
  return middy(async function authorizeSocketConnect(event: unknown): Promise<ChatAuthorizerResult> {
    const parsed = authorizerEventSchema.safeParse(event);
    const methodArn = parsed.success ? parsed.data.methodArn : '*';
    const policy = (effect: 'Allow' | 'Deny') => ({
      Version: '2012-10-17' as const,
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
    });
    const refuse = (reason: string, kind: 'agent' | 'visitor'): ChatAuthorizerResult => {
      logger.warn(`${kind === 'agent' ? 'agent' : 'chat'} connect refused`, { reason });
      return { principalId: 'unknown', policyDocument: policy('Deny') };
    };
    if (!parsed.success) return refuse('not an authorizer event', 'visitor');
    const query = parsed.data.queryStringParameters ?? {};

    const agentToken = query[AGENT_TOKEN_PARAMETER];
    if (agentToken !== undefined) {
      const verifier = deps.agentTokens();
      if (!verifier) {
        return refuse('this deployment names no agent token issuer (agents.jwt or a user pool)', 'agent');
      }
      const decision = await authorizeAgent(agentToken, verifier, AGENT_READ_SCOPE);
      if (!decision.allowed) return refuse(decision.reason, 'agent');
      logger.info('agent connect authorized');
      return {
        principalId: decision.agentId,
        policyDocument: policy('Allow'),
        context: agentContext(decision.agentId),
      };
    }

    const secret = deps.visitorSecret();
    if (!secret) return refuse('this deployment has no live chat: only agents connect here', 'visitor');
    const decision = authorizeVisitor(query, (await secret.keys()).current, clock.now());
    if (!decision.allowed) return refuse(decision.reason, 'visitor');
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
