import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { AGENT_SOCKET_ROUTES, agentFromContext } from '../adapters/apigateway/agent-socket-context.ts';
import { countInbound, metricsMiddleware } from '../adapters/metrics.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { visitorFromContext } from '../channels/chat/authorize-visitor.ts';
import { chatInboundMessage, parseClientFrame, signedIdentityOf } from '../channels/chat/frames.ts';
import {
  type AgentSocketDeps,
  answerAgentPing,
  closeAgentConnection,
  openAgentConnection,
} from '../core/agent/live-updates.ts';
import { type RequestEmailLinkDeps, requestEmailLink } from '../core/chat/email-link.ts';
import { type ChatSuggestionDeps, suggestChatArticles } from '../core/chat/suggestions.ts';
import { relayVisitorTyping, VisitorTypingRelay } from '../core/chat/typing.ts';
import { type ChatUploadDeps, offerChatUpload, verifyChatAttachments } from '../core/chat/uploads.ts';
import {
  type ChatConnectionDeps,
  type ChatHistoryDeps,
  type ChatReadDeps,
  type ChatSendDeps,
  closeChatConnection,
  markChatMessages,
  openChatConnection,
  receiveChatMessage,
  resyncChat,
} from '../core/chat/visitor-chat.ts';
import { InvalidInputError, RetryableError } from '../core/errors.ts';

/** What API Gateway hands a WebSocket route's integration (the fields the chat reads). */
const routeEventSchema = z.object({
  requestContext: z.object({
    routeKey: z.string().min(1),
    connectionId: z.string().min(1),
    requestTimeEpoch: z.number().optional(),
    authorizer: z.unknown().optional(),
  }),
  body: z.string().nullish(),
});

/** The visitors' routes: the inbound path, the connections, the socket writer, links and uploads. */
export type ChatRouteDeps = ChatSendDeps &
  ChatHistoryDeps &
  ChatReadDeps &
  ChatConnectionDeps &
  RequestEmailLinkDeps &
  ChatUploadDeps & {
    /** Articles while the visitor types (`suggest`); absent without a help center. */
    readonly suggestions?: ChatSuggestionDeps;
  };

export interface ChatRouteResult {
  readonly statusCode: number;
  readonly body?: string;
}

/**
 * Every route of the WebSocket API: the chat's ($connect, $disconnect, send, typing, resync,
 * read, link-email, suggest) for visitors, and $connect, $disconnect and `agent.ping` for
 * agents' inboxes. Who is on the connection is what the $connect authorizer said; a visitor
 * never reaches an agent route nor an agent a visitor's. A bad frame gets an `error` frame
 * with the reason on the socket, never a silent drop. `getAgentDeps` undefined (or returning
 * undefined): no agent connection is taken and a visitor's typing reaches no one.
 */
export function makeChatWebSocketHandler(
  getDeps: () => ChatRouteDeps,
  getAgentDeps: () => AgentSocketDeps | undefined = () => undefined,
) {
  // Per function instance: which conversation each visitor types into, and when agents last heard.
  const typingRelay = new VisitorTypingRelay();
  return middy(async function handleSocketRoute(event: unknown): Promise<ChatRouteResult> {
    const parsed = routeEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidInputError(`not a WebSocket route event: ${z.prettifyError(parsed.error)}`);
    }
    const { routeKey, connectionId, authorizer } = parsed.data.requestContext;
    const log = { routeKey, connectionId };
    const agent = agentFromContext(authorizer);
    if (agent) return agentRoute(getAgentDeps(), { routeKey, connectionId, agentId: agent.agentId });
    const visitor = visitorFromContext(authorizer);
    if (!visitor) {
      logger.warn('chat route without an authorized visitor', log);
      return { statusCode: 401, body: 'no authorized visitor on this connection' };
    }
    if ((AGENT_SOCKET_ROUTES as readonly string[]).includes(routeKey)) {
      logger.warn('visitor on an agent route', log);
      await getDeps()
        .gateway.post(connectionId, { type: 'error', reason: `${routeKey} is for agents' inboxes only` })
        .catch(() => undefined);
      return { statusCode: 403, body: `${routeKey} is for agents' inboxes only` };
    }
    const deps = getDeps();
    const identified = signedIdentityOf(visitor);
    /** The widget's id of the message or upload an error frame answers. */
    let clientMessageId: string | undefined;
    try {
      if (routeKey === '$connect') {
        await openChatConnection(deps, { connectionId, visitorId: visitor.visitorId });
        logger.info('chat connected', { ...log, identified: identified !== undefined });
        return { statusCode: 200 };
      }
      if (routeKey === '$disconnect') {
        typingRelay.forget(connectionId);
        await closeChatConnection(deps, { connectionId, visitorId: visitor.visitorId });
        logger.info('chat disconnected', log);
        return { statusCode: 200 };
      }
      const frame = parseClientFrame(parsed.data.body ?? undefined);
      switch (frame.action) {
        case 'send': {
          clientMessageId = frame.clientMessageId;
          const receivedAt = new Date(
            parsed.data.requestContext.requestTimeEpoch ?? deps.clock.now().getTime(),
          );
          const attachments = await verifyChatAttachments(
            deps,
            deps.config.chat?.attachments,
            visitor.visitorId,
            frame.attachments,
          );
          const message = chatInboundMessage(frame, visitor, receivedAt.toISOString(), attachments);
          const result = await receiveChatMessage(deps, {
            message,
            attachments: [],
            connectionId,
            clientMessageId: frame.clientMessageId,
          });
          countInbound('chat', result);
          // The message may have opened a new conversation: the next typing looks it up again.
          typingRelay.forget(connectionId);
          logger.info('chat message received', {
            ...log,
            conversationId: result.conversationId,
            duplicate: result.duplicate,
            autoReplyQueued: result.autoReply.queued,
            autoReplySkipped: result.autoReply.reasons,
          });
          return { statusCode: 200, body: JSON.stringify(result) };
        }
        case 'upload': {
          clientMessageId = frame.uploadId;
          const slot = await offerChatUpload(deps, deps.config.chat?.attachments, {
            connectionId,
            visitorId: visitor.visitorId,
            uploadId: frame.uploadId,
            filename: frame.filename,
            contentType: frame.contentType,
            size: frame.size,
          });
          logger.info('chat upload slot offered', { ...log, contentType: slot.contentType, size: slot.size });
          return { statusCode: 200 };
        }
        case 'resync': {
          const result = await resyncChat(deps, {
            connectionId,
            visitorId: visitor.visitorId,
            identified,
            after: frame.after,
            browserLanguage: frame.language,
          });
          logger.info('chat resynced', { ...log, messages: result.messages });
          return { statusCode: 200 };
        }
        case 'read': {
          const result = await markChatMessages(deps, {
            visitorId: visitor.visitorId,
            identified,
            messageIds: frame.messageIds,
            state: frame.state,
          });
          logger.info('chat messages marked', { ...log, state: frame.state, updated: result.updated });
          return { statusCode: 200 };
        }
        case 'typing': {
          const agentDeps = getAgentDeps();
          if (!agentDeps) return { statusCode: 200 };
          const result = await relayVisitorTyping(
            { ...agentDeps, customers: deps.customers, history: deps.history, typingRelay },
            { connectionId, visitorId: visitor.visitorId, identified, state: frame.state },
          );
          logger.debug('chat typing relayed', { ...log, ...result });
          return { statusCode: 200 };
        }
        case 'suggest': {
          if (!deps.suggestions) throw new InvalidInputError('this shop has no help center to suggest from');
          const result = await suggestChatArticles(deps.suggestions, {
            connectionId,
            text: frame.text,
            language: frame.language,
          });
          // The count only: what the visitor typed is theirs.
          logger.info('chat articles suggested', { ...log, ...result });
          return { statusCode: result.throttled ? 429 : 200 };
        }
        case 'link-email': {
          if (identified) throw new InvalidInputError('this visitor is signed in already: nothing to link');
          await requestEmailLink(deps, {
            visitorId: visitor.visitorId,
            email: frame.email,
            language: frame.language,
          });
          await deps.gateway.post(connectionId, { type: 'email-link-sent' });
          logger.info('chat email link requested', log);
          return { statusCode: 200 };
        }
      }
    } catch (error) {
      const level = error instanceof RetryableError ? 'warn' : 'error';
      logger[level]('chat route failed', { ...log, error: describeError(error) });
      if (!(error instanceof InvalidInputError)) throw error;
      await deps.gateway
        .post(connectionId, {
          type: 'error',
          reason: error.reason,
          ...(clientMessageId ? { clientMessageId } : {}),
        })
        .catch(() => undefined);
      return { statusCode: 400, body: error.reason };
    }
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metricsMiddleware());
}

/** An agent's inbox: its connection's record, and the keep-alive. Every other action is refused. */
async function agentRoute(
  deps: AgentSocketDeps | undefined,
  input: { readonly routeKey: string; readonly connectionId: string; readonly agentId: string },
): Promise<ChatRouteResult> {
  const { routeKey, connectionId, agentId } = input;
  const log = { routeKey, connectionId };
  if (!deps) {
    logger.warn('agent route where live updates are not deployed', log);
    return { statusCode: 403, body: 'this deployment takes no agent connections' };
  }
  switch (routeKey) {
    case '$connect':
      await openAgentConnection(deps, { connectionId, agentId });
      logger.info('agent connected', log);
      return { statusCode: 200 };
    case '$disconnect':
      await closeAgentConnection(deps, { connectionId });
      logger.info('agent disconnected', log);
      return { statusCode: 200 };
    case 'agent.ping':
      await answerAgentPing(deps, { connectionId });
      return { statusCode: 200 };
    default: {
      const reason = `${routeKey} is not an agent action: agents' inboxes send agent.ping only`;
      logger.warn('agent on a visitor route', log);
      await deps.agentGateway.post(connectionId, { type: 'error', reason }).catch(() => undefined);
      return { statusCode: 403, body: reason };
    }
  }
}
