import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { signEmailLinkToken, verifyEmailLinkToken } from '../channels/chat/identity-token.ts';
import type {
  ConfirmEmailLinkDeps,
  EmailLinkClaims,
  EmailLinkSigner,
  RequestEmailLinkDeps,
} from '../core/chat/email-link.ts';
import type { ChatGateway } from '../core/chat/ports.ts';
import { type ChatSuggestionDeps, ConnectionThrottle } from '../core/chat/suggestions.ts';
import type { ChatUploadDeps } from '../core/chat/uploads.ts';
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
import { DynamoConsentLedger } from './dynamodb/consent-ledger.ts';
import { DynamoCustomerDirectory } from './dynamodb/customer-directory.ts';
import { DynamoCustomerLinks } from './dynamodb/customer-links.ts';
import { documentClient } from './dynamodb/document-client.ts';
import { DynamoOrderStore } from './dynamodb/order-store.ts';
import { DynamoProviderMessageIndex } from './dynamodb/provider-messages.ts';
import { derivedIds, systemClock } from './ids.ts';
import { S3ChatUploads } from './s3/chat-uploads.ts';
import { SecretsManagerShopSecret, type ShopSecret } from './shop/shop-secret.ts';
import { type AwsClients, answeringHelpCenterDeps, inboundSmsDeps, type Settings } from './wiring.ts';

/** The secret the shop signs visitor identities with (`CHAT_IDENTITY_SECRET_ARN`). */
export function chatIdentitySecretFromEnvironment(env: NodeJS.ProcessEnv = process.env): ShopSecret {
  const arn = env.CHAT_IDENTITY_SECRET_ARN;
  if (!arn) throw new ConfigurationError('the environment variable CHAT_IDENTITY_SECRET_ARN is not set');
  return new SecretsManagerShopSecret(arn);
}

export type ChatRouteDeps = ChatSendDeps &
  ChatHistoryDeps &
  ChatReadDeps &
  ChatConnectionDeps &
  RequestEmailLinkDeps &
  ChatUploadDeps & {
    /** Articles while the visitor types (`suggest`); absent without a help center. */
    readonly suggestions?: ChatSuggestionDeps;
  };

/** Confirmation links, signed with the chat identity secret (apart from identity tokens). */
export class HmacEmailLinkSigner implements EmailLinkSigner {
  constructor(private readonly secret: ShopSecret) {}

  async sign(claims: EmailLinkClaims): Promise<string> {
    return signEmailLinkToken(claims, (await this.secret.keys()).current);
  }

  async verify(token: string, now: Date): Promise<EmailLinkClaims | undefined> {
    return verifyEmailLinkToken(token, (await this.secret.keys()).current, now);
  }
}

/** `GET /chat/confirm`: the clicked link makes the visitor and the address one customer. */
export function chatConfirmDeps(
  clients: Pick<AwsClients, 'dynamo'>,
  settings: Settings,
  secret: ShopSecret,
  clock: Clock = systemClock,
): ConfirmEmailLinkDeps {
  const db = documentClient(clients.dynamo);
  return {
    clock,
    ids: derivedIds,
    customers: new DynamoCustomerDirectory(db, settings.tableName),
    links: new DynamoCustomerLinks(db, settings.tableName),
    consent: new DynamoConsentLedger(db, settings.tableName),
    orders: new DynamoOrderStore(db, settings.tableName),
    linkSigner: new HmacEmailLinkSigner(secret),
  };
}

/** Every route of the chat WebSocket: the inbound path, the connections and the socket writer. */
export function chatRouteDeps(
  /** `s3`: the mail bucket the widget uploads to (when the config takes files). */
  clients: Parameters<typeof inboundSmsDeps>[0] & { readonly s3?: S3Client },
  gateway: ChatGateway,
  settings: Settings,
  secret: ShopSecret,
  clock: Clock = systemClock,
): ChatRouteDeps {
  const db = documentClient(clients.dynamo);
  // A chat acknowledgement has room for an answer: generated like email's and social's.
  const helpCenter = answeringHelpCenterDeps(clients, settings);
  return {
    // The inbound path of every channel (ledger, customers, conversations, auto-reply, surveys).
    ...inboundSmsDeps(clients, settings, clock),
    helpCenter,
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
    linkSigner: new HmacEmailLinkSigner(secret),
    ...(clients.s3 && settings.mailBucket && settings.support.chat?.attachments
      ? { uploads: new S3ChatUploads(clients.s3, settings.mailBucket, settings.attachmentPrefix) }
      : {}),
    newUploadId: randomUUID,
  };
}

export { ApiGatewayChatGateway, chatGatewayClient, chatSettingsFromEnvironment };
