import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ResponseDeadlineDue } from '../../core/model.ts';
import type { ResponseDeadlines } from '../../core/ports.ts';

/**
 * Response-deadline checks go on the outbound queue: the dispatcher already has the scheduler
 * that holds them until due, so inbound functions need no scheduler rights.
 */
export class SqsResponseDeadlines implements ResponseDeadlines {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async watch(due: ResponseDeadlineDue, options: { readonly delaySeconds?: number } = {}): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(due),
        DelaySeconds: options.delaySeconds,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'response-deadline' } },
      }),
    );
  }
}
