import { describe, expect, it } from 'vitest';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from '../../functions/adapters/dynamodb/customer-directory.ts';
import {
  DynamoCannedResponses,
  DynamoCustomerNames,
  DynamoInboxConversations,
  DynamoReadMarkers,
} from '../../functions/adapters/dynamodb/inbox.ts';
import type {
  CannedResponse,
  CannedResponseStore,
  CustomerNames,
  InboxConversations,
  ReadMarkers,
} from '../../functions/core/agent/inbox-ports.ts';
import type { Conversation, Message } from '../../functions/core/model.ts';
import type { ConversationStore } from '../../functions/core/ports/conversations.ts';
import type { CustomerDirectory } from '../../functions/core/ports/customers.ts';
import { openConversation } from '../support/conversation-builders.ts';
import {
  MemoryAgentConversations,
  MemoryCannedResponses,
  MemoryCustomerNames,
  MemoryInboxConversations,
  MemoryReadMarkers,
} from '../support/in-memory-agent-ports.ts';
import { MemoryCustomers } from '../support/in-memory-ports.ts';
import { inMemoryAndDynamoDb, uniqueId } from './implementations.ts';

const AT = '2026-11-23T10:00:00.000Z';
const hour = (h: number) => `2026-11-23T${String(h).padStart(2, '0')}:00:00.000Z`;

interface InboxPorts {
  store: ConversationStore;
  customers: CustomerDirectory;
  inbox: InboxConversations;
  readMarkers: ReadMarkers;
  names: CustomerNames;
  canned: CannedResponseStore;
}

const implementations = inMemoryAndDynamoDb<InboxPorts>(
  () => {
    const conversations = new MemoryAgentConversations();
    const customers = new MemoryCustomers();
    return {
      store: conversations,
      customers,
      inbox: new MemoryInboxConversations(conversations),
      readMarkers: new MemoryReadMarkers(),
      names: new MemoryCustomerNames(customers),
      canned: new MemoryCannedResponses(),
    };
  },
  (table) => ({
    store: new DynamoConversationStore(table.db, table.tableName),
    customers: new DynamoCustomerDirectory(table.db, table.tableName),
    inbox: new DynamoInboxConversations(table.db, table.tableName),
    readMarkers: new DynamoReadMarkers(table.db, table.tableName),
    names: new DynamoCustomerNames(table.db, table.tableName),
    canned: new DynamoCannedResponses(table.db, table.tableName),
  }),
);

async function newConversation(store: ConversationStore, overrides: Partial<Conversation> = {}) {
  return store.create(openConversation({ id: uniqueId('conv'), customerId: uniqueId('cust'), ...overrides }));
}

function note(conversationId: string, at: string): Message {
  return {
    id: uniqueId('note'),
    conversationId,
    direction: 'note',
    channel: 'email',
    at,
    text: 'Müşteri kargo takip numarasını istiyor.',
    attachments: [],
    agentId: 'agent-7',
  };
}

describe.each(implementations)('the inbox ports ($name)', ({ make }) => {
  it('keeps a note posted twice once, at the time of the first post', async () => {
    // Prepare
    const { store, inbox } = await make();
    const conversation = await newConversation(store);
    const first = note(conversation.id, hour(10));

    // Act
    const stored = await inbox.appendNote(first);
    const retried = await inbox.appendNote({ ...first, at: hour(11) });

    // Assess
    expect(stored).toEqual(first);
    expect(retried).toEqual(first);
  });

  it('changes labels from the current ones, and knows no conversation that is not there', async () => {
    // Prepare
    const { store, inbox } = await make();
    const conversation = await newConversation(store);

    // Act
    await inbox.updateLabels(conversation.id, (current) => [...current, 'vip']);
    const updated = await inbox.updateLabels(conversation.id, (current) => [...current, 'refund']);
    const unknown = await inbox.updateLabels(uniqueId('conv-unknown'), () => ['x']);

    // Assess
    expect(updated?.labels).toEqual(['vip', 'refund']);
    expect(updated).not.toHaveProperty('labelsVersion');
    expect(unknown).toBeUndefined();
  });

  it('snoozes until a time and wakes up when the snooze is cleared', async () => {
    // Prepare
    const { store, inbox } = await make();
    const conversation = await newConversation(store);

    // Act
    const snoozed = await inbox.snooze(conversation.id, { until: hour(15), at: AT, by: 'agent-7' });
    const awake = await inbox.snooze(conversation.id, { until: undefined, at: hour(11), by: 'agent-7' });

    // Assess
    expect(snoozed).toMatchObject({ snoozedUntil: hour(15), snoozedAt: AT, snoozedBy: 'agent-7' });
    expect(awake).not.toHaveProperty('snoozedUntil');
    expect(
      await inbox.snooze(uniqueId('conv-unknown'), { until: hour(15), at: AT, by: 'x' }),
    ).toBeUndefined();
  });

  it("moves the agents' read time and each agent's read marker only forward", async () => {
    // Prepare
    const { store, inbox, readMarkers } = await make();
    const conversation = await newConversation(store);
    const agentId = uniqueId('agent');

    // Act
    await inbox.recordAgentRead(conversation.id, hour(11));
    await inbox.recordAgentRead(conversation.id, hour(10));
    await readMarkers.markRead(agentId, conversation.id, hour(11));
    await readMarkers.markRead(agentId, conversation.id, hour(10));

    // Assess
    expect((await store.get(conversation.id))?.agentReadAt).toBe(hour(11));
    const marks = await readMarkers.readAtOf(agentId, [conversation.id, uniqueId('conv-unread')]);
    expect([...marks]).toEqual([[conversation.id, hour(11)]]);
  });

  it('names the customers who have a name, and leaves out the others', async () => {
    // Prepare
    const { customers, names } = await make();
    const named = { id: uniqueId('cust'), name: 'Ayşe Yılmaz', consent: {}, identities: [], createdAt: AT };
    const unnamed = { id: uniqueId('cust'), consent: {}, identities: [], createdAt: AT };
    await customers.createWithIdentity(named, { kind: 'email', value: `${named.id}@example.com` });
    await customers.createWithIdentity(unnamed, { kind: 'email', value: `${unnamed.id}@example.com` });

    // Act
    const found = await names.namesOf([named.id, unnamed.id, uniqueId('cust-unknown')]);

    // Assess
    expect([...found]).toEqual([[named.id, 'Ayşe Yılmaz']]);
  });

  it('creates, updates and removes canned responses, listing the live ones by shortcut', async () => {
    // Prepare
    const { canned } = await make();
    const response = (shortcut: string): CannedResponse => ({
      id: uniqueId('canned'),
      shortcut,
      title: `Title of ${shortcut}`,
      text: 'Merhaba {customer.name}, siparişiniz {order.id} yolda.',
      language: 'tr',
      createdAt: AT,
      updatedAt: AT,
      updatedBy: 'agent-7',
    });
    const kargo = response(uniqueId('kargo'));
    const iade = response(uniqueId('iade'));

    // Act
    const created = await canned.create(kargo);
    const again = await canned.create({ ...kargo, title: 'other' });
    await canned.create(iade);
    const updated = await canned.update({ ...kargo, title: 'Kargo', updatedAt: hour(11) });
    const removed = await canned.remove(iade.id, hour(12), 'agent-7');
    const removedAgain = await canned.remove(iade.id, hour(12), 'agent-7');

    // Assess
    expect(created).toEqual({ created: true, stored: kargo });
    expect(again).toEqual({ created: false, stored: kargo });
    expect(updated).toEqual({ ...kargo, title: 'Kargo', updatedAt: hour(11) });
    expect([removed, removedAgain]).toEqual([true, false]);
    expect(await canned.get(iade.id)).toBeUndefined();
    const listed = (await canned.list()).filter((r) => r.id === kargo.id || r.id === iade.id);
    expect(listed).toEqual([{ ...kargo, title: 'Kargo', updatedAt: hour(11) }]);
    expect(await canned.update(iade)).toBeUndefined();
  });
});
