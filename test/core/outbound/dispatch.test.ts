import { beforeEach, describe, expect, it } from 'vitest';
import { PermanentDeliveryError, RetryableError } from '../../../functions/core/errors.ts';
import { leaseSecondsFor } from '../../../functions/core/event-lease.ts';
import { type DispatchOutboundDeps, dispatchOutbound } from '../../../functions/core/outbound/dispatch.ts';
import { acknowledgementRequest } from '../../support/builders.ts';
import {
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemorySender,
} from '../../support/in-memory-ports.ts';

const NOW = new Date('2026-11-23T10:00:05.000Z');

const request = acknowledgementRequest;

let sender: MemorySender;
let deps: DispatchOutboundDeps & {
  conversations: MemoryConversations;
  customers: MemoryCustomers;
  ledger: MemoryLedger;
};

beforeEach(async () => {
  sender = new MemorySender();
  deps = {
    clock: { now: () => NOW },
    ledger: new MemoryLedger(),
    conversations: new MemoryConversations(),
    customers: new MemoryCustomers(),
    senders: { email: sender },
  };
  await deps.conversations.create({
    id: 'conv-1',
    customerId: 'cust-1',
    channel: 'email',
    status: 'open',
    createdAt: '2026-11-23T10:00:00.000Z',
    lastMessageAt: '2026-11-23T10:00:00.000Z',
  });
  const identity = { kind: 'email', value: 'ayse@example.com' } as const;
  await deps.customers.createWithIdentity(
    { id: 'cust-1', consent: { email: 'opted-out' }, identities: [identity], createdAt: NOW.toISOString() },
    identity,
  );
});

describe('dispatchOutbound', () => {
  it('sends once, records the message on the timeline and the Message-ID for threading', async () => {
    // Act
    const result = await dispatchOutbound(deps, request());

    // Assess
    expect(result).toEqual({ status: 'sent', providerMessageId: 'provider-ack-1', duplicate: false });
    expect(sender.sent).toHaveLength(1);
    const [message] = deps.conversations.messagesOf('conv-1');
    expect(message).toMatchObject({ direction: 'outbound', kind: 'auto-reply', deliveryStatus: 'sent' });
    expect(deps.conversations.references.get('ack-1@support.example.com')).toEqual({
      conversationId: 'conv-1',
      customerId: 'cust-1',
    });
  });

  it('does nothing for a redelivered queue message', async () => {
    // Prepare
    await dispatchOutbound(deps, request());

    // Act
    const again = await dispatchOutbound(deps, request());

    // Assess
    expect(again.duplicate).toBe(true);
    expect(sender.sent).toHaveLength(1);
  });

  it('records a permanent refusal without throwing, so the queue does not retry it', async () => {
    // Prepare
    sender.failWith = new PermanentDeliveryError('SES refused the message (MessageRejected)');

    // Act
    const result = await dispatchOutbound(deps, request());

    // Assess
    expect(result).toMatchObject({ status: 'failed', reason: 'SES refused the message (MessageRejected)' });
    expect(deps.conversations.messagesOf('conv-1')[0]?.deliveryStatus).toBe('failed');
  });

  it('gives a passing failure back to the queue and lets the retry send it', async () => {
    // Prepare
    sender.failWith = new RetryableError('SES could not take the message now (TooManyRequestsException)');
    await expect(dispatchOutbound(deps, request())).rejects.toBeInstanceOf(RetryableError);
    sender.failWith = undefined;

    // Act
    const retried = await dispatchOutbound(deps, request());

    // Assess
    expect(retried.status).toBe('sent');
    expect(sender.sent).toHaveLength(1);
  });

  it("lets the queue's next delivery send a message whose first attempt died before the provider answered", async () => {
    // Prepare: the dispatcher's 30 s timeout and its lease; the first attempt never returns.
    const leaseSeconds = leaseSecondsFor(30);
    void dispatchOutbound(
      { ...deps, leaseSeconds, senders: { email: { send: () => new Promise<never>(() => undefined) } } },
      request(),
    );
    const at = (seconds: number) => ({ now: () => new Date(NOW.getTime() + seconds * 1000) });

    // Act
    const whileAlive = dispatchOutbound({ ...deps, leaseSeconds, clock: at(20) }, request());
    await expect(whileAlive).rejects.toBeInstanceOf(RetryableError);
    const afterTimeout = await dispatchOutbound(
      { ...deps, leaseSeconds, clock: at(leaseSeconds + 1) },
      request(),
    );

    // Assess
    expect(afterTimeout).toMatchObject({ status: 'sent', duplicate: false });
    expect(sender.sent).toHaveLength(1);
  });

  it('completes the record on redelivery when the timeline write failed after the provider accepted', async () => {
    // Prepare
    const append = deps.conversations.appendMessage.bind(deps.conversations);
    let appends = 0;
    deps.conversations.appendMessage = async (...args) => {
      appends += 1;
      if (appends === 1) throw new Error('the table is throttling');
      return append(...args);
    };

    // Act
    const first = dispatchOutbound(deps, request());
    await expect(first).rejects.toBeInstanceOf(RetryableError);
    const redelivered = await dispatchOutbound(deps, request());
    const again = await dispatchOutbound(deps, request());

    // Assess
    expect(sender.sent).toHaveLength(1);
    expect(redelivered).toEqual({ status: 'sent', providerMessageId: 'provider-ack-1', duplicate: true });
    expect(again).toEqual(redelivered);
    expect(deps.conversations.messagesOf('conv-1')).toEqual([
      expect.objectContaining({ id: 'ack-1', deliveryStatus: 'sent', at: NOW.toISOString() }),
    ]);
    expect(deps.ledger.records.get('outbound#ack-1')).toMatchObject({ state: 'done', unfinished: undefined });
  });

  it('suppresses a proactive message to a channel the customer opted out of', async () => {
    // Act
    const result = await dispatchOutbound(deps, request({ id: 'order-1', kind: 'order-status' }));

    // Assess
    expect(result.status).toBe('suppressed');
    expect(sender.sent).toHaveLength(0);
  });

  it('still answers inside a conversation the customer started, even after an opt-out of proactive mail', async () => {
    // Act
    const result = await dispatchOutbound(deps, request());

    // Assess
    expect(result.status).toBe('sent');
  });

  it('records a failure with its reason for a channel that has no sender', async () => {
    // Act
    const result = await dispatchOutbound(
      deps,
      request({ id: 'sms-1', channel: 'sms', to: '+905321234567' }),
    );

    // Assess
    expect(result).toMatchObject({ status: 'failed', reason: 'no sender is configured for the sms channel' });
  });
});
