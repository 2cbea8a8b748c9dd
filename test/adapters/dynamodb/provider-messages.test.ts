import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoProviderMessageIndex } from '../../../functions/adapters/dynamodb/provider-messages.ts';
import type { Message } from '../../../functions/core/model.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: DynamoConversationStore;
let index: DynamoProviderMessageIndex;

const AT = '2026-11-23T10:00:05.000Z';

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoConversationStore(table.db, table.tableName);
  index = new DynamoProviderMessageIndex(table.db, table.tableName);
});

async function sentMessage(conversationId: string, wamid: string): Promise<Message> {
  await store.create({
    id: conversationId,
    customerId: 'cust-1',
    channel: 'whatsapp',
    status: 'open',
    createdAt: AT,
    lastMessageAt: AT,
  });
  const message: Message = {
    id: `ack-${conversationId}`,
    conversationId,
    direction: 'outbound',
    channel: 'whatsapp',
    at: AT,
    text: 'Teşekkürler',
    attachments: [],
    kind: 'auto-reply',
    deliveryStatus: 'sent',
    providerMessageId: wamid,
  };
  await store.appendMessage(message);
  await index.record('whatsapp', wamid, { conversationId, messageId: message.id, at: AT });
  return message;
}

describe('DynamoProviderMessageIndex on DynamoDB Local', () => {
  it('finds our message by channel and provider id, and nothing under another channel', async () => {
    // Prepare
    await sentMessage('conv-find', 'wamid.FIND');

    // Act / Assess
    expect(await index.find('whatsapp', 'wamid.FIND')).toEqual({
      conversationId: 'conv-find',
      messageId: 'ack-conv-find',
      at: AT,
    });
    expect(await index.find('messenger', 'wamid.FIND')).toBeUndefined();
  });

  it('moves the status forward only, with its time and a failure reason', async () => {
    // Prepare
    await sentMessage('conv-forward', 'wamid.FORWARD');
    const reference = await index.find('whatsapp', 'wamid.FORWARD');
    if (!reference) throw new Error('reference not stored');

    // Act
    const read = await index.updateDeliveryStatus(reference, {
      status: 'read',
      at: '2026-11-23T10:01:00.000Z',
    });
    const lateDelivered = await index.updateDeliveryStatus(reference, {
      status: 'delivered',
      at: '2026-11-23T10:00:30.000Z',
    });

    // Assess
    expect([read, lateDelivered]).toEqual([true, false]);
    const [message] = await store.listMessages('conv-forward');
    expect(message).toMatchObject({ deliveryStatus: 'read', deliveryStatusAt: '2026-11-23T10:01:00.000Z' });
  });

  it('appends the reason of a failure to the message flags', async () => {
    // Prepare
    await sentMessage('conv-failed', 'wamid.FAILED');
    const reference = await index.find('whatsapp', 'wamid.FAILED');
    if (!reference) throw new Error('reference not stored');

    // Act
    await index.updateDeliveryStatus(reference, {
      status: 'failed',
      at: AT,
      reason: 'WhatsApp error 131047',
    });

    // Assess
    const [message] = await store.listMessages('conv-failed');
    expect(message).toMatchObject({ deliveryStatus: 'failed', flags: ['WhatsApp error 131047'] });
  });

  it('creates nothing for a reference whose message is not there', async () => {
    // Act
    const changed = await index.updateDeliveryStatus(
      { conversationId: 'conv-missing', messageId: 'nope', at: AT },
      { status: 'read', at: AT },
    );

    // Assess
    expect(changed).toBe(false);
    expect(await store.listMessages('conv-missing')).toEqual([]);
  });
});
