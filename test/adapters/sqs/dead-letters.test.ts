import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deadLetterSettingsFromEnvironment,
  failureReasonOf,
  SqsDeadLetters,
  withDeadLetters,
} from '../../../functions/adapters/sqs/dead-letters.ts';
import { ConfigurationError, RetryableError } from '../../../functions/core/errors.ts';
import { sqsEventOfBodies } from '../../../local/events/sqs.ts';

const sqs = new SQSClient({ region: 'eu-central-1' });
const sqsMock = mockClient(sqs);
const DLQ_URL = 'https://sqs.eu-central-1.amazonaws.com/000000000000/switchboard-outbound-dlq';
const FAILED_AT = new Date('2026-11-23T10:00:00.000Z');

afterEach(() => {
  sqsMock.reset();
});

function recordOnReceive(
  receiveCount: number,
  messageAttributes: SQSRecord['messageAttributes'] = {},
): SQSRecord {
  const [record] = sqsEventOfBodies(['{"id":"out-1"}']).Records;
  if (!record) throw new Error('no record');
  return {
    ...record,
    attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) },
    messageAttributes,
  };
}

function deadLetters(): SqsDeadLetters {
  return new SqsDeadLetters(sqs, { queueUrl: DLQ_URL, maxReceiveCount: 5 }, () => FAILED_AT);
}

describe('dead-lettering with a reason', () => {
  it('sends the record to the DLQ with its reason on the last allowed receive', async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const record = recordOnReceive(5);

    // Act
    const handled = await deadLetters().deadLetter(
      record,
      new RetryableError('SES could not take the message now (Throttling)'),
    );

    // Assess
    expect(handled).toBe(true);
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: DLQ_URL,
      MessageBody: '{"id":"out-1"}',
      MessageAttributes: {
        failureReason: {
          DataType: 'String',
          StringValue: 'RetryableError: SES could not take the message now (Throttling)',
        },
        failureAt: { DataType: 'String', StringValue: '2026-11-23T10:00:00.000Z' },
        sourceQueue: { DataType: 'String', StringValue: 'switchboard-outbound' },
        sourceMessageId: { DataType: 'String', StringValue: 'm-0' },
        receiveCount: { DataType: 'Number', StringValue: '5' },
      },
    });
  });

  it('leaves an earlier failure to the queue, sending nothing', async () => {
    // Prepare
    const record = recordOnReceive(4);

    // Act
    const handled = await deadLetters().deadLetter(record, new Error('boom'));

    // Assess
    expect(handled).toBe(false);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('answers false when the DLQ refuses the send, so the redrive policy still moves the record', async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).rejects(new Error('AccessDenied'));

    // Act
    const handled = await deadLetters().deadLetter(recordOnReceive(6), new Error('boom'));

    // Assess
    expect(handled).toBe(false);
  });

  it("carries the record's own string attributes along, ours taking precedence", async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).resolves({});
    const record = recordOnReceive(5, {
      traceparent: { dataType: 'String', stringValue: '00-abc-def-01' },
      failureReason: { dataType: 'String', stringValue: 'spoofed' },
      blob: { dataType: 'Binary', binaryValue: 'AAE=' },
    });

    // Act
    await deadLetters().deadLetter(record, new Error('boom'));

    // Assess
    const attributes = sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes ?? {};
    expect(attributes.traceparent).toEqual({ DataType: 'String', StringValue: '00-abc-def-01' });
    expect(attributes.failureReason?.StringValue).toBe('Error: boom');
    expect(attributes.blob).toBeUndefined();
  });

  it('masks anything shaped like an email address or a phone number in a foreign error', () => {
    // Act
    const reason = failureReasonOf(
      new Error('Email address is not verified: ayse@example.com.tr; number +90 555 123 4567 refused'),
    );

    // Assess
    expect(reason).toBe('Error: Email address is not verified: [redacted]; number [redacted] refused');
  });

  it.each(['0532 999 88 77', '0532-999-88-77', '05329998877', '(0532) 999 88 77'.replace(/[()]/g, '')])(
    'masks the national-format number %s in a foreign error',
    (number) => {
      // Act
      const reason = failureReasonOf(new Error(`destination ${number} is not reachable`));

      // Assess
      expect(reason).toBe('Error: destination [redacted] is not reachable');
    },
  );

  it('leaves dates, times and short ids in a foreign error alone', () => {
    // Act
    const reason = failureReasonOf(new Error('at 2026-11-23 10:00:05 for order 100234, attempt 3'));

    // Assess
    expect(reason).toBe('Error: at 2026-11-23 10:00:05 for order 100234, attempt 3');
  });

  it('treats a handled record as done and rethrows every other failure', async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).resolves({});
    const failing = async () => {
      throw new Error('boom');
    };
    const process = withDeadLetters(failing, () => deadLetters());

    // Act
    const lastTry = process(recordOnReceive(5));
    const earlierTry = process(recordOnReceive(2));

    // Assess
    await expect(lastTry).resolves.toBeUndefined();
    await expect(earlierTry).rejects.toThrow('boom');
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it('reads its settings from the environment, and refuses a DLQ without a receive count', () => {
    // Act
    const settings = deadLetterSettingsFromEnvironment({
      DEAD_LETTER_QUEUE_URL: DLQ_URL,
      MAX_RECEIVE_COUNT: '5',
    });
    const none = deadLetterSettingsFromEnvironment({});

    // Assess
    expect(settings).toEqual({ queueUrl: DLQ_URL, maxReceiveCount: 5 });
    expect(none).toBeUndefined();
    expect(() => deadLetterSettingsFromEnvironment({ DEAD_LETTER_QUEUE_URL: DLQ_URL })).toThrow(
      ConfigurationError,
    );
  });
});
