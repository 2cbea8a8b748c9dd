import type { Channel, ConsentRecord } from '../../functions/core/model.ts';
import type {
  ConsentHistoryEntry,
  ConsentHistoryReader,
  ConsentLedger,
} from '../../functions/core/ports/customers.ts';
import type { DeferredSend, DeferredSends } from '../../functions/core/ports/outbound.ts';
import type { MemoryCustomers } from './in-memory-ports.ts';

/** The consent ledger on the in-memory customers: compare-and-set on the version, like DynamoDB's condition. */
export class MemoryConsentLedger implements ConsentLedger, ConsentHistoryReader {
  readonly history = new Map<string, ConsentHistoryEntry>();
  /** Set to make the next `apply` lose a race (someone else changed consent first). */
  loseNextRace = false;

  constructor(private readonly customers: MemoryCustomers) {}

  async apply(customerId: string, channel: Channel, record: ConsentRecord, expectedVersion: number) {
    const customer = this.customers.customers.get(customerId);
    if (!customer) return false;
    if (this.loseNextRace) {
      this.loseNextRace = false;
      this.customers.customers.set(customerId, {
        ...customer,
        consentVersion: (customer.consentVersion ?? 0) + 1,
      });
      return false;
    }
    if ((customer.consentVersion ?? 0) !== expectedVersion) return false;
    this.customers.customers.set(customerId, {
      ...customer,
      consent: { ...customer.consent, [channel]: record.state },
      consentDetail: { ...customer.consentDetail, [channel]: record },
      consentVersion: expectedVersion + 1,
    });
    return true;
  }

  async appendHistory(entry: ConsentHistoryEntry) {
    const key = `${entry.customerId}#${entry.at}#${entry.channel}#${entry.eventKey}`;
    if (!this.history.has(key)) this.history.set(key, entry);
  }

  /** Newest first, as the DynamoDB ledger reads its history partition backwards. */
  async recentHistory(customerId: string, limit: number) {
    return this.entriesOf(customerId).reverse().slice(0, limit);
  }

  entriesOf(customerId: string): ConsentHistoryEntry[] {
    return [...this.history.values()]
      .filter((e) => e.customerId === customerId)
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

export class MemoryDeferredSends implements DeferredSends {
  readonly scheduled = new Map<string, DeferredSend>();

  async schedule(send: DeferredSend) {
    if (!this.scheduled.has(send.id)) this.scheduled.set(send.id, send);
  }

  async cancel(id: string) {
    this.scheduled.delete(id);
  }
}
