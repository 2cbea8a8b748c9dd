/* The exactly-once ledger: claims, leases and the outcome a redelivery answers with. */

/** What was decided for one inbound event, kept so a redelivery can answer the same. */
export interface InboundOutcome {
  readonly customerId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly autoReply: {
    readonly queued: boolean;
    readonly reasons: readonly string[];
    /** The FAQ entry whose answer went with the acknowledgement. */
    readonly faq?: string;
    /** The help-center article the acknowledgement linked (its slug). */
    readonly article?: string;
  };
}

export type EventClaim<Outcome> =
  | { readonly status: 'claimed' }
  /** `unfinished`: the effect happened but the work after it did not; this delivery finishes it. */
  | { readonly status: 'done'; readonly outcome: Outcome; readonly unfinished?: boolean }
  | { readonly status: 'in-progress' };

export interface CompleteOptions {
  /**
   * The event's effect happened (a provider accepted a send) but the work after it is still owed:
   * the record is done, so no delivery repeats the effect, and a later one is told to finish.
   */
  readonly unfinished?: boolean;
}

/**
 * Durable dedupe of events (inbound deliveries, outbound sends): the first delivery claims the
 * key; later ones see the recorded outcome. A claim is a lease, so a delivery that crashed
 * half-way is retried, not lost; the record outlives every provider's redelivery horizon.
 */
/**
 * How long an event's record is kept: long enough for its source's redeliveries, or as long as
 * the records it changed (an order is never deleted, so neither is the record of its events: a
 * replayed old order event must stay a duplicate).
 */
export type EventRetention = 'redelivery-window' | 'forever';

export interface EventLedger {
  claim<Outcome>(
    key: string,
    now: Date,
    leaseSeconds: number,
    retention?: EventRetention,
  ): Promise<EventClaim<Outcome>>;
  /**
   * Marks the event done with `outcome`, in one conditional write: only while a claim holds it or
   * while it is still unfinished. False when another delivery completed it first.
   */
  complete<Outcome>(key: string, outcome: Outcome, now: Date, options?: CompleteOptions): Promise<boolean>;
  release(key: string): Promise<void>;
}
