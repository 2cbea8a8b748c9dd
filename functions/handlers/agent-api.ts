import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { chatGatewayClient, chatSettingsFromEnvironment } from '../adapters/apigateway/chat-gateway.ts';
import { inboundClients } from '../adapters/function-clients.ts';
import { headerValue, respond } from '../adapters/http/shop-request.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { agentApiDeps, once, settingsFromEnvironment } from '../adapters/wiring.ts';
import {
  AGENT_STATUSES,
  type Agent,
  type AgentDeps,
  assignConversation,
  changeConversationStatus,
  closeConversation,
  customerTimeline,
  getConversation,
  listConversations,
  MAX_PAGE_SIZE,
} from '../core/agent/conversations.ts';
import { replyToConversation } from '../core/agent/reply.ts';
import { type AgentTypingDeps, signalAgentTyping } from '../core/chat/typing.ts';
import { InvalidInputError, NotFoundError, RetryableError } from '../core/errors.ts';
import { channelReport, type InsightsReportDeps, parseReportRange } from '../core/insights.ts';
import { CHANNELS, type Conversation, type Message } from '../core/model.ts';

export interface AgentApiHandlerDeps {
  readonly agent: AgentDeps;
  /** `GET /reports/channels`: the channel insights counters. */
  readonly reports: InsightsReportDeps;
  /** `POST /conversations/{id}/typing`: the visitor's sockets; absent where chat is not deployed. */
  readonly chat?: AgentTypingDeps;
}

/** Agent requests are small JSON documents; a reply is at most 10,000 characters. */
const MAX_BODY_BYTES = 64 * 1024;

const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be an id (letters, digits, ".", "_", ":", "-")');

const listQuerySchema = z.object({
  status: z.enum(['open', 'pending', 'closed', 'quarantined']).optional(),
  channel: z.enum(CHANNELS).optional(),
  assignee: z.string().min(1).max(200).optional(),
  nextToken: z.string().min(1).max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
/** An agent's typing signal to a chat visitor. */
const typingSchema = z.object({ state: z.enum(['start', 'stop']).default('start') });

const replySchema = z.object({ text: z.string().min(1).max(10_000) });
const assignSchema = z.object({ assignee: z.string().min(1).max(200).nullable() });
const statusSchema = z.object({ status: z.enum(AGENT_STATUSES) });
const idempotencyKeySchema = z.string().min(1).max(200);

/** Who is calling: the JWT authorizer's `sub`, or the IAM principal when the API uses IAM auth. */
const authorizerSchema = z.union([
  z.object({ jwt: z.object({ claims: z.object({ sub: z.string().min(1).max(200) }) }) }),
  z.object({ iam: z.object({ userArn: z.string().min(1).max(400) }) }),
]);

type Route = (
  deps: AgentApiHandlerDeps,
  request: { event: APIGatewayProxyEventV2; agent: Agent; params: Record<string, string> },
) => Promise<APIGatewayProxyStructuredResultV2>;

const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; route: Route }> = [
  {
    method: 'GET',
    pattern: /^\/conversations$/,
    route: async (deps, { event }) => {
      const query = parse(listQuerySchema, event.queryStringParameters ?? {}, '');
      const page = await listConversations(deps.agent, query);
      return respond(200, { items: page.items.map(conversationView), nextToken: page.nextToken });
    },
  },
  {
    method: 'GET',
    pattern: /^\/conversations\/(?<id>[^/]+)$/,
    route: async (deps, { params }) => {
      const detail = await getConversation(deps.agent, pathId(params));
      return respond(200, {
        ...conversationView(detail.conversation),
        messages: detail.messages.map(messageView),
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/customers\/(?<id>[^/]+)\/timeline$/,
    route: async (deps, { params }) => {
      const timeline = await customerTimeline(deps.agent, pathId(params));
      const { customer } = timeline;
      return respond(200, {
        customer: {
          id: customer.id,
          name: customer.name,
          language: customer.language ?? customer.detectedLanguage,
          identities: customer.identities,
          consent: customer.consent,
        },
        conversations: timeline.conversations.map(conversationView),
        items: timeline.messages.map(messageView),
        truncated: timeline.truncated,
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/conversations\/(?<id>[^/]+)\/replies$/,
    route: async (deps, { event, agent, params }) => {
      const body = parse(replySchema, jsonBody(event), '');
      const key = headerValue(event.headers, 'idempotency-key');
      const result = await replyToConversation(deps.agent, {
        conversationId: pathId(params),
        text: body.text,
        agent,
        idempotencyKey: key === undefined ? undefined : parse(idempotencyKeySchema, key, 'Idempotency-Key'),
      });
      return respond(202, { status: 'queued', ...result });
    },
  },
  {
    method: 'POST',
    pattern: /^\/conversations\/(?<id>[^/]+)\/assign$/,
    route: async (deps, { event, agent, params }) => {
      const body = parse(assignSchema, jsonBody(event), '');
      const conversation = await assignConversation(deps.agent, {
        conversationId: pathId(params),
        assignee: body.assignee ?? undefined,
        agent,
      });
      return respond(200, conversationView(conversation));
    },
  },
  {
    method: 'POST',
    pattern: /^\/conversations\/(?<id>[^/]+)\/status$/,
    route: async (deps, { event, agent, params }) => {
      const body = parse(statusSchema, jsonBody(event), '');
      const result = await changeConversationStatus(deps.agent, {
        conversationId: pathId(params),
        status: body.status,
        agent,
      });
      return respond(200, {
        ...conversationView(result.conversation),
        changed: result.changed,
        surveyOutcome: result.survey,
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/conversations\/(?<id>[^/]+)\/close$/,
    route: async (deps, { agent, params }) => {
      const result = await closeConversation(deps.agent, { conversationId: pathId(params), agent });
      return respond(200, {
        ...conversationView(result.conversation),
        changed: result.changed,
        surveyOutcome: result.survey,
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/conversations\/(?<id>[^/]+)\/typing$/,
    route: async (deps, { event, params }) => {
      const body = parse(typingSchema, jsonBody(event), '');
      if (!deps.chat)
        throw new InvalidInputError('live chat is not part of this deployment', { field: 'channel' });
      const result = await signalAgentTyping(deps.chat, {
        conversationId: pathId(params),
        state: body.state,
      });
      return respond(202, result);
    },
  },
  {
    method: 'GET',
    pattern: /^\/reports\/channels$/,
    route: async (deps, { event }) => {
      const query = event.queryStringParameters ?? {};
      const range = parseReportRange({ from: query.from, to: query.to }, deps.agent.clock.now());
      return respond(200, await channelReport(deps.reports, range));
    },
  },
];

/**
 * The agent API on the HTTP API (`/conversations…`, `/customers/{id}/timeline`,
 * `/reports/channels`). API Gateway's JWT authorizer (or IAM auth) lets only agents in; the
 * handler takes the agent's id from the authorizer's context and records it on every action.
 * Wrong input answers 400 with the field, an unknown id 404, no agent identity 401.
 */
export function makeAgentApiHandler(getDeps: () => AgentApiHandlerDeps) {
  return middy(
    async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const method = event.requestContext?.http?.method ?? '';
      const path = event.rawPath ?? '';
      const match = ROUTES.map((r) => ({ r, m: r.method === method ? path.match(r.pattern) : null })).find(
        (candidate) => candidate.m !== null,
      );
      if (!match?.m) return respond(404, { error: 'not-found', reason: `no route for ${method} ${path}` });
      const authorizer = authorizerSchema.safeParse(
        (event.requestContext as { authorizer?: unknown } | undefined)?.authorizer,
      );
      if (!authorizer.success) {
        logger.warn('agent request without an agent identity', { route: match.r.pattern.source });
        return respond(401, { error: 'unauthorized', reason: 'no agent identity in the request' });
      }
      const agent: Agent = {
        id: 'jwt' in authorizer.data ? authorizer.data.jwt.claims.sub : authorizer.data.iam.userArn,
      };
      try {
        const response = await match.r.route(getDeps(), { event, agent, params: match.m.groups ?? {} });
        // Ids only: no address, name or text reaches the logs.
        logger.info('agent request', { method, route: match.r.pattern.source, status: response.statusCode });
        return response;
      } catch (error) {
        if (error instanceof InvalidInputError) {
          return respond(400, { error: 'invalid-input', field: error.field ?? 'body', reason: error.reason });
        }
        if (error instanceof NotFoundError) return respond(404, { error: 'not-found', reason: error.reason });
        if (error instanceof RetryableError)
          return respond(409, { error: 'in-progress', reason: error.reason });
        logger.error('agent request failed', { method, error: describeError(error) });
        return respond(500, {
          error: 'failed',
          reason: 'the request could not be processed; try again later',
        });
      }
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = makeAgentApiHandler(
  once(() =>
    agentApiDeps(
      { ...inboundClients(), chatGateway: chatGatewayClient(chatSettingsFromEnvironment()) },
      settingsFromEnvironment(),
    ),
  ),
);

function pathId(params: Record<string, string>): string {
  let raw: string;
  try {
    raw = decodeURIComponent(params.id ?? '');
  } catch (error) {
    throw new InvalidInputError('id is not a valid path segment', { field: 'id', cause: error });
  }
  return parse(id, raw, 'id');
}

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_BODY_BYTES) {
    throw new InvalidInputError(`the body is larger than ${MAX_BODY_BYTES} bytes`, { field: 'body' });
  }
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new InvalidInputError('the body is not JSON', { field: 'body', cause: error });
  }
}

/** Validates `value`; InvalidInputError names the first wrong field (`prefix` for a bare value). */
function parse<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.') || 'body';
  throw new InvalidInputError(`${field}: ${issue?.message ?? 'invalid'}`, { field });
}

function conversationView(conversation: Conversation) {
  return { ...conversation };
}

function messageView(message: Message) {
  return { ...message };
}
