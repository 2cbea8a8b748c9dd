import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiGatewayV2Event } from '../../bin/sandbox/api-gateway-event.ts';
import { sandboxSupportConfig } from '../../bin/sandbox/config.ts';
import { lambdaContext } from '../../bin/sandbox/lambda-context.ts';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { signHmacSha256Hex } from '../../functions/channels/hmac-signature.ts';
import type { Channel } from '../../functions/core/model.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
import { makeRemindersHandler } from '../../functions/handlers/reminders.ts';
import { MemoryConversations, MemoryLedger, MemoryQueue, readableIds } from '../support/in-memory-ports.ts';
import {
  AliasingCustomers,
  MemoryLinks,
  MemoryOrders,
  MemoryReminders,
} from '../support/in-memory-shop-ports.ts';
import { MemoryConsentLedger, MemoryDeferredSends } from '../support/in-memory-sms-ports.ts';

const SECRET = 'shop-secret';

let outbound: MemoryQueue;
let orders: MemoryOrders;
let customers: AliasingCustomers;
let deferredSends: MemoryDeferredSends;
let orderEvents: ReturnType<typeof makeOrderEventsHandler>;
let reminderRoutes: ReturnType<typeof makeRemindersHandler>;

beforeEach(() => {
  outbound = new MemoryQueue();
  orders = new MemoryOrders();
  customers = new AliasingCustomers();
  deferredSends = new MemoryDeferredSends();
  const conversations = new MemoryConversations();
  const shared = {
    clock: { now: () => new Date('2026-11-23T10:00:05Z') },
    ids: readableIds,
    customers,
    links: new MemoryLinks(customers, conversations),
    consent: new MemoryConsentLedger(customers),
    orders,
  };
  const secret = new StaticShopSecret(SECRET);
  const ledger = new MemoryLedger();
  const reminders = new MemoryReminders();
  orderEvents = makeOrderEventsHandler(() => ({
    secret,
    orders: {
      ...shared,
      config: sandboxSupportConfig,
      ledger,
      outbound,
      channels: new Set<Channel>(['email', 'sms']),
    },
  }));
  reminderRoutes = makeRemindersHandler(() => ({
    secret,
    reminders: { ...shared, reminders, deferredSends },
  }));
});

function request(
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
): APIGatewayProxyEventV2 {
  const id = path.split('/')[2];
  return apiGatewayV2Event({
    method,
    path,
    headers,
    body,
    ...(method === 'DELETE' && id ? { pathParameters: { id } } : {}),
  });
}

async function call(event: APIGatewayProxyEventV2, handler = orderEvents) {
  const result = await handler(event, lambdaContext('test'));
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

describe('reminder routes', () => {
  const create = JSON.stringify({
    action: 'create',
    id: 'rem-cart-77',
    kind: 'cart-abandoned',
    at: '2026-11-24T09:00:00Z',
    customer: { email: 'a@b.com' },
    channel: 'email',
    data: { cartUrl: 'https://shop.example/cart/77' },
  });

  it('creates with a signed POST and cancels with a DELETE signed over its path', async () => {
    // Act
    const created = await call(
      request('POST', '/reminders', create, { 'x-signature-sha256': signHmacSha256Hex(create, SECRET) }),
      reminderRoutes,
    );
    const deletion = request('DELETE', '/reminders/rem-cart-77', undefined, {
      'x-signature-sha256': signHmacSha256Hex('/reminders/rem-cart-77', SECRET),
    });
    const cancelled = await call(deletion, reminderRoutes);

    // Assess
    expect(created).toEqual({
      status: 200,
      body: { id: 'rem-cart-77', state: 'scheduled', at: '2026-11-24T09:00:00.000Z' },
    });
    expect(cancelled.body).toMatchObject({ id: 'rem-cart-77', state: 'cancelled' });
    expect(deferredSends.scheduled.size).toBe(0);
  });

  it('refuses a DELETE whose signature was made for another reminder', async () => {
    // Act
    const answer = await call(
      request('DELETE', '/reminders/rem-other', undefined, {
        'x-signature-sha256': signHmacSha256Hex('/reminders/rem-cart-77', SECRET),
      }),
      reminderRoutes,
    );

    // Assess
    expect(answer.status).toBe(401);
  });

  it('answers 404 for a reminder that does not exist', async () => {
    // Act
    const answer = await call(
      request('DELETE', '/reminders/rem-none', undefined, {
        'x-signature-sha256': signHmacSha256Hex('/reminders/rem-none', SECRET),
      }),
      reminderRoutes,
    );

    // Assess
    expect(answer.status).toBe(404);
  });
});
