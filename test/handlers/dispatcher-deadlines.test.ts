import { beforeEach, describe, expect, it } from 'vitest';
import type { DispatchOutboundDeps } from '../../functions/core/outbound/dispatch.ts';
import { COUNTER } from '../../functions/core/service-levels/counters.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import {
  MemoryChannelInsights,
  MemoryDeferredSends,
  MemoryEscalations,
  MemoryResponseTimes,
} from '../support/in-memory-insights.ts';
import { MemoryConversations, MemoryCustomers, MemoryLedger } from '../support/in-memory-ports.ts';

let now: Date;
let counters: MemoryChannelInsights;
let deferred: MemoryDeferredSends;
let escalations: MemoryEscalations;
let deps: DispatchOutboundDeps;

const deadline = JSON.stringify({
  type: 'response-deadline',
  conversationId: 'conv-1',
  target: 'first-response',
  due: '2026-11-23T12:00:00.000Z',
});

beforeEach(async () => {
  now = new Date('2026-11-23T10:00:00.000Z');
  counters = new MemoryChannelInsights();
  deferred = new MemoryDeferredSends();
  escalations = new MemoryEscalations();
  const conversations = new MemoryConversations();
  await conversations.create({
    id: 'conv-1',
    customerId: 'cust-1',
    channel: 'sms',
    status: 'open',
    createdAt: '2026-11-23T10:00:00.000Z',
    lastMessageAt: '2026-11-23T10:00:00.000Z',
  });
  const clock = { now: () => now };
  deps = {
    clock,
    ledger: new MemoryLedger(),
    conversations,
    customers: new MemoryCustomers(),
    senders: {},
    insights: {
      insights: counters,
      config: sandboxSupportConfig,
      clock,
      conversations,
      responseTimes: new MemoryResponseTimes(conversations.conversations),
      deferredSends: deferred,
      escalate: escalations.escalate,
    },
  };
});

describe('dispatcher handler: response deadlines', () => {
  it('holds an early deadline in the scheduler, then finds the breach when it comes back due', async () => {
    // Prepare
    const handler = makeDispatcherHandler(() => deps);

    // Act
    const early = await handler(sqsEventOfBodies([deadline]), lambdaContext('dispatcher'));
    now = new Date('2026-11-23T12:00:00.000Z');
    const due = await handler(sqsEventOfBodies([deadline]), lambdaContext('dispatcher'));

    // Assess
    expect(early.batchItemFailures).toEqual([]);
    expect([...deferred.scheduled.values()].map((s) => s.at.toISOString())).toEqual([
      '2026-11-23T12:00:00.000Z',
    ]);
    expect(due.batchItemFailures).toEqual([]);
    expect(escalations.raised).toEqual([expect.objectContaining({ reason: 'first-response-breach' })]);
    expect(counters.total('sms', COUNTER.breaches('first-response'))).toBe(1);
  });

  it('fails only the malformed deadline record of a batch, with the others handled', async () => {
    // Prepare
    const handler = makeDispatcherHandler(() => deps);
    const malformed = JSON.stringify({
      type: 'response-deadline',
      conversationId: 'conv-1',
      target: 'lunch',
    });

    // Act
    const result = await handler(sqsEventOfBodies([malformed, deadline]), lambdaContext('dispatcher'));

    // Assess
    expect(result.batchItemFailures).toHaveLength(1);
    expect(deferred.scheduled.size).toBe(1);
  });
});
