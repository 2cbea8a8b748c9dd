import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { countedRecordOf } from '../adapters/dynamodb/stream-count-items.ts';
import { streamRecordsOf } from '../adapters/dynamodb/stream-event.ts';
import { describeError, logger } from '../adapters/observability.ts';
import {
  type CountedRecord,
  countStreamBatch,
  type StreamCountsDeps,
} from '../core/service-levels/stream-counts.ts';

/**
 * The table's change stream → the channel-hour counters. Each batch of marked message inserts
 * is summed per channel and hour and written once per sum (core/service-levels/stream-counts.ts).
 * A failed write fails the whole batch (its first record as the failed item), so Lambda retries
 * from the same record, which the sums' keys need; after its retries the batch's position goes
 * to the on-failure queue. Records that are not marked inserts count nothing and fail nothing.
 */
export function makeChannelCountersHandler(getDeps: () => StreamCountsDeps) {
  return middy(async function countChannelHours(event: unknown): Promise<DynamoDBBatchResponse> {
    const records = streamRecordsOf(event);
    const counted: CountedRecord[] = [];
    for (const record of records) {
      const found = countedRecordOf(record);
      if (found) counted.push(found);
    }
    try {
      const result = await countStreamBatch(getDeps(), counted);
      logger.info('channel counters written', { records: records.length, ...result });
      return { batchItemFailures: [] };
    } catch (error) {
      logger.warn('channel counters not written; the batch is retried', { error: describeError(error) });
      const first = records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
