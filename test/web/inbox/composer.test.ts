import { describe, expect, it } from 'vitest';
import { fillCanned, matchCanned } from '../../../web/inbox/src/canned.ts';
import { pickLanguage, strings } from '../../../web/inbox/src/i18n.ts';
import { reachWarnings } from '../../../web/inbox/src/warnings.ts';

const en = strings('en');
const CUSTOMER = { id: 'c1', name: 'Elif Demir', identities: [], consent: {} };
const ORDER = { id: '100481', status: 'shipped', trackingUrl: 'https://track.example/100481' };

describe('the composer', () => {
  it('fills a canned response from the customer and the order, and lists what it could not fill', () => {
    // Act
    const filled = fillCanned(
      'Merhaba {customer.name}, {order.id}: {order.status} {order.trackingUrl} {order.eta}',
      {
        customer: CUSTOMER,
        order: ORDER,
        language: 'tr',
      },
    );
    const noOrder = fillCanned('Sipariş {order.id}', { customer: CUSTOMER });

    // Assess
    expect(filled.text).toBe(
      'Merhaba Elif Demir, 100481: kargoya verildi https://track.example/100481 {order.eta}',
    );
    expect(filled.missing).toEqual(['order.eta']);
    expect(noOrder).toEqual({ text: 'Sipariş {order.id}', missing: ['order.id'] });
  });

  it('offers the customer’s language first among canned responses that match what follows the /', () => {
    // Prepare
    const items = [
      { id: '1', shortcut: 'kargo', title: 'Where is my order', text: 'x', language: 'en' },
      { id: '2', shortcut: 'kargo', title: 'Kargo durumu', text: 'y', language: 'tr' },
      { id: '3', shortcut: 'iade', title: 'İade', text: 'z', language: 'tr' },
    ];

    // Act
    const matches = matchCanned(items, 'kar', 'tr');

    // Assess
    expect(matches.map((m) => m.id)).toEqual(['2', '1']);
  });

  it('says before sending that the WhatsApp window is closed and what goes instead, and about opt-outs and quiet hours', () => {
    // Act
    const template = reachWarnings(en, 'en', {
      channel: 'whatsapp',
      ok: false,
      reason: 'window-closed',
      fallback: 'template',
    });
    const sms = reachWarnings(en, 'en', {
      channel: 'whatsapp',
      ok: false,
      reason: 'window-closed',
      fallback: 'sms',
    });
    const optedOut = reachWarnings(en, 'en', { channel: 'sms', ok: false, reason: 'opted-out' });
    const quiet = reachWarnings(en, 'en', {
      channel: 'sms',
      ok: true,
      quietHoursUntil: '2026-11-24T06:00:00Z',
    });

    // Assess
    expect(template).toEqual([`${en.windowClosed}: ${en.willSendTemplate}`]);
    expect(sms).toEqual([`${en.windowClosed}: ${en.willFallBack} SMS.`]);
    expect(optedOut).toEqual([en.optedOut]);
    expect(quiet[0]).toMatch(/^Quiet hours/);
  });

  it('speaks the browser’s first language it knows, else the deployment’s default', () => {
    // Act & Assess
    expect(pickLanguage(['de-DE', 'tr-TR', 'en'], 'en')).toBe('tr');
    expect(pickLanguage(['en-GB'], 'tr')).toBe('en');
    expect(pickLanguage(['fr'], 'tr')).toBe('tr');
  });
});
