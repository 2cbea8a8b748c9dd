import { ReceiveMessageCommand, type SQSClient, type Message as SqsMessage } from '@aws-sdk/client-sqs';

/**
 * One batch, without waiting: whoever polls (the sandbox draining a queue, a test reading what a
 * handler queued) knows it has put something on the queue already.
 */
export async function receiveBatch(sqs: SQSClient, queueUrl: string): Promise<SqsMessage[]> {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return received.Messages ?? [];
}

/** The JSON bodies of one batch: what the handlers queued (outbound requests, deadline checks, …). */
export async function receiveBodies<Body = unknown>(sqs: SQSClient, queueUrl: string): Promise<Body[]> {
  return (await receiveBatch(sqs, queueUrl)).map((message) => JSON.parse(message.Body ?? '{}') as Body);
}
