import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { chatGatewayClient, chatSettingsFromEnvironment } from '../adapters/apigateway/chat-gateway.ts';
import { connectSettingsFromEnvironment } from '../adapters/connect/connect-settings.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { DynamoChatReceipts } from '../adapters/dynamodb/chat-connections.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoProviderMessageIndex } from '../adapters/dynamodb/provider-messages.ts';
import { DynamoReminderStore } from '../adapters/dynamodb/reminder-store.ts';
import { DynamoSentRecordCompletion } from '../adapters/dynamodb/sent-record-completion.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import { metaSenders, metaSettingsFromEnvironment } from '../adapters/meta/meta-settings.ts';
import { S3AttachmentContent } from '../adapters/s3/mail-storage.ts';
import { SesEmailSender } from '../adapters/ses/ses-email-sender.ts';
import { deadLetterSettingsFromEnvironment, SqsDeadLetters } from '../adapters/sqs/dead-letters.ts';
import { SqsRetryBackoff } from '../adapters/sqs/retry-backoff.ts';
import type { DeadLetters, RetryBackoff } from '../core/ports/queues.ts';
import type { Clock } from '../core/ports/runtime.ts';
import type { FireReminderDeps } from '../core/reminders/reminders.ts';
import { makeDispatcherHandler } from '../handlers/dispatcher.ts';
import { type ClientsFor, type EscalationClients, once } from './shared/clients.ts';
import {
  chatSender,
  deferredSendsFor,
  quietHoursPolicy,
  sendableChannels,
  smsSenders,
} from './shared/sending.ts';
import { type Settings, schedulerSettingsFromEnvironment, tableSettings } from './shared/settings.ts';
import { consentLedger, escalationDeps, insightsDeps, tableStores } from './shared/use-cases.ts';

/** The dispatcher: every sender's client, the scheduler for deferred sends and deadline checks. */
export function dispatcherClients() {
  return {
    dynamo: new DynamoDBClient({}),
    // Agent replies' files, read from the mail bucket.
    s3: new S3Client({}),
    sqs: new SQSClient({}),
    ses: new SESv2Client({}),
    sms: new PinpointSMSVoiceV2Client({}),
    scheduler: new SchedulerClient({}),
    connect: connectClientOnDemand,
    // Where the WebSocket API is deployed (CHAT_CONNECTIONS_ENDPOINT).
    chatGateway: chatGatewayClient(chatSettingsFromEnvironment()),
  };
}

export function dispatcherSettings(environment: NodeJS.ProcessEnv = process.env): Settings {
  const env = readEnvironment('dispatcher', environment);
  return {
    ...tableSettings(env),
    mailBucket: env.MAIL_BUCKET,
    attachmentPrefix: env.ATTACHMENT_PREFIX,
    sesConfigurationSet: env.SES_CONFIGURATION_SET,
    meta: metaSettingsFromEnvironment(env),
    deferredSends: schedulerSettingsFromEnvironment(env),
    connect: connectSettingsFromEnvironment(env),
    deadLetters: deadLetterSettingsFromEnvironment(env),
  };
}

/** Every outbound request, due reminders and deadline checks: the senders, consent, quiet hours. */
export function dispatcherDeps(
  clients: ClientsFor<'sqs' | 'ses' | 'sms' | 'scheduler' | 'chatGateway'> &
    Partial<ClientsFor<'s3'>> &
    EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): FireReminderDeps {
  return {
    clock,
    ...tableStores(clients, settings),
    // Due reminders arrive on the outbound queue too (core/reminders/reminders.ts).
    ids: derivedIds,
    config: settings.support,
    reminders: new DynamoReminderStore(documentClient(clients.dynamo), settings.tableName),
    channels: sendableChannels(settings),
    senders: {
      email: new SesEmailSender(
        clients.ses,
        settings.support,
        clock,
        settings.sesConfigurationSet,
        // Agent replies' files, from the mail bucket's attachment prefix.
        clients.s3 && settings.mailBucket && settings.attachmentPrefix
          ? new S3AttachmentContent(clients.s3, settings.mailBucket, settings.attachmentPrefix)
          : undefined,
      ),
      ...metaSenders(settings.meta),
      ...smsSenders(clients.sms, settings.support),
      ...(clients.chatGateway ? { chat: chatSender(clients.chatGateway, clients, settings, clock) } : {}),
    },
    chatReceipts: new DynamoChatReceipts(documentClient(clients.dynamo), settings.tableName),
    quietHours: quietHoursPolicy(settings.support),
    consent: consentLedger(clients, settings),
    deferredSends: deferredSendsFor(clients.scheduler, settings.deferredSends),
    providerMessages: new DynamoProviderMessageIndex(documentClient(clients.dynamo), settings.tableName),
    sentRecords: new DynamoSentRecordCompletion(documentClient(clients.dynamo), settings.tableName),
    social: settings.support.social,
    // Agent replies' first responses; due deadline checks are held with the same scheduler.
    insights: insightsDeps(clients, settings, clock, {
      deferredSends: deferredSendsFor(clients.scheduler, settings.deferredSends),
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

/** Failed sends wait longer before each retry (the record's visibility on the outbound queue). */
export function dispatcherRetryBackoff(clients: ClientsFor<'sqs'>): RetryBackoff {
  return new SqsRetryBackoff(clients.sqs);
}

/** The outbound queue's dead-letter queue, where the construct set one. */
export function dispatcherDeadLetters(
  clients: ClientsFor<'sqs'>,
  settings: Settings,
): DeadLetters | undefined {
  return settings.deadLetters && new SqsDeadLetters(clients.sqs, settings.deadLetters);
}

const clients = once(dispatcherClients);
const settings = once(() => dispatcherSettings());
export const handler = makeDispatcherHandler(
  once(() => dispatcherDeps(clients(), settings())),
  once(() => dispatcherRetryBackoff(clients())),
  once(() => dispatcherDeadLetters(clients(), settings())),
);
