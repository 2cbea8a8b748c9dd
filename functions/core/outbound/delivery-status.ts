import type { Channel, DeliveryStatus } from '../model.ts';
import type { ProviderMessageIndex } from '../ports/outbound.ts';

/** A provider's report about one of our outbound messages (WhatsApp statuses[], Messenger delivery). */
export interface DeliveryStatusReport {
  readonly channel: Channel;
  readonly providerMessageId: string;
  readonly status: Extract<DeliveryStatus, 'sent' | 'delivered' | 'read' | 'failed'>;
  /** When the provider says it happened. */
  readonly at: string;
  /** Why it failed, as the provider's error code and title (no message content, no address). */
  readonly reason?: string;
}

export type DeliveryStatusOutcome = 'updated' | 'unchanged' | 'unknown-message';

/**
 * Records a delivery status on the outbound message it concerns. Statuses never create
 * conversations or messages: a status for a message we do not know (sent by another tool on the
 * same number, or older than our records) is ignored. Redelivered and out-of-order statuses are
 * harmless: the index only moves a status forward.
 */
export async function recordDeliveryStatus(
  deps: { readonly providerMessages: ProviderMessageIndex },
  report: DeliveryStatusReport,
): Promise<DeliveryStatusOutcome> {
  const reference = await deps.providerMessages.find(report.channel, report.providerMessageId);
  if (!reference) return 'unknown-message';
  const changed = await deps.providerMessages.updateDeliveryStatus(reference, {
    status: report.status,
    at: report.at,
    reason: report.reason,
  });
  return changed ? 'updated' : 'unchanged';
}

/**
 * Order of delivery states: a later report may only move a message to a higher rank. `failed`
 * ranks with `delivered`: WhatsApp reports a failure after `sent`, never after `read`.
 */
export const DELIVERY_STATUS_RANK: Readonly<Record<DeliveryStatus, number>> = {
  suppressed: 0,
  queued: 0,
  sent: 1,
  delivered: 2,
  failed: 2,
  read: 3,
};

/** The states a message may be in for `next` to replace it. */
export function statusesBefore(next: DeliveryStatus): DeliveryStatus[] {
  const rank = DELIVERY_STATUS_RANK[next];
  return (Object.keys(DELIVERY_STATUS_RANK) as DeliveryStatus[]).filter(
    (status) => status !== 'suppressed' && DELIVERY_STATUS_RANK[status] < rank,
  );
}
