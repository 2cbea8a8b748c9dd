import { beforeEach, describe, expect, it } from 'vitest';
import { recordDeliveryStatus, statusesBefore } from '../../../functions/core/outbound/delivery-status.ts';
import { MemoryProviderMessages } from '../../support/in-memory-meta.ts';
import { MemoryConversations } from '../../support/in-memory-ports.ts';

const AT = '2026-11-23T10:00:05.000Z';
let conversations: MemoryConversations;
let providerMessages: MemoryProviderMessages;

beforeEach(async () => {
  conversations = new MemoryConversations();
  providerMessages = new MemoryProviderMessages(conversations);
  await conversations.appendMessage({
    id: 'ack-1',
    conversationId: 'conv-1',
    direction: 'outbound',
    channel: 'whatsapp',
    at: AT,
    text: 'Teşekkürler',
    attachments: [],
    kind: 'auto-reply',
    deliveryStatus: 'sent',
    providerMessageId: 'wamid.A',
  });
  await providerMessages.record('whatsapp', 'wamid.A', {
    conversationId: 'conv-1',
    messageId: 'ack-1',
    at: AT,
  });
});

const status = (s: 'sent' | 'delivered' | 'read' | 'failed', reason?: string) => ({
  channel: 'whatsapp' as const,
  providerMessageId: 'wamid.A',
  status: s,
  at: '2026-11-23T10:01:00.000Z',
  reason,
});

describe('recordDeliveryStatus', () => {
  it('moves the message forward: delivered, then read', async () => {
    // Act
    const delivered = await recordDeliveryStatus({ providerMessages }, status('delivered'));
    const read = await recordDeliveryStatus({ providerMessages }, status('read'));

    // Assess
    expect([delivered, read]).toEqual(['updated', 'updated']);
    expect(conversations.messagesOf('conv-1')[0]?.deliveryStatus).toBe('read');
  });

  it('never moves it back: a late "delivered" after "read" changes nothing', async () => {
    // Prepare
    await recordDeliveryStatus({ providerMessages }, status('read'));

    // Act
    const outcome = await recordDeliveryStatus({ providerMessages }, status('delivered'));

    // Assess
    expect(outcome).toBe('unchanged');
    expect(conversations.messagesOf('conv-1')[0]?.deliveryStatus).toBe('read');
  });

  it('records a failure with its reason', async () => {
    // Act
    await recordDeliveryStatus(
      { providerMessages },
      status('failed', 'WhatsApp error 131047: Re-engagement message'),
    );

    // Assess
    const [message] = conversations.messagesOf('conv-1');
    expect(message?.deliveryStatus).toBe('failed');
    expect(message?.flags).toContain('WhatsApp error 131047: Re-engagement message');
  });

  it('ignores a status for a message we did not send, creating nothing', async () => {
    // Act
    const outcome = await recordDeliveryStatus(
      { providerMessages },
      { ...status('read'), providerMessageId: 'wamid.SOMEONE-ELSE' },
    );

    // Assess
    expect(outcome).toBe('unknown-message');
    expect(conversations.conversations.size).toBe(0);
    expect(conversations.messages.size).toBe(1);
  });
});

describe('statusesBefore', () => {
  it('orders sent < delivered/failed < read', () => {
    // Act / Assess
    expect(statusesBefore('sent').sort()).toEqual(['queued']);
    expect(statusesBefore('delivered').sort()).toEqual(['queued', 'sent']);
    expect(statusesBefore('read').sort()).toEqual(['delivered', 'failed', 'queued', 'sent']);
  });
});
