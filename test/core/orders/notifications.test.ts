import { describe, expect, it } from 'vitest';
import { ORDER_EVENT_TYPES, type Order } from '../../../functions/core/model.ts';
import {
  cheaperSms,
  chooseNotificationChannel,
  renderOrderNotification,
} from '../../../functions/core/orders/notifications.ts';
import { countSmsSegments } from '../../../functions/core/sms/segments.ts';

const ALL = new Set(['email', 'sms', 'whatsapp'] as const);
const AYSE = {
  identities: [
    { kind: 'email', value: 'a@b.com' },
    { kind: 'phone', value: '+905321234567' },
  ],
} as const;

const SHIPPED: Order = {
  id: '100234',
  customerId: 'c1',
  lastEventType: 'order.shipped',
  status: 'shipped',
  carrier: 'Yurtiçi Kargo',
  trackingNumber: 'YK123',
  trackingUrl: 'https://yk.example/t/YK123',
  estimatedDelivery: '2026-11-25',
  lastEventAt: '2026-11-23T10:00:00.000Z',
  lastEventId: 'evt-1',
  firstEventAt: '2026-11-23T10:00:00.000Z',
};

describe('chooseNotificationChannel', () => {
  it('takes the preferred channel when the customer opted in there', () => {
    // Act
    const choice = chooseNotificationChannel(
      { ...AYSE, preferredChannel: 'sms', consent: { sms: 'opted-in' } },
      ALL,
    );

    // Assess
    expect(choice).toEqual({ channel: 'sms', to: '+905321234567' });
  });

  it('falls back to email when SMS is opted out, and needs no explicit email opt-in', () => {
    // Act
    const choice = chooseNotificationChannel(
      { ...AYSE, preferredChannel: 'sms', consent: { sms: 'opted-out' } },
      ALL,
    );

    // Assess
    expect(choice).toEqual({ channel: 'email', to: 'a@b.com' });
  });

  it('never uses SMS or WhatsApp without an explicit opt-in', () => {
    // Act
    const choice = chooseNotificationChannel(
      { identities: [{ kind: 'phone', value: '+905321234567' }], consent: {} },
      ALL,
    );

    // Assess
    expect(choice).toBeUndefined();
  });

  it('sends WhatsApp to the phone number when there is no separate WhatsApp identity', () => {
    // Act
    const choice = chooseNotificationChannel(
      { ...AYSE, preferredChannel: 'whatsapp', consent: { whatsapp: 'opted-in', email: 'opted-out' } },
      ALL,
    );

    // Assess
    expect(choice).toEqual({ channel: 'whatsapp', to: '+905321234567' });
  });

  it('skips a channel this deployment cannot send on', () => {
    // Act
    const choice = chooseNotificationChannel(
      { ...AYSE, preferredChannel: 'sms', consent: { sms: 'opted-in' } },
      new Set(['email'] as const),
    );

    // Assess
    expect(choice?.channel).toBe('email');
  });
});

describe('renderOrderNotification', () => {
  it.each(
    ORDER_EVENT_TYPES.flatMap((type) => [
      [type, 'tr'],
      [type, 'en'],
    ]),
  )('says %s in %s with the order number', (type, language) => {
    // Act
    const rendered = renderOrderNotification(
      { ...SHIPPED, lastEventType: type, refundAmount: 100, currency: 'TRY' },
      { language, channel: 'email', customerName: 'Ayşe' },
    );

    // Assess
    expect(rendered.subject).toContain('100234');
    expect(rendered.text).toContain('100234');
    expect(rendered.text.startsWith(language === 'tr' ? 'Merhaba Ayşe,' : 'Hello Ayşe,')).toBe(true);
  });

  it('gives the carrier, tracking number and link, and the delivery date in Turkish', () => {
    // Act
    const rendered = renderOrderNotification(SHIPPED, { language: 'tr', channel: 'whatsapp' });

    // Assess
    expect(rendered.text).toBe(
      '100234 numaralı siparişiniz Yurtiçi Kargo ile kargoya verildi.\nTakip numarası: YK123\nTakip: https://yk.example/t/YK123\nTahmini teslimat: 25 Kasım 2026',
    );
  });

  it('writes SMS in the GSM-7 spelling when that costs fewer segments', () => {
    // Act
    const sms = renderOrderNotification(SHIPPED, { language: 'tr', channel: 'sms' }).text;

    // Assess
    expect(countSmsSegments(sms).encoding).toBe('GSM-7');
    expect(sms).toContain('Yurtici Kargo');
    expect(countSmsSegments(sms).segments).toBeLessThan(
      countSmsSegments(renderOrderNotification(SHIPPED, { language: 'tr', channel: 'whatsapp' }).text)
        .segments,
    );
  });

  it('keeps an SMS as written when transliterating would not save a segment', () => {
    // Act / Assess
    expect(cheaperSms('Kargo yolda 🚚 şimdi')).toBe('Kargo yolda 🚚 şimdi');
  });
});
