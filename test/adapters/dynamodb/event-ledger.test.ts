import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventLedger } from '../../../functions/adapters/dynamodb/event-ledger.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let ledger: DynamoEventLedger;
const now = new Date('2026-11-23T10:00:00.000Z');

beforeAll(async () => {
  table = await createTestTable();
  ledger = new DynamoEventLedger(table.db, table.tableName);
});

describe('DynamoEventLedger on DynamoDB Local', () => {
  it('lets exactly one of ten concurrent deliveries claim an event', async () => {
    // Prepare
    const key = 'inbound#email#race-1';

    // Act
    const claims = await Promise.all(Array.from({ length: 10 }, () => ledger.claim(key, now, 60)));

    // Assess
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'in-progress')).toHaveLength(9);
  });

  it('answers a redelivery with the recorded outcome once the event is done', async () => {
    // Prepare
    const key = 'inbound#email#done-1';
    await ledger.claim(key, now, 60);
    await ledger.complete(key, { conversationId: 'c1' }, now);

    // Act
    const again = await ledger.claim<{ conversationId: string }>(
      key,
      new Date(now.getTime() + 3_600_000),
      60,
    );

    // Assess
    expect(again).toEqual({ status: 'done', outcome: { conversationId: 'c1' } });
  });

  it('gives a released event to the next delivery', async () => {
    // Prepare
    const key = 'inbound#email#released-1';
    await ledger.claim(key, now, 60);
    await ledger.release(key);

    // Act
    const next = await ledger.claim(key, now, 60);

    // Assess
    expect(next.status).toBe('claimed');
  });

  it('lets a later delivery take over an event whose lease ran out (a crashed attempt)', async () => {
    // Prepare
    const key = 'inbound#email#crashed-1';
    await ledger.claim(key, now, 60);

    // Act
    const during = await ledger.claim(key, new Date(now.getTime() + 30_000), 60);
    const after = await ledger.claim(key, new Date(now.getTime() + 61_000), 60);

    // Assess
    expect(during.status).toBe('in-progress');
    expect(after.status).toBe('claimed');
  });

  it('keeps dedupe records for at least seven days', async () => {
    // Prepare
    const key = 'inbound#sms#ttl-1';

    // Act
    await ledger.claim(key, now, 60);
    await ledger.complete(key, {}, now);
    const item = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.event(key) }));

    // Assess
    const expiresAt = Number(item.Item?.expiresAt);
    expect(expiresAt - now.getTime() / 1000).toBeGreaterThanOrEqual(7 * 24 * 3600);
  });

  it('tells a redelivery that an accepted effect still owes its record, and takes the final outcome after it', async () => {
    // Prepare
    const key = 'outbound#unfinished-1';
    await ledger.claim(key, now, 60);
    await ledger.complete(key, { status: 'sent', owed: true }, now, { unfinished: true });

    // Act
    const redelivery = await ledger.claim(key, now, 60);
    const finished = await ledger.complete(key, { status: 'sent' }, now);
    const later = await ledger.claim(key, now, 60);

    // Assess
    expect(redelivery).toEqual({ status: 'done', outcome: { status: 'sent', owed: true }, unfinished: true });
    expect(finished).toBe(true);
    expect(later).toEqual({ status: 'done', outcome: { status: 'sent' } });
  });

  it('never overwrites an outcome another delivery completed first', async () => {
    // Prepare: a slow attempt whose lease ran out; a second one took over and finished.
    const key = 'outbound#overtaken-1';
    await ledger.claim(key, now, 60);
    await ledger.claim(key, new Date(now.getTime() + 61_000), 60);
    await ledger.complete(key, { by: 'second' }, now);

    // Act
    const late = await ledger.complete(key, { by: 'first' }, now);

    // Assess
    expect(late).toBe(false);
    expect(await ledger.claim(key, now, 60)).toEqual({ status: 'done', outcome: { by: 'second' } });
  });
});
