import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_SHOP_SECRET } from '../../bin/sandbox/shop.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';
import { shopSignatureHeaders } from '../support/shop-signing.ts';

const NOW = new Date('2026-11-23T10:00:00Z');
const sandbox = sandboxServerForTests(NOW);

const ORDER = readFileSync(new URL('../fixtures/orders/shipped-email-and-phone.json', import.meta.url));

function post(path: string, body: Uint8Array | string, secret = SANDBOX_SHOP_SECRET) {
  return fetch(`${sandbox.base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...shopSignatureHeaders({ method: 'POST', pathWithQuery: path, body, secret, at: NOW }),
    },
    body,
  });
}

describe('the sandbox serves the shop API like API Gateway', () => {
  it('takes a signed order event, sends its notification and answers what it did', async () => {
    // Act
    const response = await post('/orders/events', ORDER);
    const body = (await response.json()) as Record<string, unknown>;

    // Assess
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'accepted', notification: { queued: true, channel: 'sms' } });
    expect(sandbox.engine.outbox.filter((o) => o.kind === 'order-status')).toHaveLength(1);
  });

  it('refuses a wrong signature with 401 and the reason', async () => {
    // Act
    const response = await post('/orders/events', ORDER, 'not-the-secret');

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized', reason: 'X-Signature-SHA256 mismatch' });
  });

  it('takes a request signed at the client’s real time too (curl with date +%s), though the sandbox clock is elsewhere', async () => {
    // Prepare
    const body = ORDER.toString('utf8').replace('evt-8812', 'evt-wall-clock');
    const headers = shopSignatureHeaders({
      method: 'POST',
      pathWithQuery: '/orders/events',
      body,
      secret: SANDBOX_SHOP_SECRET,
      at: new Date(),
    });

    // Act
    const response = await fetch(`${sandbox.base}/orders/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

    // Assess
    expect(response.status).toBe(200);
  });

  it('refuses a correctly signed request replayed ten minutes later', async () => {
    // Prepare
    const stale = shopSignatureHeaders({
      method: 'POST',
      pathWithQuery: '/orders/events',
      body: ORDER,
      secret: SANDBOX_SHOP_SECRET,
      at: new Date(NOW.getTime() - 10 * 60_000),
    });

    // Act
    const response = await fetch(`${sandbox.base}/orders/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...stale },
      body: ORDER,
    });

    // Assess
    expect(response.status).toBe(401);
    expect(((await response.json()) as { reason: string }).reason).toMatch(
      /^X-Signature-Timestamp is 600 s behind/,
    );
  });

  it('creates a reminder and cancels it with DELETE /reminders/{id}', async () => {
    // Prepare
    const create = JSON.stringify({
      action: 'create',
      id: 'rem-serve-1',
      kind: 'custom',
      at: '2026-11-24T09:00:00Z',
      customer: { email: 'a@b.com' },
      data: { text: 'Randevunuz yarın.' },
    });

    // Act
    const created = await post('/reminders', create);
    const pendingAfterCreate = sandbox.engine.deferredSends.list().map((d) => d.outboundId);
    const path = '/reminders/rem-serve-1?source=e2e';
    const deleted = await fetch(`${sandbox.base}${path}`, {
      method: 'DELETE',
      headers: shopSignatureHeaders({
        method: 'DELETE',
        pathWithQuery: path,
        secret: SANDBOX_SHOP_SECRET,
        at: NOW,
      }),
    });

    // Assess
    expect(created.status).toBe(200);
    expect(pendingAfterCreate).toContain('rem-serve-1');
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ id: 'rem-serve-1', state: 'cancelled' });
    expect(sandbox.engine.deferredSends.list().map((d) => d.outboundId)).not.toContain('rem-serve-1');
  });
});
