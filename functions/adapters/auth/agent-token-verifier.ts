import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { AgentTokenCheck, AgentTokenVerifier } from '../../core/agent/live-updates.ts';
import { ConfigurationError } from '../../core/errors.ts';

/** Who issues agents' tokens, and for which app clients (the same as the agent API's JWT authorizer). */
export interface AgentTokenSettings {
  readonly issuer: string;
  readonly audience: readonly string[];
}

/** `AGENT_JWT_ISSUER` and `AGENT_JWT_AUDIENCE` (comma-separated); undefined: agents cannot connect. */
export function agentTokenSettingsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): AgentTokenSettings | undefined {
  const issuer = env.AGENT_JWT_ISSUER?.trim();
  if (!issuer) return undefined;
  const audience = (env.AGENT_JWT_AUDIENCE ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (audience.length === 0) {
    throw new ConfigurationError('AGENT_JWT_AUDIENCE is empty: name the app client id(s) of the agent tool');
  }
  return { issuer, audience };
}

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([a-z0-9-]+_[A-Za-z0-9]+)$/;

/**
 * Verifies agents' JWTs with aws-jwt-verify (awslabs): signature against the issuer's JWKS
 * (fetched once and cached per function instance, fetched again for an unknown key id), issuer,
 * audience, expiry and not-before. A Cognito user pool's access tokens name the app client in
 * `client_id` rather than `aud`, as API Gateway's JWT authorizer accepts too: for a Cognito
 * issuer the Cognito verifier checks that claim and `token_use: access`.
 */
export class JwksAgentTokenVerifier implements AgentTokenVerifier {
  private readonly verifier: { verify(token: string): Promise<Record<string, unknown>> };
  /** For tests: the JWKS to trust without fetching. */
  readonly cacheJwks: (jwks: { keys: unknown[] }) => void;

  constructor(settings: AgentTokenSettings) {
    const cognitoPool = settings.issuer.match(COGNITO_ISSUER)?.[1];
    if (cognitoPool) {
      const verifier = CognitoJwtVerifier.create({
        userPoolId: cognitoPool,
        tokenUse: 'access',
        clientId: [...settings.audience],
      });
      this.verifier = { verify: (token) => verifier.verify(token) as Promise<Record<string, unknown>> };
      this.cacheJwks = (jwks) => verifier.cacheJwks(jwks as Parameters<typeof verifier.cacheJwks>[0]);
    } else {
      const verifier = JwtVerifier.create({ issuer: settings.issuer, audience: [...settings.audience] });
      this.verifier = { verify: (token) => verifier.verify(token) as Promise<Record<string, unknown>> };
      this.cacheJwks = (jwks) => verifier.cacheJwks(jwks as Parameters<typeof verifier.cacheJwks>[0]);
    }
  }

  async verify(token: string): Promise<AgentTokenCheck> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      // The library's messages say what failed (expired, wrong issuer or audience) and carry no secret.
      const detail = error instanceof Error ? error.message : 'unreadable token';
      return { valid: false, problem: `the agent token does not verify: ${detail}` };
    }
    const sub = claims.sub;
    if (typeof sub !== 'string' || sub.length === 0) {
      return { valid: false, problem: 'the agent token has no sub claim (the agent id)' };
    }
    const scope = typeof claims.scope === 'string' ? claims.scope : '';
    return { valid: true, agentId: sub, scopes: scope.split(' ').filter(Boolean) };
  }
}
