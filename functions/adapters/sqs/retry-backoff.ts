import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { RetryBackoff } from '../../core/ports/queues.ts';

const FIRST_RETRY_SECONDS = 30;
/** Lambda's SQS poller cannot wait longer for a record than the queue's visibility timeout allows; 15 min is plenty. */
const LONGEST_RETRY_SECONDS = 900;

/** 30 s after the first failure, then 60, 120, 240, 480, 900 (the cap). */
export function backoffSeconds(receiveCount: number): number {
  const attempt = Number.isFinite(receiveCount) && receiveCount >= 1 ? Math.floor(receiveCount) : 1;
  return Math.min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempt - 1));
}

/** `arn:aws:sqs:eu-central-1:123456789012:name` → `https://sqs.eu-central-1.amazonaws.com/123456789012/name`. */
export function queueUrlFromArn(arn: string): string {
  const [, partition, service, region, account, name] = arn.split(':');
  if (service !== 'sqs' || !region || !account || !name) throw new Error('not an SQS queue ARN');
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/**
 * Backoff through the queue itself: a record that failed for a passing reason (throttling, a
 * provider's 429 or 5xx) is made invisible for longer on every receive, instead of coming back
 * after the same fixed visibility timeout and hitting the same limit again.
 */
export class SqsRetryBackoff implements RetryBackoff {
  constructor(private readonly sqs: SQSClient) {}

  async delay(record: SQSRecord): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrlFromArn(record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: backoffSeconds(Number(record.attributes.ApproximateReceiveCount)),
      }),
    );
  }
}
