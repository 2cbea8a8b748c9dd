import type { ChatReceipts } from './chat/ports.ts';
import type { SupportConfig } from './config.ts';
import { changeConsent, DestinationOptedOutError } from './consent.ts';
import { NotFoundError, PermanentDeliveryError, RetryableError } from './errors.ts';
import { type InsightsDeps, recordOutbound } from './insights.ts';
import { applyMessagingWindow, WINDOWED_CHANNELS } from './messaging-window.ts';
import type { Channel, DeliveryStatus, Message, OutboundRequest } from './model.ts';
import type {
  ChannelSender,
  Clock,
  ConsentLedger,
  ConversationStore,
  CustomerDirectory,
  DeferredSends,
  EventLedger,
  ProviderMessageIndex,
} from './ports.ts';
import { deferForQuietHours, type QuietHoursPolicy } from './quiet-hours.ts';

export interface DispatchOutboundDeps {
  readonly clock: Clock;
  readonly ledger: EventLedger;
  readonly conversations: ConversationStore;
  readonly customers: CustomerDirectory;
  readonly senders: Partial<Record<Channel, ChannelSender>>;
  /** Where provider message ids are kept so delivery statuses find their message; optional for email-only setups. */
  readonly providerMessages?: ProviderMessageIndex;
  /** The 24-hour window policy of WhatsApp, Messenger and Instagram (templates, fallbacks). */
  readonly social?: SupportConfig['social'];
  /** Quiet hours of proactive sends (SMS); absent: send at any hour. */
  readonly quietHours?: QuietHoursPolicy;
  /** Where sends that must wait for the end of quiet hours are parked. */
  readonly deferredSends?: DeferredSends;
  /** The consent ledger: a provider's opt-out refusal is recorded there (source `carrier`). */
  readonly consent?: ConsentLedger;
  /** Channel counters and the first-response time of agent replies (issue 7b); absent: not counted. */
  readonly insights?: InsightsDeps;
  /** Whether a chat visitor saw a message: an email copy of one they saw is not sent. */
  readonly chatReceipts?: ChatReceipts;
}

export interface DispatchOutcome {
  /** `deferred`: parked until quiet hours end; the send itself happens then. */
  readonly status: Extract<DeliveryStatus, 'sent' | 'failed' | 'suppressed'> | 'deferred';
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
    // A deferred send comes back through the queue with the same id: it must find the key free.
    if (outcome.status === 'deferred') await deps.ledger.release(key);
    else await deps.ledger.complete(key, outcome, now);
    return { ...outcome, duplicate: false };
  } catch (error) {
    await deps.ledger.release(key).catch(() => undefined);
    throw error;
  }
}

async function send(
  deps: DispatchOutboundDeps,
  queued: OutboundRequest,
  now: Date,
): Promise<DispatchOutcome> {
  const suppression = await suppressionReason(deps, queued);
  if (suppression) {
    await record(deps, queued, now, { status: 'suppressed', reason: suppression });
    return { status: 'suppressed', reason: suppression };
  }
  // Checked here, at send time, not when the request was queued: a deferred send may find the
  // window closed by then.
  let request = queued;
  if (WINDOWED_CHANNELS.has(queued.channel)) {
    const decision = await applyMessagingWindow(deps, queued, now);
    if (decision.action === 'suppress') {
      await record(deps, queued, now, { status: 'suppressed', reason: decision.reason });
      return { status: 'suppressed', reason: decision.reason };
    }
    request = decision.request;
  }
  const deferred = await deferForQuietHours(deps, request, now);
  if (deferred) {
    return { status: 'deferred', reason: `quiet hours: deferred until ${deferred.until.toISOString()}` };
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
    if (deps.providerMessages && request.conversationId && request.channel !== 'email') {
      // Delivery statuses name the provider's id only; this leads them back to the message.
      await deps.providerMessages.record(request.channel, sent.providerMessageId, {
        conversationId: request.conversationId,
        messageId: request.id,
        at: now.toISOString(),
      });
    }
    if (sent.emailMessageId && request.conversationId) {
      // Replies to our mail carry this id in In-Reply-To: it must lead back to the conversation.
      await deps.conversations.recordEmailReference(sent.emailMessageId, {
        conversationId: request.conversationId,
        customerId: request.customerId,
      });
    }
    if (deps.insights) {
      // It went out: a failed count must not send it again through a retry.
      await recordOutbound(deps.insights, request, now).catch((error: unknown) =>
        deps.insights?.onFailure?.(error),
      );
    }
    return { status: 'sent', providerMessageId: sent.providerMessageId };
  } catch (error) {
    if (!(error instanceof PermanentDeliveryError)) throw error;
    if (error instanceof DestinationOptedOutError && deps.consent) {
      // The customer's STOP reached the carrier or End User Messaging, not us: the ledger learns
      // it here, so proactive sends stop at the consent check instead of failing one by one.
      // Before the timeline write, so a retry after a crash finds it done (same event key).
      await changeConsent(
        { customers: deps.customers, consent: deps.consent },
        {
          customerId: request.customerId,
          channel: request.channel,
          state: 'opted-out',
          source: 'carrier',
          at: now.toISOString(),
          eventKey: `outbound#${request.id}`,
        },
      ).catch((consentError: unknown) => {
        // A send without a customer profile (none should exist) has no ledger to update.
        if (!(consentError instanceof NotFoundError)) throw consentError;
      });
    }
    await record(deps, request, now, { status: 'failed', reason: error.reason });
    return { status: 'failed', reason: error.reason };
  }
}

async function suppressionReason(
  deps: DispatchOutboundDeps,
  request: OutboundRequest,
): Promise<string | undefined> {
  if (request.unlessSeenInChat && (await deps.chatReceipts?.seen(request.unlessSeenInChat))) {
    return 'the visitor saw it in the chat';
  }
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
    agentId: request.agentId,
  };
  await deps.conversations.appendMessage(message);
}
