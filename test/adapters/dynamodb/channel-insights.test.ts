import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoChannelInsights } from '../../../functions/adapters/dynamodb/channel-insights.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import { DynamoResponseTimes } from '../../../functions/adapters/dynamodb/response-times.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import { openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

/** Started and last active at 07:00 UTC on the test day. */
const SEVEN_UTC = { createdAt: '2026-11-23T07:00:00.000Z', lastMessageAt: '2026-11-23T07:00:00.000Z' };

let table: Awaited<ReturnType<typeof createTestTable>>;
let insights: DynamoChannelInsights;

beforeAll(async () => {
  table = await createTestTable();
  insights = new DynamoChannelInsights(table.db, table.tableName);
});

describe('DynamoChannelInsights on DynamoDB Local', () => {
  it('sums 40 concurrent adds to 40: each add is one atomic write', async () => {
    // Prepare
    const at = new Date('2026-11-23T10:15:00.000Z');

    // Act
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        insights.add('email', new Date(at.getTime() + i * 1_000), { inbound: 1, firstResponseMinutes: 1.5 }),
      ),
    );

    // Assess
    const rows = await insights.read({ from: at, to: new Date('2026-11-23T11:00:00.000Z') });
    expect(rows).toEqual([
      {
        channel: 'email',
        hour: '2026-11-23T10:00:00.000Z',
        counters: { inbound: 40, firstResponseMinutes: 60 },
      },
    ]);
  });

  it('keeps one item per channel and hour, with the day as its partition', async () => {
    // Act
    await insights.add('sms', new Date('2026-11-24T08:59:59.000Z'), { inbound: 1, 'outbound:auto-reply': 1 });

    // Assess
    const item = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: keys.channelHour('2026-11-24', '08', 'sms') }),
    );
    expect(item.Item).toMatchObject({
      pk: 'INSIGHTS#2026-11-24',
      sk: 'HOUR#08#sms',
      channel: 'sms',
      hour: '2026-11-24T08:00:00.000Z',
      'c:inbound': 1,
      'c:outbound:auto-reply': 1,
    });
    expect(typeof item.Item?.expiresAt).toBe('number');
  });

  it('reads the hours of a range across days: from its first hour, up to (not including) its end', async () => {
    // Prepare
    await insights.add('whatsapp', new Date('2026-12-01T22:59:00.000Z'), { inbound: 1 });
    await insights.add('whatsapp', new Date('2026-12-01T23:30:00.000Z'), { inbound: 2 });
    await insights.add('messenger', new Date('2026-12-02T00:10:00.000Z'), { inbound: 3 });
    await insights.add('whatsapp', new Date('2026-12-02T05:00:00.000Z'), { inbound: 4 });

    // Act
    const rows = await insights.read({
      from: new Date('2026-12-01T23:45:00.000Z'),
      to: new Date('2026-12-02T05:00:00.000Z'),
    });

    // Assess
    expect(rows.map((r) => [r.channel, r.hour, r.counters.inbound])).toEqual([
      ['whatsapp', '2026-12-01T23:00:00.000Z', 2],
      ['messenger', '2026-12-02T00:00:00.000Z', 3],
    ]);
  });

  it('refuses a counter name that is not one', async () => {
    await expect(insights.add('email', new Date(), { 'bad name': 1 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

describe('DynamoResponseTimes on DynamoDB Local', () => {
  it('records a first response once, even when the timeline already set firstResponseAt', async () => {
    // Prepare
    const conversations = new DynamoConversationStore(table.db, table.tableName);
    await conversations.create(
      openConversation({ id: 'conv-rt', ...SEVEN_UTC, firstResponseAt: '2026-11-23T08:00:00.000Z' }),
    );
    const times = new DynamoResponseTimes(table.db, table.tableName);

    // Act
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        times.recordFirstResponse('conv-rt', { at: '2026-11-23T08:00:01.000Z', businessMinutes: 60 }),
      ),
    );
    const unknown = await times.recordFirstResponse('conv-missing', {
      at: '2026-11-23T08:00:00.000Z',
      businessMinutes: 1,
    });

    // Assess
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(unknown).toBe(false);
    expect(await conversations.get('conv-rt')).toMatchObject({
      firstResponseAt: '2026-11-23T08:00:00.000Z',
      firstResponseBusinessMinutes: 60,
    });
  });

  it('records each close once and each breach once', async () => {
    // Prepare
    const conversations = new DynamoConversationStore(table.db, table.tableName);
    await conversations.create(openConversation({ id: 'conv-close', channel: 'sms', ...SEVEN_UTC }));
    const times = new DynamoResponseTimes(table.db, table.tableName);

    // Act
    const close = { at: '2026-11-23T09:00:00.000Z', businessMinutes: 120 };
    const first = await times.recordResolution('conv-close', close);
    const repeated = await times.recordResolution('conv-close', close);
    const reclosed = await times.recordResolution('conv-close', {
      at: '2026-11-24T09:00:00.000Z',
      businessMinutes: 660,
    });
    const breach = await times.recordBreach('conv-close', 'resolution', '2026-11-24T09:00:00.000Z');
    const breachAgain = await times.recordBreach('conv-close', 'resolution', '2026-11-24T09:05:00.000Z');
    const otherTarget = await times.recordBreach('conv-close', 'first-response', '2026-11-24T09:05:00.000Z');

    // Assess
    expect([first, repeated, reclosed]).toEqual([true, false, true]);
    expect([breach, breachAgain, otherTarget]).toEqual([true, false, true]);
    expect(await conversations.get('conv-close')).toMatchObject({
      resolvedAt: '2026-11-24T09:00:00.000Z',
      resolutionBusinessMinutes: 660,
      resolutionBreachedAt: '2026-11-24T09:00:00.000Z',
    });
  });
});
