import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeFinding } from '../nag.ts';
import type { Encryption } from './encryption.ts';

export interface DeadEndQueueProps {
  readonly encryption: Encryption;
  /** Why the queue has no dead-letter queue of its own (AwsSolutions-SQS3). */
  readonly withoutDeadLetterQueue: string;
  /** Why nothing redrives from it automatically (Serverless-SQSRedrivePolicy). */
  readonly withoutRedrive: string;
}

/**
 * A queue where failed events end (a DLQ, an on-failure destination): encrypted with the stack's
 * key, TLS only, kept the longest SQS allows. Created in the caller's scope so it keeps the
 * caller's names; the two nag findings a dead end always raises are acknowledged with the
 * caller's reasons.
 */
export function createDeadEndQueue(scope: Construct, id: string, props: DeadEndQueueProps): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: props.encryption.key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  acknowledgeFinding(queue, 'Serverless-SQSRedrivePolicy', props.withoutRedrive);
  acknowledgeFinding(queue, 'AwsSolutions-SQS3', props.withoutDeadLetterQueue);
  return queue;
}
