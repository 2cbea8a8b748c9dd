import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConnectApiContacts } from '../adapters/connect/connect-contacts.ts';
import { connectSettingsFromEnvironment } from '../adapters/connect/connect-settings.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoVoiceContacts } from '../adapters/dynamodb/voice-contacts.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import { SqsOutboundQueue } from '../adapters/sqs/outbound-queue.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { ContactEventDeps } from '../core/voice/contact-events.ts';
import { makeVoiceEventsHandler } from '../handlers/voice-events.ts';
import { type ClientsFor, type EscalationClients, once } from './shared/clients.ts';
import { deferredSendsFor, sendableChannels } from './shared/sending.ts';
import {
  type Settings,
  schedulerSettingsFromEnvironment,
  tableSettings,
  type WithOutboundQueue,
} from './shared/settings.ts';
import { escalationDeps, insightsDeps, tableStores } from './shared/use-cases.ts';

/**
 * Contact events: the table, the outbound queue and scheduler for the missed-call follow-up, and
 * Connect (DescribeContact for contacts it has not seen), built on first use: only an unknown
 * caller or an escalation needs it, so its SDK stays off the cold start.
 */
export function voiceEventsClients() {
  return {
    dynamo: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    scheduler: new SchedulerClient({}),
    connect: connectClientOnDemand,
  };
}

export type VoiceEventsSettings = Settings & WithOutboundQueue;

export function voiceEventsSettings(environment: NodeJS.ProcessEnv = process.env): VoiceEventsSettings {
  const env = readEnvironment('voice-events', environment);
  return {
    ...tableSettings(env),
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL,
    deferredSends: schedulerSettingsFromEnvironment(env),
    connect: connectSettingsFromEnvironment(env),
  };
}

/** The timeline, DescribeContact for unknown contacts, the missed-call follow-up. */
export function voiceEventsDeps(
  clients: ClientsFor<'dynamo' | 'sqs' | 'scheduler'> & EscalationClients,
  settings: VoiceEventsSettings,
  clock: Clock = systemClock,
): ContactEventDeps {
  const db = documentClient(clients.dynamo);
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    ...tableStores(clients, settings),
    contacts: new DynamoVoiceContacts(db, settings.tableName),
    ...(clients.connect && settings.connect
      ? { connect: new ConnectApiContacts(clients.connect, settings.connect.instanceId) }
      : {}),
    outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
    deferredSends: deferredSendsFor(clients.scheduler, settings.deferredSends),
    channels: sendableChannels(settings),
    escalation: escalationDeps(clients, settings, clock),
    // Calls count under voice in the channel report; core keeps deadlines off them.
    insights: insightsDeps(clients, settings, clock, {
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

export const handler = makeVoiceEventsHandler(
  once(() => voiceEventsDeps(voiceEventsClients(), voiceEventsSettings())),
);
