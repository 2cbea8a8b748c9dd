import { describe, expect, it } from 'vitest';
import { DynamoAgentConversations } from '../../functions/adapters/dynamodb/agent-conversations.ts';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import type { Conversation } from '../../functions/core/model.ts';
import type {
  AgentConversations,
  ConversationQuery,
  ConversationStore,
  ListPosition,
  SurveyAnswers,
} from '../../functions/core/ports/conversations.ts';
import { inboundMessage, openConversation } from '../support/conversation-builders.ts';
import { MemoryAgentConversations } from '../support/in-memory-agent-ports.ts';
import { inMemoryAndDynamoDb, uniqueId } from './implementations.ts';

const AT = '2026-11-23T10:00:00.000Z';
const hour = (h: number) => `2026-11-23T${String(h).padStart(2, '0')}:00:00.000Z`;

const implementations = inMemoryAndDynamoDb<{
  store: ConversationStore;
  agent: AgentConversations & SurveyAnswers;
}>(
  () => {
    const conversations = new MemoryAgentConversations();
    return { store: conversations, agent: conversations };
  },
  (table) => ({
    store: new DynamoConversationStore(table.db, table.tableName),
    agent: new DynamoAgentConversations(table.db, table.tableName),
  }),
);

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ id: uniqueId('conv'), customerId: uniqueId('cust'), ...overrides });
}

/** Every conversation a listing returns, page by page. */
async function listAll(agent: AgentConversations, query: ConversationQuery, limit: number) {
  const pages: string[][] = [];
  let after: readonly ListPosition[] | undefined;
  do {
    const page = await agent.list(query, { limit, ...(after ? { after } : {}) });
    pages.push(page.items.map((c) => c.id));
    after = page.next;
  } while (after && pages.length < 10);
  return pages.flat();
}

describe.each(implementations)('AgentConversations and SurveyAnswers ($name)', ({ make }) => {
  it("lists an agent's conversations newest activity first, page by page, each once", async () => {
    // Prepare
    const { store, agent } = await make();
    const assignee = uniqueId('agent');
    const created = [9, 11, 10].map((h) => conversation({ lastMessageAt: hour(h), createdAt: hour(h) }));
    for (const c of created) {
      await store.create(c);
      await agent.assign(c.id, { assignee, at: AT, by: 'agent-lead' });
    }

    // Act
    const listed = await listAll(agent, { assignee, status: 'open' }, 2);

    // Assess
    const [nine, eleven, ten] = created.map((c) => c.id);
    expect(listed).toEqual([eleven, ten, nine]);
  });

  it('lists by last activity within and across hours, each once, and what moves meanwhile is not repeated', async () => {
    // Prepare: id order is not activity order, over three hours
    const { store, agent } = await make();
    const assignee = uniqueId('agent');
    const times = { a: '10:50', b: '10:10', c: '10:30', d: '11:05', e: '11:55', f: '09:59' };
    const ids = new Map<string, string>();
    for (const [name, time] of Object.entries(times)) {
      const stored = conversation({ createdAt: hour(9), lastMessageAt: hour(9) });
      ids.set(name, stored.id);
      await store.create(stored);
      await agent.assign(stored.id, { assignee, at: AT, by: 'agent-lead' });
      await store.appendMessage(inboundMessage(stored.id, uniqueId('m'), `2026-11-23T${time}:00.000Z`));
    }
    const named = (names: string) => [...names].map((name) => ids.get(name));
    const query = { assignee };

    // Act
    const listed = await listAll(agent, query, 2);
    const first = await agent.list(query, { limit: 2 });
    await store.appendMessage(inboundMessage(ids.get('e') ?? '', uniqueId('m'), '2026-11-23T12:00:00.000Z'));
    await store.appendMessage(inboundMessage(ids.get('c') ?? '', uniqueId('m'), '2026-11-23T12:01:00.000Z'));
    const rest: string[] = [];
    for (let after = first.next; after; ) {
      const page = await agent.list(query, { limit: 2, after });
      rest.push(...page.items.map((c) => c.id));
      after = page.next;
    }
    const fresh = await agent.list(query, { limit: 2 });

    // Assess
    expect(listed).toEqual(named('edacbf'));
    expect(first.items.map((c) => c.id)).toEqual(named('ed'));
    expect(rest).toEqual(named('abf'));
    expect(fresh.items.map((c) => c.id)).toEqual(named('ce'));
  });

  it('assigns and unassigns, stamping who did it, and knows no conversation that is not there', async () => {
    // Prepare
    const { store, agent } = await make();
    const stored = conversation();
    await store.create(stored);

    // Act
    const assigned = await agent.assign(stored.id, { assignee: 'agent-7', at: AT, by: 'agent-lead' });
    const unassigned = await agent.assign(stored.id, { at: hour(11), by: 'agent-7' });
    const unknown = await agent.assign(uniqueId('conv-unknown'), { assignee: 'agent-7', at: AT, by: 'x' });

    // Assess
    expect(assigned).toMatchObject({ assignee: 'agent-7', assignedAt: AT, assignedBy: 'agent-lead' });
    expect(unassigned).toMatchObject({ assignedAt: hour(11), assignedBy: 'agent-7' });
    expect(unassigned).not.toHaveProperty('assignee');
    expect(unknown).toBeUndefined();
  });

  it('closes once, ending a snooze, and reports the second close as no change', async () => {
    // Prepare
    const { store, agent } = await make();
    const stored = conversation({ snoozedUntil: hour(15), snoozedAt: AT, snoozedBy: 'agent-7' });
    await store.create(stored);
    const close = { status: 'closed' as const, at: hour(12), by: 'agent-7' };

    // Act
    const first = await agent.changeStatus(stored.id, close);
    const second = await agent.changeStatus(stored.id, close);

    // Assess
    expect(first?.changed).toBe(true);
    expect(first?.conversation).toMatchObject({ status: 'closed', closedAt: hour(12), closedBy: 'agent-7' });
    expect(first?.conversation).not.toHaveProperty('snoozedUntil');
    expect(second?.changed).toBe(false);
    expect(await agent.changeStatus(uniqueId('conv-unknown'), close)).toBeUndefined();
  });

  it("reads a conversation's messages oldest first and a customer's conversations newest first", async () => {
    // Prepare
    const { store, agent } = await make();
    const customerId = uniqueId('cust');
    const older = conversation({ customerId, lastMessageAt: hour(9) });
    const newer = conversation({ customerId, lastMessageAt: hour(10) });
    for (const c of [older, newer]) await store.create(c);
    await store.appendMessage(inboundMessage(older.id, 'm-2', hour(12)));
    await store.appendMessage(inboundMessage(older.id, 'm-1', hour(11)));

    // Act
    const messages = await agent.listMessages(older.id);
    const ofCustomer = await agent.conversationsOf(customerId, 10);

    // Assess
    expect(messages.map((m) => m.id)).toEqual(['m-1', 'm-2']);
    expect(ofCustomer.map((c) => c.id)).toEqual([older.id, newer.id]);
  });

  it('notes one survey per conversation and keeps the first score, finding the surveyed conversation', async () => {
    // Prepare
    const { store, agent } = await make();
    const stored = conversation({ channel: 'sms' });
    await store.create(stored);
    const survey = { queuedAt: AT, outboundId: uniqueId('survey'), channel: 'sms' as const };

    // Act
    const queued = await agent.markSurveyQueued(stored.id, survey);
    const queuedAgain = await agent.markSurveyQueued(stored.id, { ...survey, queuedAt: hour(11) });
    const found = await agent.surveyedConversation(stored.customerId, 'sms', new Date(hour(9)));
    const scored = await agent.recordCsat(stored.id, { score: 5, messageId: 'm-5', at: hour(11) });
    const sameAnswer = await agent.recordCsat(stored.id, { score: 5, messageId: 'm-5', at: hour(11) });
    const otherAnswer = await agent.recordCsat(stored.id, { score: 1, messageId: 'm-6', at: hour(12) });

    // Assess
    expect([queued, queuedAgain]).toEqual([true, false]);
    expect(found?.id).toBe(stored.id);
    expect([scored, sameAnswer, otherAnswer]).toEqual([true, true, false]);
    expect((await agent.get(stored.id))?.csat?.score).toBe(5);
    expect(await agent.surveyedConversation(stored.customerId, 'sms', new Date(hour(12)))).toBeUndefined();
  });
});
