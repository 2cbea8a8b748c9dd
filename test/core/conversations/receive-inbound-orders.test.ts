import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ReceiveInboundDeps,
  receiveInbound,
} from '../../../functions/core/conversations/receive-inbound.ts';
import type { Order } from '../../../functions/core/model.ts';
import { inboundPhoneText } from '../../support/conversation-builders.ts';
import { type MemoryQueue, readableIds } from '../../support/in-memory-ports.ts';
import { MemoryOrders } from '../../support/in-memory-shop-ports.ts';
import { memoryMetaDeps, memorySmsDeps } from '../../support/inbound-deps.ts';

// Monday 23 November 2026, 13:00 in Istanbul: the shop is open.
const NOW = new Date('2026-11-23T10:00:00.000Z');
const AYSE = '+905321112233';
const CUSTOMER_ID = readableIds.derive('customer', 'phone', AYSE);

const SHIPPED: Order = {
  id: '100234',
  customerId: CUSTOMER_ID,
  lastEventType: 'order.shipped',
  status: 'shipped',
  carrier: 'Yurtiçi Kargo',
  trackingNumber: 'YK123',
  lastEventAt: '2026-11-22T10:00:00.000Z',
  lastEventId: 'evt-1',
  firstEventAt: '2026-11-21T10:00:00.000Z',
};

const message = (channel: 'sms' | 'whatsapp', text: string) => inboundPhoneText(channel, AYSE, text, NOW);

let deps: ReceiveInboundDeps & { outbound: MemoryQueue };
/** The WhatsApp path, on the same stored orders. */
let metaDeps: ReceiveInboundDeps & { outbound: MemoryQueue };

beforeEach(async () => {
  const orders = new MemoryOrders();
  await orders.apply(SHIPPED);
  deps = memorySmsDeps(NOW, { orders });
  metaDeps = memoryMetaDeps(NOW, { orders });
});

describe('receiveInbound: where is my order', () => {
  it('puts the stored status of the order named by its number into the SMS acknowledgement', async () => {
    // Act
    const result = await receiveInbound(deps, {
      message: message('sms', '100234 nolu siparişim ne durumda?'),
      attachments: [],
    });

    // Assess
    expect(result.autoReply).toMatchObject({ queued: true, faq: 'order-status' });
    expect(deps.outbound.sent[0]?.text).toContain('kargoya verildi');
    expect(deps.outbound.sent[0]?.text).toContain('YK123');
  });

  it('answers "kargom nerede" on WhatsApp with the latest order', async () => {
    // Act
    const result = await receiveInbound(metaDeps, {
      message: message('whatsapp', 'Merhaba, kargom nerede?'),
      attachments: [],
    });

    // Assess
    expect(result.autoReply.faq).toBe('order-status');
    expect(metaDeps.outbound.sent[0]?.text).toContain(
      '100234 numaralı siparişiniz Yurtiçi Kargo ile kargoya verildi.',
    );
  });

  it('leaves an SMS that asks about nothing order-like with the plain acknowledgement', async () => {
    // Act
    const result = await receiveInbound(deps, {
      message: message('sms', 'Mağazanız nerede?'),
      attachments: [],
    });

    // Assess
    expect(result.autoReply.faq).toBeUndefined();
    expect(deps.outbound.sent[0]?.text).not.toContain('100234');
  });
});
