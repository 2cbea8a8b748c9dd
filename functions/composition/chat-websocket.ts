import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ApiGatewayChatGateway, chatGatewayClient } from '../adapters/apigateway/chat-gateway.ts';
import { HmacEmailLinkSigner } from '../adapters/chat/hmac-email-link-signer.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { DynamoAgentConversations } from '../adapters/dynamodb/agent-conversations.ts';
import { DynamoChatConnections } from '../adapters/dynamodb/chat-connections.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoProviderMessageIndex } from '../adapters/dynamodb/provider-messages.ts';
import { readEnvironment, requireVariable } from '../adapters/environment.ts';
import { systemClock } from '../adapters/ids.ts';
import { S3ChatUploads } from '../adapters/s3/chat-uploads.ts';
import { SecretsManagerShopSecret } from '../adapters/shop/shop-secret.ts';
import type { AgentSocketDeps } from '../core/agent/live-updates.ts';
import type { ChatGateway } from '../core/chat/ports.ts';
import { ConnectionThrottle } from '../core/chat/suggestions.ts';
import { ConfigurationError } from '../core/errors.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { ShopSecret } from '../core/ports/secrets.ts';
import { type ChatRouteDeps, makeChatWebSocketHandler } from '../handlers/chat-websocket.ts';
import { agentSocketDepsFrom } from './shared/agent-sockets.ts';
import { type EscalationClients, once } from './shared/clients.ts';
import { helpFrom, type Settings, supportConfigFrom, type WithOutboundQueue } from './shared/settings.ts';
import { answeringHelpCenterDeps, inboundDeps } from './shared/use-cases.ts';

/** Every route of the WebSocket API: the table, the outbound queue, the mail bucket (uploads); Connect on demand. */
export function chatWebSocketClients() {
  return {
    dynamo: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    s3: new S3Client({}),
    connect: connectClientOnDemand,
  };
}

/** The visitors' routes: the chat deployed, its identity secret, the socket endpoint. */
export type ChatRouteSettings = Settings &
  WithOutboundQueue & {
    readonly identitySecret: ShopSecret;
    readonly connectionsEndpoint: string;
  };

/** What the visitors' routes read; the function serves agents' sockets without them. */
export function chatRouteSettings(environment: NodeJS.ProcessEnv = process.env): ChatRouteSettings {
  const env = readEnvironment('chat-websocket', environment);
  const need = (name: string, value: string | undefined) =>
    requireVariable('chat-websocket', name, value, 'for the chat visitors’ routes');
  return {
    tableName: env.TABLE_NAME,
    support: supportConfigFrom(need('SUPPORT_CONFIG', env.SUPPORT_CONFIG)),
    outboundQueueUrl: need('OUTBOUND_QUEUE_URL', env.OUTBOUND_QUEUE_URL),
    identitySecret: new SecretsManagerShopSecret(
      need('CHAT_IDENTITY_SECRET_ARN', env.CHAT_IDENTITY_SECRET_ARN),
    ),
    connectionsEndpoint: env.CHAT_CONNECTIONS_ENDPOINT,
    mailBucket: env.MAIL_BUCKET,
    attachmentPrefix: env.ATTACHMENT_PREFIX,
    help: helpFrom(env.HELP_BASE_URL),
  };
}

/** The inbound path of every channel, the connections, the socket writer, suggestions and uploads. */
export function chatRouteDeps(
  /** `s3`: the mail bucket the widget uploads to (when the config takes files). */
  clients: { readonly sqs: SQSClient; readonly s3?: S3Client } & EscalationClients,
  gateway: ChatGateway,
  settings: Settings & WithOutboundQueue & { readonly identitySecret: ShopSecret },
  clock: Clock = systemClock,
): ChatRouteDeps {
  const db = documentClient(clients.dynamo);
  // A chat acknowledgement has room for an answer: generated like email's and social's.
  const helpCenter = answeringHelpCenterDeps(clients, settings);
  return {
    // The visitor's files arrive through upload slots, stored before the message names them.
    ...inboundDeps(clients, settings, clock, { helpCenter }),
    inboundPath: 'chat',
    ...(helpCenter
      ? {
          suggestions: {
            clock,
            gateway,
            knowledgeBase: helpCenter.knowledgeBase,
            site: helpCenter.site,
            // One per function instance: the deps are built once (`once` in the handler).
            throttle: new ConnectionThrottle(),
            defaultLanguage: settings.support.defaultLanguage,
          },
        }
      : {}),
    gateway,
    connections: new DynamoChatConnections(db, settings.tableName),
    providerMessages: new DynamoProviderMessageIndex(db, settings.tableName),
    history: new DynamoAgentConversations(db, settings.tableName),
    linkSigner: new HmacEmailLinkSigner(settings.identitySecret),
    ...(clients.s3 && settings.mailBucket && settings.attachmentPrefix && settings.support.chat?.attachments
      ? { uploads: new S3ChatUploads(clients.s3, settings.mailBucket, settings.attachmentPrefix) }
      : {}),
    newUploadId: randomUUID,
  };
}

/** Agents' sockets, where live updates are deployed (AGENT_SOCKETS_ENABLED). */
export function chatAgentSocketDeps(
  clients: { readonly dynamo: DynamoDBClient },
  environment: NodeJS.ProcessEnv = process.env,
): AgentSocketDeps | undefined {
  return agentSocketDepsFrom(clients.dynamo, readEnvironment('chat-websocket', environment));
}

const clients = once(chatWebSocketClients);
export const handler = makeChatWebSocketHandler(
  once(() => {
    const settings = chatRouteSettings();
    const client = chatGatewayClient({ connectionsEndpoint: settings.connectionsEndpoint });
    if (!client) throw new ConfigurationError('CHAT_CONNECTIONS_ENDPOINT names no WebSocket API');
    return chatRouteDeps(clients(), new ApiGatewayChatGateway(client), settings);
  }),
  once(() => chatAgentSocketDeps(clients())),
);
