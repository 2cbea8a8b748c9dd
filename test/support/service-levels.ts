import { type SupportConfig, supportConfigSchema } from '../../functions/core/config.ts';
import type { Conversation } from '../../functions/core/model.ts';
import type { InsightsDeps } from '../../functions/core/service-levels/counters.ts';
import { openConversation } from './conversation-builders.ts';
import {
  MemoryChannelInsights,
  MemoryDeadlines,
  MemoryDeferredSends,
  MemoryEscalations,
  MemoryResponseTimes,
} from './in-memory-insights.ts';
import { MemoryConversations } from './in-memory-ports.ts';

/** Istanbul (UTC+3, no DST), Monday to Friday 09:00–18:00; targets 120 and 960 business minutes. */
export const serviceLevelConfig: SupportConfig = supportConfigSchema.parse({
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

/** Friday 20 November 2026, 17:30 in Istanbul: an hour before the weekend. */
export const FRIDAY_1730 = '2026-11-20T14:30:00.000Z';

/** Monday 23 November 2026, 09:30 in Istanbul: where the service-level tests' clock starts. */
export const MONDAY_0930 = '2026-11-23T06:30:00.000Z';

/** An open email conversation `conv-1` created and last active at FRIDAY_1730. */
export function fridayConversation(overrides: Partial<Conversation> = {}): Conversation {
  return openConversation({ createdAt: FRIDAY_1730, lastMessageAt: FRIDAY_1730, ...overrides });
}

/**
 * The in-memory world of the service-level use-cases, with `conv-1` (fridayConversation) stored.
 * `now` is read on every call, so a test moves time by assigning its own variable.
 */
export async function serviceLevelsWorld(now: () => Date) {
  const counters = new MemoryChannelInsights();
  const conversations = new MemoryConversations();
  const escalations = new MemoryEscalations();
  const deferred = new MemoryDeferredSends();
  const deadlines = new MemoryDeadlines();
  const deps: InsightsDeps = {
    insights: counters,
    config: serviceLevelConfig,
    clock: { now },
    conversations,
    responseTimes: new MemoryResponseTimes(conversations.conversations),
    deadlines,
    deferredSends: deferred,
    escalate: escalations.escalate,
  };
  await conversations.create(fridayConversation());
  return { counters, conversations, escalations, deferred, deadlines, deps };
}
