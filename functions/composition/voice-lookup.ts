import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { connectSettingsFromEnvironment } from '../adapters/connect/connect-settings.ts';
import { DynamoCustomerDirectory } from '../adapters/dynamodb/customer-directory.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoOrderStore } from '../adapters/dynamodb/order-store.ts';
import { DynamoVoiceContacts } from '../adapters/dynamodb/voice-contacts.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { CallerLookupDeps } from '../core/voice/caller-lookup.ts';
import { makeVoiceLookupHandler } from '../handlers/voice-lookup.ts';
import { type ClientsFor, once } from './shared/clients.ts';
import { type Settings, tableSettings } from './shared/settings.ts';

/** The contact flow's caller lookup: the table only. */
export function voiceLookupClients() {
  return { dynamo: new DynamoDBClient({}) };
}

export function voiceLookupSettings(environment: NodeJS.ProcessEnv = process.env): Settings {
  const env = readEnvironment('voice-lookup', environment);
  return { ...tableSettings(env), connect: connectSettingsFromEnvironment(env) };
}

/** A few key lookups, and the contact record the call leaves. */
export function voiceLookupDeps(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
  clock: Clock = systemClock,
): CallerLookupDeps {
  const db = documentClient(clients.dynamo);
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    customers: new DynamoCustomerDirectory(db, settings.tableName),
    orders: new DynamoOrderStore(db, settings.tableName),
    contacts: new DynamoVoiceContacts(db, settings.tableName),
    vipCustomerIds: settings.connect?.vipCustomerIds,
  };
}

export const handler = makeVoiceLookupHandler(
  once(() => voiceLookupDeps(voiceLookupClients(), voiceLookupSettings())),
);
