import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoVoiceContacts } from '../../../functions/adapters/dynamodb/voice-contacts.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let contacts: DynamoVoiceContacts;
let conversations: DynamoConversationStore;

const AT = '2026-11-23T10:00:00.000Z';

beforeAll(async () => {
  table = await createTestTable();
  contacts = new DynamoVoiceContacts(table.db, table.tableName);
  conversations = new DynamoConversationStore(table.db, table.tableName);
});

describe('DynamoVoiceContacts on DynamoDB Local', () => {
  it('remembers a contact and keeps what was set first when told again', async () => {
    // Act
    const first = await contacts.remember({ contactId: 'c-1', phone: '+905321234567', firstSeenAt: AT });
    const second = await contacts.remember({
      contactId: 'c-1',
      customerId: 'cust-1',
      phone: '+905559999999',
      firstSeenAt: '2026-11-23T10:05:00.000Z',
    });

    // Assess
    expect(first).toEqual({ contactId: 'c-1', phone: '+905321234567', firstSeenAt: AT });
    expect(second).toEqual({
      contactId: 'c-1',
      customerId: 'cust-1',
      phone: '+905321234567',
      firstSeenAt: AT,
    });
    expect(await contacts.get('c-1')).toEqual(second);
    expect(await contacts.get('c-unknown')).toBeUndefined();
  });

  it('binds a contact to the first conversation it is given, even without a record yet', async () => {
    // Act
    const first = await contacts.bindConversation('c-2', 'conv-a');
    const again = await contacts.bindConversation('c-2', 'conv-a');
    const other = await contacts.bindConversation('c-2', 'conv-b');

    // Assess
    expect([first, again, other]).toEqual(['conv-a', 'conv-a', 'conv-a']);
    expect((await contacts.get('c-2'))?.conversationId).toBe('conv-a');
  });

  it('lets only the first mark count a call, and keeps what the record held', async () => {
    // Prepare
    await contacts.remember({ contactId: 'c-3', phone: '+905321234567', firstSeenAt: AT });

    // Act
    const marks = await Promise.all([
      contacts.markCounted('c-3', '2026-11-23T10:01:00.000Z'),
      contacts.markCounted('c-3', '2026-11-23T10:02:00.000Z'),
    ]);
    const again = await contacts.markCounted('c-3', '2026-11-23T10:03:00.000Z');
    const unseen = await contacts.markCounted('c-4', '2026-11-23T10:04:00.000Z');

    // Assess
    expect([...marks].sort()).toEqual([false, true]);
    expect(again).toBe(false);
    expect(unseen).toBe(true);
    expect(await contacts.get('c-3')).toMatchObject({
      contactId: 'c-3',
      phone: '+905321234567',
      firstSeenAt: AT,
      countedAt: expect.stringMatching(/^2026-11-23T10:0[12]/),
    });
  });

  it("finds the customer's most recent open conversation on any channel through the index", async () => {
    // Prepare
    const base = { customerId: 'cust-open', createdAt: AT };
    await conversations.create({
      ...base,
      id: 'conv-old',
      channel: 'email',
      status: 'open',
      lastMessageAt: AT,
    });
    await conversations.create({
      ...base,
      id: 'conv-closed',
      channel: 'email',
      status: 'closed',
      lastMessageAt: '2026-11-23T10:10:00.000Z',
    });
    await conversations.create({
      ...base,
      id: 'conv-sms',
      channel: 'sms',
      status: 'open',
      lastMessageAt: '2026-11-23T10:05:00.000Z',
    });

    // Act
    const open = await contacts.openConversation('cust-open');

    // Assess
    expect(open).toMatchObject({ id: 'conv-sms', channel: 'sms' });
    expect(await contacts.openConversation('cust-none')).toBeUndefined();
  });
});
