import { beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../functions/core/model.ts';
import {
  type ContactEvent,
  type ContactEventDeps,
  isAbandoned,
  recordContactEvent,
} from '../../../functions/core/voice/contact-events.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import { MemoryChannelInsights, MemoryDeadlines } from '../../support/in-memory-insights.ts';
import {
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
  readableIds,
} from '../../support/in-memory-ports.ts';
import { MemoryDeferredSends } from '../../support/in-memory-sms-ports.ts';
import {
  MemoryAgentTasks,
  MemoryConnectContacts,
  MemoryEscalationLog,
  MemoryVoiceContacts,
} from '../../support/in-memory-voice-ports.ts';

// Monday 23 November 2026, 13:00 in Istanbul: the shop is open.
const OPEN = new Date('2026-11-23T10:30:00.000Z');
// The same Monday, 20:30 in Istanbul: closed until Tuesday 09:00 (06:00 UTC).
const CLOSED = new Date('2026-11-23T17:30:00.000Z');
const AYSE_PHONE = '+905321234567';
const QUEUE = 'arn:aws:connect:eu-central-1:111122223333:instance/i-1/queue/q-support';
const AGENT = 'arn:aws:connect:eu-central-1:111122223333:instance/i-1/agent/agent-7';

const ayse: Customer = {
  id: 'cust-ayse',
  name: 'Ayşe Yılmaz',
  language: 'tr',
  consent: { sms: 'opted-in' },
  identities: [
    { kind: 'phone', value: AYSE_PHONE },
    { kind: 'email', value: 'ayse@example.com' },
  ],
  createdAt: '2026-11-01T00:00:00.000Z',
};

function event(eventType: string, overrides: Partial<ContactEvent> = {}): ContactEvent {
  const at =
    {
      INITIATED: '2026-11-23T10:20:00.000Z',
      QUEUED: '2026-11-23T10:20:15.000Z',
      CONNECTED_TO_AGENT: '2026-11-23T10:21:00.000Z',
      DISCONNECTED: '2026-11-23T10:25:00.000Z',
    }[eventType] ?? '2026-11-23T10:26:00.000Z';
  return {
    contactId: 'c-1',
    eventType,
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    at,
    initiatedAt: '2026-11-23T10:20:00.000Z',
    ...(eventType !== 'INITIATED' ? { queue: { arn: QUEUE, enqueuedAt: '2026-11-23T10:20:15.000Z' } } : {}),
    ...(eventType === 'DISCONNECTED' ? { disconnectedAt: at, disconnectReason: 'CUSTOMER_DISCONNECT' } : {}),
    ...overrides,
  };
}

const answered = { agent: { arn: AGENT, connectedAt: '2026-11-23T10:21:00.000Z' } };

let now: Date;
let customers: MemoryCustomers;
let conversations: MemoryConversations;
let contacts: MemoryVoiceContacts;
let connect: MemoryConnectContacts;
let outbound: MemoryQueue;
let deferred: MemoryDeferredSends;
let escalations: MemoryEscalationLog;
let deps: ContactEventDeps;

beforeEach(async () => {
  now = OPEN;
  customers = new MemoryCustomers();
  await customers.createWithIdentity(structuredClone(ayse), { kind: 'phone', value: AYSE_PHONE });
  await customers.createWithIdentity(structuredClone(ayse), { kind: 'email', value: 'ayse@example.com' });
  conversations = new MemoryConversations();
  contacts = new MemoryVoiceContacts(conversations);
  await contacts.remember({
    contactId: 'c-1',
    customerId: 'cust-ayse',
    phone: AYSE_PHONE,
    firstSeenAt: OPEN.toISOString(),
  });
  connect = new MemoryConnectContacts();
  outbound = new MemoryQueue();
  deferred = new MemoryDeferredSends();
  escalations = new MemoryEscalationLog();
  deps = {
    clock: { now: () => now },
    ids: readableIds,
    config: sandboxSupportConfig,
    ledger: new MemoryLedger(),
    customers,
    conversations,
    contacts,
    connect,
    outbound,
    deferredSends: deferred,
    channels: new Set(['email', 'sms']),
    escalation: {
      clock: { now: () => now },
      ids: readableIds,
      escalations,
      agentTasks: new MemoryAgentTasks(),
    },
    insights: {
      insights: new MemoryChannelInsights(),
      config: sandboxSupportConfig,
      clock: { now: () => now },
    },
  };
});

describe('recordContactEvent', () => {
  it('puts each event of an answered call on one voice conversation of the caller, with queue, agent and reason', async () => {
    // Act
    for (const type of ['INITIATED', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED']) {
      await recordContactEvent(
        deps,
        event(type, type === 'CONNECTED_TO_AGENT' || type === 'DISCONNECTED' ? answered : {}),
      );
    }

    // Assess
    const [conversation] = [...conversations.conversations.values()];
    expect(conversation).toMatchObject({ customerId: 'cust-ayse', channel: 'voice', status: 'open' });
    const timeline = conversations
      .messagesOf(conversation?.id ?? '')
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((m) => [m.at, m.flags?.[0], m.text]);
    expect(timeline).toEqual([
      ['2026-11-23T10:20:00.000Z', 'call-initiated', expect.stringContaining('Call started (inbound)')],
      ['2026-11-23T10:20:15.000Z', 'call-queued', expect.stringContaining('queued in q-support')],
      [
        '2026-11-23T10:21:00.000Z',
        'call-connected-to-agent',
        expect.stringMatching(/agent agent-7 .* after 45 s in the queue/),
      ],
      [
        '2026-11-23T10:25:00.000Z',
        'call-disconnected',
        expect.stringMatching(/after 300 s, agent agent-7 \(CUSTOMER_DISCONNECT\)/),
      ],
    ]);
    expect(outbound.sent).toHaveLength(0);
  });

  it('keeps events arriving out of order and twice on the same conversation, once each', async () => {
    // Act
    const disconnected = await recordContactEvent(deps, event('DISCONNECTED', answered));
    const initiated = await recordContactEvent(deps, event('INITIATED'));
    const again = await recordContactEvent(deps, event('DISCONNECTED', answered));

    // Assess
    expect(initiated.conversationId).toBe(disconnected.conversationId);
    expect(again).toMatchObject({ duplicate: true, conversationId: disconnected.conversationId });
    expect(conversations.messages.size).toBe(2);
  });

  it('queues exactly one missed-call SMS in Turkish for a call that hung up in the queue, redelivery included', async () => {
    // Act
    await recordContactEvent(deps, event('QUEUED'));
    const first = await recordContactEvent(deps, event('DISCONNECTED'));
    const redelivered = await recordContactEvent(deps, event('DISCONNECTED'));

    // Assess
    expect(first.missedCall).toMatchObject({ queued: true, channel: 'sms' });
    expect(redelivered.duplicate).toBe(true);
    expect(outbound.sent).toHaveLength(1);
    expect(outbound.sent[0]).toMatchObject({
      kind: 'missed-call',
      channel: 'sms',
      to: AYSE_PHONE,
      language: 'tr',
      customerId: 'cust-ayse',
      conversationId: first.conversationId,
    });
    expect(outbound.sent[0]?.text).toMatch(/aramanizi|aramanızı/i);
    const entry = conversations
      .messagesOf(first.conversationId ?? '')
      .find((m) => m.flags?.includes('missed-call'));
    expect(entry?.text).toContain('after 285 s in the queue');
  });

  it('follows a missed call up by email, in English, when the caller has no SMS consent', async () => {
    // Prepare
    customers.customers.set('cust-ayse', { ...ayse, language: 'en', consent: {} });

    // Act
    await recordContactEvent(deps, event('DISCONNECTED'));

    // Assess
    expect(outbound.sent).toEqual([
      expect.objectContaining({
        channel: 'email',
        to: 'ayse@example.com',
        language: 'en',
        subject: 'We missed your call',
      }),
    ]);
  });

  it('sends nothing to a caller who opted out everywhere, and says why', async () => {
    // Prepare
    customers.customers.set('cust-ayse', { ...ayse, consent: { sms: 'opted-out', email: 'opted-out' } });

    // Act
    const result = await recordContactEvent(deps, event('DISCONNECTED'));

    // Assess
    expect(result.missedCall).toEqual({ queued: false, reason: 'no channel the customer consented to' });
    expect(outbound.sent).toHaveLength(0);
  });

  it('holds the follow-up of an evening call until the shop opens', async () => {
    // Prepare
    now = CLOSED;

    // Act
    const result = await recordContactEvent(deps, event('DISCONNECTED', { at: '2026-11-23T17:29:00.000Z' }));

    // Assess
    expect(result.missedCall).toMatchObject({ queued: true, deferredUntil: '2026-11-24T06:00:00.000Z' });
    expect(outbound.sent).toHaveLength(0);
    const [held] = [...deferred.scheduled.values()];
    expect(held?.at.toISOString()).toBe('2026-11-24T06:00:00.000Z');
    expect(held?.request).toMatchObject({ kind: 'missed-call', channel: 'sms' });
  });

  it('finds the caller by the number the contact flow recorded, without asking Connect', async () => {
    // Prepare: what the lookup leaves for a known caller
    await contacts.remember({ contactId: 'c-5', phone: AYSE_PHONE, firstSeenAt: OPEN.toISOString() });

    // Act
    const results = [];
    for (const type of ['INITIATED', 'QUEUED']) {
      results.push(await recordContactEvent(deps, event(type, { contactId: 'c-5' })));
    }

    // Assess
    expect(results.map((r) => r.customerId)).toEqual(['cust-ayse', 'cust-ayse']);
    expect(new Set(results.map((r) => r.conversationId)).size).toBe(1);
    expect(connect.asked).toEqual([]);
  });

  it('asks Connect who called when the flow never saw the contact, and makes the number a customer', async () => {
    // Prepare
    connect.contacts.set('c-9', { contactId: 'c-9', customerPhone: '+905551112233' });

    // Act
    const result = await recordContactEvent(deps, event('INITIATED', { contactId: 'c-9' }));

    // Assess
    expect(connect.asked).toEqual(['c-9']);
    const caller = await customers.findByIdentity({ kind: 'phone', value: '+905551112233' });
    expect(caller).toBeDefined();
    expect(result).toMatchObject({ status: 'recorded', customerId: caller?.id });
    expect(contacts.records.get('c-9')).toMatchObject({ customerId: caller?.id, phone: '+905551112233' });
  });

  it('records nothing for a caller who withheld the number, and ignores chats and tasks', async () => {
    // Act
    const withheld = await recordContactEvent(deps, event('INITIATED', { contactId: 'c-anon' }));
    const task = await recordContactEvent(deps, event('INITIATED', { channel: 'TASK' }));

    // Assess
    expect(withheld).toMatchObject({ status: 'no-caller', duplicate: false });
    expect(task).toMatchObject({ status: 'ignored' });
    expect(conversations.messages.size).toBe(0);
  });

  it('counts each call as a contact: the third unanswered call escalates the conversation', async () => {
    // Act
    for (const id of ['c-1', 'c-2', 'c-3']) {
      await contacts.remember({ contactId: id, customerId: 'cust-ayse', firstSeenAt: OPEN.toISOString() });
      await recordContactEvent(deps, event('INITIATED', { contactId: id }));
    }

    // Assess
    expect([...conversations.conversations.values()]).toHaveLength(1);
    expect(escalations.list().map((e) => e.reason)).toEqual(['repeated-contacts']);
  });
});

describe('recordContactEvent with channel insights', () => {
  let insights: MemoryChannelInsights;
  let deadlines: MemoryDeadlines;
  let failures: unknown[];

  beforeEach(() => {
    insights = new MemoryChannelInsights();
    deadlines = new MemoryDeadlines();
    failures = [];
    deps = {
      ...deps,
      insights: {
        insights,
        deadlines,
        config: sandboxSupportConfig,
        clock: { now: () => now },
        onFailure: (error) => failures.push(error),
      },
    };
  });

  it('counts a call once under voice, whichever event comes first, redeliveries included, with no deadlines', async () => {
    // Act
    for (const type of ['QUEUED', 'INITIATED', 'CONNECTED_TO_AGENT', 'DISCONNECTED', 'QUEUED']) {
      await recordContactEvent(
        deps,
        event(type, type === 'CONNECTED_TO_AGENT' || type === 'DISCONNECTED' ? answered : {}),
      );
    }

    // Assess
    expect(insights.total('voice', 'inbound')).toBe(1);
    expect(insights.total('voice', 'conversations')).toBe(1);
    expect(insights.count('voice', '2026-11-23T10:00:00.000Z', 'inbound')).toBe(1);
    expect(deadlines.watched).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('counts a second call that joins the open voice conversation as a contact, not a conversation', async () => {
    // Prepare
    await contacts.remember({ contactId: 'c-2', customerId: 'cust-ayse', firstSeenAt: OPEN.toISOString() });

    // Act
    await recordContactEvent(deps, event('INITIATED'));
    await recordContactEvent(deps, event('INITIATED', { contactId: 'c-2', at: '2026-11-23T10:28:00.000Z' }));

    // Assess
    expect([...conversations.conversations.values()]).toHaveLength(1);
    expect(insights.total('voice', 'inbound')).toBe(2);
    expect(insights.total('voice', 'conversations')).toBe(1);
  });

  it('counts no outbound call as an inbound contact', async () => {
    // Act
    await recordContactEvent(deps, event('INITIATED', { initiationMethod: 'OUTBOUND' }));

    // Assess
    expect(conversations.messages.size).toBe(1);
    expect(insights.total('voice', 'inbound')).toBe(0);
  });

  it('reports a failed count and still records the call', async () => {
    // Prepare
    const broken = new Error('insights table throttled');
    insights.add = async () => {
      throw broken;
    };

    // Act
    const result = await recordContactEvent(deps, event('INITIATED'));

    // Assess
    expect(result).toMatchObject({ status: 'recorded', duplicate: false });
    expect(conversations.messages.size).toBe(1);
    expect(failures).toEqual([broken]);
  });
});

describe('isAbandoned', () => {
  it('is a queued inbound call that ended without an agent, decided from the DISCONNECTED event alone', () => {
    // Act / Assess
    expect(isAbandoned(event('DISCONNECTED'))).toBe(true);
    expect(isAbandoned(event('DISCONNECTED', answered))).toBe(false);
    expect(isAbandoned(event('DISCONNECTED', { queue: undefined }))).toBe(false);
    expect(isAbandoned(event('DISCONNECTED', { initiationMethod: 'OUTBOUND' }))).toBe(false);
    expect(isAbandoned(event('QUEUED'))).toBe(false);
  });
});
