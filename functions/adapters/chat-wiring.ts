import type { ChatGateway } from '../core/chat/ports.ts';
import type {
  ChatConnectionDeps,
  ChatHistoryDeps,
  ChatReadDeps,
  ChatSendDeps,
} from '../core/chat/visitor-chat.ts';
import { ConfigurationError } from '../core/errors.ts';
import type { Clock } from '../core/ports.ts';
import {
  ApiGatewayChatGateway,
  chatGatewayClient,
  chatSettingsFromEnvironment,
} from './apigateway/chat-gateway.ts';
import { DynamoAgentConversations } from './dynamodb/agent-conversations.ts';
import { DynamoChatConnections } from './dynamodb/chat-connections.ts';
import { documentClient } from './dynamodb/document-client.ts';
import { DynamoProviderMessageIndex } from './dynamodb/provider-messages.ts';
import { systemClock } from './ids.ts';
import { SecretsManagerShopSecret, type ShopSecret } from './shop/shop-secret.ts';
import { inboundSmsDeps, type Settings } from './wiring.ts';

/** The secret the shop signs visitor identities with (`CHAT_IDENTITY_SECRET_ARN`). */
export function chatIdentitySecretFromEnvironment(env: NodeJS.ProcessEnv = process.env): ShopSecret {
  const arn = env.CHAT_IDENTITY_SECRET_ARN;
  if (!arn) throw new ConfigurationError('the environment variable CHAT_IDENTITY_SECRET_ARN is not set');
  return new SecretsManagerShopSecret(arn);
}

export type ChatRouteDeps = ChatSendDeps & ChatHistoryDeps & ChatReadDeps & ChatConnectionDeps;

/** Every route of the chat WebSocket: the inbound path, the connections and the socket writer. */
export function chatRouteDeps(
  clients: Parameters<typeof inboundSmsDeps>[0],
  gateway: ChatGateway,
  settings: Settings,
  clock: Clock = systemClock,
): ChatRouteDeps {
  const db = documentClient(clients.dynamo);
  return {
    // The inbound path of every channel (ledger, customers, conversations, auto-reply, surveys).
    ...inboundSmsDeps(clients, settings, clock),
    gateway,
    connections: new DynamoChatConnections(db, settings.tableName),
    providerMessages: new DynamoProviderMessageIndex(db, settings.tableName),
    history: new DynamoAgentConversations(db, settings.tableName),
  };
}

export { ApiGatewayChatGateway, chatGatewayClient, chatSettingsFromEnvironment };
