import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { connectSettingsFromEnvironment } from '../adapters/connect/connect-settings.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { systemClock } from '../adapters/ids.ts';
import { S3AttachmentStore, S3RawMailSource } from '../adapters/s3/mail-storage.ts';
import { keepingLongBodies } from '../core/conversations/long-body.ts';
import type { Clock } from '../core/ports/runtime.ts';
import { type InboundEmailDeps, makeInboundEmailHandler } from '../handlers/inbound-email.ts';
import { type ClientsFor, type EscalationClients, once } from './shared/clients.ts';
import {
  helpFrom,
  type Settings,
  tableSettings,
  type WithMailStorage,
  type WithOutboundQueue,
} from './shared/settings.ts';
import { answeringHelpCenterDeps, inboundDeps } from './shared/use-cases.ts';

/** Inbound email: the raw message and attachments in S3, the table, the outbound queue; Connect on demand. */
export function inboundEmailClients() {
  return {
    dynamo: new DynamoDBClient({}),
    s3: new S3Client({}),
    sqs: new SQSClient({}),
    connect: connectClientOnDemand,
  };
}

export type InboundEmailSettings = Settings & WithOutboundQueue & WithMailStorage;

export function inboundEmailSettings(environment: NodeJS.ProcessEnv = process.env): InboundEmailSettings {
  const env = readEnvironment('inbound-email', environment);
  return {
    ...tableSettings(env),
    mailBucket: env.MAIL_BUCKET,
    rawMailPrefix: env.RAW_MAIL_PREFIX,
    attachmentPrefix: env.ATTACHMENT_PREFIX,
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL,
    help: helpFrom(env.HELP_BASE_URL),
    connect: connectSettingsFromEnvironment(env),
  };
}

/** receiveInbound with attachments and long bodies stored in the mail bucket, and generated answers. */
export function inboundEmailDeps(
  clients: ClientsFor<'s3' | 'sqs'> & EscalationClients,
  settings: InboundEmailSettings,
  clock: Clock = systemClock,
): InboundEmailDeps {
  const attachments = new S3AttachmentStore(clients.s3, settings.mailBucket, settings.attachmentPrefix);
  const deps = inboundDeps(clients, settings, clock, {
    helpCenter: answeringHelpCenterDeps(clients, settings),
  });
  return {
    ...deps,
    inboundPath: 'email',
    attachments,
    // A mail's text can be tens of KB: the item keeps its beginning, the bucket the whole.
    conversations: keepingLongBodies(deps.conversations, attachments),
    rawMail: new S3RawMailSource(clients.s3, settings.mailBucket, settings.rawMailPrefix),
  };
}

export const handler = makeInboundEmailHandler(
  once(() => inboundEmailDeps(inboundEmailClients(), inboundEmailSettings())),
);
