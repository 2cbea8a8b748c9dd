import type { Channel, DeliveryStatus, OutboundRequest, ReminderDue, ResponseDeadlineDue } from '../model.ts';
import type { EmailReference } from './conversations.ts';

/* Sending: the outbound queue, the channel senders, deferred sends and the provider message index. */

export interface OutboundQueue {
  enqueue(request: OutboundRequest, options?: { delaySeconds?: number }): Promise<void>;
}

export interface SentMessage {
  /** The provider's id (SES MessageId, SMS message id, wamid). */
  readonly providerMessageId: string;
  /** Our own Message-ID for email, so replies to it thread. */
  readonly emailMessageId?: string;
}

/** Sends one outbound message on its channel; throws RetryableError or PermanentDeliveryError. */
export interface ChannelSender {
  send(request: OutboundRequest): Promise<SentMessage>;
}

/** A send (or any payload for the outbound queue) that must wait until `at`. */
export interface DeferredSend {
  /** Deterministic, so scheduling the same send twice keeps one schedule. */
  readonly id: string;
  readonly at: Date;
  /** What goes on the outbound queue at `at`: a send, or a reminder that is due. */
  readonly request: OutboundRequest | ReminderDue | ResponseDeadlineDue;
}

/**
 * Puts a request on the outbound queue at a later time (quiet hours now, reminders later): an
 * EventBridge Scheduler one-time schedule in the cloud, a pending list the replay clock fires in
 * the sandbox.
 */
export interface DeferredSends {
  /** Idempotent on `id`: a schedule that exists already is left as it is. */
  schedule(send: DeferredSend): Promise<void>;
  /** Removes a pending send; unknown or already fired ids are fine. */
  cancel(id: string): Promise<void>;
}

/** Where one of our outbound messages lives, found again by the id the provider gave it. */
export interface ProviderMessageReference {
  readonly conversationId: string;
  readonly messageId: string;
  /** The message's timeline position (`at`), part of its key. */
  readonly at: string;
}

/**
 * Provider message ids (wamid, Messenger mid, SMS message id) of the messages we sent, so a
 * delivery status the provider reports later updates the right message. Keyed by channel because
 * ids are only unique within one provider.
 */
export interface ProviderMessageIndex {
  record(channel: Channel, providerMessageId: string, reference: ProviderMessageReference): Promise<void>;
  find(channel: Channel, providerMessageId: string): Promise<ProviderMessageReference | undefined>;
  /**
   * Moves the message's delivery status forward (sent → delivered → read; failed), never back:
   * statuses arrive out of order and more than once. Returns false when nothing changed.
   */
  updateDeliveryStatus(
    reference: ProviderMessageReference,
    update: { readonly status: DeliveryStatus; readonly at: string; readonly reason?: string },
  ): Promise<boolean>;
}

/**
 * The last write of a sent message's record, in one call: the reference that leads back to the
 * message (its email Message-ID for replies, its provider id for delivery statuses) and the
 * ledger's final outcome. Both are plain puts, safe to repeat: the ledger already holds the send.
 */
export interface SentRecordCompletion {
  complete(input: {
    readonly ledgerKey: string;
    readonly outcome: unknown;
    readonly now: Date;
    readonly emailReference?: { readonly messageId: string; readonly reference: EmailReference };
    readonly providerReference?: {
      readonly channel: Channel;
      readonly providerMessageId: string;
      readonly reference: ProviderMessageReference;
    };
  }): Promise<void>;
}
