import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { RetryableError } from '../../functions/core/errors.ts';
import type { Channel } from '../../functions/core/model.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
import { makeRemindersHandler } from '../../functions/handlers/reminders.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { MemoryConversations, MemoryLedger, MemoryQueue, readableIds } from '../support/in-memory-ports.ts';
import {
  AliasingCustomers,
  MemoryLinks,
  MemoryOrders,
  MemoryReminders,
} from '../support/in-memory-shop-ports.ts';
import { MemoryConsentLedger, MemoryDeferredSends } from '../support/in-memory-sms-ports.ts';
import { shopSignatureHeaders } from '../support/shop-signing.ts';

const SECRET = 'shop-secret';
const NOW = new Date('2026-11-23T10:00:05Z');

function signedBy(method: string, pathWithQuery: string, body?: string, at = NOW) {
  return shopSignatureHeaders({ method, pathWithQuery, body, secret: SECRET, at });
}

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
    clock: { now: () => NOW },
    ids: readableIds,
    customers,
    links: new MemoryLinks(customers, conversations),
    consent: new MemoryConsentLedger(customers),
    orders,
    conversations,
  };
  const secret = new StaticShopSecret(SECRET);
  const ledger = new MemoryLedger();
  const reminders = new MemoryReminders();
  orderEvents = makeOrderEventsHandler(() => ({
    secret,
    clock: shared.clock,
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
    clock: shared.clock,
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
      request('POST', '/reminders', create, signedBy('POST', '/reminders', create)),
      reminderRoutes,
    );
    const deletion = request(
      'DELETE',
      '/reminders/rem-cart-77',
      undefined,
      signedBy('DELETE', '/reminders/rem-cart-77'),
    );
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
      request('DELETE', '/reminders/rem-other', undefined, signedBy('DELETE', '/reminders/rem-cart-77')),
      reminderRoutes,
    );

    // Assess
    expect(answer.status).toBe(401);
  });

  it('refuses a DELETE whose signature was made without its query, and takes it signed with the query', async () => {
    // Prepare
    await call(request('POST', '/reminders', create, signedBy('POST', '/reminders', create)), reminderRoutes);
    const withQuery = (headers: Record<string, string>) =>
      apiGatewayV2Event({
        method: 'DELETE',
        path: '/reminders/rem-cart-77',
        rawQuery: 'reason=customer-bought',
        headers,
        pathParameters: { id: 'rem-cart-77' },
      });

    // Act
    const pathOnly = await call(withQuery(signedBy('DELETE', '/reminders/rem-cart-77')), reminderRoutes);
    const full = await call(
      withQuery(signedBy('DELETE', '/reminders/rem-cart-77?reason=customer-bought')),
      reminderRoutes,
    );

    // Assess
    expect(pathOnly.status).toBe(401);
    expect(full.body).toMatchObject({ id: 'rem-cart-77', state: 'cancelled' });
  });

  it('refuses a DELETE replayed after five minutes', async () => {
    // Act
    const answer = await call(
      request(
        'DELETE',
        '/reminders/rem-cart-77',
        undefined,
        signedBy('DELETE', '/reminders/rem-cart-77', undefined, new Date(NOW.getTime() - 10 * 60_000)),
      ),
      reminderRoutes,
    );

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.body.reason).toMatch(/^X-Signature-Timestamp is 600 s behind the server clock/);
  });

  it.each(['rem.77', '..', '.'])(
    'refuses the reminder id %j (only letters, digits, "_" and "-")',
    async (id) => {
      // Prepare
      const body = create.replace('"rem-cart-77"', JSON.stringify(id));
      const path = `/reminders/${encodeURIComponent(id)}`;

      // Act
      const created = await call(
        request('POST', '/reminders', body, signedBy('POST', '/reminders', body)),
        reminderRoutes,
      );
      const deleted = await call(
        apiGatewayV2Event({
          method: 'DELETE',
          path,
          headers: signedBy('DELETE', path),
          pathParameters: { id },
        }),
        reminderRoutes,
      );

      // Assess
      expect(created).toMatchObject({ status: 400, body: { field: 'id' } });
      expect(deleted).toMatchObject({ status: 400, body: { field: 'id' } });
      expect(deferredSends.scheduled.size).toBe(0);
    },
  );

  it('answers 404 for a reminder that does not exist', async () => {
    // Act
    const answer = await call(
      request('DELETE', '/reminders/rem-none', undefined, signedBy('DELETE', '/reminders/rem-none')),
      reminderRoutes,
    );

    // Assess
    expect(answer.status).toBe(404);
  });

  it('answers 409 in-progress, not 500, when the reminder is being changed by another request', async () => {
    // Prepare: a store that meets a concurrent write on every call
    const busy = new Proxy(
      {},
      {
        get: () => async () => {
          throw new RetryableError('reminder rem-busy is being changed by another request');
        },
      },
    );
    const routes = makeRemindersHandler(() => ({
      secret: new StaticShopSecret(SECRET),
      clock: { now: () => NOW },
      reminders: { reminders: busy, deferredSends: busy, clock: { now: () => NOW } } as never,
    }));

    // Act
    const answer = await call(
      request('DELETE', '/reminders/rem-busy', undefined, signedBy('DELETE', '/reminders/rem-busy')),
      routes,
    );

    // Assess
    expect(answer).toEqual({
      status: 409,
      body: { error: 'in-progress', reason: 'reminder rem-busy is being changed by another request' },
    });
  });
});
