import type { Message as SqsMessage } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';

/** The SQS event Lambda's poller builds from received messages, for the handlers the sandbox and the tests drive. */
export function sqsEventFrom(messages: readonly SqsMessage[], queueName: string): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
        SenderId: 'sandbox',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:eu-central-1:000000000000:${queueName}`,
      awsRegion: 'eu-central-1',
    })),
  };
}

/** The same from bare bodies, with ids `m-0`, `m-1`, … (tests name failed records by them). */
export function sqsEventOfBodies(bodies: readonly string[], queueName = 'switchboard-outbound'): SQSEvent {
  return sqsEventFrom(
    bodies.map((body, i) => ({ MessageId: `m-${i}`, ReceiptHandle: `h-${i}`, Body: body })),
    queueName,
  );
}
