import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../wiring.ts';
import { connectClientOnDemand } from './on-demand-tasks.ts';

// Apart from function-clients.ts: a module every function imports must not import Connect's SDK,
// or the bundler keeps it on every function's cold path (next to the on-demand Connect chunk).
// Voice events build Connect's client on first use too: only an unknown caller or an escalation
// needs it.

/**
 * Contact events: the table, the outbound queue and scheduler for the missed-call follow-up, and
 * Connect itself (DescribeContact for contacts it has not seen). The SMS client only says the
 * deployment sends SMS (sendableChannels).
 */
export function voiceEventsClients() {
  return {
    dynamo: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    scheduler: new SchedulerClient({}),
    sms: new PinpointSMSVoiceV2Client({}),
    connect: connectClientOnDemand,
  } satisfies Partial<Record<keyof AwsClients, unknown>>;
}
