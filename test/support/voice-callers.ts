import type { Customer, Order } from '../../functions/core/model.ts';

export const AYSE_PHONE = '+905321234567';

/** Ayşe, a Turkish customer known by her phone who agreed to SMS: the caller the voice tests know. */
export function knownCaller(createdAt: string): Customer {
  return {
    id: 'cust-ayse',
    name: 'Ayşe Yılmaz',
    language: 'tr',
    consent: { sms: 'opted-in' },
    identities: [{ kind: 'phone', value: AYSE_PHONE }],
    createdAt,
  };
}

/** Ayşe's latest order, shipped the day before the tests' calls. */
export function shippedOrderOfKnownCaller(): Order {
  return {
    id: '100234',
    customerId: 'cust-ayse',
    lastEventType: 'order.shipped',
    status: 'shipped',
    lastEventAt: '2026-11-22T10:00:00.000Z',
    lastEventId: 'evt-1',
    firstEventAt: '2026-11-20T10:00:00.000Z',
  };
}
