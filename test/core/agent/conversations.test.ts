import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AgentDeps,
  assignConversation,
  changeConversationStatus,
  closeConversation,
  customerTimeline,
  getConversation,
  listConversations,
} from '../../../functions/core/agent/conversations.ts';
import { replyToConversation } from '../../../functions/core/agent/reply.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../../functions/core/errors.ts';
import type { Conversation, Customer, Message } from '../../../functions/core/model.ts';
import type { ChannelInsights, InsightCounters } from '../../../functions/core/ports/service-levels.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import { openConversation } from '../../support/conversation-builders.ts';
import { MemoryAgentConversations } from '../../support/in-memory-agent-ports.ts';
import { MemoryCustomers, MemoryQueue, readableIds } from '../../support/in-memory-ports.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const AGENT = { id: 'agent-7' };

class RecordingInsights implements ChannelInsights {
  readonly added: Array<{ channel: string; counters: InsightCounters }> = [];
  async add(channel: Conversation['channel'], _at: Date, counters: InsightCounters) {
    this.added.push({ channel, counters });
  }
  async read() {
    return [];
  }
}

function customer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'cust-1',
    name: 'Ayşe Yılmaz',
    consent: {},
    identities: [
      { kind: 'email', value: 'ayse@example.com' },
      { kind: 'phone', value: '+905321112233' },
    ],
    createdAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ subject: 'Siparişim nerede?', language: 'tr', ...overrides });
}

function inbound(overrides: Partial<Message> = {}): Message {
  return {
    id: 'msg-1',
    conversationId: 'conv-1',
    direction: 'inbound',
    channel: 'email',
    at: '2026-11-23T09:00:00.000Z',
    text: 'Kargom nerede?',
    attachments: [],
    language: 'tr',
    from: { kind: 'email', value: 'ayse.work@example.com' },
    emailThreading: { messageId: 'q2@mail.example.com', references: ['q1@mail.example.com'] },
    ...overrides,
  };
}

let deps: AgentDeps & { conversations: MemoryAgentConversations; outbound: MemoryQueue };
let insights: RecordingInsights;

beforeEach(async () => {
  const customers = new MemoryCustomers();
  customers.customers.set('cust-1', customer());
  const conversations = new MemoryAgentConversations();
  conversations.conversations.set('conv-1', conversation());
  await conversations.appendMessage(inbound());
  insights = new RecordingInsights();
  deps = {
    clock: { now: () => NOW },
    ids: readableIds,
    config: sandboxSupportConfig,
    customers,
    conversations,
    outbound: new MemoryQueue(),
    insights: { insights, config: sandboxSupportConfig, clock: { now: () => NOW } },
  };
});

describe('listConversations', () => {
  it('lists open conversations by default and hands back a token for the next page', async () => {
    // Prepare
    deps.conversations.conversations.set(
      'conv-2',
      conversation({ id: 'conv-2', lastMessageAt: '2026-11-23T09:30:00.000Z' }),
    );

    // Act
    const first = await listConversations(deps, { limit: 1 });
    const second = await listConversations(deps, { limit: 1, nextToken: first.nextToken });

    // Assess
    expect(deps.conversations.listCalls[0]?.query).toEqual({
      status: 'open',
      channel: undefined,
      assignee: undefined,
    });
    expect(first.items.map((c) => c.id)).toEqual(['conv-2']);
    expect(second.items.map((c) => c.id)).toEqual(['conv-1']);
    expect(second.nextToken).toBeUndefined();
  });

  it('lists every status of an assignee when no status is asked for', async () => {
    // Act
    await listConversations(deps, { assignee: 'agent-7' });

    // Assess
    expect(deps.conversations.listCalls[0]?.query.status).toBeUndefined();
  });

  it.each([0, 101, 2.5])('refuses a page size of %s with the field limit', async (limit) => {
    // Act / Assess
    await expect(listConversations(deps, { limit })).rejects.toMatchObject({ field: 'limit' });
  });
});

describe('getConversation and customerTimeline', () => {
  it('reads a conversation with its messages, and 404s an unknown one', async () => {
    // Act
    const detail = await getConversation(deps, 'conv-1');

    // Assess
    expect(detail.messages.map((m) => m.id)).toEqual(['msg-1']);
    await expect(getConversation(deps, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('merges the messages of every conversation of the customer by time', async () => {
    // Prepare
    deps.conversations.conversations.set('conv-sms', conversation({ id: 'conv-sms', channel: 'sms' }));
    await deps.conversations.appendMessage(
      inbound({ id: 'sms-1', conversationId: 'conv-sms', channel: 'sms', at: '2026-11-23T08:00:00.000Z' }),
    );

    // Act
    const timeline = await customerTimeline(deps, 'cust-1');

    // Assess
    expect(timeline.messages.map((m) => m.id)).toEqual(['sms-1', 'msg-1']);
    expect(timeline.conversations).toHaveLength(2);
    await expect(customerTimeline(deps, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('replyToConversation', () => {
  it('queues an agent reply to the address the customer wrote from, threaded under their mail', async () => {
    // Act
    const result = await replyToConversation(deps, {
      conversationId: 'conv-1',
      text: ' Yarın teslim. ',
      agent: AGENT,
    });

    // Assess
    const [request] = deps.outbound.sent;
    expect(request).toMatchObject({
      id: result.outboundId,
      kind: 'agent-reply',
      channel: 'email',
      to: 'ayse.work@example.com',
      language: 'tr',
      subject: 'Re: Siparişim nerede?',
      text: 'Yarın teslim.',
      agentId: 'agent-7',
      email: {
        inReplyTo: 'q2@mail.example.com',
        references: ['q1@mail.example.com', 'q2@mail.example.com'],
        replyToken: 'conv-1',
      },
    });
  });

  it('gives a retried reply the same id, and a reply under a new customer message a new one', async () => {
    // Act
    const first = await replyToConversation(deps, { conversationId: 'conv-1', text: 'Tamam', agent: AGENT });
    const retried = await replyToConversation(deps, {
      conversationId: 'conv-1',
      text: 'Tamam',
      agent: AGENT,
    });
    await deps.conversations.appendMessage(inbound({ id: 'msg-2', at: '2026-11-23T09:40:00.000Z' }));
    const later = await replyToConversation(deps, { conversationId: 'conv-1', text: 'Tamam', agent: AGENT });
    const keyed = await replyToConversation(deps, {
      conversationId: 'conv-1',
      text: 'Tamam',
      agent: AGENT,
      idempotencyKey: 'k-1',
    });

    // Assess
    expect(retried.outboundId).toBe(first.outboundId);
    expect(later.outboundId).not.toBe(first.outboundId);
    expect(keyed.outboundId).not.toBe(later.outboundId);
  });

  it('answers an SMS conversation by SMS to the phone number, without email fields', async () => {
    // Prepare
    deps.conversations.conversations.set('conv-sms', conversation({ id: 'conv-sms', channel: 'sms' }));
    await deps.conversations.appendMessage(
      inbound({
        id: 'sms-1',
        conversationId: 'conv-sms',
        channel: 'sms',
        from: { kind: 'phone', value: '+905321112233' },
        emailThreading: undefined,
      }),
    );

    // Act
    await replyToConversation(deps, { conversationId: 'conv-sms', text: 'Merhaba', agent: AGENT });

    // Assess
    expect(deps.outbound.sent[0]).toMatchObject({
      channel: 'sms',
      to: '+905321112233',
      subject: undefined,
      email: undefined,
    });
  });

  it.each([
    ['empty text', { conversationId: 'conv-1', text: '   ' }, 'text'],
    ['a voice conversation', { conversationId: 'conv-voice', text: 'Merhaba' }, 'channel'],
  ])('refuses %s with the field', async (_case, input, field) => {
    // Prepare
    deps.conversations.conversations.set('conv-voice', conversation({ id: 'conv-voice', channel: 'voice' }));

    // Act / Assess
    const error = await replyToConversation(deps, { ...input, agent: AGENT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect(deps.outbound.sent).toHaveLength(0);
  });

  it('refuses an SMS reply to a customer who sent STOP', async () => {
    // Prepare
    deps.conversations.conversations.set('conv-sms', conversation({ id: 'conv-sms', channel: 'sms' }));
    (deps.customers as MemoryCustomers).customers.set('cust-1', customer({ consent: { sms: 'opted-out' } }));

    // Act / Assess
    await expect(
      replyToConversation(deps, { conversationId: 'conv-sms', text: 'Merhaba', agent: AGENT }),
    ).rejects.toMatchObject({ field: 'channel' });
    expect(deps.outbound.sent).toHaveLength(0);
  });

  it('404s an unknown conversation', async () => {
    // Act / Assess
    await expect(
      replyToConversation(deps, { conversationId: 'nope', text: 'x', agent: AGENT }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets only the assignee reply when replies are restricted to the assignee', async () => {
    // Prepare
    const restricted = { ...deps, repliesOnlyByAssignee: true };
    deps.conversations.conversations.set('conv-1', conversation({ assignee: 'agent-9' }));
    deps.conversations.conversations.set('conv-free', conversation({ id: 'conv-free' }));

    // Act
    const byOther = await replyToConversation(restricted, {
      conversationId: 'conv-1',
      text: 'Merhaba',
      agent: AGENT,
    }).catch((e: unknown) => e);
    const unassigned = await replyToConversation(restricted, {
      conversationId: 'conv-free',
      text: 'Merhaba',
      agent: AGENT,
    }).catch((e: unknown) => e);
    const byAssignee = await replyToConversation(restricted, {
      conversationId: 'conv-1',
      text: 'Merhaba',
      agent: { id: 'agent-9' },
    });

    // Assess
    expect(byOther).toBeInstanceOf(ForbiddenError);
    expect((byOther as ForbiddenError).reason).toMatch(/only the assigned agent \(agent-9\) may reply/);
    expect((unassigned as ForbiddenError).reason).toMatch(
      /nobody is assigned: assign the conversation to yourself/,
    );
    expect(deps.outbound.sent.map((r) => r.id)).toEqual([byAssignee.outboundId]);
    expect(deps.outbound.sent[0]?.agentId).toBe('agent-9');
  });
});

describe('assign, status and close', () => {
  it('records who assigned the conversation to whom', async () => {
    // Act
    const assigned = await assignConversation(deps, {
      conversationId: 'conv-1',
      assignee: 'agent-9',
      agent: AGENT,
    });
    const unassigned = await assignConversation(deps, { conversationId: 'conv-1', agent: AGENT });

    // Assess
    expect(assigned).toMatchObject({
      assignee: 'agent-9',
      assignedBy: 'agent-7',
      assignedAt: NOW.toISOString(),
    });
    expect(unassigned.assignee).toBeUndefined();
    await expect(assignConversation(deps, { conversationId: 'nope', agent: AGENT })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('refuses a status agents do not set with the field status', async () => {
    // Act / Assess
    await expect(
      changeConversationStatus(deps, { conversationId: 'conv-1', status: 'quarantined', agent: AGENT }),
    ).rejects.toMatchObject({ field: 'status' });
  });

  it('closes once, counts one resolution and queues one survey in the customer language', async () => {
    // Act
    const first = await closeConversation(deps, { conversationId: 'conv-1', agent: AGENT });
    const second = await closeConversation(deps, { conversationId: 'conv-1', agent: AGENT });

    // Assess
    expect(first).toMatchObject({ changed: true, conversation: { status: 'closed', closedBy: 'agent-7' } });
    expect(second.changed).toBe(false);
    expect(second.survey).toEqual({ queued: false, reason: 'already-surveyed' });
    const surveys = deps.outbound.sent.filter((r) => r.kind === 'survey');
    expect(surveys).toHaveLength(1);
    expect(surveys[0]).toMatchObject({ channel: 'email', to: 'ayse.work@example.com', language: 'tr' });
    expect(surveys[0]?.text).toContain('1 (hiç memnun değilim) ile 5');
    expect(insights.added.filter((a) => a.counters.resolutions !== undefined)).toHaveLength(1);
  });

  it('closing through the status route is a close (with its survey)', async () => {
    // Act
    const result = await changeConversationStatus(deps, {
      conversationId: 'conv-1',
      status: 'closed',
      agent: AGENT,
    });

    // Assess
    expect(result.survey).toMatchObject({ queued: true, channel: 'email' });
  });
});
