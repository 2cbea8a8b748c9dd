import { NotFoundError, PermanentDeliveryError, RetryableError } from '../errors.ts';
import type { Channel, ConsentRecord, ConsentSource, ConsentState, Customer } from '../model.ts';
import type { ConsentLedger, CustomerDirectory } from '../ports/customers.ts';

/**
 * The consent ledger's rules. One rule above all: a customer's own opt-out (an SMS keyword, or
 * the carrier's opt-out list, which is the customer's STOP seen by someone else) wins over
 * anything a shop system or an agent says later; only the customer's own opt-in keyword lifts
 * it. Every change is appended to a history with its time, source and keyword.
 */

export interface ConsentChange {
  readonly customerId: string;
  readonly channel: Channel;
  readonly state: ConsentState;
  readonly source: ConsentSource;
  /** When the change happened (the keyword message's receipt time, the order event's time). */
  readonly at: string;
  /** The event that asks for it: a redelivery of that event must not change anything twice. */
  readonly eventKey: string;
  readonly keyword?: string;
}

export type ConsentDecision =
  | { readonly kind: 'apply' }
  /** This very event already changed it (a retry after a crash): finish the history, no more. */
  | { readonly kind: 'already-applied' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly reason: string };

export interface ConsentChangeResult {
  readonly status: 'changed' | 'unchanged' | 'refused';
  /** The channel's consent after the call. */
  readonly state?: ConsentState;
  readonly reason?: string;
}

/**
 * The provider refused a send because the destination is on its opt-out list (the customer's STOP
 * reached the carrier or End User Messaging, not us): permanent, and worth a ledger entry.
 */
export class DestinationOptedOutError extends PermanentDeliveryError {}

/** Sources that speak for the customer in person. */
const CUSTOMER_SOURCES: ReadonlySet<ConsentSource> = new Set(['sms-keyword', 'carrier']);

/** Pure: what a change does to a channel whose consent is `state` (with `record`, if known). */
export function decideConsentChange(
  current: { readonly state?: ConsentState; readonly record?: ConsentRecord },
  change: ConsentChange,
): ConsentDecision {
  if (current.record?.eventKey === change.eventKey) return { kind: 'already-applied' };
  if (current.state === change.state) return { kind: 'unchanged' };
  if (change.state === 'opted-in' && current.state === 'opted-out') {
    // An opt-out of unknown origin is treated as the customer's: refusing a shop's opt-in costs a
    // notification, sending to someone who said STOP costs trust (and, in the US, TCPA damages).
    const ownOptOut = current.record === undefined || CUSTOMER_SOURCES.has(current.record.source);
    if (ownOptOut && change.source !== 'sms-keyword') {
      return {
        kind: 'refused',
        reason: `the customer opted out of ${change.channel} themselves (${current.record?.source ?? 'unknown source'}); only their own opt-in keyword lifts it`,
      };
    }
  }
  if (change.source === 'shop' && current.record !== undefined && !isLater(change.at, current.record.at)) {
    // A shop system's word is as of its event: an older (late, replayed) one does not undo a newer
    // record. The customer's own keywords are not held to this: a STOP always counts.
    return { kind: 'unchanged' };
  }
  return { kind: 'apply' };
}

/** Whether `at` is after `than`; a time that does not parse never blocks a change. */
function isLater(at: string, than: string): boolean {
  const a = Date.parse(at);
  const b = Date.parse(than);
  return Number.isNaN(a) || Number.isNaN(b) || a > b;
}

export interface ChangeConsentDeps {
  readonly customers: Pick<CustomerDirectory, 'get'>;
  readonly consent: ConsentLedger;
}

/** Two writers on one profile are rare; a few rounds settle it, more means something is wrong. */
const MAX_ATTEMPTS = 4;

/** Applies one consent change under the rules above; safe to call again with the same change. */
export async function changeConsent(
  deps: ChangeConsentDeps,
  change: ConsentChange,
): Promise<ConsentChangeResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const customer = await deps.customers.get(change.customerId);
    if (!customer) throw new NotFoundError(`customer ${change.customerId} does not exist`);
    const current = currentConsent(customer, change.channel);
    const decision = decideConsentChange(current, change);
    const record: ConsentRecord = {
      state: change.state,
      source: change.source,
      at: change.at,
      eventKey: change.eventKey,
      ...(change.keyword === undefined ? {} : { keyword: change.keyword }),
    };
    switch (decision.kind) {
      case 'unchanged':
        return { status: 'unchanged', state: current.state };
      case 'refused':
        return { status: 'refused', state: current.state, reason: decision.reason };
      case 'already-applied':
        // The stored record, not this call's: a retry may carry a later time, and the history
        // entry's key must be the one the first attempt wrote (or meant to write).
        await deps.consent.appendHistory(historyEntry(change, current.record ?? record, undefined));
        return { status: 'changed', state: change.state };
      case 'apply': {
        const applied = await deps.consent.apply(
          change.customerId,
          change.channel,
          record,
          customer.consentVersion ?? 0,
        );
        if (!applied) continue;
        await deps.consent.appendHistory(historyEntry(change, record, current.state));
        return { status: 'changed', state: change.state };
      }
    }
  }
  throw new RetryableError('the customer consent kept changing concurrently; retry later');
}

function currentConsent(customer: Customer, channel: Channel) {
  return { state: customer.consent[channel], record: customer.consentDetail?.[channel] };
}

function historyEntry(change: ConsentChange, record: ConsentRecord, previous: ConsentState | undefined) {
  return {
    ...record,
    customerId: change.customerId,
    channel: change.channel,
    ...(previous === undefined ? {} : { previous }),
  };
}
