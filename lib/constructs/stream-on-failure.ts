import type {
  DlqDestinationConfig,
  IEventSourceDlq,
  IEventSourceMapping,
  IFunction,
} from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { acknowledgeFinding } from '../nag.ts';
import { grantSendToQueue } from './permissions.ts';
import type { SupportFunction } from './support-function.ts';

/**
 * The on-failure destination with `sqs:SendMessage` only (and the key use it needs), where the
 * stock SqsDlq grants the broader `grantSendMessages` set with KMS wildcards.
 */
export class QueueOnFailure implements IEventSourceDlq {
  constructor(private readonly queue: IQueue) {}

  bind(_target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig {
    grantSendToQueue(targetHandler, this.queue);
    return { destination: this.queue.queueArn };
  }
}

/** The findings every consumer of the table's stream answers the same way, with their reasons. */
export function acknowledgeStreamConsumerFindings(consumer: SupportFunction): void {
  acknowledgeFinding(
    consumer.lambdaFunction,
    'Serverless-LambdaDLQ',
    'Invoked only by a DynamoDB stream event source mapping (synchronously): batches that keep failing go to its on-failure destination queue, which has an alarm; a function DLQ would never receive anything.',
  );
  acknowledgeFinding(
    consumer.role,
    'AwsSolutions-IAM5[Resource::*]',
    'dynamodb:ListStreams has no resource-level permissions (the event source mapping grant); reading the stream itself is confined to the table stream ARN.',
  );
}
