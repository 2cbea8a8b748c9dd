import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookQueue } from '../../core/ports/queues.ts';

export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(rawBody: string, attributes: { readonly object?: string } = {}): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: rawBody,
        MessageAttributes: attributes.object
          ? { source: { DataType: 'String', StringValue: `meta:${attributes.object.slice(0, 60)}` } }
          : undefined,
      }),
    );
  }
}
