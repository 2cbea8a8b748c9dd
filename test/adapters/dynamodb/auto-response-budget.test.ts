import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAutoResponseBudget } from '../../../functions/adapters/dynamodb/auto-response-budget.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import type { AutoResponseBudgetScope } from '../../../functions/core/ports/auto-reply.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let budget: DynamoAutoResponseBudget;
const now = new Date('2026-11-23T10:15:00.000Z');

beforeAll(async () => {
  table = await createTestTable();
  budget = new DynamoAutoResponseBudget(table.db, table.tableName);
});

const domain = (key: string, limit: number): AutoResponseBudgetScope => ({
  kind: 'sender-domain',
  key,
  limit,
});
const global = (limit: number): AutoResponseBudgetScope => ({ kind: 'global', key: 'all', limit });

describe('DynamoAutoResponseBudget on DynamoDB Local', () => {
  it('hands out exactly the limit to concurrent takers, and an expiring counter', async () => {
    // Prepare
    const scopes = [domain('race.example', 5), global(1_000)];

    // Act
    const verdicts = await Promise.all(Array.from({ length: 12 }, () => budget.take(scopes, now)));

    // Assess
    expect(verdicts.filter((v) => v === undefined)).toHaveLength(5);
    expect(verdicts.filter((v) => v === 'sender-domain')).toHaveLength(7);
    const item = await table.db.send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.autoResponseBudget('2026-11-23T10', 'sender-domain', 'race.example'),
      }),
    );
    expect(item.Item?.count).toBe(5);
    expect(item.Item?.expiresAt).toBe(Date.parse('2026-11-23T10:00:00Z') / 1000 + 25 * 3_600);
  });

  it('names the global ceiling when that is what is spent, and counts each hour apart', async () => {
    // Prepare
    const scopes = (key: string) => [domain(key, 100), global(2)];
    const hour = new Date('2026-11-23T11:05:00.000Z');
    const nextHour = new Date('2026-11-23T12:00:00.000Z');

    // Act
    const first = await budget.take(scopes('a.example'), hour);
    const second = await budget.take(scopes('b.example'), hour);
    const third = await budget.take(scopes('c.example'), hour);
    const afterTheHour = await budget.take(scopes('c.example'), nextHour);

    // Assess
    expect([first, second, third, afterTheHour]).toEqual([undefined, undefined, 'global', undefined]);
  });
});
