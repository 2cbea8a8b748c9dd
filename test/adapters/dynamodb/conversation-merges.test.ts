import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentConversations } from '../../../functions/adapters/dynamodb/agent-conversations.ts';
import { DynamoConversationMerges } from '../../../functions/adapters/dynamodb/conversation-merges.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from '../../../functions/adapters/dynamodb/customer-directory.ts';
import { getConversation } from '../../../functions/core/agent/conversations.ts';
import {
  type MergeConversationsDeps,
  mergeConversations,
} from '../../../functions/core/agent/merge-conversations.ts';
import { ConflictError } from '../../../functions/core/errors.ts';
import { inboundMessage, openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

const AT = '2026-11-23T12:00:00.000Z';
const AGENT = { id: 'admin-1' };

let store: DynamoConversationStore;
let agentView: DynamoAgentConversations;
let merges: DynamoConversationMerges;
let deps: MergeConversationsDeps;

let table: Awaited<ReturnType<typeof createTestTable>>;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoConversationStore(table.db, table.tableName);
  agentView = new DynamoAgentConversations(table.db, table.tableName);
  merges = new DynamoConversationMerges(table.db, table.tableName);
  deps = {
    clock: { now: () => new Date(AT) },
    customers: new DynamoCustomerDirectory(table.db, table.tableName),
    conversations: agentView,
    merges,
  };
});

async function pair(prefix: string, customerId = `${prefix}-cust`) {
  await store.create(openConversation({ id: `${prefix}-a`, customerId, channel: 'sms' }));
  await store.create(openConversation({ id: `${prefix}-b`, customerId }));
  await store.appendMessage(
    inboundMessage(`${prefix}-a`, 'sms-1', '2026-11-23T09:10:00.000Z', { channel: 'sms', text: 'by sms' }),
  );
  await store.appendMessage(
    inboundMessage(`${prefix}-b`, 'mail-1', '2026-11-23T09:20:00.000Z', { text: 'by mail' }),
  );
}

describe('conversation merges on DynamoDB', () => {
  it('closes the source with mergedInto, lists it on the target, and shows its messages in the target timeline', async () => {
    // Prepare
    await pair('m1');

    // Act
    const result = await mergeConversations(deps, { sourceId: 'm1-a', targetId: 'm1-b', agent: AGENT });
    const source = await agentView.get('m1-a');
    const target = await getConversation({ conversations: agentView }, 'm1-b');
    const open = await agentView.list({ status: 'open' }, { limit: 50 });

    // Assess
    expect(result.changed).toBe(true);
    expect(result.conversation.mergedFrom).toEqual(['m1-a']);
    expect(source).toMatchObject({ status: 'closed', mergedInto: 'm1-b', mergedBy: 'admin-1', closedAt: AT });
    expect(target.messages.map((m) => m.text)).toEqual(['by sms', 'by mail']);
    expect(open.items.map((c) => c.id)).not.toContain('m1-a');
  });

  it('is a no-op the second time, and a retry after a crash between the two writes completes the merge', async () => {
    // Prepare: the first write happened, the second did not.
    await pair('m2');
    await merges.recordMergedFrom('m2-b', ['m2-a']);

    // Act
    const retried = await mergeConversations(deps, { sourceId: 'm2-a', targetId: 'm2-b', agent: AGENT });
    const again = await mergeConversations(deps, { sourceId: 'm2-a', targetId: 'm2-b', agent: AGENT });

    // Assess
    expect(retried.changed).toBe(true);
    expect((await agentView.get('m2-a'))?.mergedInto).toBe('m2-b');
    expect(again.changed).toBe(false);
    expect(again.conversation.mergedFrom).toEqual(['m2-a']);
  });

  it('refuses conversations of two customers, and a source merged elsewhere, with the field', async () => {
    // Prepare
    await pair('m3');
    await store.create(openConversation({ id: 'm3-other', customerId: 'someone-else' }));
    await pair('m4');
    await mergeConversations(deps, { sourceId: 'm4-a', targetId: 'm4-b', agent: AGENT });
    await store.create(openConversation({ id: 'm4-c', customerId: 'm4-cust' }));

    // Act
    const strangers = await mergeConversations(deps, {
      sourceId: 'm3-a',
      targetId: 'm3-other',
      agent: AGENT,
    }).catch((error: unknown) => error);
    const twice = await mergeConversations(deps, { sourceId: 'm4-a', targetId: 'm4-c', agent: AGENT }).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(strangers).toBeInstanceOf(ConflictError);
    expect((strangers as ConflictError).reason).toMatch(/different customers/);
    expect(twice).toMatchObject({ field: 'sourceId' });
  });

  it("points the customer's follow-ups at the target when the merged source was the channel's conversation", async () => {
    // Prepare: two SMS conversations of one customer, the profile pointing at the source
    const customers = new DynamoCustomerDirectory(table.db, table.tableName);
    const identity = { kind: 'phone', value: '+905321117777' } as const;
    await customers.createWithIdentity(
      { id: 'pm-cust', consent: {}, identities: [identity], createdAt: '2026-11-23T09:00:00.000Z' },
      identity,
    );
    await store.create(openConversation({ id: 'pm-a', customerId: 'pm-cust', channel: 'sms' }));
    await store.create(openConversation({ id: 'pm-b', customerId: 'pm-cust', channel: 'sms' }));
    const since = '2026-11-23T09:00:00.000Z';
    await customers.pointOpenConversation(
      'pm-cust',
      'sms',
      { conversationId: 'pm-a', since, previous: [] },
      undefined,
    );

    // Act
    await mergeConversations(deps, { sourceId: 'pm-a', targetId: 'pm-b', agent: AGENT });

    // Assess
    expect((await customers.get('pm-cust'))?.openConversations?.sms).toEqual({
      conversationId: 'pm-b',
      since: AT,
      previous: ['pm-a'],
    });
  });
});
