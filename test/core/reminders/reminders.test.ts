import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../../../functions/core/errors.ts';
import type { Channel, Customer } from '../../../functions/core/model.ts';
import {
  type CreateReminder,
  cancelReminder,
  createReminder,
  fireReminder,
  reminderQueueMessageOf,
  reminderRequestSchema,
} from '../../../functions/core/reminders/reminders.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import {
  MemoryConversations,
  MemoryLedger,
  MemorySender,
  readableIds,
} from '../../support/in-memory-ports.ts';
import { AliasingCustomers, MemoryLinks, MemoryReminders } from '../../support/in-memory-shop-ports.ts';
import { MemoryConsentLedger, MemoryDeferredSends } from '../../support/in-memory-sms-ports.ts';

let now = new Date('2026-11-23T10:00:00Z');

function setup() {
  const customers = new AliasingCustomers();
  const conversations = new MemoryConversations();
  const reminders = new MemoryReminders();
  const deferredSends = new MemoryDeferredSends();
  const email = new MemorySender();
  const sms = new MemorySender();
  const clock = { now: () => now };
  const consent = new MemoryConsentLedger(customers);
  const create = {
    clock,
    ids: readableIds,
    customers,
    links: new MemoryLinks(customers, conversations),
    consent,
    reminders,
    deferredSends,
  };
  const fire = {
    clock,
    ids: readableIds,
    config: sandboxSupportConfig,
    ledger: new MemoryLedger(),
    conversations,
    customers,
    senders: { email, sms },
    consent,
    reminders,
    deferredSends,
    channels: new Set<Channel>(['email', 'sms']),
  };
  return { create, fire, customers, reminders, deferredSends, email, sms };
}

function cart(overrides: Partial<CreateReminder> = {}): CreateReminder {
  const parsed = reminderRequestSchema.parse({
    action: 'create',
    id: 'rem-cart-77',
    kind: 'cart-abandoned',
    at: '2026-11-24T09:00:00Z',
    customer: { email: 'a@b.com', phone: '+905321234567', language: 'tr', consent: { sms: true } },
    data: { cartUrl: 'https://shop.example/cart/77' },
  });
  if (parsed.action !== 'create') throw new Error('expected a create');
  return { ...parsed, ...overrides };
}

describe('reminders', () => {
  it('stores the reminder and schedules one deferred send carrying it, at its time', async () => {
    // Prepare
    now = new Date('2026-11-23T10:00:00Z');
    const { create, reminders, deferredSends } = setup();

    // Act
    const answer = await createReminder(create, cart());
    const again = await createReminder(create, cart());

    // Assess
    expect(answer).toEqual({ id: 'rem-cart-77', state: 'scheduled', at: '2026-11-24T09:00:00.000Z' });
    expect(again.duplicate).toBe(true);
    expect(reminders.reminders.get('rem-cart-77')?.state).toBe('scheduled');
    expect([...deferredSends.scheduled.values()]).toEqual([
      {
        id: 'reminder#rem-cart-77',
        at: new Date('2026-11-24T09:00:00Z'),
        request: { type: 'reminder', reminderId: 'rem-cart-77' },
      },
    ]);
  });

  it('schedules on a retry when the first attempt stored the reminder but crashed before scheduling', async () => {
    // Prepare
    now = new Date('2026-11-23T10:00:00Z');
    const { create, deferredSends } = setup();
    const failing = {
      schedule: async () => Promise.reject(new Error('Scheduler unavailable')),
      cancel: async () => {},
    };
    await expect(createReminder({ ...create, deferredSends: failing }, cart())).rejects.toThrow(
      'Scheduler unavailable',
    );

    // Act
    const retry = await createReminder(create, cart());

    // Assess
    expect(retry).toMatchObject({ state: 'scheduled', duplicate: true });
    expect([...deferredSends.scheduled.keys()]).toEqual(['reminder#rem-cart-77']);
  });

  it('refuses a reminder in the past, naming the field', async () => {
    // Prepare
    now = new Date('2026-11-25T10:00:00Z');
    const { create } = setup();

    // Act / Assess
    await expect(createReminder(create, cart())).rejects.toThrow(InvalidInputError);
  });

  it('cancels: deletes the schedule and marks the reminder, and a due message then sends nothing', async () => {
    // Prepare
    now = new Date('2026-11-23T10:00:00Z');
    const { create, fire, deferredSends, email, sms } = setup();
    await createReminder(create, cart());

    // Act
    const cancelled = await cancelReminder(create, 'rem-cart-77');
    const fired = await fireReminder(fire, { type: 'reminder', reminderId: 'rem-cart-77' });

    // Assess
    expect(cancelled.state).toBe('cancelled');
    expect(deferredSends.scheduled.size).toBe(0);
    expect(fired).toEqual({
      status: 'skipped',
      reminderId: 'rem-cart-77',
      reason: 'the reminder was cancelled',
    });
    expect([...email.sent, ...sms.sent]).toHaveLength(0);
  });

  it('says the reminder is unknown when cancelling an id never created', async () => {
    // Prepare
    const { create } = setup();

    // Act / Assess
    await expect(cancelReminder(create, 'rem-nope')).rejects.toThrow(NotFoundError);
  });

  it('checks consent when it fires, not when it was made: a STOP in between moves it to email', async () => {
    // Prepare
    now = new Date('2026-11-23T10:00:00Z');
    const { create, fire, customers, email, sms } = setup();
    await createReminder(create, cart({ channel: 'sms' }));
    const customerId = [...customers.customers.keys()][0] ?? '';
    const customer = customers.customers.get(customerId) as Customer;
    customers.customers.set(customerId, { ...customer, consent: { ...customer.consent, sms: 'opted-out' } });
    now = new Date('2026-11-24T09:00:00Z');

    // Act
    const fired = await fireReminder(fire, { type: 'reminder', reminderId: 'rem-cart-77' });
    const redelivered = await fireReminder(fire, { type: 'reminder', reminderId: 'rem-cart-77' });

    // Assess
    expect(fired).toMatchObject({ status: 'dispatched', channel: 'email', delivery: { status: 'sent' } });
    expect(redelivered).toMatchObject({ status: 'dispatched', delivery: { duplicate: true } });
    expect(sms.sent).toHaveLength(0);
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]).toMatchObject({
      kind: 'reminder',
      language: 'tr',
      subject: 'Sepetinizde ürün unuttunuz',
    });
    expect(email.sent[0]?.text).toContain('https://shop.example/cart/77');
  });

  it('sends a reminder an external scheduler queued directly, to a known customer', async () => {
    // Prepare
    now = new Date('2026-11-23T10:00:00Z');
    const { create, fire, sms } = setup();
    await createReminder(create, cart({ id: 'rem-seed' }));
    const message = reminderQueueMessageOf({
      type: 'reminder',
      reminder: {
        id: 'ext-1',
        kind: 'custom',
        customer: { email: 'A@B.com' },
        data: { text: 'Mağazamız yarın kapalı.' },
      },
    });

    // Act
    const fired = await fireReminder(fire, message ?? { type: 'reminder', reminderId: 'missing' });

    // Assess
    // The customer opted into SMS when the seed reminder was made: the first consented channel.
    expect(fired).toMatchObject({ status: 'dispatched', channel: 'sms' });
    expect(sms.sent[0]?.text).toBe('Mağazamız yarın kapalı.');
  });

  it('tells ordinary sends from reminder messages on the queue, and refuses a malformed reminder', () => {
    // Act / Assess
    expect(reminderQueueMessageOf({ id: 'x', kind: 'auto-reply' })).toBeUndefined();
    expect(reminderQueueMessageOf({ type: 'reminder', reminderId: 'rem-1' })).toEqual({
      type: 'reminder',
      reminderId: 'rem-1',
    });
    expect(() => reminderQueueMessageOf({ type: 'reminder', reminderId: 'has space' })).toThrow(
      InvalidInputError,
    );
  });

  it('needs data.text for a custom reminder', () => {
    // Act
    const parsed = reminderRequestSchema.safeParse({
      action: 'create',
      id: 'rem-c',
      kind: 'custom',
      at: '2026-11-24T09:00:00Z',
      customer: { email: 'a@b.com' },
    });

    // Assess
    expect(parsed.success).toBe(false);
  });
});
