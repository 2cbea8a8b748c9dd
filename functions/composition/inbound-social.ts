import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { connectSettingsFromEnvironment } from '../adapters/connect/connect-settings.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoIdentityWindows } from '../adapters/dynamodb/identity-windows.ts';
import { DynamoProviderMessageIndex } from '../adapters/dynamodb/provider-messages.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { systemClock } from '../adapters/ids.ts';
import { deadLetterSettingsFromEnvironment, SqsDeadLetters } from '../adapters/sqs/dead-letters.ts';
import type { DeadLetters } from '../core/ports/queues.ts';
import type { Clock } from '../core/ports/runtime.ts';
import { makeInboundSocialHandler, type SocialInboundDeps } from '../handlers/inbound-social.ts';
import { type ClientsFor, type EscalationClients, once } from './shared/clients.ts';
import { helpFrom, type Settings, tableSettings, type WithOutboundQueue } from './shared/settings.ts';
import { answeringHelpCenterDeps, inboundDeps } from './shared/use-cases.ts';

/** The consumer of verified Meta webhook deliveries: the table and the outbound queue; Connect on demand. */
export function inboundSocialClients() {
  return { dynamo: new DynamoDBClient({}), sqs: new SQSClient({}), connect: connectClientOnDemand };
}

export type InboundSocialSettings = Settings & WithOutboundQueue;

export function inboundSocialSettings(environment: NodeJS.ProcessEnv = process.env): InboundSocialSettings {
  const env = readEnvironment('inbound-social', environment);
  return {
    ...tableSettings(env),
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL,
    help: helpFrom(env.HELP_BASE_URL),
    connect: connectSettingsFromEnvironment(env),
    deadLetters: deadLetterSettingsFromEnvironment(env),
  };
}

/** receiveInbound plus delivery statuses onto the outbound messages they name. */
export function socialInboundDeps(
  clients: ClientsFor<'sqs'> & EscalationClients,
  settings: InboundSocialSettings,
  clock: Clock = systemClock,
): SocialInboundDeps {
  return {
    // Media stay with Meta as references; nothing is stored as an object.
    ...inboundDeps(clients, settings, clock, { helpCenter: answeringHelpCenterDeps(clients, settings) }),
    inboundPath: 'meta',
    // Read by the dispatcher: Meta's 24-hour window per sender.
    identityWindows: new DynamoIdentityWindows(documentClient(clients.dynamo), settings.tableName),
    providerMessages: new DynamoProviderMessageIndex(documentClient(clients.dynamo), settings.tableName),
  };
}

/** The consumed queue's dead-letter queue, where the construct set one. */
export function socialDeadLetters(clients: ClientsFor<'sqs'>, settings: Settings): DeadLetters | undefined {
  return settings.deadLetters && new SqsDeadLetters(clients.sqs, settings.deadLetters);
}

const clients = once(inboundSocialClients);
const settings = once(() => inboundSocialSettings());
export const handler = makeInboundSocialHandler(
  once(() => socialInboundDeps(clients(), settings())),
  once(() => socialDeadLetters(clients(), settings())),
);
