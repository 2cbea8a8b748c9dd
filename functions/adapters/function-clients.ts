import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { chatGatewayClient, chatSettingsFromEnvironment } from './apigateway/chat-gateway.ts';
import { connectClientOnDemand } from './connect/on-demand-tasks.ts';
import type { AwsClients } from './wiring.ts';

/**
 * Each function's SDK clients, for its own region (endpoints follow AWS_ENDPOINT_URL_* when set).
 * One factory per function, each naming only the clients that function sends with: the bundler
 * leaves every other SDK package out, and a cold start loads none of them. Connect,
 * which inbound functions only need when an escalation creates a task, is built on demand.
 * Called once per instance (handlers wrap them in `once`): the clients are reused across events.
 */

/** Inbound email: the raw message and attachments in S3, the table, the outbound queue. */
export function inboundEmailClients() {
  return {
    dynamo: new DynamoDBClient({}),
    s3: new S3Client({}),
    sqs: new SQSClient({}),
    connect: connectClientOnDemand,
  } satisfies Partial<Record<keyof AwsClients, unknown>>;
}

/** Inbound SMS, Meta deliveries and the agent API: the table and the outbound queue. */
export function inboundClients() {
  return {
    dynamo: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    connect: connectClientOnDemand,
  } satisfies Partial<Record<keyof AwsClients, unknown>>;
}

/** The agent API: the table, the outbound queue, and the mail bucket (agents' uploads). */
export function agentApiClients() {
  return {
    dynamo: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    s3: new S3Client({}),
    connect: connectClientOnDemand,
  } satisfies Partial<Record<keyof AwsClients, unknown>>;
}

/** The help center's feedback endpoint: the table only. */
export function helpFeedbackClients() {
  return { dynamo: new DynamoDBClient({}) } satisfies Partial<Record<keyof AwsClients, unknown>>;
}

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
    chatGateway: chatGatewayClient(chatSettingsFromEnvironment()),
  } satisfies Partial<Record<keyof AwsClients, unknown>>;
}

/**
 * Order events: the table and the outbound queue. The SMS client is only there to say the
 * deployment sends SMS (sendableChannels); it sends nothing from this function.
 */
export function orderEventsClients() {
  return {
    dynamo: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    sms: new PinpointSMSVoiceV2Client({}),
  } satisfies Partial<Record<keyof AwsClients, unknown>>;
}

/** Reminders: the table and the scheduler that holds them. */
export function remindersClients() {
  return {
    dynamo: new DynamoDBClient({}),
    scheduler: new SchedulerClient({}),
  } satisfies Partial<Record<keyof AwsClients, unknown>>;
}

/** The contact flow's caller lookup: the table only. */
export function voiceLookupClients() {
  return { dynamo: new DynamoDBClient({}) } satisfies Partial<Record<keyof AwsClients, unknown>>;
}
