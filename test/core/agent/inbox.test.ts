import { beforeEach, describe, expect, it } from 'vitest';
import { changeLabels, MAX_LABELS } from '../../../functions/core/agent/labels.ts';
import { addNote } from '../../../functions/core/agent/notes.ts';
import { markConversationRead } from '../../../functions/core/agent/read-state.ts';
import {
  deadlineOf,
  getConversationRow,
  listConversationRows,
  PREVIEW_CHARACTERS,
  previewOf,
} from '../../../functions/core/agent/rows.ts';
import { snoozeConversation } from '../../../functions/core/agent/snooze.ts';
import type {
  ChatConnection,
  ChatConnections,
  ChatGateway,
  ChatServerFrame,
} from '../../../functions/core/chat/ports.ts';
import { resyncChat } from '../../../functions/core/chat/visitor-chat.ts';
import { InvalidInputError, NotFoundError } from '../../../functions/core/errors.ts';
import type { Conversation } from '../../../functions/core/model.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import { inboundMessage, openConversation } from '../../support/conversation-builders.ts';
import { MemoryAgentConversations, memoryInboxDeps } from '../../support/in-memory-agent-ports.ts';
import { MemoryCustomers, MemoryQueue } from '../../support/in-memory-ports.ts';

// Monday 13:00 in Istanbul: open 09:00–18:00, first response within 120 business minutes.
const NOW = new Date('2026-11-23T10:00:00.000Z');
const AGENT = { id: 'agent-7' };

class RecordingGateway implements ChatGateway {
  readonly posted: Array<{ connectionId: string; frame: ChatServerFrame }> = [];
  async post(connectionId: string, frame: ChatServerFrame) {
    this.posted.push({ connectionId, frame });
    return connectionId === 'gone' ? ('gone' as const) : ('sent' as const);
  }
}

class OpenSockets implements ChatConnections {
  readonly live: ChatConnection[] = [];
  readonly closed: string[] = [];
  async ofVisitor(visitorId: string) {
    return this.live.filter((c) => c.visitorId === visitorId);
  }
  async close(_visitorId: string, connectionId: string) {
    this.closed.push(connectionId);
  }
  async open(connection: ChatConnection) {
    this.live.push(connection);
  }
}

let conversations: MemoryAgentConversations;
let customers: MemoryCustomers;
let deps: ReturnType<typeof memoryInboxDeps>;
let gateway: RecordingGateway;
let sockets: OpenSockets;

function conversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ id, customerId: 'cust-1', ...overrides });
}

beforeEach(() => {
  conversations = new MemoryAgentConversations();
  customers = new MemoryCustomers();
  customers.customers.set('cust-1', {
    id: 'cust-1',
    name: 'Ayşe Yılmaz',
    consent: {},
    identities: [],
    createdAt: '2026-11-20T10:00:00.000Z',
  });
  gateway = new RecordingGateway();
  sockets = new OpenSockets();
  deps = memoryInboxDeps({
    clock: { now: () => NOW },
    config: sandboxSupportConfig,
    conversations,
    customers,
    chat: { gateway, connections: sockets },
  });
});

describe('previews', () => {
  it('folds a message to one line of at most 140 characters, cut with an ellipsis', () => {
    // Act
    const preview = previewOf(
      inboundMessage('c', 'm', NOW.toISOString(), {
        text: `Merhaba,\n\n  kargom\tnerede? ${'ç'.repeat(300)}`,
      }),
    );

    // Assess
    expect(preview?.text.startsWith('Merhaba, kargom nerede? ç')).toBe(true);
    expect(preview?.text.length).toBe(PREVIEW_CHARACTERS);
    expect(preview?.text.endsWith('…')).toBe(true);
    expect(preview).toMatchObject({ direction: 'inbound', channel: 'email', at: NOW.toISOString() });
  });

  it('names the files of a message without text, and notes have none', () => {
    // Act
    const files = previewOf(
      inboundMessage('c', 'm', NOW.toISOString(), {
        text: '',
        attachments: [{ filename: 'fatura.pdf', contentType: 'application/pdf', size: 10 }],
      }),
    );
    const note = previewOf(inboundMessage('c', 'm', NOW.toISOString(), { direction: 'note' }));

    // Assess
    expect(files?.text).toBe('[fatura.pdf]');
    expect(note).toBeUndefined();
  });

  it('is written when a message is stored, and a customer message wakes a snoozed conversation', async () => {
    // Prepare
    conversations.conversations.set('c1', conversation('c1', { snoozedUntil: '2026-11-24T10:00:00.000Z' }));

    // Act
    await conversations.appendMessage(
      inboundMessage('c1', 'm1', '2026-11-23T09:30:00.000Z', { text: 'Hâlâ bekliyorum' }),
    );

    // Assess
    const stored = conversations.conversations.get('c1');
    expect(stored?.preview?.text).toBe('Hâlâ bekliyorum');
    expect(stored?.snoozedUntil).toBeUndefined();
  });
});

describe('deadlines in business minutes', () => {
  it('counts down the first response, then shows it breached once passed', () => {
    // Act
    const waiting = deadlineOf(
      conversation('a', { createdAt: '2026-11-23T09:30:00.000Z', lastInboundAt: '2026-11-23T09:30:00.000Z' }),
      sandboxSupportConfig,
      NOW,
    );
    const late = deadlineOf(
      conversation('b', { createdAt: '2026-11-23T07:00:00.000Z', lastInboundAt: '2026-11-23T07:00:00.000Z' }),
      sandboxSupportConfig,
      NOW,
    );

    // Assess
    expect(waiting).toEqual({
      kind: 'firstResponse',
      dueAt: '2026-11-23T11:30:00.000Z',
      businessMinutesLeft: 90,
      breached: false,
    });
    expect(late).toMatchObject({ kind: 'firstResponse', businessMinutesLeft: -60, breached: true });
  });

  it('moves to the resolution target once answered, and has none when closed or never written in', () => {
    // Act
    const answered = deadlineOf(
      conversation('a', {
        lastInboundAt: '2026-11-23T09:00:00.000Z',
        firstResponseAt: '2026-11-23T09:10:00.000Z',
      }),
      sandboxSupportConfig,
      NOW,
    );
    const closed = deadlineOf(
      conversation('b', { status: 'closed', lastInboundAt: '2026-11-23T09:00:00.000Z' }),
      sandboxSupportConfig,
      NOW,
    );
    const proactive = deadlineOf(conversation('c'), sandboxSupportConfig, NOW);

    // Assess
    expect(answered?.kind).toBe('resolution');
    expect(answered?.breached).toBe(false);
    expect(closed).toBeUndefined();
    expect(proactive).toBeUndefined();
  });
});

describe('queue rows', () => {
  beforeEach(async () => {
    for (const [id, createdAt, assignee] of [
      ['old', '2026-11-23T07:00:00.000Z', undefined],
      ['new', '2026-11-23T09:30:00.000Z', undefined],
      ['mine', '2026-11-23T08:00:00.000Z', AGENT.id],
    ] as const) {
      conversations.conversations.set(
        id,
        conversation(id, { createdAt, lastMessageAt: createdAt, ...(assignee ? { assignee } : {}) }),
      );
    }
    await conversations.appendMessage(inboundMessage('old', 'm-old', '2026-11-23T07:00:00.000Z'));
    await conversations.appendMessage(inboundMessage('mine', 'm-mine', '2026-11-23T08:00:00.000Z'));
    await conversations.appendMessage(
      inboundMessage('new', 'm-new', '2026-11-23T09:30:00.000Z', { text: 'Yeni' }),
    );
  });

  it('carry the customer name, preview, labels, unread and deadline from one batch read of each kind', async () => {
    // Act
    const page = await listConversationRows(deps, AGENT, {});

    // Assess
    expect(page.items.map((r) => r.id)).toEqual(['new', 'mine', 'old']);
    expect(page.items[0]).toMatchObject({
      customer: { id: 'cust-1', name: 'Ayşe Yılmaz' },
      preview: { text: 'Yeni', direction: 'inbound', channel: 'email' },
      labels: [],
      unread: true,
      deadline: { kind: 'firstResponse', businessMinutesLeft: 90 },
    });
    expect(deps.names.batchReads).toEqual([1]);
    expect(deps.readMarkers.batchReads).toEqual([3]);
  });

  it('lists mine and unassigned views, and refuses a view that contradicts the assignee', async () => {
    // Act
    const mine = await listConversationRows(deps, AGENT, { view: 'mine' });
    const unassigned = await listConversationRows(deps, AGENT, { view: 'unassigned' });
    const contradiction = listConversationRows(deps, AGENT, { view: 'mine', assignee: 'agent-9' });

    // Assess
    expect(mine.items.map((r) => r.id)).toEqual(['mine']);
    expect(unassigned.items.map((r) => r.id)).toEqual(['new', 'old']);
    await expect(contradiction).rejects.toMatchObject({ field: 'view' });
  });

  it('sorts by the soonest deadline first', async () => {
    // Act
    const page = await listConversationRows(deps, AGENT, { sort: 'deadline', limit: 2 });
    const next = await listConversationRows(deps, AGENT, { sort: 'deadline', nextToken: page.nextToken });

    // Assess
    expect(page.items.map((r) => r.id)).toEqual(['old', 'mine']);
    expect(next.items.map((r) => r.id)).toEqual(['new']);
    expect(next.nextToken).toBeUndefined();
  });

  it('becomes read for the agent who read it, unread again when the customer writes, and filters on unread', async () => {
    // Act
    await markConversationRead(deps, { conversationId: 'new', agent: AGENT });
    const afterRead = await listConversationRows(deps, AGENT, { unread: true });
    const otherAgent = await listConversationRows(deps, { id: 'agent-9' }, { unread: true });
    await conversations.appendMessage(inboundMessage('new', 'm-new-2', '2026-11-23T10:05:00.000Z'));
    const afterWrite = await listConversationRows(deps, AGENT, { unread: true });

    // Assess
    expect(afterRead.items.map((r) => r.id)).toEqual(['mine', 'old']);
    expect(otherAgent.items.map((r) => r.id)).toEqual(['new', 'mine', 'old']);
    expect(afterWrite.items.map((r) => r.id)).toEqual(['new', 'mine', 'old']);
  });

  it('leaves a snoozed conversation out of the open queue until the snooze passes or the customer writes', async () => {
    // Act
    const snoozed = await snoozeConversation(deps, {
      conversationId: 'old',
      until: '2026-11-24T06:00:00.000Z',
      agent: AGENT,
    });
    const queue = await listConversationRows(deps, AGENT, {});
    const snoozedTab = await listConversationRows(deps, AGENT, { snoozed: true });
    const tomorrow = await listConversationRows(
      { ...deps, clock: { now: () => new Date('2026-11-24T07:00:00.000Z') } },
      AGENT,
      {},
    );
    await conversations.appendMessage(inboundMessage('old', 'm-old-2', '2026-11-23T10:01:00.000Z'));
    const afterWrite = await listConversationRows(deps, AGENT, {});

    // Assess
    expect(snoozed).toMatchObject({ snoozedUntil: '2026-11-24T06:00:00.000Z', snoozedBy: AGENT.id });
    expect(queue.items.map((r) => r.id)).toEqual(['new', 'mine']);
    expect(snoozedTab.items.map((r) => [r.id, r.snoozedUntil])).toEqual([
      ['old', '2026-11-24T06:00:00.000Z'],
    ]);
    expect(tomorrow.items.map((r) => r.id)).toContain('old');
    expect(tomorrow.items.find((r) => r.id === 'old')?.snoozedUntil).toBeUndefined();
    expect(afterWrite.items.map((r) => r.id)).toContain('old');
  });

  it('refuses a snooze in the past, too far ahead, or of a closed conversation', async () => {
    // Prepare
    conversations.conversations.set('done', conversation('done', { status: 'closed' }));

    // Act
    const attempts = [
      snoozeConversation(deps, { conversationId: 'old', until: '2026-11-23T09:00:00Z', agent: AGENT }),
      snoozeConversation(deps, { conversationId: 'old', until: '2027-11-23T09:00:00Z', agent: AGENT }),
      snoozeConversation(deps, { conversationId: 'done', until: '2026-11-24T09:00:00Z', agent: AGENT }),
    ];

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('labels', () => {
  beforeEach(() => {
    conversations.conversations.set('c1', conversation('c1'));
  });

  it('adds lowercase labels once, removes others, and filters the queue by label', async () => {
    // Act
    await changeLabels(deps, { conversationId: 'c1', add: ['İade', 'vip'], agent: AGENT });
    const changed = await changeLabels(deps, {
      conversationId: 'c1',
      add: ['iade'],
      remove: ['VIP'],
      agent: AGENT,
    });
    const byLabel = await listConversationRows(deps, AGENT, { label: 'iade' });

    // Assess
    expect(changed.labels).toEqual(['iade']);
    expect(byLabel.items.map((r) => r.id)).toEqual(['c1']);
  });

  it('refuses a label that is not one, and more than the maximum', async () => {
    // Act
    const wrong = changeLabels(deps, { conversationId: 'c1', add: ['two words'], agent: AGENT });
    const tooMany = changeLabels(deps, {
      conversationId: 'c1',
      add: Array.from({ length: MAX_LABELS + 1 }, (_, i) => `l${i}`),
      agent: AGENT,
    });
    const unknown = changeLabels(deps, { conversationId: 'nope', add: ['x'], agent: AGENT });

    // Assess
    await expect(wrong).rejects.toMatchObject({ field: 'add.0' });
    await expect(tooMany).rejects.toBeInstanceOf(InvalidInputError);
    await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('private notes', () => {
  it('are stored once per idempotency key, shown on the timeline, and never queued', async () => {
    // Prepare
    conversations.conversations.set('c1', conversation('c1'));
    const outbound = new MemoryQueue();

    // Act
    const first = await addNote(deps, {
      conversationId: 'c1',
      text: 'Müşteri VIP',
      agent: AGENT,
      idempotencyKey: 'k1',
    });
    const retried = await addNote(
      { ...deps, clock: { now: () => new Date(NOW.getTime() + 5_000) } },
      { conversationId: 'c1', text: 'Müşteri VIP', agent: AGENT, idempotencyKey: 'k1' },
    );
    const detail = await getConversationRow(deps, AGENT, 'c1');

    // Assess
    expect(retried).toEqual(first);
    expect(first).toMatchObject({ direction: 'note', agentId: AGENT.id, text: 'Müşteri VIP' });
    expect(detail.messages.filter((m) => m.direction === 'note')).toHaveLength(1);
    expect(detail.conversation.preview).toBeUndefined();
    expect(outbound.sent).toEqual([]);
  });

  it('never reach the chat visitor on a resync', async () => {
    // Prepare
    conversations.conversations.set('chat-1', conversation('chat-1', { channel: 'chat' }));
    await conversations.appendMessage(
      inboundMessage('chat-1', 'v1', '2026-11-23T09:00:00.000Z', {
        channel: 'chat',
        from: { kind: 'chat', value: 'v-1' },
      }),
    );
    await addNote(deps, { conversationId: 'chat-1', text: 'iç not', agent: AGENT });

    // Act
    await resyncChat(
      {
        clock: { now: () => NOW },
        config: sandboxSupportConfig,
        customers: { findByIdentity: async () => customers.customers.get('cust-1') },
        history: conversations,
        gateway,
      },
      { connectionId: 'conn-1', visitorId: 'v-1' },
    );

    // Assess
    const history = gateway.posted.find((p) => p.frame.type === 'history')?.frame;
    expect(history?.type === 'history' && history.messages.map((m) => m.text)).toEqual(['hello']);
  });
});

describe('read state on a chat', () => {
  beforeEach(async () => {
    conversations.conversations.set('chat-1', conversation('chat-1', { channel: 'chat' }));
    for (const [id, at] of [
      ['v1', '2026-11-23T09:00:00.000Z'],
      ['v2', '2026-11-23T09:01:00.000Z'],
    ] as const) {
      await conversations.appendMessage(
        inboundMessage('chat-1', id, at, { channel: 'chat', from: { kind: 'chat', value: 'v-1' } }),
      );
    }
  });

  it("sends the read tick to the visitor's open widgets, forgets gone ones, and shows it on a resync", async () => {
    // Prepare
    for (const connectionId of ['tab-1', 'gone']) {
      sockets.live.push({
        connectionId,
        visitorId: 'v-1',
        connectedAt: NOW.toISOString(),
        expiresAt: NOW.toISOString(),
      });
    }

    // Act
    const result = await markConversationRead(deps, { conversationId: 'chat-1', agent: AGENT });
    await resyncChat(
      {
        clock: { now: () => NOW },
        config: sandboxSupportConfig,
        customers: { findByIdentity: async () => customers.customers.get('cust-1') },
        history: conversations,
        gateway,
      },
      { connectionId: 'tab-2', visitorId: 'v-1' },
    );

    // Assess
    expect(result).toEqual({ readAt: NOW.toISOString(), receipts: 1 });
    expect(gateway.posted.filter((p) => p.frame.type === 'read')).toEqual([
      { connectionId: 'tab-1', frame: { type: 'read', messageIds: ['v1', 'v2'] } },
      { connectionId: 'gone', frame: { type: 'read', messageIds: ['v1', 'v2'] } },
    ]);
    expect(sockets.closed).toEqual(['gone']);
    const history = gateway.posted.find((p) => p.frame.type === 'history')?.frame;
    expect(history?.type === 'history' && history.messages.map((m) => m.status)).toEqual(['read', 'read']);
  });
});
