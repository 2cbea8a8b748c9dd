import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConsentLedger } from '../../functions/adapters/dynamodb/consent-ledger.ts';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from '../../functions/adapters/dynamodb/customer-directory.ts';
import { DynamoCustomerLinks } from '../../functions/adapters/dynamodb/customer-links.ts';
import { DynamoEventLedger } from '../../functions/adapters/dynamodb/event-ledger.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { DynamoOrderStore } from '../../functions/adapters/dynamodb/order-store.ts';
import { derivedIds } from '../../functions/adapters/ids.ts';
import type { Channel } from '../../functions/core/model.ts';
import {
  type OrderEventDeps,
  orderEventSchema,
  receiveOrderEvent,
} from '../../functions/core/orders/order-events.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { createTestTable } from '../support/dynamo-table.ts';
import { MemoryQueue } from '../support/in-memory-ports.ts';

const EVENT = orderEventSchema.parse(
  JSON.parse(
    readFileSync(new URL('../fixtures/orders/shipped-email-and-phone.json', import.meta.url), 'utf8'),
  ),
);

let deps: OrderEventDeps;
let outbound: MemoryQueue;
let customers: DynamoCustomerDirectory;
let table: Awaited<ReturnType<typeof createTestTable>>;

beforeAll(async () => {
  table = await createTestTable();
  const { db, tableName } = table;
  outbound = new MemoryQueue();
  customers = new DynamoCustomerDirectory(db, tableName);
  deps = {
    clock: { now: () => new Date('2026-11-23T10:00:05Z') },
    ids: derivedIds,
    config: sandboxSupportConfig,
    ledger: new DynamoEventLedger(db, tableName),
    customers,
    links: new DynamoCustomerLinks(db, tableName),
    consent: new DynamoConsentLedger(db, tableName),
    orders: new DynamoOrderStore(db, tableName),
    conversations: new DynamoConversationStore(db, tableName),
    outbound,
    channels: new Set<Channel>(['email', 'sms']),
  };
});

describe('order events on DynamoDB Local under concurrent redelivery', () => {
  it('makes one customer and queues one notification when the same event arrives three times at once', async () => {
    // Act
    const results = await Promise.allSettled([1, 2, 3].map(() => receiveOrderEvent(deps, EVENT)));
    const retry = await receiveOrderEvent(deps, EVENT);

    // Assess: one delivery did the work; the others saw it in progress (409, retried) or done.
    const done = results.filter((r) => r.status === 'fulfilled');
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(retry.duplicate).toBe(true);
    expect(outbound.sent).toHaveLength(1);
    const byEmail = await customers.findByIdentity({ kind: 'email', value: 'a@b.com' });
    const byPhone = await customers.findByIdentity({ kind: 'phone', value: '+905321234567' });
    expect(byPhone?.id).toBe(byEmail?.id);
    expect(byEmail?.consent).toMatchObject({ sms: 'opted-in', email: 'opted-in' });
  });
});

describe('the record of an order event', () => {
  it('is kept as long as orders are (no expiry), so a months-old event sent again stays a duplicate', async () => {
    // Prepare
    const late = { ...EVENT, eventId: 'evt-kept-forever' };
    await receiveOrderEvent(deps, late);

    // Act
    const record = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: keys.event('order-event#evt-kept-forever') }),
    );

    // Assess
    expect(record.Item).toMatchObject({ state: 'done' });
    expect(record.Item).not.toHaveProperty('expiresAt');
  });
});
