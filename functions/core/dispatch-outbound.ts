import { PermanentDeliveryError, RetryableError } from './errors.ts';
import type { Channel, DeliveryStatus, Message, OutboundRequest } from './model.ts';
import type { ChannelSender, Clock, ConversationStore, CustomerDirectory, EventLedger } from './ports.ts';

export interface DispatchOutboundDeps {
  readonly clock: Clock;
  readonly ledger: EventLedger;
  readonly conversations: ConversationStore;
  readonly customers: CustomerDirectory;
  readonly senders: Partial<Record<Channel, ChannelSender>>;
}

export interface DispatchOutcome {
  readonly status: Extract<DeliveryStatus, 'sent' | 'failed' | 'suppressed'>;
  readonly providerMessageId?: string;
  readonly reason?: string;
}

export interface DispatchResult extends DispatchOutcome {
  readonly duplicate: boolean;
}

/** Kinds that answer the customer inside a conversation they started (transactional). */
const CONVERSATIONAL_KINDS = new Set<OutboundRequest['kind']>(['auto-reply', 'agent-reply']);

/** A send should take seconds; a lease this long means the earlier attempt died. */
const SEND_LEASE_SECONDS = 120;

/**
 * Sends one outbound message at most once: a redelivered queue message is a no-op, a passing
 * failure goes back to the queue (and to its DLQ in the end), a permanent one is recorded on
 * the message and not retried.
 */
export async function dispatchOutbound(
  deps: DispatchOutboundDeps,
  request: OutboundRequest,
): Promise<DispatchResult> {
  const key = `outbound#${request.id}`;
  const now = deps.clock.now();
  const claim = await deps.ledger.claim<DispatchOutcome>(key, now, SEND_LEASE_SECONDS);
  if (claim.status === 'done') return { ...claim.outcome, duplicate: true };
  if (claim.status === 'in-progress') {
    throw new RetryableError('another delivery of this outbound message is being sent; retry later');
  }

  try {
    const outcome = await send(deps, request, now);
    await deps.ledger.complete(key, outcome, now);
    return { ...outcome, duplicate: false };
  } catch (error) {
    await deps.ledger.release(key).catch(() => undefined);
    throw error;
  }
}

async function send(
  deps: DispatchOutboundDeps,
  request: OutboundRequest,
  now: Date,
): Promise<DispatchOutcome> {
  const suppression = await suppressionReason(deps, request);
  if (suppression) {
    await record(deps, request, now, { status: 'suppressed', reason: suppression });
    return { status: 'suppressed', reason: suppression };
  }
  const sender = deps.senders[request.channel];
  if (!sender) {
    const reason = `no sender is configured for the ${request.channel} channel`;
    await record(deps, request, now, { status: 'failed', reason });
    return { status: 'failed', reason };
  }
  try {
    const sent = await sender.send(request);
    await record(deps, request, now, { status: 'sent', providerMessageId: sent.providerMessageId });
    if (sent.emailMessageId && request.conversationId) {
      // Replies to our mail carry this id in In-Reply-To: it must lead back to the conversation.
      await deps.conversations.recordEmailReference(sent.emailMessageId, {
        conversationId: request.conversationId,
        customerId: request.customerId,
      });
    }
    return { status: 'sent', providerMessageId: sent.providerMessageId };
  } catch (error) {
    if (!(error instanceof PermanentDeliveryError)) throw error;
    await record(deps, request, now, { status: 'failed', reason: error.reason });
    return { status: 'failed', reason: error.reason };
  }
}

async function suppressionReason(
  deps: DispatchOutboundDeps,
  request: OutboundRequest,
): Promise<string | undefined> {
  if (CONVERSATIONAL_KINDS.has(request.kind)) return undefined;
  const customer = await deps.customers.get(request.customerId);
  if (customer?.consent[request.channel] === 'opted-out') {
    return `the customer opted out of ${request.channel}`;
  }
  return undefined;
}

/** Puts the outbound message on its conversation's timeline with its delivery state. */
async function record(
  deps: DispatchOutboundDeps,
  request: OutboundRequest,
  now: Date,
  delivery: { status: DeliveryStatus; providerMessageId?: string; reason?: string },
): Promise<void> {
  if (!request.conversationId) return;
  const message: Message = {
    id: request.id,
    conversationId: request.conversationId,
    direction: 'outbound',
    channel: request.channel,
    at: now.toISOString(),
    text: request.text,
    subject: request.subject,
    attachments: [],
    kind: request.kind,
    language: request.language,
    deliveryStatus: delivery.status,
    providerMessageId: delivery.providerMessageId,
    flags: delivery.reason ? [delivery.reason] : undefined,
  };
  await deps.conversations.appendMessage(message);
}
