import { describe, expect, it } from 'vitest';
import {
  createCannedResponse,
  deleteCannedResponse,
  fillCannedResponse,
  listCannedResponses,
  updateCannedResponse,
} from '../../../functions/core/agent/canned-responses.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import { MemoryCannedResponses } from '../../support/in-memory-agent-ports.ts';
import { readableIds } from '../../support/in-memory-ports.ts';

const ORDER = {
  id: '100234',
  status: 'shipped',
  trackingUrl: 'https://kargo.example/YK123',
};
const TEXT = 'Merhaba {customer.name}, {order.id} numaralı siparişiniz {order.status}: {order.trackingUrl}';

describe('fillCannedResponse', () => {
  it('fills the customer and order variables, the status in the customer language', () => {
    // Act
    const filled = fillCannedResponse(TEXT, { customer: { name: 'Ayşe' }, order: ORDER, language: 'tr' });
    const english = fillCannedResponse('Your order is {order.status}.', { order: ORDER, language: 'en' });

    // Assess
    expect(filled).toEqual({
      text: 'Merhaba Ayşe, 100234 numaralı siparişiniz kargoya verildi: https://kargo.example/YK123',
      missing: [],
      unknown: [],
    });
    expect(english.text).toBe('Your order is shipped.');
  });

  it("prefers the shop's own status words", () => {
    // Act
    const filled = fillCannedResponse('{order.status}', {
      order: { ...ORDER, statusText: 'Yolda' },
      language: 'tr',
    });

    // Assess
    expect(filled.text).toBe('Yolda');
  });

  it('reports variables without a value and unknown names, leaving both in the text', () => {
    // Act
    const filled = fillCannedResponse('{customer.name}, {order.trackingUrl} {customer.email}', {
      customer: {},
      order: { id: '1', status: 'created' },
    });

    // Assess
    expect(filled).toEqual({
      text: '{customer.name}, {order.trackingUrl} {customer.email}',
      missing: ['customer.name', 'order.trackingUrl'],
      unknown: ['customer.email'],
    });
  });
});

describe('canned response use cases', () => {
  const deps = () => ({
    clock: { now: () => new Date('2026-11-23T10:00:00.000Z') },
    ids: readableIds,
    cannedResponses: new MemoryCannedResponses(),
  });
  const agent = { id: 'admin-1' };

  it('creates once per shortcut and language, updates, and deletes (kept, no longer listed)', async () => {
    // Prepare
    const d = deps();
    const input = { shortcut: '/Siparis', title: 'Sipariş', text: TEXT, language: 'tr', agent };

    // Act
    const first = await createCannedResponse(d, input);
    const again = await createCannedResponse(d, input);
    const updated = await updateCannedResponse(d, {
      ...input,
      id: first.cannedResponse.id,
      title: 'Sipariş durumu',
    });
    const deleted = await deleteCannedResponse(d, { id: first.cannedResponse.id, agent });
    const listed = await listCannedResponses(d);

    // Assess
    expect(first).toMatchObject({ created: true, cannedResponse: { shortcut: 'siparis', language: 'tr' } });
    expect(again.created).toBe(false);
    expect(updated.title).toBe('Sipariş durumu');
    expect(deleted).toEqual({ deleted: true });
    expect(listed).toEqual([]);
    expect(d.cannedResponses.responses.size).toBe(1);
  });

  it('refuses a text with a name that is no variable, and a taken shortcut with other words', async () => {
    // Prepare
    const d = deps();
    await createCannedResponse(d, { shortcut: 'iade', title: 'İade', text: 'A', agent });

    // Act
    const typo = createCannedResponse(d, { shortcut: 'x', title: 'X', text: 'Hi {customer.nmae}', agent });
    const taken = createCannedResponse(d, { shortcut: 'iade', title: 'İade', text: 'B', agent });

    // Assess
    await expect(typo).rejects.toMatchObject({ field: 'text' });
    await expect(taken).rejects.toBeInstanceOf(InvalidInputError);
  });
});
