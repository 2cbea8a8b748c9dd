import type {
  DlqDestinationConfig,
  IEventSourceDlq,
  IEventSourceMapping,
  IFunction,
} from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { grantSendToQueue } from './permissions.ts';

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
