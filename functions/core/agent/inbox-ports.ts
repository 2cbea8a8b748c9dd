import type { Conversation, Message } from '../model.ts';

/**
 * The ports the inbox's use cases need beyond AgentConversations: per-agent read state,
 * customer names for a page of rows, private notes, labels, snoozes and canned responses.
 * Each page of queue rows costs a fixed number of calls (one batch read per kind), never one
 * per row.
 */

/** When each agent last read each conversation: `READ#<agentId>` items under the conversation. */
export interface ReadMarkers {
  /** The agent's read times of these conversations (absent: never read); one batch read. */
  readAtOf(agentId: string, conversationIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Moves the agent's read time of the conversation forward to `at` (never back). */
  markRead(agentId: string, conversationId: string, at: string): Promise<void>;
}

/** Display names of customers, for a page of queue rows (one batch read). */
export interface CustomerNames {
  /** Customers without a name (or unknown ids) are absent from the map. */
  namesOf(customerIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** The agents' writes on a conversation that customers never see. */
export interface InboxConversations {
  /**
   * Stores the note once per id: the first call fixes its time, a repeated call (a retried POST)
   * returns the note as first stored. Notes do not move the conversation's activity time.
   */
  appendNote(note: Message): Promise<Message>;
  /**
   * Replaces the conversation's labels with `change(current)`, retrying when another agent
   * changed them meanwhile (optimistic lock). Undefined: no such conversation. Errors thrown by
   * `change` (a rule the new labels break) come through unchanged.
   */
  updateLabels(
    conversationId: string,
    change: (current: readonly string[]) => readonly string[],
  ): Promise<Conversation | undefined>;
  /** Sets the snooze (or, with `undefined`, wakes it); undefined: no such conversation. */
  snooze(
    conversationId: string,
    snooze:
      | { readonly until: string; readonly at: string; readonly by: string }
      | { readonly until: undefined; readonly at: string; readonly by: string },
  ): Promise<Conversation | undefined>;
  /** Chat: moves `agentReadAt` forward (the visitor's read ticks on a resync). */
  recordAgentRead(conversationId: string, at: string): Promise<void>;
}

/** A canned response as agents pick it with `/shortcut` in the composer. */
export interface CannedResponse {
  readonly id: string;
  /** What the agent types after `/`: lowercase letters, digits, `-` and `_`. */
  readonly shortcut: string;
  readonly title: string;
  /** May hold variables (`{customer.name}`, `{order.id}`…; see canned-responses.ts). */
  readonly text: string;
  /** ISO 639-1 code; absent: for every language. */
  readonly language?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** Canned responses in the table (one partition: listing them is one Query). */
export interface CannedResponseStore {
  /** Every canned response that is not deleted, by shortcut. */
  list(): Promise<CannedResponse[]>;
  get(id: string): Promise<CannedResponse | undefined>;
  /** Stores it unless one with its id exists (deleted ones are replaced); returns the stored one. */
  create(response: CannedResponse): Promise<{ readonly created: boolean; readonly stored: CannedResponse }>;
  /** Replaces the fields of an existing (not deleted) one; undefined when there is none. */
  update(response: CannedResponse): Promise<CannedResponse | undefined>;
  /** Marks it deleted (kept, never removed); false when there was none to delete. */
  remove(id: string, at: string, by: string): Promise<boolean>;
}
