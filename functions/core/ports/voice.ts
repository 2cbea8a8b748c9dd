import type { Conversation } from '../model.ts';

/* Amazon Connect contacts (calls) and the Connect API. */

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
