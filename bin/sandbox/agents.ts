import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  AGENT_SCOPES,
  type AgentRoute,
  type AgentRouteMatch,
  matchAgentRoute,
} from '../../functions/adapters/http/agent-routes.ts';
import { agentApiDeps } from '../../functions/composition/agent-api.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import type { AgentTokenCheck, AgentTokenVerifier } from '../../functions/core/agent/live-updates.ts';
import type { AgentTypingDeps } from '../../functions/core/chat/typing.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import { makeAgentApiHandler } from '../../functions/handlers/agent-api.ts';
import { apiGatewayV2Event, withJwtClaims } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import type { StandIns } from './stand-ins.ts';

/** The development token the sandbox takes in `Authorization: Bearer …` unless SANDBOX_AGENT_TOKEN names another. */
export const DEFAULT_SANDBOX_AGENT_TOKEN = 'dev-agent-token';

/** The agent every sandbox request acts as (the JWT `sub` a real authorizer would pass on). */
export const SANDBOX_AGENT_ID = 'dev-agent';

/** Signs the agent tokens `POST /sandbox/agent-tokens` hands out (HS256); a stand-in for the identity provider's key. */
const SANDBOX_TOKEN_KEY = 'sandbox-agent-token-key';
const SANDBOX_ISSUER = 'https://sandbox.invalid/';

export interface AgentHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/** Who a valid token speaks for, and what it may do. */
interface TokenHolder {
  readonly sub: string;
  readonly scopes: readonly string[];
}

type TokenCheck = { ok: true; holder: TokenHolder } | { ok: false; reason: string };

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * The agent API on the sandbox: checks the bearer token as API Gateway's JWT authorizer would
 * (401 with what is wrong; 403 when the token lacks the route's scope, from the one route table),
 * then hands the real handler the API Gateway v2 event with the claims the authorizer adds.
 * The development token acts as `dev-agent` with every scope; `issueToken` makes tokens for
 * other agents, scopes and lifetimes, as an identity provider would.
 */
export class SandboxAgents {
  readonly token: string;
  private readonly handler;

  constructor(
    standIns: StandIns,
    settings: LocalSettings,
    private readonly clock: Clock,
    token = process.env.SANDBOX_AGENT_TOKEN,
    /** The chat's sockets, for `POST /conversations/{id}/typing` and the read ticks. */
    chat?: AgentTypingDeps,
  ) {
    this.token = token || DEFAULT_SANDBOX_AGENT_TOKEN;
    const base = agentApiDeps(standIns.clients, settings, clock);
    // The chat's sockets also carry the read ticks of `POST /conversations/{id}/read`.
    const deps = chat
      ? {
          ...base,
          chat,
          inbox: { ...base.inbox, chat: { connections: chat.connections, gateway: chat.gateway } },
        }
      : base;
    this.handler = makeAgentApiHandler(() => deps);
  }

  /** The route the request names, or that its path is an agent route with another method. */
  route(method: string, path: string): AgentRouteMatch {
    return matchAgentRoute(method, path);
  }

  /** A signed agent token (a JWT, HS256) for `sub` with `scopes`, valid `lifetimeSeconds` from the sandbox clock. */
  issueToken(input: { sub: string; scopes: readonly string[]; lifetimeSeconds: number }): {
    token: string;
    expiresAt: string;
  } {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = now + input.lifetimeSeconds;
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({ iss: SANDBOX_ISSUER, sub: input.sub, scope: input.scopes.join(' '), iat: now, exp }),
    );
    const signature = createHmac('sha256', SANDBOX_TOKEN_KEY)
      .update(`${header}.${payload}`)
      .digest('base64url');
    return { token: `${header}.${payload}.${signature}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async request(request: AgentHttpRequest): Promise<APIGatewayProxyStructuredResultV2> {
    const match = matchAgentRoute(request.method, request.path);
    // Routing comes first, as API Gateway's: an unknown route or method is the handler's to answer.
    const route = match.kind === 'route' ? match.route : undefined;
    let holder: TokenHolder | undefined;
    if (route) {
      const authorization = Object.entries(request.headers).find(
        ([k]) => k.toLowerCase() === 'authorization',
      )?.[1];
      const check = this.check(authorization);
      if (!check.ok) return refusal(401, 'invalid_token', check.reason);
      if (!check.holder.scopes.includes(route.scope)) {
        const has = check.holder.scopes.length > 0 ? check.holder.scopes.join(', ') : 'none';
        return refusal(
          403,
          'insufficient_scope',
          `${request.method} ${route.path} needs the scope ${route.scope}; the token has ${has}`,
          route,
        );
      }
      holder = check.holder;
    }
    const event = apiGatewayV2Event({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
      query: request.query,
    });
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const withClaims = withJwtClaims(
      event,
      { sub: holder?.sub ?? SANDBOX_AGENT_ID, iss: SANDBOX_ISSUER, aud: 'switchboard-agents', iat: now },
      holder?.scopes ?? [],
    );
    return this.handler(withClaims, lambdaContext('switchboard-agent-api'));
  }

  private check(header: string | undefined): TokenCheck {
    if (header === undefined || header.trim() === '') {
      return {
        ok: false,
        reason: `no Authorization header: send "Authorization: Bearer ${this.token === DEFAULT_SANDBOX_AGENT_TOKEN ? DEFAULT_SANDBOX_AGENT_TOKEN : '<SANDBOX_AGENT_TOKEN>'}"`,
      };
    }
    const match = header.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match?.[1]) {
      return {
        ok: false,
        reason: `the Authorization header is not a bearer token: it must be "Bearer <token>", not "${header.split(/\s/, 1)[0]} …"`,
      };
    }
    return checkSandboxAgentToken(match[1], this.token, this.clock);
  }
}

/**
 * A sandbox agent token as the identity provider's verifier would judge it: the development
 * token (`dev-agent`, every scope), or one `issueToken` signed (HS256) that has not expired.
 * The agent API's bearer check and the WebSocket's `?agentToken=` share it.
 */
export function checkSandboxAgentToken(given: string, developmentToken: string, clock: Clock): TokenCheck {
  if (sameText(given, developmentToken))
    return { ok: true, holder: { sub: SANDBOX_AGENT_ID, scopes: AGENT_SCOPES } };
  const parts = given.split('.');
  const [header64, payload64, signature] = parts;
  const expected =
    header64 && payload64
      ? createHmac('sha256', SANDBOX_TOKEN_KEY).update(`${header64}.${payload64}`).digest('base64url')
      : '';
  if (parts.length !== 3 || !signature || !sameText(signature, expected)) {
    return {
      ok: false,
      reason:
        'the token is not one the sandbox knows: use the development token or one from POST /sandbox/agent-tokens',
    };
  }
  const claims = JSON.parse(Buffer.from(payload64 ?? '', 'base64url').toString('utf8')) as {
    sub: string;
    scope?: string;
    exp: number;
  };
  if (claims.exp * 1000 <= clock.now().getTime()) {
    return {
      ok: false,
      reason: `the token expired at ${new Date(claims.exp * 1000).toISOString()}: get a new one`,
    };
  }
  return {
    ok: true,
    holder: { sub: claims.sub, scopes: (claims.scope ?? '').split(' ').filter(Boolean) },
  };
}

/** The WebSocket authorizer's verifier in the sandbox: the sandbox's own tokens. */
export class SandboxAgentTokenVerifier implements AgentTokenVerifier {
  readonly token: string;

  constructor(
    private readonly clock: Clock,
    token = process.env.SANDBOX_AGENT_TOKEN,
  ) {
    this.token = token || DEFAULT_SANDBOX_AGENT_TOKEN;
  }

  async verify(token: string): Promise<AgentTokenCheck> {
    const check = checkSandboxAgentToken(token, this.token, this.clock);
    return check.ok
      ? { valid: true, agentId: check.holder.sub, scopes: check.holder.scopes }
      : { valid: false, problem: check.reason };
  }
}

/** A header value carries printable ASCII only: quotes and anything else are replaced. */
function headerSafe(text: string): string {
  return text
    .replace(/…/g, '...')
    .replace(/"/g, "'")
    .replace(/[^\x20-\x7e]/g, '?');
}

function sameText(a: string, b: string): boolean {
  const given = Buffer.from(a);
  const expected = Buffer.from(b);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What API Gateway's JWT authorizer answers (RFC 6750 `WWW-Authenticate`), with the reason in the body too. */
function refusal(
  status: 401 | 403,
  error: 'invalid_token' | 'insufficient_scope',
  reason: string,
  route?: AgentRoute,
): APIGatewayProxyStructuredResultV2 {
  const scope = route ? ` scope="${route.scope}"` : '';
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/json',
      'www-authenticate': `Bearer${scope} error="${error}" error_description="${headerSafe(reason)}"`,
    },
    body: JSON.stringify({ error: status === 401 ? 'unauthorized' : 'forbidden', reason }),
  };
}
