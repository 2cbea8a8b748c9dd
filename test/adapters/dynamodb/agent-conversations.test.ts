import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentConversations } from '../../../functions/adapters/dynamodb/agent-conversations.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { statusShard } from '../../../functions/adapters/dynamodb/keys.ts';
import { listConversations } from '../../../functions/core/agent/conversations.ts';
import type { Channel, Conversation } from '../../../functions/core/model.ts';
import { inboundMessage, openConversation } from '../../support/conversation-builders.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

const AT_TEN = '2026-11-23T10:00:00.000Z';

let table: Awaited<ReturnType<typeof createTestTable>>;
let store: DynamoConversationStore;
let agent: DynamoAgentConversations;

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoConversationStore(table.db, table.tableName);
  agent = new DynamoAgentConversations(table.db, table.tableName);
});

/** An open email conversation started 2026-11-23 10:00 UTC. */
function conversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({
    id,
    customerId: 'cust-list',
    createdAt: AT_TEN,
    lastMessageAt: AT_TEN,
    ...overrides,
  });
}

const message = inboundMessage;

const minute = (m: number) => new Date(Date.UTC(2026, 10, 23, 11, m)).toISOString();

describe('DynamoAgentConversations on DynamoDB Local', () => {
  describe('listing the pending queue across shards', () => {
    const channels: Channel[] = ['email', 'sms', 'whatsapp'];
    const ids = Array.from({ length: 14 }, (_, i) => `pend-${i}`);

    beforeAll(async () => {
      for (const [i, id] of ids.entries()) {
        await store.create(
          conversation(id, {
            status: 'pending',
            channel: channels[i % 3] as Channel,
            lastMessageAt: minute(i),
          }),
        );
      }
    });

    it('spreads the conversations over more than one shard', () => {
      // Assess
      expect(new Set(ids.map(statusShard)).size).toBeGreaterThan(1);
    });

    it('pages through them newest activity first, each once, with a token between pages', async () => {
      // Act
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await listConversations(
          { conversations: agent },
          { status: 'pending', limit: 4, nextToken },
        );
        seen.push(...page.items.map((c) => c.id));
        nextToken = page.nextToken;
        pages += 1;
      } while (nextToken && pages < 10);

      // Assess
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(4);
    });

    it('narrows by channel and still goes newest first', async () => {
      // Act
      const page = await listConversations(
        { conversations: agent },
        { status: 'pending', channel: 'sms', limit: 10 },
      );

      // Assess
      expect(page.items.map((c) => c.id)).toEqual(['pend-13', 'pend-10', 'pend-7', 'pend-4', 'pend-1']);
      expect(page.items.every((c) => c.channel === 'sms')).toBe(true);
    });

    it('moves a conversation between status lists when its status changes, and says when nothing changed', async () => {
      // Act
      const closed = await agent.changeStatus('pend-0', { status: 'closed', at: minute(30), by: 'agent-1' });
      const again = await agent.changeStatus('pend-0', { status: 'closed', at: minute(31), by: 'agent-1' });
      const pending = await agent.list({ status: 'pending' }, { limit: 50 });
      const closedList = await agent.list({ status: 'closed' }, { limit: 50 });

      // Assess
      expect(closed).toMatchObject({
        changed: true,
        conversation: { status: 'closed', closedAt: minute(30), closedBy: 'agent-1' },
      });
      expect(again).toMatchObject({ changed: false, conversation: { closedAt: minute(30) } });
      expect(pending.items.map((c) => c.id)).not.toContain('pend-0');
      expect(closedList.items.map((c) => c.id)).toContain('pend-0');
      expect(await agent.changeStatus('nope', { status: 'open', at: minute(1), by: 'a' })).toBeUndefined();
    });
  });

  it('lists an agent conversations through the assignee index, kept in activity order', async () => {
    // Prepare
    await store.create(conversation('asg-1', { lastMessageAt: minute(1) }));
    await store.create(conversation('asg-2', { lastMessageAt: minute(2) }));
    await agent.assign('asg-1', { assignee: 'agent-9', at: minute(3), by: 'lead' });
    await agent.assign('asg-2', { assignee: 'agent-9', at: minute(3), by: 'lead' });

    // Act: a new message moves asg-1 to the top
    await store.appendMessage(message('asg-1', 'm-new', minute(5)));
    const listed = await agent.list({ assignee: 'agent-9' }, { limit: 10 });
    await agent.assign('asg-2', { at: minute(6), by: 'lead' });
    const afterUnassign = await agent.list({ assignee: 'agent-9' }, { limit: 10 });

    // Assess
    expect(listed.items.map((c) => c.id)).toEqual(['asg-1', 'asg-2']);
    expect(listed.items[0]).toMatchObject({ assignee: 'agent-9', assignedBy: 'lead' });
    expect(afterUnassign.items.map((c) => c.id)).toEqual(['asg-1']);
    expect(await agent.assign('nope', { assignee: 'x', at: minute(1), by: 'a' })).toBeUndefined();
  });

  it('finds a customer conversations newest first and their messages', async () => {
    // Prepare
    await store.create(conversation('tl-1', { customerId: 'cust-tl', lastMessageAt: minute(1) }));
    await store.create(
      conversation('tl-2', { customerId: 'cust-tl', channel: 'sms', lastMessageAt: minute(2) }),
    );
    await store.appendMessage(message('tl-1', 'tl-m1', minute(1)));

    // Act
    const conversations = await agent.conversationsOf('cust-tl', 10);
    const messages = await agent.listMessages('tl-1');

    // Assess
    expect(conversations.map((c) => c.id)).toEqual(['tl-2', 'tl-1']);
    expect(messages.map((m) => m.id)).toEqual(['tl-m1']);
  });

  it('notes one survey per conversation and keeps the first answer', async () => {
    // Prepare
    await store.create(conversation('sv-1', { customerId: 'cust-sv', channel: 'sms', status: 'closed' }));
    const survey = { queuedAt: minute(10), outboundId: 'survey-sv-1', channel: 'sms' as const };

    // Act
    const first = await agent.markSurveyQueued('sv-1', survey);
    const second = await agent.markSurveyQueued('sv-1', { ...survey, queuedAt: minute(20) });
    const found = await agent.surveyedConversation('cust-sv', 'sms', new Date(minute(0)));
    const tooOld = await agent.surveyedConversation('cust-sv', 'sms', new Date(minute(11)));
    const otherChannel = await agent.surveyedConversation('cust-sv', 'email', new Date(minute(0)));
    const answered = await agent.recordCsat('sv-1', { score: 5, at: minute(12), messageId: 'in-5' });
    const sameAgain = await agent.recordCsat('sv-1', { score: 5, at: minute(12), messageId: 'in-5' });
    const later = await agent.recordCsat('sv-1', { score: 1, at: minute(13), messageId: 'in-1' });

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(found?.survey).toEqual(survey);
    expect(tooOld).toBeUndefined();
    expect(otherChannel).toBeUndefined();
    expect([answered, sameAgain, later]).toEqual([true, true, false]);
    expect((await agent.get('sv-1'))?.csat).toEqual({ score: 5, at: minute(12), messageId: 'in-5' });
  });
});
