import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoOrderStore } from '../../../functions/adapters/dynamodb/order-store.ts';
import type { Order } from '../../../functions/core/model.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let orders: DynamoOrderStore;

beforeAll(async () => {
  const table = await createTestTable();
  orders = new DynamoOrderStore(table.db, table.tableName);
});

function order(id: string, customerId: string, at: string, extra: Partial<Order> = {}): Order {
  return {
    id,
    customerId,
    lastEventType: 'order.shipped',
    status: 'shipped',
    lastEventAt: at,
    lastEventId: `evt-${id}-${at}`,
    firstEventAt: at,
    ...extra,
  };
}

describe('DynamoOrderStore', () => {
  it('keeps the newest event: an older one arriving later changes nothing', async () => {
    // Prepare
    await orders.apply(order('o-1', 'c-1', '2026-11-23T10:00:00.000Z', { trackingNumber: 'YK1' }));

    // Act
    const older = await orders.apply(
      order('o-1', 'c-1', '2026-11-22T10:00:00.000Z', {
        lastEventType: 'order.confirmed',
        status: 'confirmed',
      }),
    );
    const newer = await orders.apply(
      order('o-1', 'c-1', '2026-11-24T10:00:00.000Z', {
        lastEventType: 'order.delivered',
        status: 'delivered',
      }),
    );

    // Assess
    expect(older).toBe(false);
    expect(newer).toBe(true);
    expect((await orders.get('o-1'))?.status).toBe('delivered');
  });

  it('re-applies the same event (a retry) but not another event of the same instant', async () => {
    // Prepare
    const first = order('o-2', 'c-2', '2026-11-23T10:00:00.000Z');
    await orders.apply(first);

    // Act
    const retry = await orders.apply(first);
    const twin = await orders.apply({ ...first, lastEventId: 'evt-other', status: 'delayed' });

    // Assess
    expect(retry).toBe(true);
    expect(twin).toBe(false);
  });

  it('finds the latest placed order of a customer with one query, and follows a move', async () => {
    // Prepare
    await orders.apply(order('o-3', 'c-3', '2026-11-01T10:00:00.000Z'));
    await orders.apply(order('o-4', 'c-3', '2026-11-20T10:00:00.000Z'));
    await orders.apply(order('o-5', 'c-4', '2026-11-21T10:00:00.000Z'));

    // Act
    const latest = await orders.latestForCustomer('c-3');
    await orders.moveOrders('c-4', 'c-3');
    const afterMove = await orders.latestForCustomer('c-3');

    // Assess
    expect(latest?.id).toBe('o-4');
    expect(afterMove?.id).toBe('o-5');
    expect((await orders.get('o-5'))?.customerId).toBe('c-3');
    expect(await orders.latestForCustomer('c-4')).toBeUndefined();
  });
});
