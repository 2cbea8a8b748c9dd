import { beforeEach, describe, expect, it } from 'vitest';
import { type SupportConfig, supportConfigSchema } from '../../../functions/core/config.ts';
import type { Conversation, ResponseDeadlineDue } from '../../../functions/core/model.ts';
import { COUNTER, type InsightsDeps } from '../../../functions/core/service-levels/counters.ts';
import {
  checkResponseDeadline,
  responseDeadlineOf,
} from '../../../functions/core/service-levels/deadlines.ts';
import { openConversation } from '../../support/conversation-builders.ts';
import {
  MemoryChannelInsights,
  MemoryDeadlines,
  MemoryDeferredSends,
  MemoryEscalations,
  MemoryResponseTimes,
} from '../../support/in-memory-insights.ts';
import { MemoryConversations } from '../../support/in-memory-ports.ts';

// Istanbul (UTC+3, no DST), Monday to Friday 09:00–18:00; targets 120 and 960 business minutes.
const config: SupportConfig = supportConfigSchema.parse({
  mailDomain: 'support.example.com',
  supportAddress: 'support@support.example.com',
  fromName: 'Example Shop Support',
  languages: ['tr', 'en'],
  defaultLanguage: 'tr',
  businessHours: {
    timezone: 'Europe/Istanbul',
    weekly: Object.fromEntries(
      (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [{ open: '09:00', close: '18:00' }]]),
    ),
    holidays: [],
  },
  firstResponseTargetMinutes: 120,
  resolutionTargetMinutes: 960,
});

// Friday 20 November 2026, 17:30 in Istanbul.
const FRIDAY_1730 = '2026-11-20T14:30:00.000Z';

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ createdAt: FRIDAY_1730, lastMessageAt: FRIDAY_1730, ...overrides });
}

let now: Date;
let counters: MemoryChannelInsights;
let conversations: MemoryConversations;
let escalations: MemoryEscalations;
let deferred: MemoryDeferredSends;
let deadlines: MemoryDeadlines;
let deps: InsightsDeps;

beforeEach(async () => {
  now = new Date('2026-11-23T06:30:00.000Z'); // Monday 09:30 in Istanbul
  counters = new MemoryChannelInsights();
  conversations = new MemoryConversations();
  escalations = new MemoryEscalations();
  deferred = new MemoryDeferredSends();
  deadlines = new MemoryDeadlines();
  deps = {
    insights: counters,
    config,
    clock: { now: () => now },
    conversations,
    responseTimes: new MemoryResponseTimes(conversations.conversations),
    deadlines,
    deferredSends: deferred,
    escalate: escalations.escalate,
  };
  await conversations.create(conversation());
});

describe('checkResponseDeadline', () => {
  const due = (target: ResponseDeadlineDue['target'], at: string): ResponseDeadlineDue => ({
    type: 'response-deadline',
    conversationId: 'conv-1',
    target,
    due: at,
  });

  it('holds an early check in the scheduler until it is due', async () => {
    // Act
    const check = await checkResponseDeadline(deps, due('first-response', '2026-11-23T08:30:00.000Z'));

    // Assess
    expect(check).toEqual({ status: 'held', until: '2026-11-23T08:30:00.000Z' });
    const [held] = [...deferred.scheduled.values()];
    expect(held?.at.toISOString()).toBe('2026-11-23T08:30:00.000Z');
    expect(held?.request).toEqual(due('first-response', '2026-11-23T08:30:00.000Z'));
  });

  it('hops through the queue at most 15 minutes at a time where no scheduler exists', async () => {
    // Act
    await checkResponseDeadline(
      { ...deps, deferredSends: undefined },
      due('first-response', '2026-11-23T08:30:00.000Z'),
    );

    // Assess
    expect(deadlines.watched.map((w) => w.delaySeconds)).toEqual([900]);
  });

  it('finds a breach when nobody answered by the deadline, and counts it once however often it runs', async () => {
    // Prepare
    now = new Date('2026-11-23T07:30:00.000Z');

    // Act
    const first = await checkResponseDeadline(deps, due('first-response', '2026-11-23T07:30:00.000Z'));
    const again = await checkResponseDeadline(deps, due('first-response', '2026-11-23T07:30:00.000Z'));

    // Assess
    expect(first).toEqual({ status: 'breached', counted: true });
    expect(again).toEqual({ status: 'breached', counted: false });
    expect(counters.count('email', '2026-11-23T07:00:00Z', COUNTER.breaches('first-response'))).toBe(1);
    expect(escalations.raised).toHaveLength(1);
  });

  it('sees the target met when the answer came in time, or the conversation is closed', async () => {
    // Prepare
    now = new Date('2026-11-23T07:30:00.000Z');
    await conversations.create(
      conversation({ id: 'conv-answered', firstResponseAt: '2026-11-23T06:45:00.000Z' }),
    );
    await conversations.create(conversation({ id: 'conv-closed', status: 'closed' }));

    // Act
    const answered = await checkResponseDeadline(deps, {
      ...due('first-response', '2026-11-23T07:30:00.000Z'),
      conversationId: 'conv-answered',
    });
    const closed = await checkResponseDeadline(deps, {
      ...due('resolution', '2026-11-23T07:30:00.000Z'),
      conversationId: 'conv-closed',
    });

    // Assess
    expect(answered.status).toBe('met');
    expect(closed.status).toBe('met');
    expect(escalations.raised).toEqual([]);
  });

  it('refuses a malformed deadline message with the field that is wrong', () => {
    expect(() =>
      responseDeadlineOf({
        type: 'response-deadline',
        conversationId: 'c',
        target: 'x',
        due: '2026-11-23T07:30:00Z',
      }),
    ).toThrow(expect.objectContaining({ field: 'target' }));
    expect(responseDeadlineOf({ type: 'reminder', reminderId: 'r' })).toBeUndefined();
  });
});
