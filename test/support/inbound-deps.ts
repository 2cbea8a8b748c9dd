import type { InboundDeps } from '../../functions/core/conversations/receive-inbound.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { MemoryAgentConversations } from './in-memory-agent-ports.ts';
import { MemoryChannelInsights } from './in-memory-insights.ts';
import { MemoryIdentityWindows } from './in-memory-meta.ts';
import {
  MemoryAttachments,
  MemoryAutoResponseBudget,
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
  readableIds,
} from './in-memory-ports.ts';
import { MemoryOrders } from './in-memory-shop-ports.ts';
import { MemoryConsentLedger } from './in-memory-sms-ports.ts';
import { MemoryEscalationLog } from './in-memory-voice-ports.ts';

/**
 * What receiveInbound needs on every channel, in memory, at a clock stopped at `now`, with the
 * sandbox's support settings and readable ids: no orders stored, the default escalation rule,
 * no survey outstanding, counters kept, the sandbox's budget, no help center. `extra` replaces
 * any of these (to keep a handle on a port) or adds a handler's own (rawMail, …).
 */
export function memoryInboundDeps<Extra extends object = Record<never, never>>(now: Date, extra?: Extra) {
  const clock = { now: () => now };
  const conversations = new MemoryAgentConversations();
  const customers = new MemoryCustomers();
  const base = {
    clock,
    ids: readableIds,
    config: sandboxSupportConfig,
    ledger: new MemoryLedger(),
    customers,
    conversations,
    outbound: new MemoryQueue(),
    orders: new MemoryOrders(),
    escalation: { clock, ids: readableIds, escalations: new MemoryEscalationLog() },
    surveys: {
      store: conversations,
      insights: { insights: new MemoryChannelInsights(), config: sandboxSupportConfig, clock },
    },
    insights: { insights: new MemoryChannelInsights(), config: sandboxSupportConfig, clock },
    autoResponseBudget: new MemoryAutoResponseBudget(),
    helpCenter: undefined,
  } satisfies InboundDeps;
  // What `extra` names replaces the base's port of that name, in the type as in the value.
  return { ...base, ...extra } as unknown as Omit<typeof base, keyof Extra> & Extra;
}

/** The email path: `memoryInboundDeps` with attachments kept in memory. */
export function memoryEmailDeps<Extra extends object = Record<never, never>>(
  now: Date,
  extra: Extra = {} as Extra,
) {
  return memoryInboundDeps(now, {
    inboundPath: 'email' as const,
    attachments: new MemoryAttachments(),
    ...extra,
  });
}

/** The SMS path: `memoryInboundDeps` with the consent ledger on its customers. */
export function memorySmsDeps<Extra extends object = Record<never, never>>(
  now: Date,
  extra: Extra = {} as Extra,
) {
  const customers = (extra as { customers?: MemoryCustomers }).customers ?? new MemoryCustomers();
  return memoryInboundDeps(now, {
    inboundPath: 'sms' as const,
    customers,
    consent: new MemoryConsentLedger(customers),
    ...extra,
  });
}

/** The WhatsApp, Messenger and Instagram path: `memoryInboundDeps` with the senders' windows. */
export function memoryMetaDeps<Extra extends object = Record<never, never>>(
  now: Date,
  extra: Extra = {} as Extra,
) {
  return memoryInboundDeps(now, {
    inboundPath: 'meta' as const,
    identityWindows: new MemoryIdentityWindows(),
    ...extra,
  });
}

/** The live chat path: `memoryInboundDeps` as every channel has it. */
export function memoryChatDeps<Extra extends object = Record<never, never>>(
  now: Date,
  extra: Extra = {} as Extra,
) {
  return memoryInboundDeps(now, { inboundPath: 'chat' as const, ...extra });
}
