import {
  agentTokenSettingsFromEnvironment,
  JwksAgentTokenVerifier,
} from '../adapters/auth/agent-token-verifier.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { SecretsManagerShopSecret } from '../adapters/shop/shop-secret.ts';
import type { AgentTokenVerifier } from '../core/agent/live-updates.ts';
import type { ShopSecret } from '../core/ports/secrets.ts';
import { makeChatAuthorizerHandler } from '../handlers/chat-authorizer.ts';
import { once } from './shared/clients.ts';

/*
 * The WebSocket `$connect` authorizer: no SDK client of its own (Secrets Manager is loaded with
 * the secret). Visitors and agents are read apart: a wrong agent issuer never refuses visitors.
 */

/** CHAT_IDENTITY_SECRET_ARN; undefined where no chat is deployed (visitors are refused). */
export function chatAuthorizerVisitorSecret(
  environment: NodeJS.ProcessEnv = process.env,
): ShopSecret | undefined {
  const arn = readEnvironment('chat-authorizer', environment).CHAT_IDENTITY_SECRET_ARN;
  return arn ? new SecretsManagerShopSecret(arn) : undefined;
}

/** AGENT_JWT_ISSUER and AGENT_JWT_AUDIENCE; undefined where no issuer is configured (agents are refused). */
export function chatAuthorizerAgentTokens(
  environment: NodeJS.ProcessEnv = process.env,
): AgentTokenVerifier | undefined {
  const settings = agentTokenSettingsFromEnvironment(readEnvironment('chat-authorizer', environment));
  // One verifier per instance: its JWKS cache outlives the invocation.
  return settings ? new JwksAgentTokenVerifier(settings) : undefined;
}

export const handler = makeChatAuthorizerHandler({
  visitorSecret: once(() => chatAuthorizerVisitorSecret()),
  agentTokens: once(() => chatAuthorizerAgentTokens()),
});
