import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import * as z from 'zod';
import {
  ApiGatewayChatGateway,
  type ChatRouteDeps,
  chatGatewayClient,
  chatIdentitySecretFromEnvironment,
  chatRouteDeps,
  chatSettingsFromEnvironment,
} from '../adapters/chat-wiring.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { countInbound, metricsMiddleware } from '../adapters/metrics.ts';
import { describeError, logger } from '../adapters/observability.ts';
import { once, settingsFromEnvironment } from '../adapters/wiring.ts';
import { visitorFromContext } from '../channels/chat/authorize-visitor.ts';
import { chatInboundMessage, parseClientFrame, signedIdentityOf } from '../channels/chat/frames.ts';
import { requestEmailLink } from '../core/chat/email-link.ts';
import { suggestChatArticles } from '../core/chat/suggestions.ts';
import { offerChatUpload, verifyChatAttachments } from '../core/chat/uploads.ts';
import {
  closeChatConnection,
  markChatMessages,
  openChatConnection,
  receiveChatMessage,
  resyncChat,
} from '../core/chat/visitor-chat.ts';
import { ConfigurationError, InvalidInputError, RetryableError } from '../core/errors.ts';

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

export interface ChatRouteResult {
  readonly statusCode: number;
  readonly body?: string;
}

/**
 * Every route of the chat WebSocket API ($connect, $disconnect, send, typing, resync, read,
 * link-email, suggest). The visitor is who the $connect authorizer said; a bad frame gets an `error` frame
 * with the reason on the socket, never a silent drop.
 */
export function makeChatWebSocketHandler(getDeps: () => ChatRouteDeps) {
  return middy(async (event: unknown): Promise<ChatRouteResult> => {
    const parsed = routeEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidInputError(`not a WebSocket route event: ${z.prettifyError(parsed.error)}`);
    }
    const { routeKey, connectionId, authorizer } = parsed.data.requestContext;
    const visitor = visitorFromContext(authorizer);
    const log = { routeKey, connectionId };
    if (!visitor) {
      logger.warn('chat route without an authorized visitor', log);
      return { statusCode: 401, body: 'no authorized visitor on this connection' };
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
        case 'typing':
          // No agent socket listens yet: the typing signal is taken and not forwarded.
          return { statusCode: 200 };
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

export const handler = makeChatWebSocketHandler(
  once(() => {
    const settings = settingsFromEnvironment();
    const client = chatGatewayClient(chatSettingsFromEnvironment());
    if (!client)
      throw new ConfigurationError('the environment variable CHAT_CONNECTIONS_ENDPOINT is not set');
    return chatRouteDeps(
      {
        dynamo: new DynamoDBClient({}),
        sqs: new SQSClient({}),
        s3: new S3Client({}),
        connect: connectClientOnDemand,
      },
      new ApiGatewayChatGateway(client),
      settings,
      chatIdentitySecretFromEnvironment(),
    );
  }),
);
