import { sandboxSupportConfig } from '../../local/config.ts';
import {
  MemoryAttachments,
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
  readableIds,
} from './in-memory-ports.ts';

/**
 * What receiveInbound needs, in memory, at a clock stopped at `now`, with the sandbox's support
 * settings and readable ids. `extra` replaces any of these (to keep a handle on a port) or adds
 * the optional deps (orders, consent, escalation, …) and a handler's own (rawMail, …).
 */
export function memoryInboundDeps<Extra extends object = Record<never, never>>(now: Date, extra?: Extra) {
  return {
    clock: { now: () => now },
    ids: readableIds,
    config: sandboxSupportConfig,
    ledger: new MemoryLedger(),
    customers: new MemoryCustomers(),
    conversations: new MemoryConversations(),
    attachments: new MemoryAttachments(),
    outbound: new MemoryQueue(),
    ...(extra as Extra),
  };
}
