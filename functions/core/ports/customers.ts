import type {
  Channel,
  ConsentRecord,
  Customer,
  Identity,
  Language,
  OpenConversationPointer,
} from '../model.ts';

/* Customers and their identities, consent and the links the shop makes between them. */

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

/** The sender and, read in the same round, the outcome the ledger recorded for the event (if done). */
export interface SenderAndEvent {
  readonly customer: Customer | undefined;
  /** Present when a delivery before this one completed the event: this one is a duplicate. */
  readonly completed?: { readonly outcome: unknown };
}

export interface CustomerDirectory {
  findByIdentity(identity: Identity): Promise<Customer | undefined>;
  /**
   * findByIdentity, with the ledger's record of `eventKey` read in the same round trip where the
   * store keeps both (one table): a redelivered first message then costs that one read. A store
   * without it leaves duplicates to the ledger's claim.
   */
  findByIdentityWithEvent?(identity: Identity, eventKey: string): Promise<SenderAndEvent>;
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
  /**
   * Sets the customer's open conversation on `channel` if the pointer still names `expected`
   * (undefined: none) — the value read with the profile — so two writers never lose each
   * other's conversation. False when it names another now (read the profile again).
   */
  pointOpenConversation(
    customerId: string,
    channel: Channel,
    pointer: OpenConversationPointer,
    expected: string | undefined,
  ): Promise<boolean>;
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

/** The consent history the ledger appends, read back for agents: the newest changes first. */
export interface ConsentHistoryReader {
  /** At most `limit` of the customer's newest consent changes, newest first (one Query). */
  recentHistory(customerId: string, limit: number): Promise<ConsentHistoryEntry[]>;
}
