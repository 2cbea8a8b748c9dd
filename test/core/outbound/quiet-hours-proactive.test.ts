import { describe, expect, it } from 'vitest';
import type { OutboundRequest } from '../../../functions/core/model.ts';
import { deferForQuietHours } from '../../../functions/core/outbound/quiet-hours.ts';
import { MemoryCustomers } from '../../support/in-memory-ports.ts';
import { MemoryDeferredSends } from '../../support/in-memory-sms-ports.ts';

// 22:30 in Istanbul: inside 21:00–08:00.
const LATE = new Date('2026-11-23T19:30:00Z');
const HOURS = { start: '21:00', end: '08:00' };

function notice(
  channel: OutboundRequest['channel'],
  kind: OutboundRequest['kind'] = 'order-status',
): OutboundRequest {
  return {
    id: `order-status-${channel}`,
    kind,
    channel,
    customerId: 'c1',
    to: '+905321234567',
    language: 'tr',
    text: '100234 numaralı siparişiniz kargoya verildi.',
    headers: {},
    requestedAt: LATE.toISOString(),
  };
}

describe('quiet hours for proactive WhatsApp', () => {
  it('holds an order notice on WhatsApp until 08:00 in the customer’s zone, like an SMS', async () => {
    // Prepare
    const deferredSends = new MemoryDeferredSends();
    const deps = {
      customers: new MemoryCustomers(),
      deferredSends,
      quietHours: { sms: HOURS, whatsapp: HOURS, fallbackTimeZone: 'Europe/Istanbul' },
    };

    // Act
    const deferred = await deferForQuietHours(deps, notice('whatsapp'), LATE);

    // Assess
    expect(deferred?.until.toISOString()).toBe('2026-11-24T05:00:00.000Z');
    expect([...deferredSends.scheduled.values()].map((s) => s.at.toISOString())).toEqual([
      '2026-11-24T05:00:00.000Z',
    ]);
  });

  it('never holds an answer to the customer, nor a channel without quiet hours', async () => {
    // Prepare
    const deps = {
      customers: new MemoryCustomers(),
      deferredSends: new MemoryDeferredSends(),
      quietHours: { sms: HOURS, whatsapp: HOURS, fallbackTimeZone: 'Europe/Istanbul' },
    };

    // Act / Assess
    expect(await deferForQuietHours(deps, notice('whatsapp', 'auto-reply'), LATE)).toBeUndefined();
    expect(await deferForQuietHours(deps, notice('email'), LATE)).toBeUndefined();
  });
});
