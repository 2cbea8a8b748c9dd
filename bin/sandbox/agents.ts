import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { agentApiDeps, type Settings } from '../../functions/adapters/wiring.ts';
import type { AgentTypingDeps } from '../../functions/core/chat/typing.ts';
import type { Clock } from '../../functions/core/ports.ts';
import { makeAgentApiHandler } from '../../functions/handlers/agent-api.ts';
import { apiGatewayV2Event } from './api-gateway-event.ts';
import { lambdaContext } from './lambda-context.ts';
import type { StandIns } from './stand-ins.ts';

/** The development token the sandbox takes in `Authorization: Bearer …` unless SANDBOX_AGENT_TOKEN names another. */
export const DEFAULT_SANDBOX_AGENT_TOKEN = 'dev-agent-token';

/** The agent every sandbox request acts as (the JWT `sub` a real authorizer would pass on). */
export const SANDBOX_AGENT_ID = 'dev-agent';

/** The agent API's routes, as the HTTP API routes them to the agent-api function. */
const AGENT_ROUTES: ReadonlyArray<{ method: string; pattern: RegExp }> = [
  { method: 'GET', pattern: /^\/conversations$/ },
  { method: 'GET', pattern: /^\/conversations\/[^/]+$/ },
  { method: 'GET', pattern: /^\/customers\/[^/]+\/timeline$/ },
  { method: 'POST', pattern: /^\/conversations\/[^/]+\/(replies|assign|status|close|typing)$/ },
  { method: 'GET', pattern: /^\/reports\/channels$/ },
];

export interface AgentHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/**
 * The agent API on the sandbox: checks the bearer token as the JWT authorizer would (401 without
 * it), then hands the real handler the API Gateway v2 event with the claims the authorizer adds.
 */
export class SandboxAgents {
  readonly token: string;
  private readonly handler;

  constructor(
    standIns: StandIns,
    settings: Settings,
    clock: Clock,
    token = process.env.SANDBOX_AGENT_TOKEN,
    /** The chat's sockets, for `POST /conversations/{id}/typing`. */
    chat?: AgentTypingDeps,
  ) {
    this.token = token || DEFAULT_SANDBOX_AGENT_TOKEN;
    const deps = { ...agentApiDeps(standIns.clients, settings, clock), ...(chat ? { chat } : {}) };
    this.handler = makeAgentApiHandler(() => deps);
  }

  handles(method: string, path: string): boolean {
    return AGENT_ROUTES.some((r) => r.method === method && r.pattern.test(path));
  }

  async request(request: AgentHttpRequest): Promise<APIGatewayProxyStructuredResultV2> {
    const authorization = Object.entries(request.headers).find(
      ([k]) => k.toLowerCase() === 'authorization',
    )?.[1];
    if (!this.authorized(authorization)) {
      // What API Gateway's JWT authorizer answers; the handler is not invoked.
      return {
        statusCode: 401,
        headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
        body: JSON.stringify({ message: 'Unauthorized' }),
      };
    }
    const event = apiGatewayV2Event({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
      query: request.query,
    });
    const now = Math.floor(Date.now() / 1000);
    const withClaims = {
      ...event,
      requestContext: {
        ...event.requestContext,
        authorizer: {
          jwt: {
            claims: {
              sub: SANDBOX_AGENT_ID,
              iss: 'https://sandbox.invalid/',
              aud: 'switchboard-agents',
              iat: now,
            },
            scopes: [],
          },
        },
      },
    };
    return this.handler(withClaims, lambdaContext('switchboard-agent-api'));
  }

  private authorized(header: string | undefined): boolean {
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match?.[1]) return false;
    const given = Buffer.from(match[1]);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
