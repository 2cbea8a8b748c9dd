import { describe, expect, it } from 'vitest';
import { matchFaq } from '../../../functions/core/auto-reply/faq.ts';
import type { Order } from '../../../functions/core/model.ts';
import { answerOrderQuestion, orderNumberCandidates } from '../../../functions/core/orders/status-answer.ts';
import { MemoryOrders } from '../../support/in-memory-shop-ports.ts';

function order(id: string, customerId: string, firstEventAt: string, extra: Partial<Order> = {}): Order {
  return {
    id,
    customerId,
    lastEventType: 'order.shipped',
    status: 'shipped',
    carrier: 'Aras Kargo',
    trackingNumber: `AR${id}`,
    lastEventAt: firstEventAt,
    lastEventId: `evt-${id}`,
    firstEventAt,
    ...extra,
  };
}

async function store() {
  const orders = new MemoryOrders();
  await orders.apply(order('100234', 'ayse', '2026-11-20T10:00:00.000Z'));
  await orders.apply(
    order('100300', 'ayse', '2026-11-22T10:00:00.000Z', {
      lastEventType: 'order.confirmed',
      status: 'confirmed',
    }),
  );
  await orders.apply(order('555001', 'mehmet', '2026-11-22T10:00:00.000Z'));
  return orders;
}

describe('answerOrderQuestion', () => {
  it('answers with the status of the customer’s own order named by its number', async () => {
    // Prepare
    const orders = await store();

    // Act
    const answer = await answerOrderQuestion(orders, {
      customerId: 'ayse',
      text: '100234 numaralı siparişim?',
      language: 'tr',
    });

    // Assess
    expect(answer?.id).toBe('order-status');
    expect(answer?.answer).toContain('100234 numaralı siparişiniz Aras Kargo ile kargoya verildi.');
  });

  it('never tells a customer about someone else’s order', async () => {
    // Prepare
    const orders = await store();

    // Act
    const answer = await answerOrderQuestion(orders, {
      customerId: 'ayse',
      text: 'Where is order 555001?',
      language: 'en',
    });

    // Assess
    expect(answer).toBeUndefined();
  });

  it('answers "siparişim nerede" with the latest order', async () => {
    // Prepare
    const orders = await store();
    const text = 'Merhaba, siparişim nerede?';

    // Act
    const answer = await answerOrderQuestion(orders, {
      customerId: 'ayse',
      text,
      language: 'tr',
      faq: matchFaq(text, 'tr'),
    });

    // Assess
    expect(answer?.answer).toBe('100300 numaralı siparişiniz onaylandı ve hazırlanıyor.');
  });

  it('says nothing for a customer without orders', async () => {
    // Prepare
    const orders = await store();
    const text = 'where is my order';

    // Act / Assess
    expect(
      await answerOrderQuestion(orders, {
        customerId: 'zeynep',
        text,
        language: 'en',
        faq: matchFaq(text, 'en'),
      }),
    ).toBeUndefined();
  });
});

describe('orderNumberCandidates', () => {
  it('takes words with at least four digits, at most three', () => {
    // Act / Assess
    expect(orderNumberCandidates('Sipariş #100234, SP-2024-77 ve 12 adet; 1 2 3 4, 999999, 888888')).toEqual([
      '100234',
      'SP-2024-77',
      '999999',
    ]);
  });
});
