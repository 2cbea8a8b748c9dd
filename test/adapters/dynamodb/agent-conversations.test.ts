import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentConversations } from '../../../functions/adapters/dynamodb/agent-conversations.ts';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { keys, statusShard } from '../../../functions/adapters/dynamodb/keys.ts';
import { listConversations } from '../../../functions/core/agent/conversations.ts';
import type { Channel, Conversation } from '../../../functions/core/model.ts';
import type {
  AgentConversations,
  ConversationQuery,
  ListPosition,
} from '../../../functions/core/ports/conversations.ts';
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

/** 2026-11-23 at `hh:mm` UTC. */
const at = (hh: number, mm: number) => new Date(Date.UTC(2026, 10, 23, hh, mm)).toISOString();

/** The ids of every page of a listing, page by page. */
async function pagesOf(lister: AgentConversations, query: ConversationQuery, limit: number) {
  const pages: string[][] = [];
  let after: readonly ListPosition[] | undefined;
  do {
    const page = await lister.list(query, { limit, ...(after ? { after } : {}) });
    pages.push(page.items.map((c) => c.id));
    after = page.next;
  } while (after && pages.length < 20);
  return pages;
}

/**
 * Conversations whose id order is not their activity order, over three hour buckets: newest
 * activity first they are e (11:55), d (11:05), a (10:50), c (10:30), b (10:10), f (09:59).
 */
const BUCKETED: ReadonlyArray<readonly [string, string]> = [
  ['a', at(10, 50)],
  ['b', at(10, 10)],
  ['c', at(10, 30)],
  ['d', at(11, 5)],
  ['e', at(11, 55)],
  ['f', at(9, 59)],
];
const NEWEST_FIRST = ['e', 'd', 'a', 'c', 'b', 'f'];

describe('the hour-bucketed queue indexes on DynamoDB Local', () => {
  let own: Awaited<ReturnType<typeof createTestTable>>;
  let ownStore: DynamoConversationStore;
  let ownAgent: DynamoAgentConversations;

  /** The BUCKETED conversations under `prefix`, created at 09:00 and then messaged at their time. */
  async function seed(prefix: string, options: { readonly assignee?: string } = {}) {
    for (const [name, time] of BUCKETED) {
      const id = `${prefix}-${name}`;
      await ownStore.create(
        conversation(id, { customerId: `cust-${prefix}`, createdAt: at(9, 0), lastMessageAt: at(9, 0) }),
      );
      if (options.assignee)
        await ownAgent.assign(id, { assignee: options.assignee, at: at(9, 1), by: 'lead' });
      await ownStore.appendMessage(message(id, `${id}-m`, time));
    }
    return (names: readonly string[]) => names.map((name) => `${prefix}-${name}`);
  }

  async function queueKeysOf(id: string) {
    const item = (await own.db.send(new GetCommand({ TableName: own.tableName, Key: keys.conversation(id) })))
      .Item;
    return { status: item?.gsi2sk, assignee: item?.gsi3sk };
  }

  beforeAll(async () => {
    own = await createTestTable();
    ownStore = new DynamoConversationStore(own.db, own.tableName);
    ownAgent = new DynamoAgentConversations(own.db, own.tableName);
  });

  it('keeps the queue keys in place for a message in the same hour and moves them for a later hour', async () => {
    // Prepare
    await ownStore.create(conversation('hk-1', { customerId: 'cust-hk', lastMessageAt: at(10, 0) }));
    await ownAgent.assign('hk-1', { assignee: 'agent-hk', at: at(10, 1), by: 'lead' });
    const created = await queueKeysOf('hk-1');

    // Act
    await ownStore.appendMessage(message('hk-1', 'hk-m1', at(10, 40)));
    const sameHour = await queueKeysOf('hk-1');
    await ownStore.appendMessage(message('hk-1', 'hk-m2', at(11, 2)));
    const nextHour = await queueKeysOf('hk-1');

    // Assess
    expect(created).toEqual({ status: '2026-11-23T10#hk-1', assignee: '2026-11-23T10#hk-1' });
    expect(sameHour).toEqual(created);
    expect(nextHour).toEqual({ status: '2026-11-23T11#hk-1', assignee: '2026-11-23T11#hk-1' });
    expect((await ownAgent.get('hk-1'))?.lastMessageAt).toBe(at(11, 2));
  });

  it('lists the status queue by last activity within and across hour buckets, page by page, each once', async () => {
    // Prepare
    const ids = await seed('st');
    const query = { status: 'open' as const, channel: 'email' as const };

    // Act
    const whole = await pagesOf(ownAgent, query, 50);
    const paged = await pagesOf(ownAgent, query, 2);

    // Assess
    expect(whole.flat().filter((id) => id.startsWith('st-'))).toEqual(ids(NEWEST_FIRST));
    expect(paged.flat().filter((id) => id.startsWith('st-'))).toEqual(ids(NEWEST_FIRST));
    expect(new Set(paged.flat()).size).toBe(paged.flat().length);
  });

  it("lists an agent's conversations by last activity across buckets, reading a bucket larger than a page whole", async () => {
    // Prepare: seven more in the 10:00 bucket, their ids in the opposite order of their activity
    const ids = await seed('as', { assignee: 'agent-as' });
    for (let i = 0; i < 7; i++) {
      const id = `as-g${i}`;
      await ownStore.create(conversation(id, { customerId: 'cust-as', lastMessageAt: at(10, 20 - i) }));
      await ownAgent.assign(id, { assignee: 'agent-as', at: at(10, 21), by: 'lead' });
    }
    const tenToTwenty = Array.from({ length: 7 }, (_, i) => `as-g${i}`);

    // Act
    const pages = await pagesOf(ownAgent, { assignee: 'agent-as' }, 2);

    // Assess
    expect(pages.flat()).toEqual([...ids(['e', 'd', 'a', 'c']), ...tenToTwenty, ...ids(['b', 'f'])]);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
  });

  it('neither repeats nor skips between pages; what gets a message meanwhile is at the top of a fresh list', async () => {
    // Prepare
    const ids = await seed('mv', { assignee: 'agent-mv' });
    const query = { assignee: 'agent-mv' };
    const first = await ownAgent.list(query, { limit: 2 });

    // Act: one already shown and one not yet shown get a message in a newer hour
    await ownStore.appendMessage(message('mv-e', 'mv-e-late', at(12, 0)));
    await ownStore.appendMessage(message('mv-c', 'mv-c-late', at(12, 1)));
    const rest: string[] = [];
    let after = first.next;
    while (after) {
      const page = await ownAgent.list(query, { limit: 2, after });
      rest.push(...page.items.map((c) => c.id));
      after = page.next;
    }
    const fresh = await ownAgent.list(query, { limit: 2 });

    // Assess
    expect(first.items.map((c) => c.id)).toEqual(ids(['e', 'd']));
    expect(rest).toEqual(ids(['a', 'b', 'f']));
    expect(fresh.items.map((c) => c.id)).toEqual(ids(['c', 'e']));
  });

  it('lists conversations whose queue keys are still the last activity itself with the bucketed ones', async () => {
    // Prepare: c and f keep keys of the format before the buckets (`<lastMessageAt>`)
    const ids = await seed('old', { assignee: 'agent-old' });
    for (const name of ['c', 'f']) {
      await own.db.send(
        new UpdateCommand({
          TableName: own.tableName,
          Key: keys.conversation(`old-${name}`),
          UpdateExpression: 'SET gsi2sk = lastMessageAt, gsi3sk = lastMessageAt',
        }),
      );
    }

    // Act
    const assigned = await pagesOf(ownAgent, { assignee: 'agent-old' }, 2);
    const queue = await pagesOf(ownAgent, { status: 'open' }, 3);
    await ownStore.appendMessage(message('old-f', 'old-f-next', at(10, 40)));
    const afterMessage = await pagesOf(ownAgent, { assignee: 'agent-old' }, 50);

    // Assess
    expect(assigned.flat()).toEqual(ids(NEWEST_FIRST));
    expect(queue.flat().filter((id) => id.startsWith('old-'))).toEqual(ids(NEWEST_FIRST));
    expect(afterMessage.flat()).toEqual(ids(['e', 'd', 'a', 'f', 'c', 'b']));
    expect((await queueKeysOf('old-f')).status).toBe('2026-11-23T10#old-f');
  });
});

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
