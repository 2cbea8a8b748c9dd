import type { ChatConnections, ChatGateway } from '../chat/ports.ts';
import type { SupportConfig } from '../config.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Conversation, ConversationPreview, ConversationStatus, Message } from '../model.ts';
import type { AgentConversations, ConversationQuery, ListPosition } from '../ports/conversations.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import { addBusinessMinutes, businessMinutesBetween } from '../service-levels/business-hours.ts';
import type { Agent } from './agent.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './conversations.ts';
import type { CannedResponseStore, CustomerNames, InboxConversations, ReadMarkers } from './inbox-ports.ts';
import { withMergedMessages } from './merge-conversations.ts';
import { decodeOffsetToken, decodePageToken, encodeOffsetToken, encodePageToken } from './paging.ts';

/** What the inbox's use cases (rows, notes, labels, snooze, read state, canned responses) work with. */
export interface InboxDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly conversations: AgentConversations;
  readonly inbox: InboxConversations;
  readonly names: CustomerNames;
  readonly readMarkers: ReadMarkers;
  readonly cannedResponses: CannedResponseStore;
  /** The chat visitors' sockets (read receipts); absent where chat is not deployed. */
  readonly chat?: { readonly connections: ChatConnections; readonly gateway: ChatGateway };
}

/** A preview is one line of at most this many characters. */
export const PREVIEW_CHARACTERS = 140;

/**
 * An unread filter reads at most this many conversations of the queue (newest activity first)
 * for one page: a page of an agent who has read nearly everything may come back short, with a
 * `nextToken` that continues where the reading stopped.
 */
export const UNREAD_WINDOW = 300;

/**
 * `sort=deadline` orders the this many most recently active conversations the filters match
 * (the whole open queue of most shops); beyond it, narrow the listing with filters.
 */
export const DEADLINE_WINDOW = 500;

export interface RowDeadline {
  /** `firstResponse` until an agent answered, then `resolution`. */
  readonly kind: 'firstResponse' | 'resolution';
  readonly dueAt: string;
  /** Business minutes until `dueAt` (negative once it passed), whole minutes. */
  readonly businessMinutesLeft: number;
  readonly breached: boolean;
}

/** A conversation as one row of the agent queue: everything the row shows, no further call. */
export type ConversationRow = Omit<Conversation, 'labels' | 'snoozedUntil'> & {
  /**
   * `name`: the profile's, else the display name the customer last wrote under (`nameSource`
   * `sender`: unverified, as the sender typed it).
   */
  readonly customer: {
    readonly id: string;
    readonly name?: string;
    readonly nameSource?: 'profile' | 'sender';
  };
  readonly labels: readonly string[];
  /** For the calling agent: a customer message newer than their last read. */
  readonly unread: boolean;
  /** Only while the snooze lasts: an expired snooze is awake. */
  readonly snoozedUntil?: string;
  readonly deadline?: RowDeadline;
};

/**
 * The preview of a message as the conversation's META keeps it: whitespace folded to one line,
 * at most PREVIEW_CHARACTERS (cut with `…`); a message with no text shows its files' names.
 * Notes and automatic acknowledgements have none: the preview is what the customer and the team
 * said to each other.
 */
export function previewOf(
  message: Pick<Message, 'text' | 'attachments' | 'direction' | 'at' | 'channel' | 'subject' | 'kind'>,
): ConversationPreview | undefined {
  // An automatic acknowledgement says nothing about the conversation: the row keeps what came before.
  if (message.direction === 'note' || message.kind === 'auto-reply') return undefined;
  const files = message.attachments.map((a) => a.filename).filter((name) => name !== '');
  const raw =
    oneLine(message.text) || (files.length > 0 ? `[${files.join(', ')}]` : oneLine(message.subject ?? ''));
  return {
    text: truncate(raw, PREVIEW_CHARACTERS),
    direction: message.direction,
    at: message.at,
    channel: message.channel,
  };
}

function oneLine(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
    .trim();
}

/** At most `max` UTF-16 units, never splitting a character in two. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = '';
  for (const character of text) {
    if (cut.length + character.length > max - 1) break;
    cut += character;
  }
  return `${cut.trimEnd()}…`;
}

/**
 * The response-time deadline a conversation is working against, from the same targets and
 * business hours as the breach checks (core/service-levels/deadlines.ts): the first response until an agent
 * answered, then the resolution. None for closed, quarantined or spam conversations, nor for a
 * conversation the customer never wrote in (a proactive notice).
 */
export function deadlineOf(
  conversation: Conversation,
  config: Pick<SupportConfig, 'businessHours' | 'firstResponseTargetMinutes' | 'resolutionTargetMinutes'>,
  now: Date,
): RowDeadline | undefined {
  if (conversation.status === 'closed' || conversation.status === 'quarantined') return undefined;
  if (conversation.flags?.includes('spam') || conversation.lastInboundAt === undefined) return undefined;
  const firstResponse = conversation.firstResponseAt === undefined;
  const minutes = firstResponse ? config.firstResponseTargetMinutes : config.resolutionTargetMinutes;
  const due = addBusinessMinutes(new Date(conversation.createdAt), minutes, config.businessHours);
  const left =
    now < due
      ? businessMinutesBetween(now, due, config.businessHours)
      : -businessMinutesBetween(due, now, config.businessHours);
  const marked = firstResponse ? conversation.firstResponseBreachedAt : conversation.resolutionBreachedAt;
  return {
    kind: firstResponse ? 'firstResponse' : 'resolution',
    dueAt: due.toISOString(),
    // Math.trunc: "0 minutes left" is still before the deadline, "-0" is not shown.
    businessMinutesLeft: Math.trunc(left) + 0,
    breached: now >= due || marked !== undefined,
  };
}

/** Unread for the agent: the customer wrote after the agent's last read (or it was never read). */
export function isUnread(conversation: Conversation, readAt: string | undefined): boolean {
  const wrote = conversation.lastInboundAt;
  return wrote !== undefined && (readAt === undefined || readAt < wrote);
}

/** Rows for a page of conversations: one batch read of names and one of the agent's read markers. */
export async function toRows(
  deps: Pick<InboxDeps, 'clock' | 'config' | 'names' | 'readMarkers'>,
  agent: Agent,
  conversations: readonly Conversation[],
  known: { readonly reads?: ReadonlyMap<string, string> } = {},
): Promise<ConversationRow[]> {
  if (conversations.length === 0) return [];
  const [names, reads] = await Promise.all([
    deps.names.namesOf([...new Set(conversations.map((c) => c.customerId))]),
    known.reads ??
      deps.readMarkers.readAtOf(
        agent.id,
        conversations.map((c) => c.id),
      ),
  ]);
  const now = deps.clock.now();
  return conversations.map((conversation) => rowOf(conversation, names, reads, deps.config, now));
}

function rowOf(
  conversation: Conversation,
  names: ReadonlyMap<string, string>,
  reads: ReadonlyMap<string, string>,
  config: SupportConfig,
  now: Date,
): ConversationRow {
  const { snoozedUntil, labels, ...rest } = conversation;
  const profileName = names.get(conversation.customerId);
  const name = profileName ?? conversation.senderName;
  const deadline = deadlineOf(conversation, config, now);
  return {
    ...rest,
    customer: {
      id: conversation.customerId,
      ...(name === undefined ? {} : { name, nameSource: profileName === undefined ? 'sender' : 'profile' }),
    },
    labels: [...(labels ?? [])],
    unread: isUnread(conversation, reads.get(conversation.id)),
    ...(snoozedUntil !== undefined && snoozedUntil > now.toISOString() ? { snoozedUntil } : {}),
    ...(deadline ? { deadline } : {}),
  };
}

export interface RowListInput {
  readonly status?: ConversationStatus;
  readonly channel?: Conversation['channel'];
  readonly assignee?: string;
  /** `mine`: assigned to the caller; `unassigned`: nobody's; `all`: either. */
  readonly view?: 'mine' | 'unassigned' | 'all';
  readonly label?: string;
  readonly unread?: boolean;
  /** Only snoozed conversations (the snoozed tab); otherwise open queues leave them out. */
  readonly snoozed?: boolean;
  readonly sort?: 'activity' | 'deadline';
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface RowListing {
  readonly items: readonly ConversationRow[];
  readonly nextToken?: string;
}

/**
 * The agent queue as rows: the index listing of listConversations, narrowed by view, label and
 * snooze in the index query itself, then (bounded, see UNREAD_WINDOW and DEADLINE_WINDOW) by the
 * caller's unread state and ordered by deadline.
 */
export async function listConversationRows(
  deps: Pick<InboxDeps, 'clock' | 'config' | 'names' | 'readMarkers' | 'conversations'>,
  agent: Agent,
  input: RowListInput,
): Promise<RowListing> {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, {
      field: 'limit',
    });
  }
  const query = queryOf(agent, input, deps.clock.now());
  if (input.sort === 'deadline') return byDeadline(deps, agent, query, input, limit);
  if (input.unread) return unreadOnly(deps, agent, query, input.nextToken, limit);
  const after = input.nextToken === undefined ? undefined : decodePageToken(query, input.nextToken);
  const page = await deps.conversations.list(query, { limit, after });
  return {
    items: await toRows(deps, agent, page.items),
    ...(page.next ? { nextToken: encodePageToken(query, page.next) } : {}),
  };
}

function queryOf(agent: Agent, input: RowListInput, now: Date): ConversationQuery {
  if (input.view === 'mine' && input.assignee !== undefined && input.assignee !== agent.id) {
    throw new InvalidInputError(
      'view=mine lists your own conversations: leave out assignee, or use view=all',
      {
        field: 'view',
      },
    );
  }
  if (input.view === 'unassigned' && input.assignee !== undefined) {
    throw new InvalidInputError('view=unassigned cannot have an assignee', { field: 'view' });
  }
  const assignee = input.view === 'mine' ? agent.id : input.assignee;
  const status = input.status ?? (assignee === undefined ? 'open' : undefined);
  const queue = status !== 'closed' && status !== 'quarantined';
  return {
    status,
    channel: input.channel,
    assignee,
    ...(input.view === 'unassigned' ? { unassigned: true } : {}),
    ...(input.label === undefined ? {} : { label: input.label }),
    ...(input.snoozed
      ? { snooze: { show: 'snoozed' as const, now: now.toISOString() } }
      : queue
        ? { snooze: { show: 'awake' as const, now: now.toISOString() } }
        : {}),
  };
}

async function unreadOnly(
  deps: Pick<InboxDeps, 'clock' | 'config' | 'names' | 'readMarkers' | 'conversations'>,
  agent: Agent,
  query: ConversationQuery,
  nextToken: string | undefined,
  limit: number,
): Promise<RowListing> {
  let after: readonly ListPosition[] | undefined =
    nextToken === undefined ? undefined : decodePageToken(query, nextToken, 'unread');
  const kept: Conversation[] = [];
  const reads = new Map<string, string>();
  let scanned = 0;
  // Each round asks for no more than the page still needs, so a round is never cut in half and
  // `after` is always exactly where the reading stopped.
  do {
    const page = await deps.conversations.list(query, { limit: limit - kept.length, after });
    scanned += page.items.length;
    const marks = await deps.readMarkers.readAtOf(
      agent.id,
      page.items.map((c) => c.id),
    );
    for (const conversation of page.items) {
      const readAt = marks.get(conversation.id);
      if (readAt !== undefined) reads.set(conversation.id, readAt);
      if (isUnread(conversation, readAt)) kept.push(conversation);
    }
    after = page.next;
  } while (after && kept.length < limit && scanned < UNREAD_WINDOW);
  return {
    items: await toRows(deps, agent, kept, { reads }),
    ...(after ? { nextToken: encodePageToken(query, after, 'unread') } : {}),
  };
}

async function byDeadline(
  deps: Pick<InboxDeps, 'clock' | 'config' | 'names' | 'readMarkers' | 'conversations'>,
  agent: Agent,
  query: ConversationQuery,
  input: RowListInput,
  limit: number,
): Promise<RowListing> {
  const variant = input.unread ? 'deadline-unread' : 'deadline';
  const offset = input.nextToken === undefined ? 0 : decodeOffsetToken(query, input.nextToken, variant);
  const window: Conversation[] = [];
  const reads = new Map<string, string>();
  let after: readonly ListPosition[] | undefined;
  let scanned = 0;
  do {
    const page = await deps.conversations.list(query, {
      limit: Math.min(MAX_PAGE_SIZE, DEADLINE_WINDOW - scanned),
      after,
    });
    scanned += page.items.length;
    let items = page.items;
    if (input.unread) {
      const marks = await deps.readMarkers.readAtOf(
        agent.id,
        items.map((c) => c.id),
      );
      for (const [id, at] of marks) reads.set(id, at);
      items = items.filter((c) => isUnread(c, marks.get(c.id)));
    }
    window.push(...items);
    after = page.next;
  } while (after && scanned < DEADLINE_WINDOW);
  const now = deps.clock.now();
  const due = new Map(window.map((c) => [c.id, deadlineOf(c, deps.config, now)?.dueAt]));
  // Soonest deadline first; conversations without one after them, newest activity first.
  const sorted = [...window].sort((a, b) => {
    const da = due.get(a.id);
    const db = due.get(b.id);
    if (da !== db) {
      if (da === undefined) return 1;
      if (db === undefined) return -1;
      return da < db ? -1 : 1;
    }
    return b.lastMessageAt.localeCompare(a.lastMessageAt) || a.id.localeCompare(b.id);
  });
  const slice = sorted.slice(offset, offset + limit);
  return {
    items: await toRows(deps, agent, slice, input.unread ? { reads } : {}),
    ...(offset + limit < sorted.length
      ? { nextToken: encodeOffsetToken(query, offset + limit, variant) }
      : {}),
  };
}

export interface ConversationRowDetail {
  readonly conversation: ConversationRow;
  /** Oldest first; private notes among them (`direction: 'note'`). */
  readonly messages: readonly Message[];
}

/** One conversation as its row and its whole timeline. */
export async function getConversationRow(
  deps: Pick<InboxDeps, 'clock' | 'config' | 'names' | 'readMarkers' | 'conversations'>,
  agent: Agent,
  conversationId: string,
): Promise<ConversationRowDetail> {
  const conversation = await deps.conversations.get(conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${conversationId} does not exist`);
  const [rows, messages] = await Promise.all([
    toRows(deps, agent, [conversation]),
    deps.conversations.listMessages(conversationId, { wholeBodies: true }),
  ]);
  // A conversation merged into this one shows its messages here too.
  return {
    conversation: rows[0] as ConversationRow,
    messages: await withMergedMessages(deps, conversation, messages),
  };
}

/** The row of one conversation after an agent changed it (labels, snooze). */
export async function rowAfterChange(
  deps: Pick<InboxDeps, 'clock' | 'config' | 'names' | 'readMarkers'>,
  agent: Agent,
  conversation: Conversation,
): Promise<ConversationRow> {
  return (await toRows(deps, agent, [conversation]))[0] as ConversationRow;
}
