import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Channel, Customer } from '../../../functions/core/model.ts';
import {
  type OrderEvent,
  orderEventSchema,
  receiveOrderEvent,
} from '../../../functions/core/orders/order-events.ts';
import type { OutboundQueue } from '../../../functions/core/ports/outbound.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import {
  MemoryConversations,
  MemoryLedger,
  MemoryQueue,
  readableIds,
} from '../../support/in-memory-ports.ts';
import { AliasingCustomers, MemoryLinks, MemoryOrders } from '../../support/in-memory-shop-ports.ts';
import { MemoryConsentLedger } from '../../support/in-memory-sms-ports.ts';

const NOW = new Date('2026-11-23T10:00:05Z');

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/orders/${name}.json`, import.meta.url), 'utf8'));
}

function event(name: string, overrides: Partial<OrderEvent> = {}): OrderEvent {
  return { ...orderEventSchema.parse(fixture(name)), ...overrides };
}

function setup(channels: readonly Channel[] = ['email', 'sms', 'whatsapp']) {
  const customers = new AliasingCustomers();
  const conversations = new MemoryConversations();
  const orders = new MemoryOrders();
  const outbound = new MemoryQueue();
  const deps = {
    clock: { now: () => NOW },
    ids: readableIds,
    config: sandboxSupportConfig,
    ledger: new MemoryLedger(),
    customers,
    links: new MemoryLinks(customers, conversations),
    consent: new MemoryConsentLedger(customers),
    orders,
    outbound: outbound as OutboundQueue,
    channels: new Set<Channel>(channels),
    conversations,
  };
  return { deps, customers, conversations, orders, outbound };
}

function existing(
  id: string,
  identity: Customer['identities'][number],
  createdAt: string,
  extra: Partial<Customer> = {},
) {
  return { id, consent: {}, identities: [identity], createdAt, ...extra } satisfies Customer;
}

describe('receiveOrderEvent', () => {
  it('stores the order and a new customer with both identities, and notifies by the preferred SMS', async () => {
    // Prepare
    const { deps, orders, outbound, customers, conversations } = setup();

    // Act
    const result = await receiveOrderEvent(deps, event('shipped-email-and-phone'));

    // Assess
    expect(result).toMatchObject({
      applied: true,
      duplicate: false,
      notification: { queued: true, channel: 'sms' },
    });
    expect(orders.orders.get('100234')).toMatchObject({
      status: 'shipped',
      trackingNumber: 'YK123',
      customerId: result.customerId,
    });
    const customer = await customers.get(result.customerId);
    expect(customer?.identities).toEqual([
      { kind: 'email', value: 'a@b.com' },
      { kind: 'phone', value: '+905321234567' },
    ]);
    expect(customer).toMatchObject({ name: 'Ayşe Yılmaz', language: 'tr', preferredChannel: 'sms' });
    expect(outbound.sent).toHaveLength(1);
    expect(outbound.sent[0]).toMatchObject({
      kind: 'order-status',
      channel: 'sms',
      to: '+905321234567',
      language: 'tr',
    });
    expect(outbound.sent[0]?.text).toContain('YK123');
    expect(outbound.sent[0]?.id).toBe('order-status:evt-8812|sms');
    expect(outbound.sent[0]?.conversationId).toBe('order-conversation:100234');
    expect(conversations.conversations.get('order-conversation:100234')).toMatchObject({
      customerId: result.customerId,
      status: 'closed',
      flags: ['order-notifications'],
    });
  });

  it('answers a redelivered event with the first outcome and queues nothing more', async () => {
    // Prepare
    const { deps, outbound } = setup();
    const first = await receiveOrderEvent(deps, event('shipped-email-and-phone'));

    // Act
    const second = await receiveOrderEvent(deps, event('shipped-email-and-phone'));

    // Assess
    expect(second).toMatchObject({
      duplicate: true,
      customerId: first.customerId,
      notification: first.notification,
    });
    expect(outbound.sent).toHaveLength(1);
  });

  it('merges the email customer and the phone customer into the older one, moving conversations and keeping a STOP', async () => {
    // Prepare: the phone customer wrote first and texted STOP; the email customer came later.
    const { deps, customers, conversations, outbound } = setup();
    customers.customers.set(
      'phone-cust',
      existing('phone-cust', { kind: 'phone', value: '+905321234567' }, '2026-11-01T09:00:00.000Z', {
        consent: { sms: 'opted-out' },
        consentDetail: {
          sms: {
            state: 'opted-out',
            source: 'sms-keyword',
            at: '2026-11-02T09:00:00.000Z',
            eventKey: 'inbound#sms#x',
            keyword: 'STOP',
          },
        },
        consentVersion: 1,
      }),
    );
    customers.identities.set('phone#+905321234567', 'phone-cust');
    customers.customers.set(
      'email-cust',
      existing('email-cust', { kind: 'email', value: 'a@b.com' }, '2026-11-20T09:00:00.000Z'),
    );
    customers.identities.set('email#a@b.com', 'email-cust');
    await conversations.create({
      id: 'conv-mail',
      customerId: 'email-cust',
      channel: 'email',
      status: 'open',
      createdAt: '2026-11-20T09:00:00.000Z',
      lastMessageAt: '2026-11-20T09:00:00.000Z',
    });

    // Act
    const result = await receiveOrderEvent(deps, event('shipped-email-and-phone'));

    // Assess
    expect(result.customerId).toBe('phone-cust');
    expect(result.merged).toEqual(['email-cust']);
    expect(customers.customers.get('email-cust')?.mergedInto).toBe('phone-cust');
    expect((await customers.findByIdentity({ kind: 'email', value: 'a@b.com' }))?.id).toBe('phone-cust');
    expect(conversations.conversations.get('conv-mail')?.customerId).toBe('phone-cust');
    const survivor = await customers.get('phone-cust');
    expect(survivor?.consent.sms).toBe('opted-out');
    expect(survivor?.identities.map((i) => i.kind).sort()).toEqual(['email', 'phone']);
    // The shop's sms:true could not lift the customer's own STOP: the notice goes by email.
    expect(outbound.sent[0]).toMatchObject({ channel: 'email', to: 'a@b.com' });
    expect(outbound.sent[0]?.headers['Auto-Submitted']).toBe('auto-generated');
  });

  it('moves the opt-out of the merged alias onto the survivor', async () => {
    // Prepare: the older customer has email; the newer one texted STOP.
    const { deps, customers } = setup();
    customers.customers.set(
      'email-cust',
      existing('email-cust', { kind: 'email', value: 'a@b.com' }, '2026-11-01T09:00:00.000Z'),
    );
    customers.identities.set('email#a@b.com', 'email-cust');
    customers.customers.set(
      'phone-cust',
      existing('phone-cust', { kind: 'phone', value: '+905321234567' }, '2026-11-20T09:00:00.000Z', {
        consent: { sms: 'opted-out' },
        consentDetail: {
          sms: {
            state: 'opted-out',
            source: 'sms-keyword',
            at: '2026-11-21T09:00:00.000Z',
            eventKey: 'inbound#sms#y',
            keyword: 'STOP',
          },
        },
        consentVersion: 1,
      }),
    );
    customers.identities.set('phone#+905321234567', 'phone-cust');

    // Act
    const result = await receiveOrderEvent(deps, event('shipped-email-and-phone'));

    // Assess
    expect(result.customerId).toBe('email-cust');
    const survivor = await customers.get('email-cust');
    expect(survivor?.consent.sms).toBe('opted-out');
    expect(survivor?.consentDetail?.sms?.source).toBe('sms-keyword');
  });

  it('never moves the status back for an older event that arrives late, and does not notify for it', async () => {
    // Prepare
    const { deps, orders, outbound } = setup();
    await receiveOrderEvent(deps, event('shipped-email-and-phone'));

    // Act
    const late = await receiveOrderEvent(deps, event('confirmed-earlier'));

    // Assess
    expect(late).toMatchObject({ applied: false, notification: { queued: false } });
    expect(orders.orders.get('100234')).toMatchObject({ status: 'shipped', lastEventId: 'evt-8812' });
    expect(orders.events).toEqual([
      { orderId: '100234', eventId: 'evt-8812', applied: true },
      { orderId: '100234', eventId: 'evt-8790', applied: false },
    ]);
    expect(outbound.sent).toHaveLength(1);
  });

  it('lets a late, older event of another order change neither the profile nor the consent', async () => {
    // Prepare: the newest word of the shop is "email, no SMS, Ayşe Kaya"
    const { deps, customers } = setup();
    const base = event('shipped-email-and-phone');
    await receiveOrderEvent(deps, base);
    await receiveOrderEvent(deps, {
      ...base,
      eventId: 'evt-newer',
      occurredAt: '2026-11-23T12:00:00Z',
      order: { ...base.order, id: '100300' },
      customer: {
        ...base.customer,
        name: 'Ayşe Kaya',
        preferredChannel: 'email',
        consent: { sms: false, email: true },
      },
    });

    // Act: an event from 11:00 about another order arrives after it
    const late = await receiveOrderEvent(deps, {
      ...base,
      eventId: 'evt-late',
      occurredAt: '2026-11-23T11:00:00Z',
      order: { ...base.order, id: '100299' },
      customer: { ...base.customer, name: 'Ayşe Yılmaz', preferredChannel: 'sms', consent: { sms: true } },
    });

    // Assess
    const customer = await customers.get(late.customerId);
    expect(customer).toMatchObject({ name: 'Ayşe Kaya', preferredChannel: 'email', language: 'tr' });
    expect(customer?.consent).toMatchObject({ sms: 'opted-out', email: 'opted-in' });
  });

  it('applies the same event again after a crash before the notification was queued', async () => {
    // Prepare: the first attempt stored the order, then failed to queue.
    const { deps, outbound } = setup();
    const failing = { enqueue: async () => Promise.reject(new Error('SQS unavailable')) };
    await expect(
      receiveOrderEvent({ ...deps, outbound: failing }, event('shipped-email-and-phone')),
    ).rejects.toThrow();

    // Act
    const retry = await receiveOrderEvent(deps, event('shipped-email-and-phone'));

    // Assess
    expect(retry).toMatchObject({ applied: true, duplicate: false, notification: { queued: true } });
    expect(outbound.sent).toHaveLength(1);
  });

  it('notifies in English by email with the refund amount when that is all the customer has', async () => {
    // Prepare
    const { deps, outbound } = setup(['email', 'sms']);

    // Act
    await receiveOrderEvent(deps, event('refunded-en-email-only'));

    // Assess
    expect(outbound.sent[0]).toMatchObject({
      channel: 'email',
      to: 'john.smith@example.com',
      language: 'en',
    });
    expect(outbound.sent[0]?.text).toMatch(
      /A refund of (TRY|₺)\s?349\.90 for your order A-7781 has been issued/,
    );
  });

  it('queues nothing and says why when no channel may be used', async () => {
    // Prepare: SMS not deployed, the customer only has a phone.
    const { deps, outbound } = setup(['email']);
    const phoneOnly = event('shipped-email-and-phone', {
      eventId: 'evt-phone-only',
      customer: { phone: '+905321234567', preferredChannel: 'sms', consent: { sms: true } },
    });

    // Act
    const result = await receiveOrderEvent(deps, phoneOnly);

    // Assess
    expect(result.notification).toEqual({
      queued: false,
      reason: 'the customer has no channel we may notify on (consent or address)',
    });
    expect(outbound.sent).toHaveLength(0);
  });
});

describe('orderEventSchema', () => {
  it.each([
    ['phone-national-format', 'customer.phone'],
    ['no-identity', 'customer.email'],
    ['tracking-url-javascript', 'order.trackingUrl'],
    ['missing-occurred-at', 'occurredAt'],
  ])('refuses %s naming %s', (name, field) => {
    // Act
    const parsed = orderEventSchema.safeParse(fixture(name));

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(field);
  });

  it('lowercases the email and puts the phone in E.164', () => {
    // Act
    const parsed = orderEventSchema.parse({
      ...(fixture('shipped-email-and-phone') as object),
      customer: { email: 'A@B.com', phone: '+90 532 123 45 67' },
    });

    // Assess
    expect(parsed.customer).toMatchObject({ email: 'a@b.com', phone: '+905321234567' });
  });
});
