import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoCustomerLinks } from '../adapters/dynamodb/customer-links.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoReminderStore } from '../adapters/dynamodb/reminder-store.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import {
  EventBridgeDeferredSends,
  type SchedulerSettings,
} from '../adapters/scheduler/eventbridge-deferred-sends.ts';
import { SecretsManagerShopSecret } from '../adapters/shop/shop-secret.ts';
import type { Clock } from '../core/ports/runtime.ts';
import { makeRemindersHandler, type RemindersHandlerDeps } from '../handlers/reminders.ts';
import { type ClientsFor, once } from './shared/clients.ts';

import { type Settings, type ShopRequestSettings, tableSettings } from './shared/settings.ts';
import { consentLedger, tableStores } from './shared/use-cases.ts';

/** Reminders: the table and the scheduler that holds them. */
export function remindersClients() {
  return { dynamo: new DynamoDBClient({}), scheduler: new SchedulerClient({}) };
}

export type RemindersSettings = Settings &
  ShopRequestSettings & { readonly deferredSends: SchedulerSettings };

export function remindersSettings(environment: NodeJS.ProcessEnv = process.env): RemindersSettings {
  const env = readEnvironment('reminders', environment);
  return {
    ...tableSettings(env),
    shopSecret: new SecretsManagerShopSecret(env.SHOP_SECRET_ARN),
    legacyBodySignature: env.SHOP_LEGACY_BODY_SIGNATURE === 'true',
    deferredSends: {
      groupName: env.SCHEDULE_GROUP,
      targetQueueArn: env.SCHEDULE_TARGET_QUEUE_ARN,
      targetRoleArn: env.SCHEDULE_ROLE_ARN,
      kmsKeyArn: env.SCHEDULE_KMS_KEY_ARN,
      deadLetterQueueArn: env.SCHEDULE_DEAD_LETTER_QUEUE_ARN,
    },
  };
}

/** `POST /reminders`, `DELETE /reminders/{id}`: the shop's secret and the reminder use cases. */
export function remindersDeps(
  clients: ClientsFor<'dynamo'> & { readonly scheduler: SchedulerClient },
  settings: RemindersSettings,
  clock: Clock = systemClock,
): RemindersHandlerDeps {
  const db = documentClient(clients.dynamo);
  const stores = tableStores(clients, settings);
  return {
    secret: settings.shopSecret,
    clock,
    legacyBodySignature: settings.legacyBodySignature,
    reminders: {
      clock,
      ids: derivedIds,
      customers: stores.customers,
      orders: stores.orders,
      links: new DynamoCustomerLinks(db, settings.tableName),
      consent: consentLedger(clients, settings),
      reminders: new DynamoReminderStore(db, settings.tableName),
      deferredSends: new EventBridgeDeferredSends(clients.scheduler, settings.deferredSends),
    },
  };
}

export const handler = makeRemindersHandler(
  once(() => remindersDeps(remindersClients(), remindersSettings())),
);
