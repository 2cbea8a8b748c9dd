import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describeConfigIssues, type SupportConfig, supportConfigSchema } from '../core/config.ts';
import type { DispatchOutboundDeps } from '../core/dispatch-outbound.ts';
import { ConfigurationError } from '../core/errors.ts';
import type { Clock } from '../core/ports.ts';
import type { ReceiveInboundDeps } from '../core/receive-inbound.ts';
import { DynamoConversationStore } from './dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from './dynamodb/customer-directory.ts';
import { documentClient } from './dynamodb/document-client.ts';
import { DynamoEventLedger } from './dynamodb/event-ledger.ts';
import { derivedIds, systemClock } from './ids.ts';
import { S3AttachmentStore, S3RawMailSource } from './s3/mail-storage.ts';
import { SesEmailSender } from './ses/ses-email-sender.ts';
import { SqsOutboundQueue } from './sqs/outbound-queue.ts';

/**
 * The composition root: builds each use-case's dependencies from SDK clients and settings.
 * Lambda builds them from its environment; the sandbox passes local clients and its clock.
 */

export interface AwsClients {
  readonly dynamo: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly ses: SESv2Client;
}

export interface Settings {
  readonly tableName: string;
  readonly mailBucket: string;
  readonly rawMailPrefix: string;
  readonly attachmentPrefix: string;
  readonly outboundQueueUrl: string;
  readonly sesConfigurationSet?: string;
  readonly support: SupportConfig;
}

/** The three faces of the conversation table every use-case works with. */
function tableStores(clients: AwsClients, settings: Settings) {
  const db = documentClient(clients.dynamo);
  return {
    ledger: new DynamoEventLedger(db, settings.tableName),
    customers: new DynamoCustomerDirectory(db, settings.tableName),
    conversations: new DynamoConversationStore(db, settings.tableName),
  };
}

export interface InboundEmailDeps extends ReceiveInboundDeps {
  readonly rawMail: S3RawMailSource;
}

export function inboundEmailDeps(
  clients: AwsClients,
  settings: Settings,
  clock: Clock = systemClock,
): InboundEmailDeps {
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    ...tableStores(clients, settings),
    attachments: new S3AttachmentStore(clients.s3, settings.mailBucket, settings.attachmentPrefix),
    outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
    rawMail: new S3RawMailSource(clients.s3, settings.mailBucket, settings.rawMailPrefix),
  };
}

export function dispatcherDeps(
  clients: AwsClients,
  settings: Settings,
  clock: Clock = systemClock,
): DispatchOutboundDeps {
  return {
    clock,
    ...tableStores(clients, settings),
    senders: {
      email: new SesEmailSender(clients.ses, settings.support, clock, settings.sesConfigurationSet),
    },
  };
}

/** Clients for the function's own region; endpoints follow AWS_ENDPOINT_URL_* when set. */
export function awsClientsFromEnvironment(): AwsClients {
  return {
    dynamo: new DynamoDBClient({}),
    s3: new S3Client({}),
    sqs: new SQSClient({}),
    ses: new SESv2Client({}),
  };
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Settings {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new ConfigurationError(`the environment variable ${name} is not set`);
    return value;
  };
  let support: unknown;
  try {
    support = JSON.parse(required('SUPPORT_CONFIG'));
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError('SUPPORT_CONFIG is not valid JSON', { cause: error });
  }
  const parsed = supportConfigSchema.safeParse(support);
  if (!parsed.success) {
    throw new ConfigurationError(`SUPPORT_CONFIG is invalid:\n${describeConfigIssues(parsed.error)}`);
  }
  return {
    tableName: required('TABLE_NAME'),
    mailBucket: env.MAIL_BUCKET ?? '',
    rawMailPrefix: env.RAW_MAIL_PREFIX ?? 'inbound/',
    attachmentPrefix: env.ATTACHMENT_PREFIX ?? 'attachments/',
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL ?? '',
    sesConfigurationSet: env.SES_CONFIGURATION_SET || undefined,
    support: parsed.data,
  };
}

/** Builds a value on first use: Lambda pays for clients on the first event, tests never do. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}
