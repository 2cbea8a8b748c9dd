import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { connectSettingsFromEnvironment } from '../adapters/connect/connect-settings.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { systemClock } from '../adapters/ids.ts';
import type { SmsInboundDeps } from '../core/conversations/receive-inbound.ts';
import type { Clock } from '../core/ports/runtime.ts';
import { makeInboundSmsHandler } from '../handlers/inbound-sms.ts';
import { type ClientsFor, type EscalationClients, once } from './shared/clients.ts';
import { helpFrom, type Settings, tableSettings, type WithOutboundQueue } from './shared/settings.ts';
import { consentLedger, helpCenterDeps, inboundDeps } from './shared/use-cases.ts';

/** Inbound SMS: the table and the outbound queue; Connect on demand. */
export function inboundSmsClients() {
  return { dynamo: new DynamoDBClient({}), sqs: new SQSClient({}), connect: connectClientOnDemand };
}

export type InboundSmsSettings = Settings & WithOutboundQueue;

export function inboundSmsSettings(environment: NodeJS.ProcessEnv = process.env): InboundSmsSettings {
  const env = readEnvironment('inbound-sms', environment);
  return {
    ...tableSettings(env),
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL,
    help: helpFrom(env.HELP_BASE_URL),
    connect: connectSettingsFromEnvironment(env),
  };
}

/** receiveInbound with the consent ledger that STOP and START change; no generated answers. */
export function inboundSmsDeps(
  clients: ClientsFor<'sqs'> & EscalationClients,
  settings: InboundSmsSettings,
  clock: Clock = systemClock,
): SmsInboundDeps {
  return {
    ...inboundDeps(clients, settings, clock, { helpCenter: helpCenterDeps(clients, settings) }),
    // SMS keeps no files: MMS media are not part of End User Messaging's SNS payload.
    inboundPath: 'sms',
    consent: consentLedger(clients, settings),
  };
}

export const handler = makeInboundSmsHandler(
  once(() => inboundSmsDeps(inboundSmsClients(), inboundSmsSettings())),
);
