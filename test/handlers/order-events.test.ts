import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiGatewayV2Event } from '../../bin/sandbox/api-gateway-event.ts';
import { sandboxSupportConfig } from '../../bin/sandbox/config.ts';
import { lambdaContext } from '../../bin/sandbox/lambda-context.ts';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { signHmacSha256Hex } from '../../functions/channels/hmac-signature.ts';
import type { Channel } from '../../functions/core/model.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
import { MemoryConversations, MemoryLedger, MemoryQueue, readableIds } from '../support/in-memory-ports.ts';
import {
  AliasingCustomers,
  MemoryLinks,
  MemoryOrders,
  MemoryReminders,
} from '../support/in-memory-shop-ports.ts';
import { MemoryConsentLedger, MemoryDeferredSends } from '../support/in-memory-sms-ports.ts';

const SECRET = 'shop-secret';
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
    clock: { now: () => new Date('2026-11-23T10:00:05Z') },
    ids: readableIds,
    customers,
    links: new MemoryLinks(customers, conversations),
    consent: new MemoryConsentLedger(customers),
    orders,
  };
  const secret = new StaticShopSecret(SECRET);
  const ledger = new MemoryLedger();
  const _reminders = new MemoryReminders();
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

function signed(body: string) {
  return request('POST', '/orders/events', body, { 'x-signature-sha256': signHmacSha256Hex(body, SECRET) });
}

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
    ['missing', {}],
    ['malformed', { 'x-signature-sha256': 'sha256=abc' }],
    ['mismatch', { 'X-Signature-SHA256': signHmacSha256Hex(`${BODY} `, SECRET) }],
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
