import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoIdentityWindows } from '../../../functions/adapters/dynamodb/identity-windows.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let windows: DynamoIdentityWindows;
const PHONE = { kind: 'phone' as const, value: '+905321234567' };

beforeAll(async () => {
  table = await createTestTable();
  windows = new DynamoIdentityWindows(table.db, table.tableName);
  await table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.identity(PHONE), entity: 'identity', customerId: 'cust-1' },
    }),
  );
});

describe('DynamoIdentityWindows on DynamoDB Local', () => {
  it('keeps the latest inbound per channel on the identity item; an older one changes nothing', async () => {
    // Act
    await windows.recordInbound(PHONE, 'whatsapp', '2026-11-23T10:00:00.000Z');
    await windows.recordInbound(PHONE, 'whatsapp', '2026-11-23T09:00:00.000Z');

    // Assess
    expect(await windows.lastInboundAt(PHONE, 'whatsapp')).toBe('2026-11-23T10:00:00.000Z');
    expect(await windows.lastInboundAt(PHONE, 'messenger')).toBeUndefined();
  });

  it('creates no identity item for an identity that is not there', async () => {
    // Prepare
    const unknown = { kind: 'messenger' as const, value: 'psid-none' };

    // Act
    await windows.recordInbound(unknown, 'messenger', '2026-11-23T10:00:00.000Z');

    // Assess
    expect(await windows.lastInboundAt(unknown, 'messenger')).toBeUndefined();
  });

  it("reads several identities' windows in one call and answers the latest", async () => {
    // Prepare: the same number as a phone and as a WhatsApp identity, and one not stored at all.
    const whatsapp = { kind: 'whatsapp' as const, value: '905321234567' };
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.identity(whatsapp), entity: 'identity', customerId: 'cust-1' },
      }),
    );
    await windows.recordInbound(PHONE, 'whatsapp', '2026-11-23T10:00:00.000Z');
    await windows.recordInbound(whatsapp, 'whatsapp', '2026-11-23T11:30:00.000Z');
    const absent = { kind: 'whatsapp' as const, value: '000' };

    // Act
    const latest = await windows.latestInboundAt([PHONE, whatsapp, absent], 'whatsapp');

    // Assess
    expect(latest).toBe('2026-11-23T11:30:00.000Z');
    expect(await windows.latestInboundAt([absent], 'whatsapp')).toBeUndefined();
  });
});
