import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ChannelHourBatchSum } from '../../functions/core/ports/service-levels.ts';
import { makeChannelCountersHandler } from '../../functions/handlers/channel-counters.ts';
import { dynamoDbStreamRecord } from '../../local/events/dynamodb-stream.ts';
import { lambdaContext } from '../../local/lambda-context.ts';

const TABLE = 'switchboard-test';

/** A stream record of a stored message: `countAs` marks it, `event` says what the write was. */
function messageRecord(
  sequence: number,
  options: { countAs?: string; modified?: boolean; channel?: string } = {},
): DynamoDBRecord {
  const at = `2026-11-23T10:0${sequence % 10}:00.000Z`;
  const keys = { pk: { S: 'CONVERSATION#c-1' }, sk: { S: `MESSAGE#${at}#m-${sequence}` } };
  const item = {
    ...keys,
    channel: { S: options.channel ?? 'sms' },
    at: { S: at },
    direction: { S: 'inbound' },
    ...(options.countAs ? { countAs: { S: options.countAs } } : {}),
  };
  return dynamoDbStreamRecord({
    tableName: TABLE,
    keys,
    after: item,
    ...(options.modified ? { before: { ...item, text: { S: 'before' } } } : {}),
    sequence,
    at: new Date(at),
  });
}

function recordingCounts(options: { failing?: boolean } = {}) {
  const sums: ChannelHourBatchSum[] = [];
  return {
    sums,
    deps: {
      counts: {
        putSum: async (sum: ChannelHourBatchSum) => {
          if (options.failing) throw new Error('ProvisionedThroughputExceededException');
          sums.push(sum);
          return { stored: true as const };
        },
      },
    },
  };
}

describe('the channel counters stream consumer', () => {
  it('sums the marked inserts of a batch and ignores every other record', async () => {
    // Prepare
    const { deps, sums } = recordingCounts();
    const handler = makeChannelCountersHandler(() => deps);
    const event = {
      Records: [
        messageRecord(1, { countAs: 'inbound-opening' }),
        messageRecord(2, { countAs: 'inbound' }),
        messageRecord(3),
        messageRecord(4, { countAs: 'inbound', modified: true }),
        messageRecord(5, { countAs: 'something-else' }),
      ],
    };

    // Act
    const response = await handler(event, lambdaContext('channel-counters'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sums).toEqual([
      {
        channel: 'sms',
        hour: '2026-11-23T10:00:00.000Z',
        firstEventId: event.Records[0]?.eventID,
        through: event.Records[1]?.dynamodb?.SequenceNumber,
        counters: { inbound: 2, conversations: 1 },
      },
    ]);
  });

  it('fails the whole batch from its first record when a sum cannot be written', async () => {
    // Prepare
    const { deps } = recordingCounts({ failing: true });
    const handler = makeChannelCountersHandler(() => deps);
    const event = { Records: [messageRecord(7), messageRecord(8, { countAs: 'inbound' })] };

    // Act
    const response = await handler(event, lambdaContext('channel-counters'));

    // Assess: Lambda retries from the batch's first record, which the sums' keys need.
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber }],
    });
  });

  it('refuses what is not a stream event', async () => {
    // Prepare
    const { deps } = recordingCounts();
    const handler = makeChannelCountersHandler(() => deps);

    // Act / Assess
    await expect(handler({ Records: 'none' }, lambdaContext('channel-counters'))).rejects.toThrow(
      'not a DynamoDB Streams event',
    );
  });
});
