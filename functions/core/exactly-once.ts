import { RetryableError } from './errors.ts';
import type { EventLedger, EventRetention } from './ports/event-ledger.ts';

/** One event as the ledger knows it: its deterministic key and how long one delivery may hold it. */
export interface LedgerClaim {
  readonly key: string;
  readonly now: Date;
  readonly leaseSeconds: number;
  /** What the event is, for the error a delivery gets while another one holds it. */
  readonly what: string;
  /** @default 'redelivery-window' */
  readonly retention?: EventRetention;
}

/**
 * Runs `work` for an event once however often it is delivered: the first delivery claims the key
 * and records the outcome; a later one gets that outcome back marked as a duplicate; one that
 * comes while another holds the claim is retried. A failure gives the event back so the
 * provider's redelivery can finish what this delivery could not.
 */
export async function handleOnce<Outcome extends object>(
  ledger: EventLedger,
  claim: LedgerClaim,
  work: () => Promise<Outcome>,
): Promise<Outcome & { readonly duplicate: boolean }> {
  const claimed =
    claim.retention === undefined
      ? await ledger.claim<Outcome>(claim.key, claim.now, claim.leaseSeconds)
      : await ledger.claim<Outcome>(claim.key, claim.now, claim.leaseSeconds, claim.retention);
  if (claimed.status === 'done') return { ...claimed.outcome, duplicate: true };
  if (claimed.status === 'in-progress') {
    throw new RetryableError(`another delivery of ${claim.what} is being processed; retry later`);
  }
  try {
    const outcome = await work();
    await ledger.complete(claim.key, outcome, claim.now);
    return { ...outcome, duplicate: false };
  } catch (error) {
    await ledger.release(claim.key).catch(() => undefined);
    throw error;
  }
}
