import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DynamoConversationStore,
  newestConversationsOf,
} from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { documentClient } from '../../../functions/adapters/dynamodb/document-client.ts';
import { customerIndexKey, keys, statusIndexKey } from '../../../functions/adapters/dynamodb/keys.ts';
import { conversationTable } from '../../../functions/adapters/dynamodb/table-definition.ts';
import { MAX_TEXT_BYTES } from '../../../functions/channels/email/parse-inbound-email.ts';
import { utf8Prefix, withBodyKeptAside } from '../../../functions/core/conversations/long-body.ts';
import type { Conversation } from '../../../functions/core/model.ts';
import { inboundMessage, openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';
import { MemoryAttachments } from '../../support/in-memory-ports.ts';

const AT_TEN = '2026-11-23T10:00:00.000Z';

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: DynamoConversationStore;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoConversationStore(table.db, table.tableName);
});

/** An open email conversation started 2026-11-23 10:00 UTC. */
function conversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ id, createdAt: AT_TEN, lastMessageAt: AT_TEN, ...overrides });
}

const message = inboundMessage;

describe('DynamoConversationStore on DynamoDB Local', () => {
  it('creates a conversation once and returns the stored one to a second creator', async () => {
    // Prepare
    await store.create(conversation('conv-create', { subject: 'first' }));

    // Act
    const second = await store.create(conversation('conv-create', { subject: 'second' }));

    // Assess
    expect(second.subject).toBe('first');
  });

  it('stores a message once, however often it is appended', async () => {
    // Prepare
    await store.create(conversation('conv-dup'));
    const m = message('conv-dup', 'm1', '2026-11-23T10:01:00.000Z');

    // Act
    const results = await Promise.all([
      store.appendMessage(m),
      store.appendMessage(m),
      store.appendMessage(m),
    ]);

    // Assess
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.listMessages('conv-dup')).toHaveLength(1);
  });

  it('moves the conversation clocks forward and never back for a late message', async () => {
    // Prepare
    await store.create(conversation('conv-clock'));
    await store.appendMessage(message('conv-clock', 'm2', '2026-11-23T10:05:00.000Z'));

    // Act
    await store.appendMessage(message('conv-clock', 'm1', '2026-11-23T10:02:00.000Z'));

    // Assess
    const stored = await store.get('conv-clock');
    expect(stored?.lastMessageAt).toBe('2026-11-23T10:05:00.000Z');
    expect(stored?.lastInboundAt).toBe('2026-11-23T10:05:00.000Z');
    expect(await store.listMessages('conv-clock')).toHaveLength(2);
  });

  it('keeps the first agent reply as the first response and the latest as the last agent reply', async () => {
    // Prepare
    await store.create(conversation('conv-replies'));
    const reply = (id: string, at: string) =>
      message('conv-replies', id, at, { direction: 'outbound', kind: 'agent-reply' });
    await store.appendMessage(reply('r1', '2026-11-23T10:10:00.000Z'));
    await store.appendMessage(message('conv-replies', 'm1', '2026-11-23T10:20:00.000Z'));

    // Act
    await store.appendMessage(reply('r2', '2026-11-23T10:30:00.000Z'));
    await store.appendMessage(
      message('conv-replies', 'a1', '2026-11-23T10:40:00.000Z', {
        direction: 'outbound',
        kind: 'auto-reply',
      }),
    );

    // Assess
    expect(await store.get('conv-replies')).toMatchObject({
      firstResponseAt: '2026-11-23T10:10:00.000Z',
      lastAgentReplyAt: '2026-11-23T10:30:00.000Z',
    });
  });

  it('re-opens a closed conversation when asked to', async () => {
    // Prepare
    await store.create(conversation('conv-closed', { status: 'closed' }));

    // Act
    await store.appendMessage(message('conv-closed', 'm1', '2026-11-23T11:00:00.000Z'), { reopen: true });

    // Assess
    expect((await store.get('conv-closed'))?.status).toBe('open');
  });

  it('finds a conversation by the first known email reference', async () => {
    // Prepare
    await store.recordEmailReference('<a@example.com>', { conversationId: 'conv-a', customerId: 'cust-1' });
    await store.recordEmailReference('<b@example.com>', { conversationId: 'conv-b', customerId: 'cust-1' });

    // Act
    const found = await store.findByEmailReference([
      '<unknown@example.com>',
      '<b@example.com>',
      '<a@example.com>',
    ]);
    const none = await store.findByEmailReference(['<unknown@example.com>']);

    // Assess
    expect(found?.conversationId).toBe('conv-b');
    expect(none).toBeUndefined();
  });

  it("finds the customer's newest open conversation on a channel through the customer index", async () => {
    // Prepare
    const customerId = 'cust-open';
    await store.create(
      conversation('conv-old', { customerId, channel: 'sms', lastMessageAt: '2026-11-20T10:00:00.000Z' }),
    );
    await store.create(
      conversation('conv-new', { customerId, channel: 'sms', lastMessageAt: '2026-11-23T09:00:00.000Z' }),
    );
    await store.create(
      conversation('conv-closed-sms', {
        customerId,
        channel: 'sms',
        status: 'closed',
        lastMessageAt: '2026-11-23T09:30:00.000Z',
      }),
    );
    await store.create(
      conversation('conv-mail', { customerId, channel: 'email', lastMessageAt: '2026-11-23T09:45:00.000Z' }),
    );

    // Act
    const open = await store.latestOpenConversation(customerId, 'sms');

    // Assess
    expect(open?.id).toBe('conv-new');
  });

  it('counts each contact once in the write that stores it, and starts again after an agent reply', async () => {
    // Prepare
    await store.create(conversation('conv-tally'));
    const first = await store.appendMessage(message('conv-tally', 't1', '2026-11-23T10:01:00.000Z'), {
      contactKey: 'inbound#sms#t1',
    });
    const second = await store.appendMessage(message('conv-tally', 't2', '2026-11-23T10:02:00.000Z'), {
      contactKey: 'inbound#sms#t2',
    });
    await store.appendMessage({
      ...message('conv-tally', 'r1', '2026-11-23T10:03:00.000Z'),
      direction: 'outbound',
      kind: 'agent-reply',
    });

    // Act
    const afterAnswer = await store.appendMessage(message('conv-tally', 't3', '2026-11-23T10:04:00.000Z'), {
      contactKey: 'inbound#sms#t3',
    });
    const late = await store.appendMessage(message('conv-tally', 't0', '2026-11-23T10:00:30.000Z'), {
      contactKey: 'inbound#sms#t0',
    });

    // Assess
    expect([first?.unansweredContacts, second?.unansweredContacts]).toEqual([1, 2]);
    expect(afterAnswer?.unansweredContacts).toBe(1);
    expect(late?.unansweredContacts).toBe(2);
    expect((await store.get('conv-tally'))?.lastMessageAt).toBe('2026-11-23T10:04:00.000Z');
  });

  it('keeps the by-customer index key at the creation time when messages arrive', async () => {
    // Prepare
    const customerId = 'cust-history';
    await store.create(conversation('conv-h-old', { customerId, createdAt: '2026-11-20T10:00:00.000Z' }));
    await store.create(conversation('conv-h-new', { customerId, createdAt: '2026-11-22T10:00:00.000Z' }));

    // Act
    await store.appendMessage(message('conv-h-old', 'h1', '2026-11-23T11:00:00.000Z'));
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: conversationTable.indexes.byCustomer.name,
        KeyConditionExpression: 'gsi1pk = :customer',
        ExpressionAttributeValues: { ':customer': customerIndexKey(customerId) },
        ScanIndexForward: false,
      }),
    );
    const history = await newestConversationsOf(table.db, table.tableName, customerId, 10);

    // Assess
    expect(page.Items?.map((item) => item.gsi1sk)).toEqual([
      '2026-11-22T10:00:00.000Z',
      '2026-11-20T10:00:00.000Z',
    ]);
    expect(history.map((c) => c.id)).toEqual(['conv-h-old', 'conv-h-new']);
  });

  it('keys an inbound message by its id and lists it in time order among messages stored by time', async () => {
    // Prepare: a message stored before inbound keys came from ids, and an agent reply
    await store.create(conversation('conv-keys'));
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.message('conv-keys', '2026-11-23T10:05:00.000Z', 'm-old'),
          entity: 'message',
          ...message('conv-keys', 'm-old', '2026-11-23T10:05:00.000Z', { text: 'old' }),
        },
      }),
    );
    await store.appendMessage({
      ...message('conv-keys', 'r-1', '2026-11-23T10:10:00.000Z', { text: 'reply' }),
      direction: 'outbound',
    });

    // Act
    await store.appendMessage(message('conv-keys', 'm-new', '2026-11-23T10:07:00.000Z', { text: 'new' }));

    // Assess
    const items = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'CONVERSATION#conv-keys', ':prefix': 'MESSAGE#IN#' },
      }),
    );
    expect(items.Items?.map((i) => i.sk)).toEqual(['MESSAGE#IN#m-new']);
    expect((await store.listMessages('conv-keys')).map((m) => m.text)).toEqual(['old', 'new', 'reply']);
  });

  it('counts the contact in the continuation and tells a late message from a refused one by the old image', async () => {
    // Prepare
    await store.create(conversation('conv-continue', { status: 'pending' }));
    const windowStart = '2026-11-23T09:00:00.000Z';

    // Act
    const continued = await store.continueConversation(
      message('conv-continue', 'm-1', '2026-11-23T10:20:00.000Z'),
      { windowStart },
      { contactKey: 'inbound#sms#1' },
    );
    const again = await store.continueConversation(
      message('conv-continue', 'm-1', '2026-11-23T10:20:00.000Z'),
      { windowStart },
      { contactKey: 'inbound#sms#1' },
    );
    const late = await store.continueConversation(
      message('conv-continue', 'm-0', '2026-11-23T10:15:00.000Z'),
      {
        windowStart,
      },
    );
    const quiet = await store.continueConversation(
      message('conv-continue', 'm-2', '2026-11-23T12:00:00.000Z'),
      {
        windowStart: '2026-11-23T11:00:00.000Z',
      },
    );

    // Assess
    expect(continued).toMatchObject({
      outcome: 'continued',
      unansweredContacts: 1,
      conversation: { status: 'open' },
    });
    expect(again).toMatchObject({ outcome: 'continued', unansweredContacts: 1 });
    expect(late).toMatchObject({
      outcome: 'late',
      conversation: { lastMessageAt: '2026-11-23T10:20:00.000Z' },
    });
    expect(quiet).toEqual({ outcome: 'refused' });
    const queued = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: conversationTable.indexes.byStatus.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': statusIndexKey('open', 'conv-continue') },
      }),
    );
    expect(queued.Items?.map((i) => i.id)).toContain('conv-continue');
  });
});

/** The capacity DynamoDB Local reports for every write the store sends, per index. */
function meteredStore() {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const consumed: { command: string; capacity: ConsumedCapacity }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const isWrite = /^(Put|Update|Delete)Item/.test(context.commandName ?? '');
      const result = await next(
        isWrite ? { ...args, input: { ...input, ReturnConsumedCapacity: 'INDEXES' } } : args,
      );
      const capacity = (result.output as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity;
      if (capacity) consumed.push({ command: context.commandName ?? '', capacity });
      return result;
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  return { store: new DynamoConversationStore(documentClient(client), table.tableName), consumed };
}

describe('DynamoConversationStore write units on DynamoDB Local', () => {
  it('writes no by-customer index entry when a message updates its conversation', async () => {
    // Prepare
    await store.create(conversation('conv-wcu', { customerId: 'cust-wcu' }));
    const metered = meteredStore();

    // Act
    await metered.store.appendMessage(message('conv-wcu', 'wcu1', '2026-11-23T10:05:00.000Z'));

    // Assess
    const update = metered.consumed.find((c) => c.command === 'UpdateItemCommand')?.capacity;
    expect(update).toBeDefined();
    expect(Object.keys(update?.GlobalSecondaryIndexes ?? {})).not.toContain(
      conversationTable.indexes.byCustomer.name,
    );
    expect(update?.GlobalSecondaryIndexes?.byStatus?.CapacityUnits).toBeGreaterThan(0);
  });
});

describe('a long mail on DynamoDB Local', () => {
  it('costs the item write units of its preview once its body is kept aside', async () => {
    // Prepare: a mail at the parser's cap, 64 KB of new text and no history (text and fullText alike)
    await store.create(conversation('conv-long-wcu'));
    const attachments = new MemoryAttachments();
    const text = utf8Prefix('Siparişim gelmedi, lütfen yardım edin. '.repeat(2_000), MAX_TEXT_BYTES);
    const long = message('conv-long-wcu', 'long-inline', '2026-11-23T10:06:00.000Z', {
      text,
      fullText: text,
    });
    const metered = meteredStore();

    // Act
    await metered.store.appendMessage(long);
    await metered.store.appendMessage(
      await withBodyKeptAside(attachments, { ...long, id: 'long-aside', at: '2026-11-23T10:07:00.000Z' }),
    );

    // Assess
    const puts = metered.consumed
      .filter((c) => c.command === 'PutItemCommand')
      .map((c) => c.capacity.CapacityUnits);
    expect(puts[0]).toBeGreaterThan(2 * 64);
    expect(puts[1]).toBeLessThanOrEqual(2);
    const listed = await store.listMessages('conv-long-wcu');
    expect(listed.find((m) => m.id === 'long-aside')?.storedBody?.objectKey).toBe(
      'attachments/message-bodies/conv-long-wcu/long-aside.json',
    );
  });
});
