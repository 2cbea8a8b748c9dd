import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeFinding } from '../nag.ts';
import type { Encryption } from './encryption.ts';

export interface WorkQueueProps {
  readonly encryption: Encryption;
  /** The consumer's timeout: the visibility timeout is six times it, as Lambda recommends. */
  readonly consumerTimeout: Duration;
  /**
   * Receives before a message goes to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /** Construct id of the work queue (its dead-letter queue is always `DeadLetterQueue`). */
  readonly id: string;
}

/**
 * A queue a Lambda consumes, with its dead-letter queue: both encrypted with the stack's key and
 * TLS only. Created in the caller's scope so the resources keep the caller's names.
 */
export function createWorkQueue(
  scope: Construct,
  props: WorkQueueProps,
): { queue: Queue; deadLetterQueue: Queue } {
  const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: props.encryption.key,
    enforceSSL: true,
    // The longest SQS allows: time to look at a failed message and redrive it.
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  acknowledgeFinding(
    deadLetterQueue,
    'Serverless-SQSRedrivePolicy',
    `The dead-letter queue of ${props.id}: the end of the line by design. Nothing consumes it automatically; a depth alarm fires on its first message and an operator redrives it to its source queue once the cause is fixed.`,
  );
  const queue = new Queue(scope, props.id, {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: props.encryption.key,
    // Reuse a data key for an hour instead of the default five minutes: far fewer KMS calls.
    dataKeyReuse: Duration.hours(1),
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return { queue, deadLetterQueue };
}
