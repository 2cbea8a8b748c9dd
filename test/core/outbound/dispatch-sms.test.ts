import { beforeEach, describe, expect, it } from 'vitest';
import { DestinationOptedOutError } from '../../../functions/core/customers/consent.ts';
import { ConfigurationError, PermanentDeliveryError } from '../../../functions/core/errors.ts';
import type { OutboundRequest } from '../../../functions/core/model.ts';
import { type DispatchOutboundDeps, dispatchOutbound } from '../../../functions/core/outbound/dispatch.ts';
import {
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemorySender,
} from '../../support/in-memory-ports.ts';
import { MemoryConsentLedger, MemoryDeferredSends } from '../../support/in-memory-sms-ports.ts';

const AYSE = '+905321112233';
// 13:00 in Istanbul.
const DAY = new Date('2026-11-23T10:00:00.000Z');
// 22:30 in Istanbul, 14:30 in Los Angeles.
const NIGHT = new Date('2026-11-23T19:30:00.000Z');

function smsRequest(overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return {
    id: 'order-100234-shipped',
    kind: 'order-status',
    channel: 'sms',
    customerId: 'cust-1',
    conversationId: 'conv-1',
    to: AYSE,
    language: 'tr',
    text: 'Siparişiniz 100234 kargoya verildi.',
    headers: {},
    requestedAt: DAY.toISOString(),
    ...overrides,
  };
}

let now: Date;
let sms: MemorySender;
let deferred: MemoryDeferredSends;
let deps: DispatchOutboundDeps & {
  customers: MemoryCustomers;
  conversations: MemoryConversations;
  ledger: MemoryLedger;
};

beforeEach(async () => {
  now = DAY;
  sms = new MemorySender();
  deferred = new MemoryDeferredSends();
  deps = {
    clock: { now: () => now },
    ledger: new MemoryLedger(),
    conversations: new MemoryConversations(),
    customers: new MemoryCustomers(),
    senders: { sms },
    quietHours: { sms: { start: '21:00', end: '08:00' }, fallbackTimeZone: 'Europe/Istanbul' },
    deferredSends: deferred,
  };
  await deps.conversations.create({
    id: 'conv-1',
    customerId: 'cust-1',
    channel: 'sms',
    status: 'open',
    createdAt: DAY.toISOString(),
    lastMessageAt: DAY.toISOString(),
  });
  const identity = { kind: 'phone', value: AYSE } as const;
  await deps.customers.createWithIdentity(
    { id: 'cust-1', consent: {}, identities: [identity], createdAt: DAY.toISOString() },
    identity,
  );
});

function optOut() {
  const customer = deps.customers.customers.get('cust-1');
  if (!customer) throw new Error('no customer');
  deps.customers.customers.set('cust-1', { ...customer, consent: { sms: 'opted-out' } });
}

describe('dispatchOutbound for SMS', () => {
  it.each(['order-status', 'reminder', 'survey', 'missed-call'] as const)(
    'sends no proactive %s SMS to a number that opted out, and records why',
    async (kind) => {
      // Prepare
      optOut();

      // Act
      const result = await dispatchOutbound(deps, smsRequest({ kind, id: `p-${kind}` }));

      // Assess
      expect(result).toMatchObject({ status: 'suppressed', reason: 'the customer opted out of sms' });
      expect(sms.sent).toEqual([]);
      expect(deps.conversations.messagesOf('conv-1')).toEqual([
        expect.objectContaining({ deliveryStatus: 'suppressed', kind }),
      ]);
    },
  );

  it('reads the customer once for a proactive SMS: consent and quiet hours share the read', async () => {
    // Prepare
    let reads = 0;
    const get = deps.customers.get.bind(deps.customers);
    deps.customers.get = (id) => {
      reads += 1;
      return get(id);
    };

    // Act
    const result = await dispatchOutbound(deps, smsRequest({ id: 'one-customer-read' }));

    // Assess
    expect(result.status).toBe('sent');
    expect(reads).toBe(1);
  });

  it('still sends the STOP confirmation (a conversational reply) after the opt-out', async () => {
    // Prepare
    optOut();

    // Act
    const result = await dispatchOutbound(deps, smsRequest({ id: 'stop-confirmation', kind: 'auto-reply' }));

    // Assess
    expect(result.status).toBe('sent');
    expect(sms.sent.map((r) => r.id)).toEqual(['stop-confirmation']);
  });

  it('defers a proactive SMS in quiet hours to 08:00 in the customer’s zone instead of sending or dropping it', async () => {
    // Prepare
    now = NIGHT;

    // Act
    const result = await dispatchOutbound(deps, smsRequest());

    // Assess
    expect(result).toMatchObject({ status: 'deferred', duplicate: false });
    expect(sms.sent).toEqual([]);
    expect([...deferred.scheduled.values()]).toEqual([
      {
        id: 'order-100234-shipped@2026-11-24T05:00:00.000Z',
        at: new Date('2026-11-24T05:00:00.000Z'),
        request: smsRequest(),
      },
    ]);
    expect(deps.conversations.messagesOf('conv-1')).toEqual([]);
  });

  it('sends the deferred request when it comes back at the end of quiet hours (the ledger key was left free)', async () => {
    // Prepare
    now = NIGHT;
    await dispatchOutbound(deps, smsRequest());
    now = new Date('2026-11-24T05:00:00.000Z');

    // Act
    const result = await dispatchOutbound(deps, smsRequest());

    // Assess
    expect(result.status).toBe('sent');
    expect(sms.sent).toHaveLength(1);
  });

  it('uses the customer’s own time zone when known', async () => {
    // Prepare: 11:30 in Los Angeles
    now = NIGHT;
    const customer = deps.customers.customers.get('cust-1');
    if (customer) deps.customers.customers.set('cust-1', { ...customer, timezone: 'America/Los_Angeles' });

    // Act
    const result = await dispatchOutbound(deps, smsRequest());

    // Assess
    expect(result.status).toBe('sent');
  });

  it('sends answers to the customer at night: quiet hours are for proactive messages only', async () => {
    // Prepare
    now = NIGHT;

    // Act
    const result = await dispatchOutbound(deps, smsRequest({ kind: 'agent-reply', id: 'agent-1' }));

    // Assess
    expect(result.status).toBe('sent');
  });

  it('checks consent before quiet hours: an opted-out number gets nothing deferred either', async () => {
    // Prepare
    now = NIGHT;
    optOut();

    // Act
    const result = await dispatchOutbound(deps, smsRequest());

    // Assess
    expect(result.status).toBe('suppressed');
    expect(deferred.scheduled.size).toBe(0);
  });

  it('records an opted-out or invalid destination as failed without retrying', async () => {
    // Prepare
    sms.failWith = new PermanentDeliveryError(
      'the destination phone number is on the opt-out list of End User Messaging',
    );

    // Act
    const result = await dispatchOutbound(deps, smsRequest());
    const again = await dispatchOutbound(deps, smsRequest());

    // Assess
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringMatching(/opt-out list/) });
    expect(again.duplicate).toBe(true);
    expect(deps.conversations.messagesOf('conv-1')).toEqual([
      expect.objectContaining({ deliveryStatus: 'failed', flags: [expect.stringMatching(/opt-out list/)] }),
    ]);
  });

  it('refuses to drop a quiet-hours send when no scheduler is wired', async () => {
    // Prepare
    now = NIGHT;
    const { deferredSends: _unused, ...withoutScheduler } = deps;

    // Act
    const attempt = dispatchOutbound(withoutScheduler, smsRequest());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('dispatchOutbound when End User Messaging says the number opted out', () => {
  it('records the opt-out in the consent ledger (source carrier), once, so later proactive sends are suppressed', async () => {
    // Prepare
    const consent = new MemoryConsentLedger(deps.customers);
    deps = { ...deps, consent };
    sms.failWith = new DestinationOptedOutError(
      'the destination phone number is on the opt-out list of End User Messaging',
    );

    // Act
    const failed = await dispatchOutbound(deps, smsRequest({ id: 'agent-1', kind: 'agent-reply' }));
    sms.failWith = undefined;
    const later = await dispatchOutbound(deps, smsRequest({ id: 'order-2' }));

    // Assess
    expect(failed.status).toBe('failed');
    expect(deps.customers.customers.get('cust-1')?.consent).toEqual({ sms: 'opted-out' });
    expect(consent.entriesOf('cust-1')).toEqual([
      expect.objectContaining({ state: 'opted-out', source: 'carrier', eventKey: 'outbound#agent-1' }),
    ]);
    expect(later.status).toBe('suppressed');
    expect(sms.sent).toEqual([]);
  });
});
