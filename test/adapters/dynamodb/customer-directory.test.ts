import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  customerIdCreatedBy,
  DynamoCustomerDirectory,
} from '../../../functions/adapters/dynamodb/customer-directory.ts';
import { DynamoEventLedger } from '../../../functions/adapters/dynamodb/event-ledger.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import type { Customer, Identity } from '../../../functions/core/model.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let directory: DynamoCustomerDirectory;
const now = new Date('2026-11-23T10:00:00.000Z');

beforeAll(async () => {
  table = await createTestTable();
  directory = new DynamoCustomerDirectory(table.db, table.tableName);
});

function customer(id: string, identity: Identity): Customer {
  return { id, consent: {}, identities: [identity], createdAt: now.toISOString() };
}

describe('DynamoCustomerDirectory on DynamoDB Local', () => {
  it('makes one customer when two first messages from one address race', async () => {
    // Prepare
    const identity: Identity = { kind: 'email', value: 'racer@example.com' };

    // Act
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        directory.createWithIdentity(customer(i < 4 ? 'cust-a' : 'cust-b', identity), identity),
      ),
    );

    // Assess
    const owners = new Set(created.map((c) => c.id));
    expect(owners.size).toBe(1);
    const link = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.identity(identity).pk },
      }),
    );
    expect(link.Items).toHaveLength(1);
    expect(link.Items?.[0]?.customerId).toBe([...owners][0]);
    expect((await directory.findByIdentity(identity))?.id).toBe([...owners][0]);
  });

  it('finds nobody for an identity it has never seen', async () => {
    // Act
    const found = await directory.findByIdentity({ kind: 'email', value: 'nobody@example.com' });

    // Assess
    expect(found).toBeUndefined();
  });

  it('gives the auto-reply slot to exactly one of many concurrent claims in a window', async () => {
    // Prepare
    const identity: Identity = { kind: 'email', value: 'slot@example.com' };
    await directory.createWithIdentity(customer('cust-slot', identity), identity);

    // Act
    const granted = await Promise.all(
      Array.from({ length: 6 }, (_, i) => directory.claimAutoReplySlot('cust-slot', now, 60, `event-${i}`)),
    );

    // Assess
    expect(granted.filter(Boolean)).toHaveLength(1);
  });

  it('grants the slot again to the same event (a retry) but not to another within the window', async () => {
    // Prepare
    const identity: Identity = { kind: 'email', value: 'retry@example.com' };
    await directory.createWithIdentity(customer('cust-retry', identity), identity);
    await directory.claimAutoReplySlot('cust-retry', now, 60, 'event-1');
    const later = new Date(now.getTime() + 10 * 60_000);

    // Act
    const sameEvent = await directory.claimAutoReplySlot('cust-retry', later, 60, 'event-1');
    const otherEvent = await directory.claimAutoReplySlot('cust-retry', later, 60, 'event-2');
    const afterWindow = await directory.claimAutoReplySlot(
      'cust-retry',
      new Date(now.getTime() + 61 * 60_000),
      60,
      'event-3',
    );

    // Assess
    expect(sameEvent).toBe(true);
    expect(otherEvent).toBe(false);
    expect(afterWindow).toBe(true);
  });

  it('records the language a customer last wrote in', async () => {
    // Prepare
    const identity: Identity = { kind: 'email', value: 'dil@example.com' };
    await directory.createWithIdentity(customer('cust-tr', identity), identity);

    // Act
    await directory.recordDetectedLanguage('cust-tr', 'tr');

    // Assess
    expect((await directory.get('cust-tr'))?.detectedLanguage).toBe('tr');
  });

  it('finds the customer an identity created, the merged one it became, and one it was linked to', async () => {
    // Prepare: ids as receiveInbound derives them, so the first read finds the profile too
    const own: Identity = { kind: 'email', value: 'own@example.com' };
    const merged: Identity = { kind: 'email', value: 'merged@example.com' };
    const linked: Identity = { kind: 'phone', value: '+905321112299' };
    await directory.createWithIdentity(customer(customerIdCreatedBy(own), own), own);
    await directory.createWithIdentity(customer(customerIdCreatedBy(merged), merged), merged);
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.customer(customerIdCreatedBy(merged)),
        UpdateExpression: 'SET mergedInto = :into',
        ExpressionAttributeValues: { ':into': customerIdCreatedBy(own) },
      }),
    );
    await directory.createWithIdentity(customer(customerIdCreatedBy(own), linked), linked);

    // Act
    const byOwn = await directory.findByIdentity(own);
    const byMerged = await directory.findByIdentity(merged);
    const byLinked = await directory.findByIdentity(linked);

    // Assess
    expect(byOwn?.id).toBe(customerIdCreatedBy(own));
    expect(byOwn?.identities).toEqual([own]);
    expect(byMerged?.id).toBe(customerIdCreatedBy(own));
    expect(byLinked?.id).toBe(customerIdCreatedBy(own));
  });

  it("reads a sender, its open-conversation pointers and the event's completed record in one call", async () => {
    // Prepare
    const identity: Identity = { kind: 'phone', value: '+905329998877' };
    const created = await directory.createWithIdentity(
      customer(customerIdCreatedBy(identity), identity),
      identity,
    );
    const pointer = { conversationId: 'conv-sms-1', since: now.toISOString(), previous: [] };
    await directory.pointOpenConversation(created.id, 'sms', pointer, undefined);
    const ledger = new DynamoEventLedger(table.db, table.tableName);
    await ledger.claim('inbound#sms#done-1', now, 40);
    await ledger.complete('inbound#sms#done-1', { conversationId: 'conv-sms-1' }, now);
    await ledger.claim('inbound#sms#busy-1', now, 40);

    // Act
    const done = await directory.findByIdentityWithEvent(identity, 'inbound#sms#done-1');
    const busy = await directory.findByIdentityWithEvent(identity, 'inbound#sms#busy-1');
    const fresh = await directory.findByIdentityWithEvent(identity, 'inbound#sms#new-1');

    // Assess
    expect(done).toEqual({
      customer: { ...created, openConversations: { sms: pointer } },
      completed: { outcome: { conversationId: 'conv-sms-1' } },
    });
    // A claim in progress is the claim's to judge (its lease), not the read's.
    expect(busy).toEqual({ customer: { ...created, openConversations: { sms: pointer } } });
    expect(fresh.completed).toBeUndefined();
    const profile = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: keys.customer(created.id) }),
    );
    expect(profile.Item?.['openConversation#sms']).toEqual(pointer);
  });
});
