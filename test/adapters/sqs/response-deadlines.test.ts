import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsResponseDeadlines } from '../../../functions/adapters/sqs/response-deadlines.ts';
import { RetryableError } from '../../../functions/core/errors.ts';
import type { ResponseDeadlineDue } from '../../../functions/core/model.ts';

const sqs = new SQSClient({ region: 'eu-central-1' });
const sqsMock = mockClient(sqs);
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/000000000000/switchboard-outbound';

const dues = (): ResponseDeadlineDue[] => [
  {
    type: 'response-deadline',
    conversationId: 'conv-1',
    target: 'first-response',
    due: '2026-11-23T12:00:00.000Z',
  },
  {
    type: 'response-deadline',
    conversationId: 'conv-1',
    target: 'resolution',
    due: '2026-11-27T12:00:00.000Z',
  },
];

afterEach(() => {
  sqsMock.reset();
});

describe('SqsResponseDeadlines', () => {
  it('queues a conversation’s deadline checks in one batch request, marked as deadlines', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const deadlines = new SqsResponseDeadlines(sqs, QUEUE_URL);

    // Act
    await deadlines.watch(dues(), { delaySeconds: 60 });

    // Assess
    const calls = sqsMock.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]?.args[0].input.Entries ?? [];
    expect(entries.map((entry) => JSON.parse(entry.MessageBody ?? '{}'))).toEqual(dues());
    expect(new Set(entries.map((entry) => entry.Id)).size).toBe(2);
    for (const entry of entries) {
      expect(entry.DelaySeconds).toBe(60);
      expect(entry.MessageAttributes?.kind?.StringValue).toBe('response-deadline');
    }
  });

  it('throws a retryable error naming the failed entries when the batch is partly refused', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm-0', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
    });
    const deadlines = new SqsResponseDeadlines(sqs, QUEUE_URL);

    // Act
    const watching = deadlines.watch(dues());

    // Assess
    await expect(watching).rejects.toBeInstanceOf(RetryableError);
    await expect(deadlines.watch(dues())).rejects.toThrow(
      '1 of 2 deadline checks were not queued (InternalError)',
    );
  });

  it('sends nothing when there is nothing to watch', async () => {
    // Prepare
    const deadlines = new SqsResponseDeadlines(sqs, QUEUE_URL);

    // Act
    await deadlines.watch([]);

    // Assess
    expect(sqsMock.calls()).toHaveLength(0);
  });
});
