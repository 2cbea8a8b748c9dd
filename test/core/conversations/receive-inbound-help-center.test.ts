import { describe, expect, it } from 'vitest';
import { receiveInbound } from '../../../functions/core/conversations/receive-inbound.ts';
import type { Order } from '../../../functions/core/model.ts';
import { countSmsSegments } from '../../../functions/core/sms/segments.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import { inboundEmail, inboundPhoneText } from '../../support/conversation-builders.ts';
import { memoryHelpCenter, TEST_HELP_BASE_URL } from '../../support/help-center.ts';
import { readableIds } from '../../support/in-memory-ports.ts';
import { MemoryOrders } from '../../support/in-memory-shop-ports.ts';
import { memoryEmailDeps, memoryMetaDeps, memorySmsDeps } from '../../support/inbound-deps.ts';

// Monday 23 November 2026, 13:00 in Istanbul: the shop is open.
const NOW = new Date('2026-11-23T10:00:00.000Z');
const PHONE = '+905321112233';

const email = (text: string, subject?: string) => inboundEmail(text, NOW, subject);
const short = (channel: 'sms' | 'whatsapp', text: string) => inboundPhoneText(channel, PHONE, text, NOW);

describe('receiveInbound: answers from the help center', () => {
  it('puts the best article summary and its link into an email acknowledgement and reports the link', async () => {
    // Prepare
    const helpCenter = memoryHelpCenter();
    const deps = memoryEmailDeps(NOW, { helpCenter });

    // Act
    const result = await receiveInbound(deps, {
      message: email('Merhaba, aldığım ceketi iade etmek istiyorum, nasıl yapabilirim?'),
      attachments: [],
    });

    // Assess
    const sent = deps.outbound.sent[0];
    const url = `${TEST_HELP_BASE_URL}/tr/returns-refunds`;
    expect(result.autoReply).toMatchObject({ queued: true, article: 'returns-refunds' });
    expect(sent?.articles).toEqual([{ slug: 'returns-refunds', url }]);
    expect(sent?.text).toContain('14 gün içinde');
    expect(sent?.text).toContain(url);
    expect(helpCenter.log.answers).toEqual([
      expect.objectContaining({ slug: 'returns-refunds', language: 'tr' }),
    ]);
  });

  it('sends only the link by SMS, in one segment', async () => {
    // Prepare
    const deps = memorySmsDeps(NOW, { helpCenter: memoryHelpCenter() });

    // Act
    await receiveInbound(deps, { message: short('sms', 'iademi nasil yaparim'), attachments: [] });

    // Assess
    const sent = deps.outbound.sent[0];
    expect(sent?.articles).toEqual([
      { slug: 'returns-refunds', url: `${TEST_HELP_BASE_URL}/tr/returns-refunds` },
    ]);
    expect(sent?.text).not.toContain('14 gün');
    expect(countSmsSegments(sent?.text ?? '').segments).toBe(1);
  });

  it('links nothing for an off-topic message and counts it as unanswered', async () => {
    // Prepare
    const helpCenter = memoryHelpCenter();
    const deps = memoryMetaDeps(NOW, { helpCenter });

    // Act
    const result = await receiveInbound(deps, {
      message: short('whatsapp', 'Yarın İstanbul’da hava nasıl olacak?'),
      attachments: [],
    });

    // Assess
    expect(result.autoReply.article).toBeUndefined();
    expect(deps.outbound.sent[0]?.articles).toBeUndefined();
    expect(deps.outbound.sent[0]?.text).not.toContain(TEST_HELP_BASE_URL);
    expect(helpCenter.log.unanswered).toEqual([
      { question: expect.stringContaining('istanbul'), language: 'tr' },
    ]);
  });

  it('answers with the shop’s own FAQ entry first', async () => {
    // Prepare
    const config = {
      ...sandboxSupportConfig,
      faq: [{ id: 'returns', keywords: ['iade'], answers: { tr: 'İadeler için mağazamıza uğrayın.' } }],
    };
    const deps = memoryMetaDeps(NOW, { helpCenter: memoryHelpCenter(), config });

    // Act
    const result = await receiveInbound(deps, {
      message: short('whatsapp', 'iade etmek istiyorum'),
      attachments: [],
    });

    // Assess
    expect(result.autoReply).toMatchObject({ faq: 'returns' });
    expect(deps.outbound.sent[0]?.text).toContain('İadeler için mağazamıza uğrayın.');
    expect(deps.outbound.sent[0]?.articles).toBeUndefined();
  });

  it('keeps the order’s own status for "where is my order" and links the tracking article', async () => {
    // Prepare
    const orders = new MemoryOrders();
    const shipped: Order = {
      id: '100234',
      customerId: readableIds.derive('customer', 'phone', PHONE),
      lastEventType: 'order.shipped',
      status: 'shipped',
      carrier: 'Yurtiçi Kargo',
      trackingNumber: 'YK123',
      lastEventAt: '2026-11-22T10:00:00.000Z',
      lastEventId: 'evt-1',
      firstEventAt: '2026-11-21T10:00:00.000Z',
    };
    await orders.apply(shipped);
    const deps = memoryMetaDeps(NOW, { helpCenter: memoryHelpCenter(), orders });

    // Act
    const result = await receiveInbound(deps, {
      message: short('whatsapp', 'siparisim nerde'),
      attachments: [],
    });

    // Assess
    const sent = deps.outbound.sent[0];
    expect(result.autoReply).toMatchObject({ faq: 'order-status', article: 'order-tracking' });
    expect(sent?.text).toContain('100234 numaralı siparişiniz Yurtiçi Kargo ile kargoya verildi.');
    expect(sent?.articles).toEqual([
      { slug: 'order-tracking', url: `${TEST_HELP_BASE_URL}/tr/order-tracking` },
    ]);
  });

  it('answers an English question with the English article', async () => {
    // Prepare
    const deps = memoryEmailDeps(NOW, { helpCenter: memoryHelpCenter() });

    // Act
    await receiveInbound(deps, {
      message: email('Hi, the vase I ordered arrived broken. What can I do?', 'Broken vase'),
      attachments: [],
    });

    // Assess
    expect(deps.outbound.sent[0]).toMatchObject({
      language: 'en',
      articles: [{ slug: 'damaged-item', url: `${TEST_HELP_BASE_URL}/en/damaged-item` }],
    });
  });
});
