import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backoffSeconds,
  queueUrlFromArn,
  SqsRetryBackoff,
} from '../../../functions/adapters/sqs/retry-backoff.ts';
import { sqsEventOfBodies } from '../../../local/events/sqs.ts';

const sqs = new SQSClient({ region: 'eu-central-1' });
const sqsMock = mockClient(sqs);

afterEach(() => {
  sqsMock.reset();
});

describe('retry backoff through the queue', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [5, 480],
    [6, 900],
    [40, 900],
    [Number.NaN, 30],
  ])('holds a record back %s receives in for %s seconds', (receiveCount, seconds) => {
    // Act
    const delay = backoffSeconds(receiveCount);

    // Assess
    expect(delay).toBe(seconds);
  });

  it('derives the queue URL from the record ARN, China partition included', () => {
    // Act
    const global = queueUrlFromArn('arn:aws:sqs:eu-central-1:123456789012:switchboard-outbound');
    const china = queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:switchboard-outbound');

    // Assess
    expect(global).toBe('https://sqs.eu-central-1.amazonaws.com/123456789012/switchboard-outbound');
    expect(china).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/switchboard-outbound');
  });

  it('makes the failed record invisible for its backoff through ChangeMessageVisibility', async () => {
    // Prepare
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    const [record] = sqsEventOfBodies(['{}']).Records;
    if (!record) throw new Error('no record');
    const thirdTry = { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '3' } };

    // Act
    await new SqsRetryBackoff(sqs).delay(thirdTry);

    // Assess
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
      QueueUrl: 'https://sqs.eu-central-1.amazonaws.com/000000000000/switchboard-outbound',
      ReceiptHandle: 'h-0',
      VisibilityTimeout: 120,
    });
  });
});
