import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { RetryableError } from '../../core/errors.ts';
import type { ResponseDeadlineDue } from '../../core/model.ts';
import type { ResponseDeadlines } from '../../core/ports/service-levels.ts';

/**
 * Response-deadline checks go on the outbound queue: the dispatcher already has the scheduler
 * that holds them until due, so inbound functions need no scheduler rights.
 */
export class SqsResponseDeadlines implements ResponseDeadlines {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async watch(
    dues: readonly ResponseDeadlineDue[],
    options: { readonly delaySeconds?: number } = {},
  ): Promise<void> {
    if (dues.length === 0) return;
    const result = await this.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: dues.map((due, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(due),
          DelaySeconds: options.delaySeconds,
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'response-deadline' } },
        })),
      }),
    );
    const failed = result.Failed ?? [];
    if (failed.length > 0) {
      // A batch answers 200 with failed entries: the whole set is sent again, which is harmless
      // because a deadline check is idempotent (one schedule per conversation and target).
      const codes = failed.map((entry) => entry.Code).join(', ');
      throw new RetryableError(
        `${failed.length} of ${dues.length} deadline checks were not queued (${codes})`,
      );
    }
  }
}
