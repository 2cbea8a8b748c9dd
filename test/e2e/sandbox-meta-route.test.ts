import { describe, expect, it } from 'vitest';
import { SANDBOX_META_SECRETS } from '../../bin/sandbox/meta.ts';
import { GRAPH_API_VERSION } from '../../functions/channels/meta/graph-api.ts';
import { signMetaBody } from '../../functions/channels/meta/signature.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';
import { whatsappTextDelivery } from '../support/whatsapp-webhook.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));

/** A WhatsApp text as Meta posts it (non-ASCII escaped), sent at the sandbox clock. */
const body = JSON.stringify(
  whatsappTextDelivery({
    waId: '905339876543',
    name: 'Elif',
    messageId: 'wamid.HBgMOTA1MzM5ODc2NTQzFQIAEhggROUTETEST',
    timestamp: '1795428000',
    text: 'Opening hours?',
  }),
);

describe('the sandbox serves /webhooks/meta like API Gateway', () => {
  it('answers the subscription handshake with the challenge', async () => {
    // Act
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': SANDBOX_META_SECRETS.verifyToken,
      'hub.challenge': '987654321',
    });
    const response = await fetch(`${sandbox.base}/webhooks/meta?${query}`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('987654321');
  });

  it('refuses a delivery signed with the wrong secret and stores nothing', async () => {
    // Act
    const response = await fetch(`${sandbox.base}/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaBody(body, 'not-the-secret'),
      },
      body,
    });

    // Assess
    expect(response.status).toBe(401);
    expect((await sandbox.engine.report()).conversations).toEqual([]);
  });

  it('takes a signed delivery, processes it behind the queue and answers through the local Graph API', async () => {
    // Act
    const response = await fetch(`${sandbox.base}/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaBody(body, SANDBOX_META_SECRETS.appSecret),
      },
      body,
    });

    // Assess
    expect(response.status).toBe(200);
    const report = await sandbox.engine.report();
    expect(report.conversations).toHaveLength(1);
    expect(report.conversations[0]?.channel).toBe('whatsapp');
    expect(sandbox.engine.outbox).toEqual([
      expect.objectContaining({ channel: 'whatsapp', to: '+905339876543' }),
    ]);
    expect(sandbox.engine.meta.graph.calls).toEqual([
      expect.objectContaining({ path: `/${GRAPH_API_VERSION}/106540352242922/messages`, status: 200 }),
    ]);
  });

  it('sends again after a 429 (back through the queue), and records a 400 as failed without retrying', async () => {
    // Prepare
    const delivery = (id: string, from: string) =>
      body.replace('wamid.HBgMOTA1MzM5ODc2NTQzFQIAEhggROUTETEST', id).replaceAll('905339876543', from);
    const post = (raw: string) =>
      fetch(`${sandbox.base}/webhooks/meta`, {
        method: 'POST',
        headers: { 'x-hub-signature-256': signMetaBody(raw, SANDBOX_META_SECRETS.appSecret) },
        body: raw,
      });
    const armed = await fetch(`${sandbox.base}/sandbox/meta/graph-faults`, {
      method: 'POST',
      body: JSON.stringify({ status: 429, body: { error: { message: 'Too many calls', code: 4 } } }),
    });
    expect(armed.status).toBe(200);

    // Act
    await post(delivery('wamid.RETRIED', '905443332211'));
    sandbox.engine.meta.graph.failNext({
      status: 400,
      body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026 } },
    });
    await post(delivery('wamid.REFUSED', '905321234567'));

    // Assess
    const statuses = sandbox.engine.meta.graph.calls.slice(1).map((c) => c.status);
    expect(statuses).toEqual([429, 200, 400]);
    const report = await sandbox.engine.report();
    const refused = report.conversations
      .flatMap((c) => c.messages)
      .find((m) => m.direction === 'outbound' && m.deliveryStatus === 'failed');
    expect(refused?.flags?.[0]).toMatch(/HTTP 400, code 131026/);
    expect(sandbox.engine.outbox.map((o) => o.to)).toEqual(['+905339876543', '+905443332211']);
    expect(sandbox.engine.deadLetters).toEqual([]);
  });
});
