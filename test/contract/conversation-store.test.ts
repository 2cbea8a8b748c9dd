import { describe, expect, it } from 'vitest';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import type { Conversation, Message } from '../../functions/core/model.ts';
import type { ConversationStore } from '../../functions/core/ports/conversations.ts';
import { inboundMessage, openConversation } from '../support/conversation-builders.ts';
import { MemoryConversations } from '../support/in-memory-ports.ts';
import { inMemoryAndDynamoDb, uniqueId } from './implementations.ts';

const NINE = '2026-11-23T09:00:00.000Z';
const TEN = '2026-11-23T10:00:00.000Z';
const ELEVEN = '2026-11-23T11:00:00.000Z';

const implementations = inMemoryAndDynamoDb<ConversationStore>(
  () => new MemoryConversations(),
  (table) => new DynamoConversationStore(table.db, table.tableName),
);

/** A new open email conversation of a customer of its own, last active at nine. */
function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({
    id: uniqueId('conv'),
    customerId: uniqueId('cust'),
    createdAt: NINE,
    lastMessageAt: NINE,
    ...overrides,
  });
}

function agentReply(conversationId: string, at: string): Message {
  return {
    id: uniqueId('reply'),
    conversationId,
    direction: 'outbound',
    channel: 'email',
    kind: 'agent-reply',
    at,
    text: 'Kargonuz yarın teslim edilecek.',
    attachments: [],
  };
}

describe.each(implementations)('ConversationStore ($name)', ({ make }) => {
  it('creates a conversation once and hands a second creator the stored one', async () => {
    // Prepare
    const store = await make();
    const first = conversation({ subject: 'Siparişim nerede?' });

    // Act
    await store.create(first);
    const second = await store.create({ ...first, subject: 'another subject' });

    // Assess
    expect(second).toEqual(first);
    expect(await store.get(first.id)).toEqual(first);
    expect(await store.get(uniqueId('conv-unknown'))).toBeUndefined();
  });

  it('stores a message once and moves the conversation to it: time, preview, sender', async () => {
    // Prepare
    const store = await make();
    const stored = conversation();
    await store.create(stored);
    const message = inboundMessage(stored.id, uniqueId('m'), TEN, {
      text: 'Merhaba, siparişim nerede?',
      fromName: '  Ayşe Yılmaz  ',
    });

    // Act
    const first = await store.appendMessage(message);
    const again = await store.appendMessage(message);

    // Assess
    expect(first).toBeDefined();
    expect(again).toBeUndefined();
    expect(await store.get(stored.id)).toMatchObject({
      lastMessageAt: TEN,
      lastInboundAt: TEN,
      preview: { text: 'Merhaba, siparişim nerede?' },
      senderName: 'Ayşe Yılmaz',
    });
  });

  it('never moves a conversation back for a message that arrives late', async () => {
    // Prepare
    const store = await make();
    const stored = conversation();
    await store.create(stored);
    await store.appendMessage(inboundMessage(stored.id, uniqueId('m'), ELEVEN, { text: 'second' }));

    // Act
    const late = await store.appendMessage(inboundMessage(stored.id, uniqueId('m'), TEN, { text: 'first' }));

    // Assess
    expect(late).toBeDefined();
    expect(await store.get(stored.id)).toMatchObject({ lastMessageAt: ELEVEN, preview: { text: 'second' } });
  });

  it('wakes a snoozed conversation on a customer message and reopens it when asked', async () => {
    // Prepare
    const store = await make();
    const stored = conversation({
      status: 'pending',
      snoozedUntil: '2026-11-24T09:00:00.000Z',
      snoozedAt: NINE,
      snoozedBy: 'agent-7',
    });
    await store.create(stored);

    // Act
    await store.appendMessage(inboundMessage(stored.id, uniqueId('m'), TEN), { reopen: true });

    // Assess
    const woken = await store.get(stored.id);
    expect(woken?.status).toBe('open');
    expect(woken).not.toHaveProperty('snoozedUntil');
    expect(woken).not.toHaveProperty('snoozedBy');
  });

  it('stamps the first response and the last agent reply when an agent answers', async () => {
    // Prepare
    const store = await make();
    const stored = conversation();
    await store.create(stored);
    await store.appendMessage(inboundMessage(stored.id, uniqueId('m'), TEN));

    // Act
    await store.appendMessage(agentReply(stored.id, '2026-11-23T10:05:00.000Z'));
    await store.appendMessage(agentReply(stored.id, '2026-11-23T10:30:00.000Z'));

    // Assess
    expect(await store.get(stored.id)).toMatchObject({
      firstResponseAt: '2026-11-23T10:05:00.000Z',
      lastAgentReplyAt: '2026-11-23T10:30:00.000Z',
      lastInboundAt: TEN,
    });
  });

  it('finds the conversation of the first of several email Message-IDs it knows', async () => {
    // Prepare
    const store = await make();
    const known = uniqueId('known');
    const reference = { conversationId: uniqueId('conv'), customerId: uniqueId('cust') };
    await store.recordEmailReference(`${known}@mail.example.com`, reference);

    // Act
    const found = await store.findByEmailReference([
      `${uniqueId('unknown')}@mail.example.com`,
      `${known}@mail.example.com`,
    ]);
    const none = await store.findByEmailReference([`${uniqueId('unknown')}@mail.example.com`]);

    // Assess
    expect(found).toEqual(reference);
    expect(none).toBeUndefined();
  });

  it("finds a customer's newest open or pending conversation on a channel, not a closed one", async () => {
    // Prepare
    const store = await make();
    const customerId = uniqueId('cust');
    const older = conversation({ customerId, lastMessageAt: NINE });
    const pending = conversation({ customerId, status: 'pending', lastMessageAt: TEN });
    const closed = conversation({ customerId, status: 'closed', lastMessageAt: ELEVEN });
    const sms = conversation({ customerId, channel: 'sms', lastMessageAt: ELEVEN });
    for (const c of [older, pending, closed, sms]) await store.create(c);

    // Act
    const latest = await store.latestOpenConversation(customerId, 'email');
    const onSms = await store.latestOpenConversation(customerId, 'sms');
    const onWhatsapp = await store.latestOpenConversation(customerId, 'whatsapp');

    // Assess
    expect(latest?.id).toBe(pending.id);
    expect(onSms?.id).toBe(sms.id);
    expect(onWhatsapp).toBeUndefined();
  });

  it('continues an open conversation inside the window in one write, without storing the message', async () => {
    // Prepare
    const store = await make();
    const stored = conversation({ status: 'pending' });
    await store.create(stored);
    const message = inboundMessage(stored.id, uniqueId('m'), TEN, {
      text: 'Kargom nerede?',
      fromName: 'Ayşe',
    });

    // Act
    const continued = await store.continueConversation(message, { windowStart: NINE });

    // Assess
    expect(continued).toMatchObject({
      outcome: 'continued',
      conversation: {
        id: stored.id,
        status: 'open',
        lastMessageAt: TEN,
        preview: { text: 'Kargom nerede?' },
      },
    });
    expect(await store.get(stored.id)).toMatchObject({
      status: 'open',
      lastMessageAt: TEN,
      senderName: 'Ayşe',
    });
    expect(await store.conversationHolding([stored.id], message.id)).toBeUndefined();
  });

  it('refuses to continue a closed, missing or quiet conversation, and says when a message is late', async () => {
    // Prepare
    const store = await make();
    const closed = conversation({ status: 'closed' });
    const quiet = conversation();
    const busy = conversation({ lastMessageAt: ELEVEN });
    for (const c of [closed, quiet, busy]) await store.create(c);

    // Act
    const onClosed = await store.continueConversation(inboundMessage(closed.id, uniqueId('m'), TEN), {
      windowStart: NINE,
    });
    const onMissing = await store.continueConversation(inboundMessage(uniqueId('conv'), uniqueId('m'), TEN), {
      windowStart: NINE,
    });
    // The window starts after its last activity (nine).
    const onQuiet = await store.continueConversation(inboundMessage(quiet.id, uniqueId('m'), ELEVEN), {
      windowStart: TEN,
    });
    const late = await store.continueConversation(inboundMessage(busy.id, uniqueId('m'), TEN), {
      windowStart: NINE,
    });

    // Assess
    expect(onClosed).toEqual({ outcome: 'refused' });
    expect(onMissing).toEqual({ outcome: 'refused' });
    expect(onQuiet).toEqual({ outcome: 'refused' });
    expect(late).toMatchObject({ outcome: 'late', conversation: { id: busy.id, lastMessageAt: ELEVEN } });
    expect(await store.get(quiet.id)).toMatchObject({ lastMessageAt: NINE });
    expect(await store.get(closed.id)).toMatchObject({ status: 'closed', lastMessageAt: NINE });
  });

  it('stores an inbound message once by its id, whatever time a redelivery carries, and finds where it is', async () => {
    // Prepare
    const store = await make();
    const first = conversation();
    const second = conversation();
    await store.create(first);
    await store.create(second);
    const message = inboundMessage(second.id, uniqueId('m'), TEN);

    // Act
    const stored = await store.storeMessage(message);
    const resent = await store.storeMessage({ ...message, at: ELEVEN });
    const appendedAgain = await store.appendMessage({ ...message, at: ELEVEN });

    // Assess
    expect(stored).toBeDefined();
    expect(resent).toBeUndefined();
    expect(appendedAgain).toBeUndefined();
    expect(await store.conversationHolding([first.id, second.id], message.id)).toBe(second.id);
    expect(await store.conversationHolding([first.id], message.id)).toBeUndefined();
    expect(await store.get(second.id)).toMatchObject({ lastMessageAt: NINE });
  });
});
