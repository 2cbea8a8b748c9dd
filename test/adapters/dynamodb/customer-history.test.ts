import { randomUUID } from 'node:crypto';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoConversationStore,
  newestConversationsOf,
} from '../../../functions/adapters/dynamodb/conversation-store.ts';
import {
  batchGetItems,
  conversationItems,
  customerConversationIds,
} from '../../../functions/adapters/dynamodb/customer-history.ts';
import { DynamoCustomerLinks } from '../../../functions/adapters/dynamodb/customer-links.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import {
  conversationTable,
  conversationTableCreateInput,
} from '../../../functions/adapters/dynamodb/table-definition.ts';
import { openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: DynamoConversationStore;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoConversationStore(table.db, table.tableName);
});

/** Three conversations of `customerId`, opened on the 20th, 21st and 22nd; the oldest is the latest active. */
async function historyOf(target: DynamoConversationStore, customerId: string) {
  for (const [id, day] of [
    ['a', '20'],
    ['b', '21'],
    ['c', '22'],
  ] as const) {
    await target.create(
      openConversation({
        id: `${customerId}-${id}`,
        customerId,
        createdAt: `2026-11-${day}T10:00:00.000Z`,
        lastMessageAt: id === 'a' ? '2026-11-23T12:00:00.000Z' : `2026-11-${day}T10:00:00.000Z`,
      }),
    );
  }
}

describe('the by-customer history on DynamoDB Local', () => {
  it('reads keys from the keys-only index and the conversations by BatchGetItem', async () => {
    // Prepare
    await historyOf(store, 'cust-keys');

    // Act
    const ids = await customerConversationIds(table.db, table.tableName, 'cust-keys');
    const newest = await newestConversationsOf(table.db, table.tableName, 'cust-keys', 2);

    // Assess: ids newest opened first; whole conversations, by last activity
    expect(conversationTable.indexes.byCustomer.projection).toBe('KEYS_ONLY');
    expect(ids).toEqual(['cust-keys-c', 'cust-keys-b', 'cust-keys-a']);
    expect(newest.map((c) => [c.id, c.channel, c.status])).toEqual([
      ['cust-keys-c', 'email', 'open'],
      ['cust-keys-b', 'email', 'open'],
    ]);
    expect(await newestConversationsOf(table.db, table.tableName, 'nobody', 5)).toEqual([]);
  });

  it('gives a merge every conversation id of the customer', async () => {
    // Prepare
    await historyOf(store, 'cust-merge');
    const links = new DynamoCustomerLinks(table.db, table.tableName);

    // Act
    const ids = await links.conversationIdsOf('cust-merge');

    // Assess
    expect([...ids].sort()).toEqual(['cust-merge-a', 'cust-merge-b', 'cust-merge-c']);
  });

  it('reads from the retired index while the new one is not there yet (an upgrade backfilling it)', async () => {
    // Prepare: a table as the earlier release created it, the by-customer index with every attribute
    const tableName = `test-${randomUUID()}`;
    await table.client.send(
      new CreateTableCommand(
        conversationTableCreateInput(tableName, {
          indexes: [
            conversationTable.retiredIndexes.byCustomer,
            conversationTable.indexes.byStatus,
            conversationTable.indexes.byAssignee,
          ],
        }),
      ),
    );
    const earlier = new DynamoConversationStore(table.db, tableName);
    await historyOf(earlier, 'cust-upgrade');

    // Act
    const newest = await newestConversationsOf(table.db, tableName, 'cust-upgrade', 10);
    const open = await earlier.latestOpenConversation('cust-upgrade', 'email');

    // Assess
    expect(newest.map((c) => c.id)).toEqual(['cust-upgrade-a', 'cust-upgrade-c', 'cust-upgrade-b']);
    expect(open?.id).toBe('cust-upgrade-a');
  });

  it('asks again for the keys BatchGetItem leaves unprocessed, and refuses to guess when they stay so', async () => {
    // Prepare: a client that leaves the last key of every request unprocessed, `times` times
    await historyOf(store, 'cust-throttled');
    const ids = ['cust-throttled-a', 'cust-throttled-b', 'cust-throttled-c'];
    const throttling = (times: number) => {
      let left = times;
      const requests: number[] = [];
      const client = {
        send: async (command: BatchGetCommand) => {
          const wanted = command.input.RequestItems?.[table.tableName]?.Keys ?? [];
          requests.push(wanted.length);
          if (left === 0) return table.db.send(command);
          left -= 1;
          const served =
            wanted.length > 1
              ? await table.db.send(
                  new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: wanted.slice(0, -1) } } }),
                )
              : { Responses: { [table.tableName]: [] } };
          return { ...served, UnprocessedKeys: { [table.tableName]: { Keys: wanted.slice(-1) } } };
        },
      } as unknown as DynamoDBDocumentClient;
      return { client, requests };
    };
    const pauses: number[] = [];
    const pause = async (round: number) => {
      pauses.push(round);
    };
    const twice = throttling(2);
    const always = throttling(Number.POSITIVE_INFINITY);

    // Act
    const items = await conversationItems(twice.client, table.tableName, ids, { pause });
    const refused = batchGetItems(always.client, table.tableName, ids.map(keys.conversation), { pause });

    // Assess
    expect(items.map((item) => item.id).sort()).toEqual(ids);
    expect(twice.requests).toEqual([3, 1, 1]);
    await expect(refused).rejects.toThrow(/unprocessed/);
    expect(pauses.slice(0, 2)).toEqual([1, 2]);
  });
});
