import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoChannelBatchCounts,
  DynamoChannelInsights,
} from '../../../functions/adapters/dynamodb/channel-insights.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import { countedRecordOf } from '../../../functions/adapters/dynamodb/stream-count-items.ts';
import type { CountedRecord } from '../../../functions/core/service-levels/stream-counts.ts';
import { countStreamBatch } from '../../../functions/core/service-levels/stream-counts.ts';
import { dynamoDbStreamRecord } from '../../../local/events/dynamodb-stream.ts';
import { inboundMessage, openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: DynamoConversationStore;
let insights: DynamoChannelInsights;
let counts: DynamoChannelBatchCounts;
let nextSequence = 1;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoConversationStore(table.db, table.tableName);
  insights = new DynamoChannelInsights(table.db, table.tableName);
  counts = new DynamoChannelBatchCounts(table.db, table.tableName);
});

/** Stores `n` marked messages in a new conversation and returns their stream records, as the stream would carry them. */
async function storedMessages(
  conversationId: string,
  n: number,
  at: (i: number) => string,
  channel: 'email' | 'sms' = 'email',
): Promise<DynamoDBRecord[]> {
  await store.create(
    openConversation({ id: conversationId, channel, createdAt: at(0), lastMessageAt: at(0) }),
  );
  const records: DynamoDBRecord[] = [];
  for (let i = 0; i < n; i++) {
    const message = inboundMessage(conversationId, `m-${i}`, at(i), { channel });
    const appended = await store.appendMessage(message, { countAs: i === 0 ? 'inbound-opening' : 'inbound' });
    expect(appended?.counted).toBe(true);
    const key = keys.inboundMessage(conversationId, message.id);
    const item = await table.client.send(
      new GetItemCommand({ TableName: table.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
    );
    records.push(
      dynamoDbStreamRecord({
        tableName: table.tableName,
        keys: { pk: { S: key.pk }, sk: { S: key.sk } },
        after: item.Item ?? {},
        sequence: nextSequence++,
        at: new Date(at(i)),
      }),
    );
  }
  return records;
}

const counted = (records: readonly DynamoDBRecord[]): CountedRecord[] =>
  records.map(countedRecordOf).filter((r): r is CountedRecord => r !== undefined);

const hourOn = (day: string, hour: string) => (i: number) =>
  `${day}T${hour}:${String(i % 60).padStart(2, '0')}:00.000Z`;

describe('the channel counters from stream batches on DynamoDB Local', () => {
  it('stores the mark on the message item, which reads back without it', async () => {
    // Prepare
    const records = await storedMessages('conv-mark', 1, hourOn('2026-11-20', '09'));

    // Act
    const [message] = await store.listMessages('conv-mark');

    // Assess
    expect(counted(records).map((r) => r.mark)).toEqual(['inbound-opening']);
    expect(message).not.toHaveProperty('countAs');
  });

  it('counts a batch once however often it is delivered, and the report reads the sums beside the counters', async () => {
    // Prepare
    const records = counted(await storedMessages('conv-retry', 5, hourOn('2026-11-21', '10')));
    await insights.add('email', new Date('2026-11-21T10:30:00.000Z'), { csatCount: 1 });

    // Act
    const first = await countStreamBatch({ counts }, records);
    const again = await countStreamBatch({ counts }, records);

    // Assess
    expect([first.sums, again.sums]).toEqual([1, 0]);
    const rows = await insights.read({
      from: new Date('2026-11-21T10:00:00.000Z'),
      to: new Date('2026-11-21T11:00:00.000Z'),
    });
    const total = (name: string) => rows.reduce((sum, row) => sum + (row.counters[name] ?? 0), 0);
    expect(rows.every((row) => row.channel === 'email' && row.hour === '2026-11-21T10:00:00.000Z')).toBe(
      true,
    );
    expect([total('inbound'), total('conversations'), total('csatCount')]).toEqual([5, 1, 1]);
  });

  it('counts a retry that reads further along the stream only for the records it did not count', async () => {
    // Prepare
    const records = counted(await storedMessages('conv-longer', 6, hourOn('2026-11-22', '10'), 'sms'));
    await countStreamBatch({ counts }, records.slice(0, 4));

    // Act
    await countStreamBatch({ counts }, records);

    // Assess
    const rows = await insights.read({
      from: new Date('2026-11-22T10:00:00.000Z'),
      to: new Date('2026-11-22T11:00:00.000Z'),
    });
    expect(rows.reduce((sum, row) => sum + (row.counters.inbound ?? 0), 0)).toBe(6);
  });

  it('sums concurrent batches of one channel-hour (two shards) without losing either', async () => {
    // Prepare
    const a = counted(await storedMessages('conv-shard-a', 10, hourOn('2026-11-23', '12')));
    const b = counted(await storedMessages('conv-shard-b', 10, hourOn('2026-11-23', '12')));

    // Act: each delivered twice, all at the same moment.
    await Promise.all([
      countStreamBatch({ counts }, a),
      countStreamBatch({ counts }, b),
      countStreamBatch({ counts }, a),
      countStreamBatch({ counts }, b),
    ]);

    // Assess
    const rows = await insights.read({
      from: new Date('2026-11-23T12:00:00.000Z'),
      to: new Date('2026-11-23T13:00:00.000Z'),
    });
    const total = (name: string) => rows.reduce((sum, row) => sum + (row.counters[name] ?? 0), 0);
    expect([total('inbound'), total('conversations')]).toEqual([20, 2]);
  });
});
