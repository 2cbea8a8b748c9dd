import { readFile } from 'node:fs/promises';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxEngine } from '../../bin/sandbox/engine.ts';
import type { ReceiveInboundResult } from '../../functions/core/conversations/receive-inbound.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import { projectRoot } from '../support/sandbox-process.ts';

/**
 * Proactive SMS through the sandbox: these tests put an order-status request on the outbound
 * queue directly, as the order-events route does, so the real dispatcher handler's quiet-hours
 * path is tested on its own. Everything else (inbound SMS, STOP, clock) goes through fixtures.
 */

const FOLDER = `${projectRoot}test/fixtures/replay/sms-basics`;
let engine: SandboxEngine;

beforeAll(async () => {
  engine = await SandboxEngine.start({ now: new Date('2026-11-23T10:00:00Z') });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

async function replayFile(name: string) {
  return engine.processEvent(name, await readFile(`${FOLDER}/${name}`));
}

async function customerOf(name: string): Promise<string> {
  const result = (await replayFile(name)).result as ReceiveInboundResult[];
  const customerId = result[0]?.customerId;
  if (!customerId) throw new Error(`${name} made no customer`);
  return customerId;
}

async function shopSends(request: Pick<OutboundRequest, 'id' | 'customerId' | 'to' | 'text'>): Promise<void> {
  const full: OutboundRequest = {
    kind: 'order-status',
    channel: 'sms',
    language: 'tr',
    headers: {},
    requestedAt: engine.clock.now().toISOString(),
    ...request,
  };
  await engine.standIns.platform.sqs.send(
    new SendMessageCommand({ QueueUrl: engine.standIns.outboundQueueUrl, MessageBody: JSON.stringify(full) }),
  );
  await engine.drain();
}

describe('proactive SMS in the sandbox', () => {
  it('sends an order update before STOP and suppresses the next one after it', async () => {
    // Prepare
    const ayse = await customerOf('01-question-tr.sms.json');
    await shopSends({
      id: 'order-100234-shipped',
      customerId: ayse,
      to: '+905321112233',
      text: 'Siparişiniz kargoda.',
    });
    await replayFile('06-stop-tr.sms.json');

    // Act
    await shopSends({
      id: 'order-100234-delivered',
      customerId: ayse,
      to: '+905321112233',
      text: 'Siparişiniz teslim edildi.',
    });

    // Assess
    const orderStatus = engine.outbox.filter((o) => o.kind === 'order-status').map((o) => o.outboundId);
    expect(orderStatus).toEqual(['order-100234-shipped']);
    const report = await engine.report();
    const customer = report.customers.find((c) => c.id === ayse);
    expect(customer?.consent).toEqual({ sms: 'opted-out' });
    expect(report.deadLetters).toEqual([]);
  });

  it('defers an order update that would arrive in quiet hours to 08:00 local, and sends it when the clock gets there', async () => {
    // Prepare: 22:30 in Istanbul
    const john = await customerOf('04-question-en.sms.json');
    await engine.processEvent('evening.clock.json', Buffer.from('{"now":"2026-11-23T19:30:00Z"}'));

    // Act
    await shopSends({
      id: 'order-200001-shipped',
      customerId: john,
      to: '+12065550123',
      text: 'Your order has shipped.',
    });
    const sentAtNight = engine.outbox.filter((o) => o.outboundId === 'order-200001-shipped');
    const pending = (await engine.report()).deferred;
    await engine.processEvent('morning.clock.json', Buffer.from('{"now":"2026-11-24T07:00:00Z"}'));

    // Assess
    expect(sentAtNight).toEqual([]);
    expect(pending).toEqual([
      expect.objectContaining({ outboundId: 'order-200001-shipped', at: '2026-11-24T05:00:00.000Z' }),
    ]);
    const sent = engine.outbox.filter((o) => o.outboundId === 'order-200001-shipped');
    expect(sent).toEqual([
      expect.objectContaining({ channel: 'sms', to: '+12065550123', sentAt: '2026-11-24T05:00:00.000Z' }),
    ]);
    expect(engine.deferredSends.list()).toEqual([]);
  });
});
