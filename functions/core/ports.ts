import type {
  Channel,
  ConsentRecord,
  Conversation,
  Customer,
  DeliveryStatus,
  Identity,
  Language,
  Message,
  Order,
  OutboundRequest,
  Reminder,
  ReminderDue,
} from './model.ts';

/** Time comes from outside so the core is testable and the sandbox can replay at any clock. */
export interface Clock {
  now(): Date;
}

/**
 * Ids come from outside too. `derive` must be deterministic (same parts, same id) so that a
 * redelivered event produces the same records and every write stays idempotent.
 */
export interface IdSource {
  derive(namespace: string, ...parts: readonly string[]): string;
}

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
  };
}

export type EventClaim<Outcome> =
  | { readonly status: 'claimed' }
  | { readonly status: 'done'; readonly outcome: Outcome }
  | { readonly status: 'in-progress' };

/**
 * Durable dedupe of events (inbound deliveries, outbound sends): the first delivery claims the
 * key; later ones see the recorded outcome. A claim is a lease, so a delivery that crashed
 * half-way is retried, not lost; the record outlives every provider's redelivery horizon.
 */
export interface EventLedger {
  claim<Outcome>(key: string, now: Date, leaseSeconds: number): Promise<EventClaim<Outcome>>;
  complete<Outcome>(key: string, outcome: Outcome, now: Date): Promise<void>;
  release(key: string): Promise<void>;
}

export interface CustomerDirectory {
  findByIdentity(identity: Identity): Promise<Customer | undefined>;
  get(customerId: string): Promise<Customer | undefined>;
  /**
   * Creates the customer and claims the identity for it with one condition, so two racing
   * first messages from one address make one customer. Returns whoever owns the identity.
   */
  createWithIdentity(customer: Customer, identity: Identity): Promise<Customer>;
  recordDetectedLanguage(customerId: string, language: Language): Promise<void>;
  /**
   * Atomically takes the customer's auto-reply slot if the last one is older than the window.
   * `claimKey` makes a retry of the same event get the same answer.
   */
  claimAutoReplySlot(
    customerId: string,
    now: Date,
    windowMinutes: number,
    claimKey: string,
  ): Promise<boolean>;
}

export interface EmailReference {
  readonly conversationId: string;
  readonly customerId: string;
}

export interface ConversationStore {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Creates it unless it exists; returns the stored one either way. */
  create(conversation: Conversation): Promise<Conversation>;
  /**
   * Stores the message unless it is already there, and moves its conversation's timestamps.
   * Returns false when it was already stored (then nothing else changes).
   */
  appendMessage(message: Message, effect?: { readonly reopen?: boolean }): Promise<boolean>;
  /** The first of these email Message-IDs that belongs to one of our conversations. */
  findByEmailReference(messageIds: readonly string[]): Promise<EmailReference | undefined>;
  recordEmailReference(messageId: string, reference: EmailReference): Promise<void>;
  latestOpenConversation(customerId: string, channel: Channel): Promise<Conversation | undefined>;
}

export interface AttachmentStore {
  /** Stores the content and returns the object key it can be read back from. */
  put(key: string, content: Uint8Array, contentType: string): Promise<string>;
}

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

/** One consent change as the history keeps it (DESIGN §4: every change with its time and source). */
export interface ConsentHistoryEntry extends ConsentRecord {
  readonly customerId: string;
  readonly channel: Channel;
  /** The state before the change (absent: never set). */
  readonly previous?: ConsentRecord['state'];
}

/**
 * The consent ledger: the current state per channel lives on the customer profile (so the
 * dispatcher reads it with the profile it already reads), every change is appended to a history.
 */
export interface ConsentLedger {
  /**
   * Sets the channel's consent on the profile if its consent version is still `expectedVersion`
   * (0: never changed) and bumps it. Returns false when someone else changed consent meanwhile.
   */
  apply(
    customerId: string,
    channel: Channel,
    record: ConsentRecord,
    expectedVersion: number,
  ): Promise<boolean>;
  /** Appends a history entry; the same entry written twice is stored once. */
  appendHistory(entry: ConsentHistoryEntry): Promise<void>;
}

/** A send (or any payload for the outbound queue) that must wait until `at`. */
export interface DeferredSend {
  /** Deterministic, so scheduling the same send twice keeps one schedule. */
  readonly id: string;
  readonly at: Date;
  /** What goes on the outbound queue at `at`: a send, or a reminder that is due. */
  readonly request: OutboundRequest | ReminderDue;
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
 * Orders (issue 6). The stored state of an order only moves forward in event time: `apply`
 * writes only when the event is newer than the one that set the current state.
 */
export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  /**
   * Stores `order` when no event of it is stored yet or the stored one is older than
   * `order.lastEventAt`; returns false (and changes nothing) otherwise.
   */
  apply(order: Order): Promise<boolean>;
  /** The customer's most recently placed order (by its first event), or undefined. */
  latestForCustomer(customerId: string): Promise<Order | undefined>;
  /** Moves the customer's orders to another customer (a merge); safe to repeat. */
  moveOrders(fromCustomerId: string, toCustomerId: string): Promise<void>;
  /**
   * Keeps every event of the order (applied or not) beside it, so a late event that did not
   * change the status is still on record after the event ledger has expired it.
   */
  recordEvent(
    orderId: string,
    event: {
      readonly eventId: string;
      readonly type: string;
      readonly occurredAt: string;
      readonly applied: boolean;
    },
  ): Promise<void>;
}

/**
 * The writes a trusted identity source (the shop) needs beyond the directory: linking an
 * identity to a customer, updating the profile, and merging two customers into one. Every step
 * is an idempotent conditional write (no transactions: dynalite, the sandbox's DynamoDB, has
 * none), so a retry after a crash finishes what the first attempt began.
 */
export interface CustomerLinks {
  /** The customer an identity item names, without following aliases (undefined: unknown identity). */
  identityOwner(identity: Identity): Promise<string | undefined>;
  /** The profile as stored, without following `mergedInto`. */
  getProfile(customerId: string): Promise<Customer | undefined>;
  /**
   * Points the identity at `customerId` unless another customer holds it; returns the holder.
   * Also lists the identity on the profile.
   */
  linkIdentity(identity: Identity, customerId: string, at: string): Promise<string>;
  /** Re-points an identity from `from` to `to` (no-op when it already names `to`). */
  moveIdentity(identity: Identity, from: string, to: string, at: string): Promise<void>;
  /** Sets the shop-given profile fields (name, language, timezone, preferred channel). */
  updateProfile(
    customerId: string,
    fields: Partial<Pick<Customer, 'name' | 'language' | 'timezone' | 'preferredChannel'>>,
  ): Promise<void>;
  /** Marks `aliasId` as merged into `survivorId` (no-op when already so). */
  markMerged(aliasId: string, survivorId: string, at: string): Promise<void>;
  /** Every conversation id of the customer (through the by-customer index, no scan). */
  conversationIdsOf(customerId: string): Promise<string[]>;
  /** Moves a conversation (and its index keys) from one customer to another; safe to repeat. */
  moveConversation(conversationId: string, from: string, to: string): Promise<void>;
}

/** Reminders (`REMINDER#<id>`); state moves scheduled → cancelled or scheduled → fired, never back. */
export interface ReminderStore {
  get(reminderId: string): Promise<Reminder | undefined>;
  /** Stores it unless a reminder with that id exists; returns the stored one either way. */
  create(reminder: Reminder): Promise<Reminder>;
  /** scheduled → cancelled; returns the reminder as it is afterwards (undefined: unknown id). */
  cancel(reminderId: string, at: string): Promise<Reminder | undefined>;
  /** scheduled → fired; false when it was not scheduled (cancelled, or fired already). */
  markFired(reminderId: string, at: string): Promise<boolean>;
}
