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
});
