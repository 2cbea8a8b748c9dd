import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboundRequest } from '../../core/model.ts';
import type { OutboundQueue } from '../../core/ports/outbound.ts';

export class SqsOutboundQueue implements OutboundQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(request: OutboundRequest, options: { delaySeconds?: number } = {}): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(request),
        DelaySeconds: options.delaySeconds,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: request.kind },
          channel: { DataType: 'String', StringValue: request.channel },
        },
      }),
    );
  }
}
