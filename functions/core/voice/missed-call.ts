import type { SupportConfig } from '../config.ts';
import { conversationReference } from '../conversations/receive-inbound.ts';
import { catalogFor } from '../i18n/index.ts';
import type { Channel, Conversation, Customer, OutboundRequest } from '../model.ts';
import { cheaperSms, chooseNotificationChannel, notificationLanguage } from '../orders/notifications.ts';
import type { DeferredSends, OutboundQueue } from '../ports/outbound.ts';
import type { IdSource } from '../ports/runtime.ts';
import { isOpenAt, nextOpeningAt } from '../service-levels/business-hours.ts';

export interface MissedCallDeps {
  readonly ids: IdSource;
  readonly config: Pick<SupportConfig, 'languages' | 'defaultLanguage' | 'businessHours'>;
  readonly outbound: OutboundQueue;
  /** Where a follow-up waits for the shop to open; absent: it goes out at once. */
  readonly deferredSends?: DeferredSends;
  /** The channels this deployment can send on. */
  readonly channels: ReadonlySet<Channel>;
}

export type MissedCallOutcome =
  | {
      readonly queued: true;
      readonly outboundId: string;
      readonly channel: Channel;
      readonly deferredUntil?: string;
    }
  | { readonly queued: false; readonly reason: string };

/**
 * One follow-up to a call that hung up in the queue: by SMS where the customer opted in to SMS,
 * else by email unless they opted out of it, in their language. Sent while the shop is open, so
 * someone can answer the reply; outside business hours it waits for the next opening. Its id is
 * derived from the contact id, so a redelivered event queues the same request and the
 * dispatcher sends it once.
 */
export async function followUpMissedCall(
  deps: MissedCallDeps,
  input: {
    readonly contactId: string;
    readonly customer: Customer;
    readonly conversation: Conversation;
    readonly now: Date;
  },
): Promise<MissedCallOutcome> {
  const { customer, conversation, now } = input;
  // SMS first, then email: a missed call is answered where a reply is quick, not where the
  // customer prefers newsletters.
  const choice = chooseNotificationChannel({ ...customer, preferredChannel: undefined }, deps.channels, [
    'sms',
    'email',
  ]);
  if (!choice) return { queued: false, reason: 'no channel the customer consented to' };
  const language = notificationLanguage(customer, deps.config.languages, deps.config.defaultLanguage);
  const catalog = catalogFor(language);
  const text = catalog.missedCall.text({
    customerName: customer.name,
    reference: conversationReference(conversation.id),
  });
  const request: OutboundRequest = {
    id: deps.ids.derive('missed-call', input.contactId),
    kind: 'missed-call',
    channel: choice.channel,
    customerId: customer.id,
    conversationId: conversation.id,
    to: choice.to,
    language,
    subject: catalog.missedCall.subject,
    text: choice.channel === 'sms' ? cheaperSms(text) : text,
    headers: choice.channel === 'email' ? { 'Auto-Submitted': 'auto-generated' } : {},
    requestedAt: now.toISOString(),
  };
  if (deps.deferredSends && !isOpenAt(now, deps.config.businessHours)) {
    const at = nextOpeningAt(now, deps.config.businessHours);
    await deps.deferredSends.schedule({ id: `${request.id}@${at.toISOString()}`, at, request });
    return {
      queued: true,
      outboundId: request.id,
      channel: request.channel,
      deferredUntil: at.toISOString(),
    };
  }
  await deps.outbound.enqueue(request);
  return { queued: true, outboundId: request.id, channel: request.channel };
}
