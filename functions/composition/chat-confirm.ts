import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HmacEmailLinkSigner } from '../adapters/chat/hmac-email-link-signer.ts';
import { DynamoCustomerDirectory } from '../adapters/dynamodb/customer-directory.ts';
import { DynamoCustomerLinks } from '../adapters/dynamodb/customer-links.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoOrderStore } from '../adapters/dynamodb/order-store.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import { SecretsManagerShopSecret } from '../adapters/shop/shop-secret.ts';
import type { ConfirmEmailLinkDeps } from '../core/chat/email-link.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { ShopSecret } from '../core/ports/secrets.ts';
import { makeChatConfirmHandler } from '../handlers/chat-confirm.ts';
import { type ClientsFor, once } from './shared/clients.ts';
import { type Settings, tableSettings } from './shared/settings.ts';
import { consentLedger } from './shared/use-cases.ts';

/** `GET /chat/confirm`: the table only. */
export function chatConfirmClients() {
  return { dynamo: new DynamoDBClient({}) };
}

/** The chat identity secret, which the confirmation links are signed with too. */
export type ChatConfirmSettings = Settings & { readonly identitySecret: ShopSecret };

export function chatConfirmSettings(environment: NodeJS.ProcessEnv = process.env): ChatConfirmSettings {
  const env = readEnvironment('chat-confirm', environment);
  return {
    ...tableSettings(env),
    identitySecret: new SecretsManagerShopSecret(env.CHAT_IDENTITY_SECRET_ARN),
  };
}

/** The clicked link makes the visitor and the address one customer. */
export function chatConfirmDeps(
  clients: ClientsFor<'dynamo'>,
  settings: ChatConfirmSettings,
  clock: Clock = systemClock,
): ConfirmEmailLinkDeps {
  const db = documentClient(clients.dynamo);
  return {
    clock,
    ids: derivedIds,
    customers: new DynamoCustomerDirectory(db, settings.tableName),
    links: new DynamoCustomerLinks(db, settings.tableName),
    consent: consentLedger(clients, settings),
    orders: new DynamoOrderStore(db, settings.tableName),
    linkSigner: new HmacEmailLinkSigner(settings.identitySecret),
  };
}

export const handler = makeChatConfirmHandler(
  once(() => chatConfirmDeps(chatConfirmClients(), chatConfirmSettings())),
);
