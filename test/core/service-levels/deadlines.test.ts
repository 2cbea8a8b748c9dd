import { beforeEach, describe, expect, it } from 'vitest';
import type { ResponseDeadlineDue } from '../../../functions/core/model.ts';
import { COUNTER, type InsightsDeps } from '../../../functions/core/service-levels/counters.ts';
import {
  checkResponseDeadline,
  responseDeadlineOf,
} from '../../../functions/core/service-levels/deadlines.ts';
import type {
  MemoryChannelInsights,
  MemoryDeadlines,
  MemoryDeferredSends,
  MemoryEscalations,
} from '../../support/in-memory-insights.ts';
import type { MemoryConversations } from '../../support/in-memory-ports.ts';
import {
  fridayConversation as conversation,
  MONDAY_0930,
  serviceLevelsWorld,
} from '../../support/service-levels.ts';

let now: Date;
let counters: MemoryChannelInsights;
let conversations: MemoryConversations;
let escalations: MemoryEscalations;
let deferred: MemoryDeferredSends;
let deadlines: MemoryDeadlines;
let deps: InsightsDeps;

beforeEach(async () => {
  now = new Date(MONDAY_0930);
  ({ counters, conversations, escalations, deferred, deadlines, deps } = await serviceLevelsWorld(() => now));
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
