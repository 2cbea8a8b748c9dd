import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentConversations } from '../../../functions/adapters/dynamodb/agent-conversations.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import {
  DynamoCannedResponses,
  DynamoCustomerNames,
  DynamoInboxConversations,
  DynamoReadMarkers,
} from '../../../functions/adapters/dynamodb/inbox.ts';
import { keys } from '../../../functions/adapters/dynamodb/keys.ts';
import type { Conversation, Message } from '../../../functions/core/model.ts';
import { inboundMessage, openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

const AT = '2026-11-23T10:00:00.000Z';
const NOW = '2026-11-23T12:00:00.000Z';

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: DynamoConversationStore;
let agent: DynamoAgentConversations;
let inbox: DynamoInboxConversations;
let reads: DynamoReadMarkers;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoConversationStore(table.db, table.tableName);
  agent = new DynamoAgentConversations(table.db, table.tableName);
  inbox = new DynamoInboxConversations(table.db, table.tableName);
  reads = new DynamoReadMarkers(table.db, table.tableName);
});

function conversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ id, customerId: 'cust-inbox', createdAt: AT, lastMessageAt: AT, ...overrides });
}

describe('the inbox items on DynamoDB Local', () => {
  it('writes the preview in the update that stores a message, and a customer message wakes a snooze', async () => {
    // Prepare
    await store.create(conversation('pv-1'));
    await inbox.snooze('pv-1', { until: '2026-11-30T00:00:00.000Z', at: AT, by: 'agent-7' });

    // Act
    await store.appendMessage(
      inboundMessage('pv-1', 'm1', '2026-11-23T10:05:00.000Z', { text: 'Kargom\nnerede?', channel: 'sms' }),
    );
    const stored = await store.get('pv-1');

    // Assess
    expect(stored?.preview).toEqual({
      text: 'Kargom nerede?',
      direction: 'inbound',
      at: '2026-11-23T10:05:00.000Z',
      channel: 'sms',
    });
    expect(stored?.snoozedUntil).toBeUndefined();
  });

  it('keeps the customer’s words and given name in the row when the automatic acknowledgement follows', async () => {
    // Prepare
    await store.create(conversation('pv-3'));
    await store.appendMessage(
      inboundMessage('pv-3', 'q', '2026-11-23T10:05:00.000Z', {
        text: 'Fatura lazım',
        fromName: 'Deniz Kaya',
      }),
    );

    // Act
    await store.appendMessage(
      inboundMessage('pv-3', 'ack', '2026-11-23T10:05:01.000Z', {
        direction: 'outbound',
        kind: 'auto-reply',
        text: 'Mesajınızı aldık',
      }),
    );
    const stored = await store.get('pv-3');

    // Assess
    expect(stored?.preview?.text).toBe('Fatura lazım');
    expect(stored?.senderName).toBe('Deniz Kaya');
    expect(stored?.lastMessageAt).toBe('2026-11-23T10:05:01.000Z');
  });

  it('ends the snooze when the conversation closes', async () => {
    // Prepare
    await store.create(conversation('sz-close'));
    await inbox.snooze('sz-close', { until: '2026-11-30T00:00:00.000Z', at: AT, by: 'agent-7' });

    // Act
    const closed = await agent.changeStatus('sz-close', { status: 'closed', at: NOW, by: 'agent-7' });

    // Assess
    expect(closed?.conversation.status).toBe('closed');
    expect(closed?.conversation.snoozedUntil).toBeUndefined();
  });

  it('keeps the newest preview when an older message arrives late', async () => {
    // Prepare
    await store.create(conversation('pv-2'));
    await store.appendMessage(inboundMessage('pv-2', 'new', '2026-11-23T10:10:00.000Z', { text: 'yeni' }));

    // Act
    await store.appendMessage(inboundMessage('pv-2', 'old', '2026-11-23T10:01:00.000Z', { text: 'eski' }));

    // Assess
    expect((await store.get('pv-2'))?.preview?.text).toBe('yeni');
  });

  it('reads customer names and read markers of a page in one batch each, only moving marks forward', async () => {
    // Prepare
    for (const id of ['n-1', 'n-2']) {
      await table.db.send(
        new PutCommand({
          TableName: table.tableName,
          Item: {
            ...keys.customer(id),
            entity: 'customer',
            id,
            name: `Name ${id}`,
            consent: {},
            identities: [],
          },
        }),
      );
    }
    await reads.markRead('agent-7', 'c-a', '2026-11-23T11:00:00.000Z');
    await reads.markRead('agent-7', 'c-a', '2026-11-23T10:00:00.000Z');
    await reads.markRead('agent-9', 'c-b', '2026-11-23T11:30:00.000Z');

    // Act
    const names = await new DynamoCustomerNames(table.db, table.tableName).namesOf(['n-1', 'n-2', 'n-none']);
    const marks = await reads.readAtOf('agent-7', ['c-a', 'c-b']);

    // Assess
    expect([...names]).toEqual([
      ['n-1', 'Name n-1'],
      ['n-2', 'Name n-2'],
    ]);
    expect([...marks]).toEqual([['c-a', '2026-11-23T11:00:00.000Z']]);
  });

  it('stores a note once, at the time of the first write, among the messages', async () => {
    // Prepare
    await store.create(conversation('note-1'));
    const note: Message = {
      id: 'note-a',
      conversationId: 'note-1',
      direction: 'note',
      channel: 'email',
      at: '2026-11-23T10:20:00.000Z',
      text: 'iç not',
      attachments: [],
      agentId: 'agent-7',
    };

    // Act
    const first = await inbox.appendNote(note);
    const retried = await inbox.appendNote({ ...note, at: '2026-11-23T10:25:00.000Z' });
    const messages = await store.listMessages('note-1');

    // Assess
    expect(retried).toEqual(first);
    expect(messages.filter((m) => m.direction === 'note')).toEqual([first]);
    expect((await store.get('note-1'))?.lastMessageAt).toBe(AT);
  });

  it('changes labels under an optimistic lock and lists by label, unassigned and snooze in the index query', async () => {
    // Prepare
    await store.create(conversation('lab-1', { channel: 'whatsapp' }));
    await store.create(
      conversation('lab-2', { channel: 'whatsapp', lastMessageAt: '2026-11-23T10:01:00.000Z' }),
    );
    await store.create(
      conversation('lab-3', { channel: 'whatsapp', lastMessageAt: '2026-11-23T10:02:00.000Z' }),
    );
    await agent.assign('lab-3', { assignee: 'agent-7', at: AT, by: 'agent-7' });

    // Act
    await inbox.updateLabels('lab-1', () => ['iade']);
    const twice = await inbox.updateLabels('lab-1', (current) => [...current, 'vip']);
    await inbox.updateLabels('lab-2', () => ['iade']);
    await inbox.snooze('lab-2', { until: '2026-11-24T00:00:00.000Z', at: AT, by: 'agent-7' });
    const snooze = { show: 'awake' as const, now: NOW };
    const byLabel = await agent.list({ channel: 'whatsapp', label: 'iade', snooze }, { limit: 10 });
    const snoozed = await agent.list(
      { channel: 'whatsapp', snooze: { show: 'snoozed', now: NOW } },
      { limit: 10 },
    );
    const unassigned = await agent.list({ channel: 'whatsapp', unassigned: true, snooze }, { limit: 10 });
    const later = await agent.list(
      { channel: 'whatsapp', label: 'iade', snooze: { show: 'awake', now: '2026-11-24T01:00:00.000Z' } },
      { limit: 10 },
    );

    // Assess
    expect(twice?.labels).toEqual(['iade', 'vip']);
    expect(byLabel.items.map((c) => c.id)).toEqual(['lab-1']);
    expect(snoozed.items.map((c) => c.id)).toEqual(['lab-2']);
    expect(unassigned.items.map((c) => c.id)).toEqual(['lab-1']);
    expect(later.items.map((c) => c.id)).toEqual(['lab-2', 'lab-1']);
  });

  it('keeps canned responses in one partition: create once, update, delete by mark', async () => {
    // Prepare
    const canned = new DynamoCannedResponses(table.db, table.tableName);
    const response = {
      id: 'cr-1',
      shortcut: 'siparis',
      title: 'Sipariş',
      text: 'Merhaba {customer.name}',
      language: 'tr',
      createdAt: AT,
      updatedAt: AT,
      updatedBy: 'admin',
    };

    // Act
    const created = await canned.create(response);
    const again = await canned.create({ ...response, title: 'other' });
    const updated = await canned.update({ ...response, title: 'Sipariş durumu', language: undefined });
    const listed = await canned.list();
    const removed = await canned.remove('cr-1', NOW, 'admin');
    const removedAgain = await canned.remove('cr-1', NOW, 'admin');
    const recreated = await canned.create(response);

    // Assess
    expect(created.created).toBe(true);
    expect(again).toEqual({ created: false, stored: response });
    expect(updated).toMatchObject({ title: 'Sipariş durumu', createdAt: AT });
    expect(updated?.language).toBeUndefined();
    expect(listed.map((r) => r.id)).toEqual(['cr-1']);
    expect([removed, removedAgain]).toEqual([true, false]);
    expect(recreated.created).toBe(true);
  });
});
