import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoCustomerLinks } from '../adapters/dynamodb/customer-links.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import { SecretsManagerShopSecret } from '../adapters/shop/shop-secret.ts';
import { SqsOutboundQueue } from '../adapters/sqs/outbound-queue.ts';
import type { Clock } from '../core/ports/runtime.ts';
import { makeOrderEventsHandler, type OrderEventsHandlerDeps } from '../handlers/order-events.ts';
import { type ClientsFor, once } from './shared/clients.ts';
import { sendableChannels } from './shared/sending.ts';
import {
  type Settings,
  type ShopRequestSettings,
  tableSettings,
  type WithOutboundQueue,
} from './shared/settings.ts';
import { consentLedger, tableStores } from './shared/use-cases.ts';

/** Order events: the table and the outbound queue (the channels it notifies on are settings). */
export function orderEventsClients() {
  return { dynamo: new DynamoDBClient({}), sqs: new SQSClient({}) };
}

export type OrderEventsSettings = Settings & WithOutboundQueue & ShopRequestSettings;

export function orderEventsSettings(environment: NodeJS.ProcessEnv = process.env): OrderEventsSettings {
  const env = readEnvironment('order-events', environment);
  return {
    ...tableSettings(env),
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL,
    whatsappPhoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
    shopSecret: new SecretsManagerShopSecret(env.SHOP_SECRET_ARN),
    legacyBodySignature: env.SHOP_LEGACY_BODY_SIGNATURE === 'true',
  };
}

/** `POST /orders/events`: the shop's signing secret and the order use case. */
export function orderEventsDeps(
  clients: ClientsFor<'dynamo' | 'sqs'>,
  settings: OrderEventsSettings,
  clock: Clock = systemClock,
): OrderEventsHandlerDeps {
  const db = documentClient(clients.dynamo);
  return {
    secret: settings.shopSecret,
    clock,
    legacyBodySignature: settings.legacyBodySignature,
    orders: {
      clock,
      ids: derivedIds,
      config: settings.support,
      ...tableStores(clients, settings),
      links: new DynamoCustomerLinks(db, settings.tableName),
      consent: consentLedger(clients, settings),
      outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
      channels: sendableChannels(settings),
    },
  };
}

export const handler = makeOrderEventsHandler(
  once(() => orderEventsDeps(orderEventsClients(), orderEventsSettings())),
);
