import type {
  Channel,
  ConsentRecord,
  Conversation,
  Customer,
  DeliveryStatus,
  Escalation,
  Identity,
  Language,
  Message,
  Order,
  OutboundRequest,
  Reminder,
  ReminderDue,
  ResponseDeadlineDue,
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

/**
 * When a customer last wrote to us from one identity (a wa_id's phone, a PSID) on one channel.
 * Meta's 24-hour window belongs to that sender, not to one conversation: an order notice on its
 * own (closed) conversation is inside the window opened by a message on another one.
 */
export interface IdentityWindows {
  /** Keeps the latest `at`: an older or redelivered message changes nothing. */
  recordInbound(identity: Identity, channel: Channel, at: string): Promise<void>;
  lastInboundAt(identity: Identity, channel: Channel): Promise<string | undefined>;
  /** The latest of several identities' last inbound on `channel`, in one read where the store can. */
  latestInboundAt?(identities: readonly Identity[], channel: Channel): Promise<string | undefined>;
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

/** One budget an automatic response is counted against, per UTC hour. */
export interface AutoResponseBudgetScope {
  /** `sender-domain` (one organizational domain of senders) or `global` (every automatic response). */
  readonly kind: 'sender-domain' | 'global';
  /** The domain for `sender-domain`; unused for `global`. */
  readonly key: string;
  /** At most this many automatic responses in one hour. */
  readonly limit: number;
}

/**
 * Hourly ceilings on automatic responses, so a flood of mail (forged or not) cannot make the
 * shop's domain send a flood back. Counted atomically where many functions share them.
 */
export interface AutoResponseBudget {
  /**
   * Takes one unit of every scope, in order, stopping at the first that is spent (later scopes
   * are then not counted). Returns the spent scope's kind, or undefined when all had room.
   */
  take(
    scopes: readonly AutoResponseBudgetScope[],
    now: Date,
  ): Promise<AutoResponseBudgetScope['kind'] | undefined>;
}

export interface EmailReference {
  readonly conversationId: string;
  readonly customerId: string;
}

/** What storing a message does to its conversation beside moving its clocks. */
export interface AppendEffect {
  readonly reopen?: boolean;
  /**
   * Counts this inbound contact on the conversation, in the same write, among the contacts since
   * the last answer a person gave (the escalation rule's tally); `key` makes a redelivery count once.
   */
  readonly contactKey?: string;
}

/** A message stored for the first time. */
export interface AppendedMessage {
  /** With `contactKey`: the contacts since the last answer, this one included, where the store counted them. */
  readonly unansweredContacts?: number;
}

export interface ConversationStore {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Creates it unless it exists; returns the stored one either way. */
  create(conversation: Conversation): Promise<Conversation>;
  /**
   * Stores the message unless it is already there, and moves its conversation's timestamps.
   * Returns undefined when it was already stored (then nothing else changes).
   */
  appendMessage(message: Message, effect?: AppendEffect): Promise<AppendedMessage | undefined>;
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

/**
 * Orders. The stored state of an order only moves forward in event time: `apply`
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
  /**
   * Sets the shop-given profile fields (name, language, timezone, preferred channel), each only
   * when `at` is later than the time its stored value was given: a late or replayed event
   * changes nothing.
   */
  updateProfile(
    customerId: string,
    fields: Partial<Pick<Customer, 'name' | 'language' | 'timezone' | 'preferredChannel'>>,
    at: string,
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

/** Counter values by name (`inbound`, `outbound:agent-reply`, `firstResponseBucket:30`…; see core/insights.ts). */
export type InsightCounters = Readonly<Record<string, number>>;

/** The counters of one channel in one UTC hour. */
export interface ChannelHourCounters {
  readonly channel: Channel;
  /** Start of the UTC hour, ISO (`2026-11-23T10:00:00.000Z`). */
  readonly hour: string;
  readonly counters: InsightCounters;
}

/**
 * Channel insights: counters per channel per UTC hour. Every `add` is one atomic
 * write (no read first), so concurrent events never lose a count; `read` is a bounded Query
 * per day, never a scan.
 */
export interface ChannelInsights {
  /** Adds each value to its counter of the hour of `at` on `channel`. */
  add(channel: Channel, at: Date, counters: InsightCounters): Promise<void>;
  /** Every channel-hour with counts whose hour starts in [from, to). */
  read(range: { readonly from: Date; readonly to: Date }): Promise<ChannelHourCounters[]>;
}

/**
 * Response times kept on the conversation, each written once (a condition, not a read first), so
 * a redelivered send or close counts once.
 */
export interface ResponseTimes {
  /** Records the first response; false when one was recorded already (or no such conversation). */
  recordFirstResponse(
    conversationId: string,
    record: { readonly at: string; readonly businessMinutes: number },
  ): Promise<boolean>;
  /** Records a resolution at `at`; false when this very close was recorded already. */
  recordResolution(
    conversationId: string,
    record: { readonly at: string; readonly businessMinutes: number },
  ): Promise<boolean>;
  /** Marks a missed target; false when it was marked already (count a breach once). */
  recordBreach(conversationId: string, target: ResponseDeadlineDue['target'], at: string): Promise<boolean>;
}

/** Queues a response-deadline check on the outbound queue, where the dispatcher handles it. */
export interface ResponseDeadlines {
  /** Queues every check in one request (a new conversation has two: first response and resolution). */
  watch(dues: readonly ResponseDeadlineDue[], options?: { readonly delaySeconds?: number }): Promise<void>;
}

/**
 * Escalations kept on their conversation: one record per event key, written with a
 * condition, plus an `escalated` flag on the conversation so the agent queue shows it.
 */
export interface EscalationLog {
  /**
   * Stores the escalation unless one with its event key is stored; returns the stored one and
   * whether this call created it.
   */
  record(escalation: Escalation): Promise<{ readonly created: boolean; readonly stored: Escalation }>;
  /** Notes the agent task created for an escalation (safe to repeat). */
  attachTask(conversationId: string, eventKey: string, taskId: string): Promise<void>;
  /**
   * Adds one contact (idempotent on `contactKey`) to the conversation's count of contacts since
   * `since` (the last answer, or `unanswered`) and returns the count.
   */
  countUnansweredContact(conversationId: string, since: string, contactKey: string): Promise<number>;
}

/** A task for agents (an Amazon Connect task contact) pointing at a conversation. */
export interface AgentTask {
  /** Deterministic: the same escalation always asks with the same token, so Connect makes one task. */
  readonly clientToken: string;
  readonly name: string;
  readonly description: string;
  readonly conversationId: string;
  readonly customerId: string;
}

export interface AgentTasks {
  /** Creates the task (once per client token) and returns its id. */
  create(task: AgentTask): Promise<{ readonly taskId: string }>;
}

/** Which conversations an agent lists; absent fields do not narrow. */
export interface ConversationQuery {
  readonly status?: import('./model.ts').ConversationStatus;
  readonly channel?: Channel;
  readonly assignee?: string;
  /** Only conversations nobody is assigned to. */
  readonly unassigned?: boolean;
  /** Only conversations carrying this label. */
  readonly label?: string;
  /**
   * `awake`: leaves out conversations snoozed past `now`; `snoozed`: only those. An expired snooze
   * counts as awake, so nothing has to wake conversations up.
   */
  readonly snooze?: { readonly show: 'awake' | 'snoozed'; readonly now: string };
}

/**
 * Where a listing stopped in each partition it reads (the status index is sharded): `start`, `end`,
 * or after the item with this index sort key (`at`) and conversation id.
 */
export type ListPosition = 'start' | 'end' | { readonly at: string; readonly id: string };

/**
 * The agent's view of the conversation table: index reads (no scans) and the agent's
 * writes, each one conditional update (no read first).
 */
export interface AgentConversations {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Newest activity first, at most `limit`; `after` continues from a previous page's `next`. */
  list(
    query: ConversationQuery,
    page: { readonly limit: number; readonly after?: readonly ListPosition[] },
  ): Promise<{ readonly items: readonly Conversation[]; readonly next?: readonly ListPosition[] }>;
  /** The conversation's messages, oldest first. */
  listMessages(conversationId: string): Promise<Message[]>;
  /** The customer's conversations, newest activity first, at most `limit` (by-customer index). */
  conversationsOf(customerId: string, limit: number): Promise<Conversation[]>;
  /** Sets (or, with `assignee` undefined, removes) the assignee; undefined: no such conversation. */
  assign(
    conversationId: string,
    change: { readonly assignee?: string; readonly at: string; readonly by: string },
  ): Promise<Conversation | undefined>;
  /**
   * Moves the status (closing also stamps `closedAt`/`closedBy`); `changed` is false when it had
   * that status already. Undefined: no such conversation.
   */
  changeStatus(
    conversationId: string,
    change: {
      readonly status: import('./model.ts').ConversationStatus;
      readonly at: string;
      readonly by: string;
    },
  ): Promise<{ readonly conversation: Conversation; readonly changed: boolean } | undefined>;
  /** Notes the survey on the conversation unless one is noted; false when one was. */
  markSurveyQueued(conversationId: string, survey: NonNullable<Conversation['survey']>): Promise<boolean>;
}

/** Survey answers: find the survey a lone "1–5" answers, and keep the first answer. */
export interface SurveyAnswers {
  /**
   * The customer's most recent conversation on `channel` whose survey was queued at or after
   * `since` (answered or not); undefined when there is none.
   */
  surveyedConversation(customerId: string, channel: Channel, since: Date): Promise<Conversation | undefined>;
  /** Stores the score unless one is stored; true when stored now or by this same message before. */
  recordCsat(conversationId: string, csat: NonNullable<Conversation['csat']>): Promise<boolean>;
}

/** What we keep about one Amazon Connect contact (a call), keyed by its contact id. */
export interface VoiceContactRecord {
  readonly contactId: string;
  readonly customerId?: string;
  /** The caller's number (E.164) when Connect showed one. */
  readonly phone?: string;
  /** The conversation the call's timeline entries go to, fixed by the first event that needed one. */
  readonly conversationId?: string;
  readonly firstSeenAt: string;
  /** When the call was counted in the channel insights (once per call, by the first entry). */
  readonly countedAt?: string;
}

/** Contacts seen by the contact flow or the contact events, so later events find their caller. */
export interface VoiceContacts {
  /** Stores what is new about the contact; fields already set are kept. Returns the stored record. */
  remember(contact: VoiceContactRecord): Promise<VoiceContactRecord>;
  get(contactId: string): Promise<VoiceContactRecord | undefined>;
  /** Fixes the contact's conversation unless one is fixed already; returns the one that is. */
  bindConversation(contactId: string, conversationId: string): Promise<string>;
  /** Marks the call counted in the insights; true only for the first to mark it. */
  markCounted(contactId: string, at: string): Promise<boolean>;
  /** The customer's most recently active open or pending conversation on any channel (an index Query, no scan). */
  openConversation(customerId: string): Promise<Conversation | undefined>;
}

/** A contact as the Amazon Connect API describes it (DescribeContact). */
export interface ConnectContactDetails {
  readonly contactId: string;
  /** The caller's number as Connect has it (E.164 for calls from the phone network). */
  readonly customerPhone?: string;
  readonly channel?: string;
  readonly initiationMethod?: string;
}

/** The Connect API, for contact events whose contact the flow never saw. */
export interface ConnectContacts {
  /** Undefined when Connect does not know the contact (any more). */
  describe(contactId: string): Promise<ConnectContactDetails | undefined>;
}

/** The consent history the ledger appends, read back for agents: the newest changes first. */
export interface ConsentHistoryReader {
  /** At most `limit` of the customer's newest consent changes, newest first (one Query). */
  recentHistory(customerId: string, limit: number): Promise<ConsentHistoryEntry[]>;
}

/** A customer's orders for the agent's sidebar. */
export interface CustomerOrders {
  /** At most `limit` of the customer's most recently placed orders, newest first. */
  recentOrders(customerId: string, limit: number): Promise<Order[]>;
}

/**
 * Merging a duplicate conversation into another: two ordered writes, each idempotent, so a retry
 * after a crash between them completes the merge (no transactions: dynalite has none).
 */
export interface ConversationMerges {
  /** Adds `sourceIds` to the target's `mergedFrom` (a set union); false: no such target. */
  recordMergedFrom(targetId: string, sourceIds: readonly string[]): Promise<boolean>;
  /**
   * Closes the source and marks it merged into `targetId`, unless it is already; `changed` is
   * false then. Undefined: no such source, or it was merged into another conversation.
   */
  markMerged(
    sourceId: string,
    targetId: string,
    change: { readonly at: string; readonly by: string },
  ): Promise<{ readonly conversation: Conversation; readonly changed: boolean } | undefined>;
}

// The ports of the functions' edges: what the handlers take besides the use cases' ports.

/** One consumed queue message: the fields of an SQS record the consumers' ports read. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiptHandle: string;
  readonly eventSourceARN: string;
  readonly attributes: { readonly ApproximateReceiveCount: string };
}

/** Dead-letters a record on its last allowed attempt, with the reason it failed. */
export interface DeadLetters {
  /** True when this receive is the last one the queue's redrive policy allows. */
  isFinalAttempt(record: QueueMessage): boolean;
  /**
   * On the final attempt, or at once for input that can never succeed (InvalidInputError), puts
   * the record on the DLQ with its failure reason and answers true (the record is handled: the
   * queue deletes it). Otherwise, or when the send fails, false: the record goes back to its
   * queue, and the queue's redrive still dead-letters it (without the reason).
   */
  deadLetter(record: QueueMessage, error: unknown): Promise<boolean>;
}

/** Holds a failed record back before its next try, longer each time. */
export interface RetryBackoff {
  delay(record: QueueMessage): Promise<void>;
}

/** Where a verified webhook delivery waits for the consumer: the raw body, unparsed. */
export interface WebhookQueue {
  enqueue(rawBody: string, attributes: { readonly object?: string }): Promise<void>;
}

/** The three Meta credentials switchboard needs. */
export type MetaSecretName = 'appSecret' | 'verifyToken' | 'accessToken';

export interface MetaSecrets {
  get(name: MetaSecretName): Promise<string>;
}

/**
 * The keys the shop signs its requests with (HMAC-SHA256, X-Signature-SHA256): the current one,
 * and during a rotation the previous one too.
 */
export interface ShopSecret {
  keys(): Promise<{ readonly current: string; readonly previous?: string }>;
}

/** The raw MIME of a received mail, by its SES message id (the receipt rule stored it first). */
export interface RawMailSource {
  read(sesMessageId: string): Promise<Uint8Array>;
}
