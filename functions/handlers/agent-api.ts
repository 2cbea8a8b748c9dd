import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { type AgentRouteKey, matchAgentRoute, routeKey } from '../adapters/http/agent-routes.ts';
import { httpErrorMapping } from '../adapters/http/error-mapping.ts';
import { BODY_LIMITS, headerValue, jsonOf, parseWith, readRequestBody } from '../adapters/http/request.ts';
import { jsonResponse } from '../adapters/http/responses.ts';
import { describeError, logger } from '../adapters/observability.ts';
import type { Agent } from '../core/agent/agent.ts';
import { type AgentUploadDeps, offerAgentUpload } from '../core/agent/attachments.ts';
import {
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  updateCannedResponse,
} from '../core/agent/canned-responses.ts';
import {
  AGENT_STATUSES,
  type AgentDeps,
  assignConversation,
  changeConversationStatus,
  closeConversation,
  customerTimeline,
  MAX_PAGE_SIZE,
} from '../core/agent/conversations.ts';
import { type CustomerProfileDeps, customerProfile } from '../core/agent/customer-profile.ts';
import type { CannedResponse } from '../core/agent/inbox-ports.ts';
import { changeLabels, MAX_LABELS, normalizeLabel } from '../core/agent/labels.ts';
import { type MergeConversationsDeps, mergeConversations } from '../core/agent/merge-conversations.ts';
import { type MergeCustomersDeps, mergeCustomersByAgent } from '../core/agent/merge-customers.ts';
import { addNote, MAX_NOTE_CHARACTERS } from '../core/agent/notes.ts';
import { WRITABLE_CHANNELS } from '../core/agent/reachability.ts';
import { markConversationRead } from '../core/agent/read-state.ts';
import { type ComposerDeps, replyToConversation } from '../core/agent/reply.ts';
import {
  type ConversationRow,
  getConversationRow,
  type InboxDeps,
  listConversationRows,
  rowAfterChange,
} from '../core/agent/rows.ts';
import { snoozeConversation } from '../core/agent/snooze.ts';
import { type AgentTypingDeps, signalAgentTyping } from '../core/chat/typing.ts';
import { InvalidInputError, NotFoundError, UnauthorizedError } from '../core/errors.ts';
import type { SelfServiceStore } from '../core/knowledge-base/self-service.ts';
import { type SelfServiceReportDeps, selfServiceReport } from '../core/knowledge-base/self-service-report.ts';
import { CHANNELS, type Conversation, type Message } from '../core/model.ts';
import { channelReport, type InsightsReportDeps, parseReportRange } from '../core/service-levels/report.ts';

export interface AgentApiHandlerDeps {
  readonly agent: AgentDeps;
  /** `GET /reports/channels`: the channel insights counters. */
  readonly reports: InsightsReportDeps;
  /**
   * `GET /reports/self-service`, and the human replies that tell a deflected question from one
   * a person still answered. Absent without a help center.
   */
  readonly selfService?: SelfServiceReportDeps & {
    readonly store: Pick<SelfServiceStore, 'recordHumanReply'>;
  };
  /** `POST /conversations/{id}/typing`: the visitor's sockets; absent where chat is not deployed. */
  readonly chat?: AgentTypingDeps;
  /** The queue rows, notes, labels, snoozes, read state and canned responses. */
  readonly inbox: InboxDeps;
  /** The sidebar, the reply channel picker and uploads, and the admins' merges. */
  readonly customers?: AgentCustomerDeps;
}

export interface AgentCustomerDeps {
  /** `GET /customers/{id}`. */
  readonly profile: CustomerProfileDeps;
  /** Replies on a picked channel, with files. */
  readonly composer: ComposerDeps & { readonly uploads?: AgentUploadDeps };
  /** `POST /customers/merge`. */
  readonly customerMerge: MergeCustomersDeps;
  /** `POST /conversations/merge`. */
  readonly conversationMerge: MergeConversationsDeps;
}

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
  view: z.enum(['mine', 'unassigned', 'all']).optional(),
  label: z.string().min(1).max(64).optional(),
  unread: z.enum(['true', 'false']).optional(),
  snoozed: z.enum(['true', 'false']).optional(),
  sort: z.enum(['activity', 'deadline']).optional(),
});

const noteSchema = z.object({ text: z.string().min(1).max(MAX_NOTE_CHARACTERS) });
const labelList = z.array(z.string().min(1).max(64)).max(MAX_LABELS * 2);
const labelsSchema = z.object({ add: labelList.optional(), remove: labelList.optional() });
const snoozeSchema = z.object({ until: z.string().min(1).max(64).nullable() });
const readSchema = z.object({});
const cannedSchema = z.object({
  shortcut: z.string().min(1).max(41),
  title: z.string().min(1).max(120),
  text: z.string().min(1).max(5_000),
  language: z.string().min(2).max(2).optional(),
});
/** An agent's typing signal to a chat visitor. */
const typingSchema = z.object({ state: z.enum(['start', 'stop']).default('start') });

/** A file the app uploaded first (POST /conversations/{id}/attachments). */
const attachmentClaimSchema = z.object({
  objectKey: z.string().min(1).max(1024),
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().positive(),
});
const replySchema = z.object({
  text: z.string().min(1).max(10_000),
  channel: z.enum(WRITABLE_CHANNELS).optional(),
  attachments: z.array(attachmentClaimSchema).max(10).optional(),
});
const uploadSchema = z.object({
  filename: z.string().min(1).max(255),
  contentType: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'must be a lowercase MIME type such as "application/pdf"'),
  size: z.number().int().positive(),
});
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

/** Both ids of a merge request. */
const mergeSchema = z.object({ sourceId: id, targetId: id });

/** The sidebar, uploads and merges (agent-customers): their deps are absent in a trimmed setup. */
function customerDeps(deps: AgentApiHandlerDeps): AgentCustomerDeps {
  if (!deps.customers) throw new NotFoundError('this deployment has no customer routes');
  return deps.customers;
}

const CUSTOMER_ROUTES = {
  'GET /customers/{id}': async (deps, { params }) =>
    jsonResponse(200, await customerProfile(customerDeps(deps).profile, pathId(params))),
  'POST /conversations/{id}/attachments': async (deps, { event, params }) => {
    const body = parseWith(uploadSchema, jsonBody(event));
    const uploads = customerDeps(deps).composer.uploads;
    if (!uploads) {
      throw new InvalidInputError('this deployment takes no agent attachments (agents.attachments)', {
        field: 'body',
      });
    }
    return jsonResponse(201, await offerAgentUpload(uploads, { conversationId: pathId(params), ...body }));
  },
  'POST /customers/merge': async (deps, { event, agent }) => {
    const body = parseWith(mergeSchema, jsonBody(event));
    const customers = customerDeps(deps);
    const result = await mergeCustomersByAgent(customers.customerMerge, { ...body, agent });
    const profile = await customerProfile(customers.profile, result.customer.id);
    return jsonResponse(200, { customer: profile.customer, changed: result.changed });
  },
  'POST /conversations/merge': async (deps, { event, agent }) => {
    const body = parseWith(mergeSchema, jsonBody(event));
    const result = await mergeConversations(customerDeps(deps).conversationMerge, { ...body, agent });
    return jsonResponse(200, {
      conversation: conversationView(result.conversation),
      changed: result.changed,
    });
  },
} satisfies Partial<Record<AgentRouteKey, Route>>;

/** The inbox's routes (agent-routes.ts INBOX_ROUTES). */
const INBOX_HANDLERS = {
  'POST /conversations/{id}/notes': async (deps, { event, agent, params }) => {
    const body = parseWith(noteSchema, jsonBody(event));
    const note = await addNote(deps.inbox, {
      conversationId: pathId(params),
      text: body.text,
      agent,
      idempotencyKey: idempotencyKey(event),
    });
    return jsonResponse(201, { note: messageView(note) });
  },
  'POST /conversations/{id}/labels': async (deps, { event, agent, params }) => {
    const body = parseWith(labelsSchema, jsonBody(event));
    const changed = await changeLabels(deps.inbox, { conversationId: pathId(params), ...body, agent });
    return jsonResponse(200, { conversation: await rowAfterChange(deps.inbox, agent, changed) });
  },
  'POST /conversations/{id}/snooze': async (deps, { event, agent, params }) => {
    const body = parseWith(snoozeSchema, jsonBody(event));
    const snoozed = await snoozeConversation(deps.inbox, {
      conversationId: pathId(params),
      until: body.until ?? undefined,
      agent,
    });
    return jsonResponse(200, { conversation: await rowAfterChange(deps.inbox, agent, snoozed) });
  },
  'POST /conversations/{id}/read': async (deps, { event, agent, params }) => {
    parseWith(readSchema, jsonBody(event));
    return jsonResponse(
      200,
      await markConversationRead(deps.inbox, { conversationId: pathId(params), agent }),
    );
  },
  'GET /canned-responses': async (deps) => {
    const items = await listCannedResponses(deps.inbox);
    return jsonResponse(200, { items: items.map(cannedView) });
  },
  'POST /canned-responses': async (deps, { event, agent }) => {
    const body = parseWith(cannedSchema, jsonBody(event));
    const result = await createCannedResponse(deps.inbox, {
      ...body,
      agent,
      idempotencyKey: idempotencyKey(event),
    });
    return jsonResponse(result.created ? 201 : 200, { cannedResponse: cannedView(result.cannedResponse) });
  },
  'PUT /canned-responses/{id}': async (deps, { event, agent, params }) => {
    const body = parseWith(cannedSchema, jsonBody(event));
    const updated = await updateCannedResponse(deps.inbox, { ...body, id: pathId(params), agent });
    return jsonResponse(200, { cannedResponse: cannedView(updated) });
  },
  'DELETE /canned-responses/{id}': async (deps, { agent, params }) => {
    return jsonResponse(200, await deleteCannedResponse(deps.inbox, { id: pathId(params), agent }));
  },
} satisfies Partial<Record<AgentRouteKey, Route>>;

/** Every route of the table (agent-routes.ts) has its implementation here: the compiler checks. */
const ROUTES: Readonly<Record<AgentRouteKey, Route>> = {
  ...CUSTOMER_ROUTES,
  ...INBOX_HANDLERS,
  'GET /conversations': async (deps, { event, agent }) => {
    const { unread, snoozed, label, ...query } = parseWith(
      listQuerySchema,
      event.queryStringParameters ?? {},
      '',
    );
    const page = await listConversationRows(deps.inbox, agent, {
      ...query,
      ...(label === undefined ? {} : { label: normalizeLabel(label) }),
      unread: unread === 'true',
      snoozed: snoozed === 'true',
    });
    return jsonResponse(200, { items: page.items, nextToken: page.nextToken });
  },
  'GET /conversations/{id}': async (deps, { agent, params }) => {
    const detail = await getConversationRow(deps.inbox, agent, pathId(params));
    // The row's fields at the top level too, as this route answered before rows existed.
    return jsonResponse(200, {
      ...detail.conversation,
      conversation: detail.conversation,
      messages: detail.messages.map(messageView),
    });
  },
  'GET /customers/{id}/timeline': async (deps, { params }) => {
    const timeline = await customerTimeline(deps.agent, pathId(params));
    const { customer } = timeline;
    return jsonResponse(200, {
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
  'POST /conversations/{id}/replies': async (deps, { event, agent, params }) => {
    const body = parseWith(replySchema, jsonBody(event));
    const key = headerValue(event.headers, 'idempotency-key');
    const result = await replyToConversation(
      { ...deps.agent, ...(deps.customers ? { composer: deps.customers.composer } : {}) },
      {
        conversationId: pathId(params),
        text: body.text,
        agent,
        idempotencyKey:
          key === undefined ? undefined : parseWith(idempotencyKeySchema, key, 'Idempotency-Key'),
        ...(body.channel === undefined ? {} : { channel: body.channel }),
        ...(body.attachments === undefined ? {} : { attachments: body.attachments }),
      },
    );
    // A person answered: the automatic article answer of this conversation did not deflect it.
    await deps.selfService?.store
      .recordHumanReply(pathId(params), deps.agent.clock.now())
      .catch((error: unknown) =>
        logger.warn('self-service follow-up not counted', { error: describeError(error) }),
      );
    return jsonResponse(202, { status: 'queued', ...result });
  },
  'POST /conversations/{id}/assign': async (deps, { event, agent, params }) => {
    const body = parseWith(assignSchema, jsonBody(event));
    const conversation = await assignConversation(deps.agent, {
      conversationId: pathId(params),
      assignee: body.assignee ?? undefined,
      agent,
    });
    return jsonResponse(200, conversationView(conversation));
  },
  'POST /conversations/{id}/status': async (deps, { event, agent, params }) => {
    const body = parseWith(statusSchema, jsonBody(event));
    const result = await changeConversationStatus(deps.agent, {
      conversationId: pathId(params),
      status: body.status,
      agent,
    });
    return jsonResponse(200, {
      ...conversationView(result.conversation),
      changed: result.changed,
      surveyOutcome: result.survey,
    });
  },
  'POST /conversations/{id}/close': async (deps, { agent, params }) => {
    const result = await closeConversation(deps.agent, { conversationId: pathId(params), agent });
    return jsonResponse(200, {
      ...conversationView(result.conversation),
      changed: result.changed,
      surveyOutcome: result.survey,
    });
  },
  'GET /reports/channels': async (deps, { event }) => {
    const query = event.queryStringParameters ?? {};
    const range = parseReportRange({ from: query.from, to: query.to }, deps.agent.clock.now());
    return jsonResponse(200, await channelReport(deps.reports, range));
  },
  'GET /reports/self-service': async (deps, { event }) => {
    if (!deps.selfService) {
      throw new NotFoundError('this deployment has no help center (`help` in its config)');
    }
    const query = event.queryStringParameters ?? {};
    const range = parseReportRange({ from: query.from, to: query.to }, deps.agent.clock.now());
    return jsonResponse(200, await selfServiceReport(deps.selfService, range));
  },
  'POST /conversations/{id}/typing': async (deps, { event, params }) => {
    const body = parseWith(typingSchema, jsonBody(event));
    if (!deps.chat)
      throw new InvalidInputError('live chat is not part of this deployment', { field: 'channel' });
    const result = await signalAgentTyping(deps.chat, { conversationId: pathId(params), state: body.state });
    return jsonResponse(202, result);
  },
};

/**
 * The agent API on the HTTP API (`/conversations…`, `/customers/{id}/timeline`,
 * `/reports/channels`). API Gateway's JWT authorizer (or IAM auth) lets only agents in; the
 * handler takes the agent's id from the authorizer's context and records it on every action.
 * Wrong input answers 400 with the field, a body over 64 KB 413, a known path with another
 * method 405 (with `Allow`), a reply by someone other than the assignee (when restricted) 403,
 * an unknown id 404, no agent identity 401 (the error mapping, error-mapping.ts).
 */
export function makeAgentApiHandler(getDeps: () => AgentApiHandlerDeps) {
  return middy(async function handleAgentRequest(
    event: APIGatewayProxyEventV2,
    _context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const method = event.requestContext?.http?.method ?? '';
    const path = event.rawPath ?? '';
    const match = matchAgentRoute(method, path);
    if (match.kind === 'none') {
      return jsonResponse(404, { error: 'not-found', reason: `no route for ${method} ${path}` });
    }
    if (match.kind === 'wrong-method') {
      const allow = match.allowed.join(', ');
      return {
        ...jsonResponse(405, {
          error: 'method-not-allowed',
          reason: `${path} takes ${allow}, not ${method}`,
        }),
        headers: { 'content-type': 'application/json', allow },
      };
    }
    const route = routeKey(match.route);
    const authorizer = authorizerSchema.safeParse(
      (event.requestContext as { authorizer?: unknown } | undefined)?.authorizer,
    );
    if (!authorizer.success) throw new UnauthorizedError('no agent identity in the request');
    const agent: Agent = {
      id: 'jwt' in authorizer.data ? authorizer.data.jwt.claims.sub : authorizer.data.iam.userArn,
    };
    const response = await ROUTES[route](getDeps(), { event, agent, params: match.params });
    // Ids only: no address, name or text reaches the logs.
    logger.info('agent request', { method, route, status: response.statusCode });
    return response;
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(
      httpErrorMapping({
        refusedLog: 'agent request refused',
        failedLog: 'agent request failed',
        failureReason: 'the request could not be processed; try again later',
        logFields: routeOf,
      }),
    );
}

/** The route a request names, for the log lines of its refusal or failure. */
function routeOf(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const method = event.requestContext?.http?.method ?? '';
  const match = matchAgentRoute(method, event.rawPath ?? '');
  return { method, ...(match.kind === 'route' ? { route: routeKey(match.route) } : {}) };
}

function pathId(params: Record<string, string>): string {
  let raw: string;
  try {
    raw = decodeURIComponent(params.id ?? '');
  } catch (error) {
    throw new InvalidInputError('id is not a valid path segment', { field: 'id', cause: error });
  }
  return parseWith(id, raw, 'id');
}

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  return jsonOf(readRequestBody(event, BODY_LIMITS.agentApi), {});
}

/** The client's `Idempotency-Key` header, validated. */
function idempotencyKey(event: APIGatewayProxyEventV2): string | undefined {
  const key = headerValue(event.headers, 'idempotency-key');
  return key === undefined ? undefined : parseWith(idempotencyKeySchema, key, 'Idempotency-Key');
}

/** A canned response as the composer gets it. */
function cannedView(response: CannedResponse) {
  return {
    id: response.id,
    shortcut: response.shortcut,
    title: response.title,
    text: response.text,
    ...(response.language === undefined ? {} : { language: response.language }),
    updatedAt: response.updatedAt,
    updatedBy: response.updatedBy,
  };
}

function conversationView(conversation: Conversation | ConversationRow) {
  return { ...conversation };
}

/**
 * A message as agents see it; ours carry where they got to (`status`: sent, delivered, read,
 * failed) and, once the customer saw one, when (`readAt`).
 */
function messageView(message: Message) {
  return {
    ...message,
    ...(message.deliveryStatus ? { status: message.deliveryStatus } : {}),
    ...(message.deliveryStatus === 'read' && message.deliveryStatusAt
      ? { readAt: message.deliveryStatusAt }
      : {}),
  };
}
