import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Order } from '../../core/model.ts';
import type { CustomerOrders, OrderStore } from '../../core/ports/orders.ts';
import { withoutUndefined } from './customer-directory.ts';
import { isConditionFailure, keys, ORDER_PREFIX, withoutStorageAttributes } from './keys.ts';
import { queryItems } from './query-items.ts';

/** How many of a customer's newest order links are read to find one still theirs. */
const LATEST_LOOKBACK = 5;

/**
 * Orders on the conversation table: `ORDER#<id>` / `ORDER` holds the state of the newest event
 * (a conditional put on `lastEventAt` keeps an older event from overwriting it), and a link item
 * `CUSTOMER#<id>` / `ORDER#<firstEventAt>#<orderId>` under the customer makes "latest order of a
 * customer" one Query (no index, no scan).
 */
export class DynamoOrderStore implements OrderStore, CustomerOrders {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: string): Promise<Order | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.order(orderId) }),
    );
    return result.Item ? withoutStorageAttributes<Order>(result.Item) : undefined;
  }

  async apply(order: Order): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.order(order.id), entity: 'order', ...withoutUndefined(order) },
          // Newer wins; the same event again (a retry after a crash) re-applies the same state.
          ConditionExpression: 'attribute_not_exists(pk) OR lastEventAt < :at OR lastEventId = :eventId',
          ExpressionAttributeValues: { ':at': order.lastEventAt, ':eventId': order.lastEventId },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    await this.link(order.customerId, order.firstEventAt, order.id);
    return true;
  }

  async latestForCustomer(customerId: string): Promise<Order | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':prefix': ORDER_PREFIX },
        ScanIndexForward: false,
        Limit: LATEST_LOOKBACK,
      }),
    );
    for (const link of result.Items ?? []) {
      const order = typeof link.orderId === 'string' ? await this.get(link.orderId) : undefined;
      // A link outlives a move of the order to another customer; only a current one counts.
      if (order?.customerId === customerId) return order;
    }
    return undefined;
  }

  /**
   * The newest order links under the customer (one Query, backwards) and their orders (one
   * BatchGet); a link left behind by a merge whose order is someone else's now is skipped.
   */
  async recentOrders(customerId: string, limit: number): Promise<Order[]> {
    const links = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':prefix': ORDER_PREFIX },
        ScanIndexForward: false,
        // A merge leaves the source's links behind: read a few more than asked for.
        Limit: limit * 2,
      }),
    );
    const ids = [
      ...new Set((links.Items ?? []).flatMap((l) => (typeof l.orderId === 'string' ? [l.orderId] : []))),
    ];
    if (ids.length === 0) return [];
    const found = new Map<string, Order>();
    let request: Record<string, unknown>[] | undefined = ids.map((id) => keys.order(id));
    for (let round = 0; request && request.length > 0 && round < 5; round++) {
      const result: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: request } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const order = withoutStorageAttributes<Order>(item);
        found.set(order.id, order);
      }
      request = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    return ids
      .flatMap((id) => {
        const order = found.get(id);
        return order?.customerId === customerId ? [order] : [];
      })
      .slice(0, limit);
  }

  async moveOrders(fromCustomerId: string, toCustomerId: string): Promise<void> {
    for await (const link of queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.customer(fromCustomerId).pk, ':prefix': ORDER_PREFIX },
    })) {
      if (typeof link.orderId !== 'string' || typeof link.firstEventAt !== 'string') continue;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.order(link.orderId),
            UpdateExpression: 'SET customerId = :to',
            ConditionExpression: 'customerId = :from',
            ExpressionAttributeValues: { ':from': fromCustomerId, ':to': toCustomerId },
          }),
        );
      } catch (error) {
        // Already moved (a retry), or the order belongs to someone else by now.
        if (!isConditionFailure(error)) throw error;
      }
      await this.link(toCustomerId, link.firstEventAt, link.orderId);
    }
  }

  async recordEvent(
    orderId: string,
    event: {
      readonly eventId: string;
      readonly type: string;
      readonly occurredAt: string;
      readonly applied: boolean;
    },
  ): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.orderEvent(orderId, event.occurredAt, event.eventId),
          entity: 'order-event',
          orderId,
          ...event,
        },
      }),
    );
  }

  private async link(customerId: string, firstEventAt: string, orderId: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.customerOrder(customerId, firstEventAt, orderId),
          entity: 'customer-order',
          orderId,
          firstEventAt,
        },
      }),
    );
  }
}
