import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ConnectClientSource } from '../../adapters/connect/on-demand-tasks.ts';

/**
 * Every SDK client a function may send with. Each function's module (functions/composition/<name>.ts)
 * builds only the ones it names, so its bundle carries no other SDK package; the sandbox passes
 * local ones. Types only here: a value import would put a client into every bundle.
 */
export interface AwsClients {
  readonly dynamo: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly ses: SESv2Client;
  /**
   * End User Messaging SMS: only the dispatcher sends with it (the sandbox has its own twin).
   * Whether a deployment sends SMS is a setting (`support.sms`), not this client's presence.
   */
  readonly sms?: PinpointSMSVoiceV2Client;
  /** EventBridge Scheduler, for deferred sends (quiet hours, reminders, deadline checks). */
  readonly scheduler?: SchedulerClient;
  /** Amazon Connect (DescribeContact, StartTaskContact); absent where no instance is configured. */
  readonly connect?: ConnectClient;
  /** The WebSocket API's management API (PostToConnection); absent where it is not deployed. */
  readonly chatGateway?: ApiGatewayManagementApiClient;
}

/** The clients a dependency builder needs, named. */
export type ClientsFor<Name extends keyof AwsClients> = Pick<AwsClients, Name>;

/**
 * Escalations: Connect, where tasks are created, may be a client built on the first one
 * (connectClientOnDemand), so inbound functions do not load its SDK on a cold start.
 */
export type EscalationClients = ClientsFor<'dynamo'> & { readonly connect?: ConnectClientSource };

/** Builds a value on first use: Lambda pays for clients on the first event, tests never do. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}
