import { beforeEach, describe, expect, it } from 'vitest';
import { receiveInbound } from '../../../functions/core/conversations/receive-inbound.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';
import type { InboundMessage, Message, ResponseDeadlineDue } from '../../../functions/core/model.ts';
import { type DispatchOutboundDeps, dispatchOutbound } from '../../../functions/core/outbound/dispatch.ts';
import {
  COUNTER,
  firstResponseBucketOf,
  type InsightsDeps,
  recordCsat,
  recordInbound,
  recordOutbound,
  recordResolution,
} from '../../../functions/core/service-levels/counters.ts';
import { checkResponseDeadline } from '../../../functions/core/service-levels/deadlines.ts';
import { acknowledgementRequest } from '../../support/builders.ts';
import { inboundSms } from '../../support/conversation-builders.ts';
import type {
  MemoryChannelInsights,
  MemoryDeadlines,
  MemoryEscalations,
} from '../../support/in-memory-insights.ts';
import {
  type MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
  MemorySender,
} from '../../support/in-memory-ports.ts';
import { memorySmsDeps } from '../../support/inbound-deps.ts';
import {
  fridayConversation as conversation,
  FRIDAY_1730,
  MONDAY_0930,
  serviceLevelConfig,
  serviceLevelsWorld,
} from '../../support/service-levels.ts';

/** An SMS to the support number received at 06:10 UTC (09:10 in Istanbul). */
function smsAtTenPastSix(providerMessageId: string, phone: string, text: string): InboundMessage {
  return inboundSms(providerMessageId, phone, text, new Date('2026-11-23T06:10:00.000Z'));
}

let now: Date;
let counters: MemoryChannelInsights;
let conversations: MemoryConversations;
let escalations: MemoryEscalations;
let deadlines: MemoryDeadlines;
let deps: InsightsDeps;

beforeEach(async () => {
  now = new Date(MONDAY_0930);
  ({ counters, conversations, escalations, deadlines, deps } = await serviceLevelsWorld(() => now));
});

describe('first-response buckets', () => {
  it('puts a time into the first bucket whose upper bound holds it, beyond the last into inf', () => {
    expect(firstResponseBucketOf(0)).toBe(1);
    expect(firstResponseBucketOf(30)).toBe(30);
    expect(firstResponseBucketOf(30.01)).toBe(45);
    expect(firstResponseBucketOf(10_000)).toBe('inf');
  });
});

describe('recordOutbound and first responses', () => {
  it('counts an auto-reply as outbound only: it is not a first response', async () => {
    // Act
    await recordOutbound(deps, acknowledgementRequest(), now);

    // Assess
    expect(counters.count('email', '2026-11-23T06:00:00Z', 'outbound:auto-reply')).toBe(1);
    expect(counters.total('email', COUNTER.firstResponses)).toBe(0);
  });

  it('measures the first agent reply in business minutes (Friday 17:30 → Monday 09:30 is 60) and counts it once', async () => {
    // Act
    await recordOutbound(deps, acknowledgementRequest({ id: 'r1', kind: 'agent-reply' }), now);
    await recordOutbound(deps, acknowledgementRequest({ id: 'r2', kind: 'agent-reply' }), now);

    // Assess
    expect(counters.total('email', COUNTER.firstResponses)).toBe(1);
    expect(counters.total('email', COUNTER.firstResponseMinutes)).toBe(60);
    expect(counters.total('email', COUNTER.firstResponseBucket(60))).toBe(1);
    expect(counters.total('email', 'outbound:agent-reply')).toBe(2);
    expect(conversations.conversations.get('conv-1')?.firstResponseBusinessMinutes).toBe(60);
    expect(escalations.raised).toEqual([]);
  });

  it('counts a first response from what the queued reply says, without reading the conversation, in one counter write', async () => {
    // Prepare: the conversation is not readable, so any read would show.
    let reads = 0;
    let writes = 0;
    const add = counters.add.bind(counters);
    const reply = acknowledgementRequest({
      id: 'r1',
      kind: 'agent-reply',
      answering: { openedAt: FRIDAY_1730, channel: 'email', answered: false },
    });
    const countingDeps: InsightsDeps = {
      ...deps,
      conversations: {
        get: async () => {
          reads += 1;
          return undefined;
        },
      },
      insights: {
        ...counters,
        read: counters.read.bind(counters),
        add: (...a) => {
          writes += 1;
          return add(...a);
        },
      },
    };

    // Act
    await recordOutbound(countingDeps, reply, now);

    // Assess
    expect(reads).toBe(0);
    expect(writes).toBe(1);
    expect(counters.total('email', COUNTER.firstResponses)).toBe(1);
    expect(counters.total('email', COUNTER.firstResponseMinutes)).toBe(60);
    expect(counters.total('email', 'outbound:agent-reply')).toBe(1);
  });

  it('counts a reply to an answered conversation as outbound only, with no read and no first-response write', async () => {
    // Prepare
    let reads = 0;
    const reply = acknowledgementRequest({
      id: 'r2',
      kind: 'agent-reply',
      answering: { openedAt: FRIDAY_1730, channel: 'email', answered: true },
    });

    const unread = {
      get: async () => {
        reads += 1;
        return undefined;
      },
    };

    // Act
    await recordOutbound({ ...deps, conversations: unread }, reply, now);

    // Assess
    expect(reads).toBe(0);
    expect(counters.total('email', COUNTER.firstResponses)).toBe(0);
    expect(counters.total('email', 'outbound:agent-reply')).toBe(1);
    expect(conversations.conversations.get('conv-1')?.firstResponseBusinessMinutes).toBeUndefined();
  });

  it('escalates and counts a breach when the first answer comes after the target, once with the deadline check', async () => {
    // Prepare: Monday 12:00 in Istanbul is 30 + 180 = 210 business minutes after Friday 17:30.
    now = new Date('2026-11-23T09:00:00.000Z');
    const due: ResponseDeadlineDue = {
      type: 'response-deadline',
      conversationId: 'conv-1',
      target: 'first-response',
      due: '2026-11-23T07:30:00.000Z',
    };

    // Act
    await recordOutbound(deps, acknowledgementRequest({ id: 'r1', kind: 'agent-reply' }), now);
    const check = await checkResponseDeadline(deps, due);

    // Assess
    expect(escalations.raised).toEqual([
      expect.objectContaining({ conversationId: 'conv-1', reason: 'first-response-breach' }),
    ]);
    expect(counters.total('email', COUNTER.breaches('first-response'))).toBe(1);
    expect(check).toEqual({ status: 'breached', counted: false });
  });

  it('keeps a failed count from turning a sent message into a retry (the customer would get it twice)', async () => {
    // Prepare
    const failures: unknown[] = [];
    const sender = new MemorySender();
    const dispatchDeps: DispatchOutboundDeps = {
      clock: { now: () => now },
      ledger: new MemoryLedger(),
      conversations,
      customers: new MemoryCustomers(),
      senders: { email: sender },
      insights: {
        ...deps,
        insights: { add: async () => Promise.reject(new Error('throttled')), read: async () => [] },
        onFailure: (error) => failures.push(error),
      },
    };

    // Act
    const result = await dispatchOutbound(dispatchDeps, acknowledgementRequest({ kind: 'agent-reply' }));

    // Assess
    expect(result.status).toBe('sent');
    expect(sender.sent).toHaveLength(1);
    expect(failures).toHaveLength(1);
  });
});

describe('recordInbound', () => {
  function inboundMessage(overrides: Partial<Message> = {}): Message {
    return {
      id: 'm1',
      conversationId: 'conv-1',
      direction: 'inbound',
      channel: 'email',
      at: FRIDAY_1730,
      text: 'Merhaba',
      attachments: [],
      ...overrides,
    };
  }

  it('counts the message and the new conversation, and queues both deadlines in business time', async () => {
    // Act
    await recordInbound(deps, { message: inboundMessage(), conversation: conversation(), isNew: true });

    // Assess
    expect(counters.count('email', '2026-11-20T14:00:00Z', COUNTER.inbound)).toBe(1);
    expect(counters.count('email', '2026-11-20T14:00:00Z', COUNTER.conversations)).toBe(1);
    // 120 business minutes after Friday 17:30: 30 on Friday, 90 on Monday → Monday 10:30 (07:30Z).
    // 960 after: 30 + 9 × 60 × 1 (Monday 540) + 390 on Tuesday → Tuesday 15:30 (12:30Z).
    expect(deadlines.watched.map((w) => [w.due.target, w.due.due])).toEqual([
      ['first-response', '2026-11-23T07:30:00.000Z'],
      ['resolution', '2026-11-24T12:30:00.000Z'],
    ]);
  });

  it('queues no deadline for a follow-up or for spam', async () => {
    // Act
    await recordInbound(deps, { message: inboundMessage(), conversation: conversation(), isNew: false });
    await recordInbound(deps, {
      message: inboundMessage({ id: 'm2' }),
      conversation: conversation({ id: 'conv-spam', flags: ['spam'] }),
      isNew: true,
    });

    // Assess
    expect(deadlines.watched).toEqual([]);
    expect(counters.total('email', COUNTER.inbound)).toBe(2);
  });

  it('counts nothing for a redelivered event through receiveInbound', async () => {
    // Prepare
    const message = smsAtTenPastSix('sms-1', '+905321234567', 'Merhaba, siparişim nerede?');
    const inboundDeps = memorySmsDeps(now, {
      clock: { now: () => now },
      config: serviceLevelConfig,
      conversations,
      insights: deps,
    });

    // Act
    await receiveInbound(inboundDeps, { message, attachments: [] });
    const again = await receiveInbound(inboundDeps, { message, attachments: [] });

    // Assess
    expect(again.duplicate).toBe(true);
    expect(counters.count('sms', '2026-11-23T06:00:00Z', COUNTER.inbound)).toBe(1);
    expect(counters.count('sms', '2026-11-23T06:00:00Z', COUNTER.conversations)).toBe(1);
    expect(deadlines.watched).toHaveLength(2);
  });
});

describe('receiveInbound with failing insights', () => {
  it('stores and acknowledges the message and reports the failed count', async () => {
    // Prepare
    const failures: unknown[] = [];
    const outbound = new MemoryQueue();
    const inboundDeps = memorySmsDeps(now, {
      clock: { now: () => now },
      config: serviceLevelConfig,
      conversations,
      outbound,
      insights: {
        ...deps,
        insights: { add: async () => Promise.reject(new Error('throttled')), read: async () => [] },
        onFailure: (error: unknown) => failures.push(error),
      },
    });
    const message = smsAtTenPastSix('sms-2', '+905321234568', 'Merhaba');

    // Act
    const result = await receiveInbound(inboundDeps, { message, attachments: [] });

    // Assess
    expect(result.autoReply.queued).toBe(true);
    expect(outbound.sent).toHaveLength(1);
    expect(failures).toHaveLength(1);
  });
});

describe('recordResolution and recordCsat', () => {
  it('counts a resolution with its business minutes, and the same close once', async () => {
    // Act: Monday 09:30 is 60 business minutes after Friday 17:30.
    await recordResolution(deps, conversation(), now);
    await recordResolution(deps, conversation(), now);

    // Assess
    expect(counters.total('email', COUNTER.resolutions)).toBe(1);
    expect(counters.total('email', COUNTER.resolutionMinutes)).toBe(60);
    expect(escalations.raised).toEqual([]);
  });

  it('escalates a resolution after the target', async () => {
    // Act: Wednesday 09:00 → 30 + 540 + 540 = 1110 business minutes.
    await recordResolution(deps, conversation(), new Date('2026-11-25T06:00:00.000Z'));

    // Assess
    expect(escalations.raised).toEqual([expect.objectContaining({ reason: 'resolution-breach' })]);
    expect(counters.total('email', COUNTER.breaches('resolution'))).toBe(1);
  });

  it('adds a score to the channel CSAT and refuses one outside 1–5', async () => {
    // Act
    await recordCsat(deps, conversation({ channel: 'whatsapp' }), 5, now);
    await recordCsat(deps, conversation({ channel: 'whatsapp' }), 3, now);

    // Assess
    expect(counters.total('whatsapp', COUNTER.csatCount)).toBe(2);
    expect(counters.total('whatsapp', COUNTER.csatSum)).toBe(8);
    await expect(recordCsat(deps, conversation(), 6, now)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(recordCsat(deps, conversation(), 2.5, now)).rejects.toBeInstanceOf(InvalidInputError);
  });
});
