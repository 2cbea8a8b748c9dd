import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { signHmacSha256Hex } from '../../functions/channels/hmac-signature.ts';
import type { ShopSigningKeys } from '../../functions/channels/shop-signature.ts';
import type { Channel } from '../../functions/core/model.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
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
const BODY = readFileSync(
  new URL('../fixtures/orders/shipped-email-and-phone.json', import.meta.url),
  'utf8',
);

let outbound: MemoryQueue;
let orders: MemoryOrders;
let customers: AliasingCustomers;
let _deferredSends: MemoryDeferredSends;
let orderEvents: ReturnType<typeof makeOrderEventsHandler>;

beforeEach(() => {
  outbound = new MemoryQueue();
  orders = new MemoryOrders();
  customers = new AliasingCustomers();
  _deferredSends = new MemoryDeferredSends();
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
  const _reminders = new MemoryReminders();
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

function signed(body: string, at = NOW, secret = SECRET) {
  return request(
    'POST',
    '/orders/events',
    body,
    shopSignatureHeaders({ method: 'POST', pathWithQuery: '/orders/events', body, secret, at }),
  );
}

const TIMESTAMP = { 'x-signature-timestamp': String(Math.floor(NOW.getTime() / 1000)) };

async function call(event: APIGatewayProxyEventV2, handler = orderEvents) {
  const result = await handler(event, lambdaContext('test'));
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

describe('POST /orders/events', () => {
  it('takes a signed event and answers with what it did', async () => {
    // Act
    const answer = await call(signed(BODY));

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'accepted',
      eventId: 'evt-8812',
      applied: true,
      notification: { queued: true, channel: 'sms' },
    });
    expect(outbound.sent).toHaveLength(1);
  });

  it('answers a redelivery with duplicate and sends nothing more', async () => {
    // Prepare
    await call(signed(BODY));

    // Act
    const answer = await call(signed(BODY));

    // Assess
    expect(answer.body.status).toBe('duplicate');
    expect(outbound.sent).toHaveLength(1);
  });

  it.each([
    ['missing', TIMESTAMP],
    ['malformed', { ...TIMESTAMP, 'x-signature-sha256': 'sha256=abc' }],
    [
      'mismatch',
      {
        ...shopSignatureHeaders({
          method: 'POST',
          pathWithQuery: '/orders/events',
          body: `${BODY} `,
          secret: SECRET,
          at: NOW,
        }),
      },
    ],
  ])('refuses a %s signature with 401 and stores nothing', async (problem, headers) => {
    // Act
    const answer = await call(request('POST', '/orders/events', BODY, headers));

    // Assess
    expect(answer).toEqual({
      status: 401,
      body: { error: 'unauthorized', reason: `X-Signature-SHA256 ${problem}` },
    });
    expect(orders.orders.size).toBe(0);
    expect(customers.customers.size).toBe(0);
  });

  it('refuses a signed but malformed event with 400 naming the field', async () => {
    // Prepare
    const body = BODY.replace('"2026-11-23T10:00:00Z"', '"yesterday"');

    // Act
    const answer = await call(signed(body));

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid-input', field: 'occurredAt' });
    expect(orders.orders.size).toBe(0);
  });

  it('refuses a body that is not JSON with 400', async () => {
    // Act
    const answer = await call(signed('{"eventId":'));

    // Assess
    expect(answer.body).toMatchObject({
      error: 'invalid-input',
      field: 'body',
      reason: 'the body is not JSON',
    });
  });
});

describe('POST /orders/events signatures cannot be replayed', () => {
  function handlerWith(keys: ShopSigningKeys, legacyBodySignature?: boolean) {
    const customersHere = new AliasingCustomers();
    const conversations = new MemoryConversations();
    return makeOrderEventsHandler(() => ({
      secret: new StaticShopSecret(keys),
      clock: { now: () => NOW },
      ...(legacyBodySignature === undefined ? {} : { legacyBodySignature }),
      orders: {
        clock: { now: () => NOW },
        ids: readableIds,
        customers: customersHere,
        links: new MemoryLinks(customersHere, conversations),
        consent: new MemoryConsentLedger(customersHere),
        orders: new MemoryOrders(),
        conversations,
        config: sandboxSupportConfig,
        ledger: new MemoryLedger(),
        outbound: new MemoryQueue(),
        channels: new Set<Channel>(['email', 'sms']),
      },
    }));
  }

  it.each([
    ['behind', -301_000],
    ['ahead of', 301_000],
  ])(
    'refuses a request signed more than five minutes %s the server clock, with the reason',
    async (word, skewMs) => {
      // Prepare
      const stale = signed(BODY, new Date(NOW.getTime() + skewMs));

      // Act
      const answer = await call(stale);

      // Assess
      expect(answer.status).toBe(401);
      expect(answer.body.reason).toBe(
        `X-Signature-Timestamp is 301 s ${word} the server clock (at most 300 s either way): sign every request when it is sent, and check the clock of the shop's server`,
      );
      expect(orders.orders.size).toBe(0);
    },
  );

  it('takes a request signed within the five minutes', async () => {
    // Act
    const answer = await call(signed(BODY, new Date(NOW.getTime() - 299_000)));

    // Assess
    expect(answer.status).toBe(200);
  });

  it('refuses a signature whose timestamp was changed after signing', async () => {
    // Prepare: a request captured long ago, its timestamp header moved to now.
    const old = shopSignatureHeaders({
      method: 'POST',
      pathWithQuery: '/orders/events',
      body: BODY,
      secret: SECRET,
      at: new Date('2026-11-20T10:00:00Z'),
    });
    const event = request('POST', '/orders/events', BODY, { ...old, ...TIMESTAMP });

    // Act
    const answer = await call(event);

    // Assess
    expect(answer).toEqual({
      status: 401,
      body: { error: 'unauthorized', reason: 'X-Signature-SHA256 mismatch' },
    });
  });

  it('refuses a signature made for another path or query', async () => {
    // Prepare
    const headers = shopSignatureHeaders({
      method: 'POST',
      pathWithQuery: '/orders/events?test=1',
      body: BODY,
      secret: SECRET,
      at: NOW,
    });

    // Act
    const answer = await call(request('POST', '/orders/events', BODY, headers));

    // Assess
    expect(answer.status).toBe(401);
  });

  it('refuses the old body-only signature unless the deployment turns it on', async () => {
    // Prepare
    const legacy = { 'x-signature-sha256': signHmacSha256Hex(BODY, SECRET) };

    // Act
    const byDefault = await call(request('POST', '/orders/events', BODY, legacy));
    const withFlag = await call(
      request('POST', '/orders/events', BODY, legacy),
      handlerWith({ current: SECRET }, true),
    );

    // Assess
    expect(byDefault.status).toBe(401);
    expect(byDefault.body.reason).toMatch(/^X-Signature-Timestamp missing/);
    expect(withFlag.status).toBe(200);
  });

  it('accepts the current and the previous key during a rotation, and no other', async () => {
    // Prepare
    const rotating = handlerWith({ current: 'new-key', previous: SECRET });

    // Act
    const withPrevious = await call(signed(BODY), rotating);
    const withCurrent = await call(signed(BODY.replace('evt-8812', 'evt-8813'), NOW, 'new-key'), rotating);
    const withOther = await call(signed(BODY.replace('evt-8812', 'evt-8814'), NOW, 'other-key'), rotating);

    // Assess
    expect(withPrevious.status).toBe(200);
    expect(withCurrent.status).toBe(200);
    expect(withOther).toEqual({
      status: 401,
      body: { error: 'unauthorized', reason: 'X-Signature-SHA256 mismatch' },
    });
  });
});
