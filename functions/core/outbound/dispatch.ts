import type { ChatReceipts } from '../chat/ports.ts';
import type { SupportConfig } from '../config.ts';
import { changeConsent, DestinationOptedOutError } from '../customers/consent.ts';
import { NotFoundError, PermanentDeliveryError, RetryableError } from '../errors.ts';
import { DEFAULT_LEASE_SECONDS } from '../event-lease.ts';
import type { Channel, DeliveryStatus, Message, OutboundRequest } from '../model.ts';
import type { ConversationStore } from '../ports/conversations.ts';
import type { ConsentLedger, CustomerDirectory, IdentityWindows } from '../ports/customers.ts';
import type { EventLedger } from '../ports/event-ledger.ts';
import type {
  ChannelSender,
  DeferredSends,
  ProviderMessageIndex,
  SentMessage,
  SentRecordCompletion,
} from '../ports/outbound.ts';
import type { Clock } from '../ports/runtime.ts';
import { type InsightsDeps, recordOutbound } from '../service-levels/counters.ts';
import { applyMessagingWindow, WINDOWED_CHANNELS } from './messaging-window.ts';
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
  /** Each sender's last inbound per channel, where the 24-hour window is measured from. */
  readonly identityWindows?: IdentityWindows;
  /** Quiet hours of proactive sends (SMS); absent: send at any hour. */
  readonly quietHours?: QuietHoursPolicy;
  /** Where sends that must wait for the end of quiet hours are parked. */
  readonly deferredSends?: DeferredSends;
  /** The consent ledger: a provider's opt-out refusal is recorded there (source `carrier`). */
  readonly consent?: ConsentLedger;
  /** Channel counters and the first-response time of agent replies; absent: not counted. */
  readonly insights?: InsightsDeps;
  /** How long one attempt holds a send's claim: its function's lease (event-lease.ts). @default DEFAULT_LEASE_SECONDS */
  readonly leaseSeconds?: number;
  /** Whether a chat visitor saw a message: an email copy of one they saw is not sent. */
  readonly chatReceipts?: ChatReceipts;
  /** Writes a sent message's reference and final ledger outcome in one call; absent: one write each. */
  readonly sentRecords?: SentRecordCompletion;
}

export interface DispatchOutcome {
  /** `deferred`: parked until quiet hours end; the send itself happens then. */
  readonly status: Extract<DeliveryStatus, 'sent' | 'failed' | 'suppressed'> | 'deferred';
  readonly providerMessageId?: string;
  readonly reason?: string;
  /** The channel it went out on, when the window policy moved it to another one, and why. */
  readonly fallback?: { readonly channel: Channel; readonly from: Channel; readonly reason: string };
}

export interface DispatchResult extends DispatchOutcome {
  readonly duplicate: boolean;
}

/**
 * A send the provider accepted, as the ledger keeps it until its record is complete: the request
 * as it went out (after the window and fallback decisions) and the time it is recorded under, so
 * a redelivery writes the same timeline entry instead of sending again.
 */
interface AcceptedSend {
  /** Only when the window policy changed it: otherwise the redelivered queue message is the request. */
  readonly request?: OutboundRequest;
  readonly sentAt: string;
  readonly providerMessageId: string;
  readonly emailMessageId?: string;
}

/** The ledger's outcome of an accepted send whose record is still owed. */
interface UnrecordedOutcome extends DispatchOutcome {
  readonly accepted?: AcceptedSend;
}

/** Kinds that answer the customer inside a conversation they started (transactional). */
const CONVERSATIONAL_KINDS = new Set<OutboundRequest['kind']>(['auto-reply', 'agent-reply']);

/**
 * The record after an accepted send could not be written: the send stands (the ledger says so),
 * and the next delivery of the queue message completes the record without sending again.
 */
class SentButUnrecordedError extends RetryableError {}

/**
 * Sends one outbound message at most once: a redelivered queue message is a no-op, a passing
 * failure goes back to the queue (and to its DLQ in the end), a permanent one is recorded on
 * the message and not retried. Once the provider accepted the message, nothing sends it again:
 * the ledger is marked done before anything else is written, and a redelivery after a failed
 * write only completes the record.
 */
export async function dispatchOutbound(
  dispatchDeps: DispatchOutboundDeps,
  request: OutboundRequest,
): Promise<DispatchResult> {
  const deps = readingOnce(dispatchDeps);
  const key = outboundKey(request);
  const now = deps.clock.now();
  const leaseSeconds = deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const claim = await deps.ledger.claim<UnrecordedOutcome>(key, now, leaseSeconds);
  if (claim.status === 'done') {
    const { accepted, ...outcome } = claim.outcome;
    if (claim.unfinished && accepted) {
      await completeRecord(deps, key, { ...accepted, request: accepted.request ?? request });
    }
    return { ...outcome, duplicate: true };
  }
  if (claim.status === 'in-progress') {
    throw new RetryableError('another delivery of this outbound message is being sent; retry later');
  }

  try {
    const outcome = await send(deps, request, now, key);
    // A deferred send comes back through the queue with the same id: it must find the key free.
    if (outcome.status === 'deferred') await deps.ledger.release(key);
    else if (outcome.status !== 'sent') await deps.ledger.complete(key, outcome, now);
    return { ...outcome, duplicate: false };
  } catch (error) {
    // After the provider accepted the message the key is never given back: a retry must find it.
    if (!(error instanceof SentButUnrecordedError)) await deps.ledger.release(key).catch(() => undefined);
    throw error;
  }
}

/**
 * The deps with their reads made once per dispatch: consent, the messaging window, quiet hours
 * and the first-response count each read the customer or the conversation, and one read serves
 * them all. Writes go to the stores themselves.
 */
function readingOnce(deps: DispatchOutboundDeps): DispatchOutboundDeps {
  const customers = onceById((id) => deps.customers.get(id));
  const conversations = onceById((id) => deps.conversations.get(id));
  const insightsConversations = deps.insights?.conversations;
  return {
    ...deps,
    customers: delegate(deps.customers, { get: customers }),
    conversations: delegate(deps.conversations, { get: conversations }),
    ...(deps.insights && insightsConversations
      ? {
          insights: {
            ...deps.insights,
            // The same table: the conversation the window check read serves the first response.
            conversations: delegate(insightsConversations, {
              get:
                insightsConversations === deps.conversations
                  ? conversations
                  : onceById((id) => insightsConversations.get(id)),
            }),
          },
        }
      : {}),
  };
}

function onceById<T>(read: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const reads = new Map<string, Promise<T>>();
  return (id) => {
    let pending = reads.get(id);
    if (!pending) {
      pending = read(id);
      reads.set(id, pending);
    }
    return pending;
  };
}

/**
 * `target` with some methods replaced. Everything else, state included, stays the target's own:
 * what its methods change lands on the target, not on a copy.
 */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get: (object, property) => {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property);
      // Bound to the target itself, so its methods see their own (private) state.
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

function outboundKey(request: OutboundRequest): string {
  return `outbound#${request.id}`;
}

async function send(
  deps: DispatchOutboundDeps,
  queued: OutboundRequest,
  now: Date,
  key: string,
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
  let sent: SentMessage;
  try {
    sent = await sender.send(request);
  } catch (error) {
    if (!(error instanceof PermanentDeliveryError)) throw error;
    return refused(deps, request, now, error);
  }
  const accepted = {
    request,
    sentAt: now.toISOString(),
    providerMessageId: sent.providerMessageId,
    ...(sent.emailMessageId === undefined ? {} : { emailMessageId: sent.emailMessageId }),
  };
  const fallback = request.fallback ? { fallback: { channel: request.channel, ...request.fallback } } : {};
  const outcome: DispatchOutcome = { status: 'sent', providerMessageId: sent.providerMessageId, ...fallback };
  // The provider has it (none of SES, End User Messaging or the Graph API takes an idempotency
  // key): the ledger learns it first, in one write, so no delivery of this message sends it again.
  let marked: boolean;
  try {
    // The ledger item stays small (one write unit) unless the window policy changed the request.
    const { request: _asQueued, ...owed } = accepted;
    const unrecorded: UnrecordedOutcome = { ...outcome, accepted: request === queued ? owed : accepted };
    marked = await deps.ledger.complete(key, unrecorded, now, { unfinished: true });
  } catch (error) {
    // The claim stays until its lease ends: retries within it wait instead of sending again.
    throw new SentButUnrecordedError('the message was sent but could not be marked sent yet; retry later', {
      cause: error,
    });
  }
  // False: a delivery that took over after this one's lease ran out finished first; its record stands.
  if (marked) await completeRecord(deps, key, accepted);
  return outcome;
}

/**
 * Everything written about an accepted send, each write safe to repeat (a conditional timeline
 * put, key-addressed references), then the ledger's outcome without the owed record. The
 * references and that outcome are one call where the store takes them together.
 */
async function completeRecord(
  deps: DispatchOutboundDeps,
  key: string,
  accepted: AcceptedSend & { readonly request: OutboundRequest },
): Promise<void> {
  const { request, providerMessageId } = accepted;
  const sentAt = new Date(accepted.sentAt);
  try {
    const stored = await record(deps, request, sentAt, { status: 'sent', providerMessageId });
    if (deps.insights && stored) {
      // Counted by the delivery that stored the timeline entry, so one that only completes the
      // record does not count it again. It went out: a failed count must not send it again.
      await recordOutbound(deps.insights, request, sentAt).catch((error: unknown) =>
        deps.insights?.onFailure?.(error),
      );
    }
    const { conversationId } = request;
    // Replies to our mail carry its Message-ID in In-Reply-To: it must lead back to the conversation.
    const emailReference =
      accepted.emailMessageId && conversationId
        ? {
            messageId: accepted.emailMessageId,
            reference: { conversationId, customerId: request.customerId },
          }
        : undefined;
    // Delivery statuses name the provider's id only; this leads them back to the message.
    const providerReference =
      deps.providerMessages && conversationId && request.channel !== 'email'
        ? {
            channel: request.channel,
            providerMessageId,
            reference: { conversationId, messageId: request.id, at: accepted.sentAt },
          }
        : undefined;
    const outcome: DispatchOutcome = { status: 'sent', providerMessageId };
    if (deps.sentRecords) {
      await deps.sentRecords.complete({
        ledgerKey: key,
        outcome,
        now: deps.clock.now(),
        ...(emailReference ? { emailReference } : {}),
        ...(providerReference ? { providerReference } : {}),
      });
      return;
    }
    if (providerReference) {
      await deps.providerMessages?.record(
        providerReference.channel,
        providerReference.providerMessageId,
        providerReference.reference,
      );
    }
    if (emailReference) {
      await deps.conversations.recordEmailReference(emailReference.messageId, emailReference.reference);
    }
    await deps.ledger.complete(key, outcome, deps.clock.now());
  } catch (error) {
    throw new SentButUnrecordedError(
      'the message was sent but its record could not be written; the next delivery completes it',
      { cause: error },
    );
  }
}

/** A permanent refusal: recorded on the message, and an opt-out learned from the provider. */
async function refused(
  deps: DispatchOutboundDeps,
  request: OutboundRequest,
  now: Date,
  error: PermanentDeliveryError,
): Promise<DispatchOutcome> {
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
        eventKey: outboundKey(request),
      },
    ).catch((consentError: unknown) => {
      // A send without a customer profile (none should exist) has no ledger to update.
      if (!(consentError instanceof NotFoundError)) throw consentError;
    });
  }
  await record(deps, request, now, { status: 'failed', reason: error.reason });
  return { status: 'failed', reason: error.reason };
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

/**
 * Puts the outbound message on its conversation's timeline with its delivery state. False when
 * it was there already (a redelivery completing the record); true as well without a conversation.
 */
async function record(
  deps: DispatchOutboundDeps,
  request: OutboundRequest,
  now: Date,
  delivery: { status: DeliveryStatus; providerMessageId?: string; reason?: string },
): Promise<boolean> {
  if (!request.conversationId) return true;
  const message: Message = {
    id: request.id,
    conversationId: request.conversationId,
    direction: 'outbound',
    channel: request.channel,
    at: now.toISOString(),
    text: request.text,
    subject: request.subject,
    attachments: request.attachments ?? [],
    kind: request.kind,
    language: request.language,
    deliveryStatus: delivery.status,
    providerMessageId: delivery.providerMessageId,
    flags: delivery.reason ? [delivery.reason] : undefined,
    agentId: request.agentId,
    ...(request.fallback ? { fallback: request.fallback } : {}),
  };
  return (await deps.conversations.appendMessage(message)) !== undefined;
}
