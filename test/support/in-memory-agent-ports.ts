import type {
  CannedResponse,
  CannedResponseStore,
  CustomerNames,
  InboxConversations,
  ReadMarkers,
} from '../../functions/core/agent/inbox-ports.ts';
import type { InboxDeps } from '../../functions/core/agent/rows.ts';
import type { SupportConfig } from '../../functions/core/config.ts';
import type { Channel, Conversation, ConversationStatus, Message } from '../../functions/core/model.ts';
import type {
  AgentConversations,
  ConversationQuery,
  ListPosition,
  SurveyAnswers,
} from '../../functions/core/ports/conversations.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import { MemoryConversations, type MemoryCustomers, readableIds } from './in-memory-ports.ts';

/**
 * The agent's view of the in-memory conversations: the same maps as MemoryConversations,
 * so inbound messages and agent actions meet. Listing is one sorted partition.
 */
export class MemoryAgentConversations
  extends MemoryConversations
  implements AgentConversations, SurveyAnswers
{
  readonly listCalls: Array<{ query: ConversationQuery; limit: number; after?: readonly ListPosition[] }> =
    [];

  async list(query: ConversationQuery, page: { limit: number; after?: readonly ListPosition[] }) {
    this.listCalls.push({ query, ...page });
    const sorted = [...this.conversations.values()]
      .filter(
        (c) =>
          (query.status === undefined || c.status === query.status) &&
          (query.channel === undefined || c.channel === query.channel) &&
          (query.assignee === undefined || c.assignee === query.assignee) &&
          (!query.unassigned || c.assignee === undefined) &&
          (query.label === undefined || (c.labels ?? []).includes(query.label)) &&
          (query.snooze === undefined ||
            (query.snooze.show === 'snoozed') ===
              (c.snoozedUntil !== undefined && c.snoozedUntil > query.snooze.now)),
      )
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id));
    const after = page.after?.[0];
    if (after === 'end') return { items: [] };
    const start =
      after && after !== 'start'
        ? sorted.findIndex(
            (c) => c.lastMessageAt < after.at || (c.lastMessageAt === after.at && c.id < after.id),
          )
        : 0;
    const items = start < 0 ? [] : sorted.slice(start, start + page.limit);
    const last = items.at(-1);
    const more = start >= 0 && start + page.limit < sorted.length;
    return more && last ? { items, next: [{ at: last.lastMessageAt, id: last.id }] } : { items };
  }

  async listMessages(conversationId: string) {
    return this.messagesOf(conversationId).sort((a, b) => a.at.localeCompare(b.at));
  }

  async conversationsOf(customerId: string, limit: number) {
    return [...this.conversations.values()]
      .filter((c) => c.customerId === customerId)
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt))
      .slice(0, limit);
  }

  async assign(conversationId: string, change: { assignee?: string; at: string; by: string }) {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return undefined;
    const { assignee: _previous, ...rest } = conversation;
    const updated: Conversation = {
      ...rest,
      ...(change.assignee === undefined ? {} : { assignee: change.assignee }),
      assignedAt: change.at,
      assignedBy: change.by,
    };
    this.conversations.set(conversationId, updated);
    return updated;
  }

  async changeStatus(conversationId: string, change: { status: ConversationStatus; at: string; by: string }) {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return undefined;
    if (conversation.status === change.status) return { conversation, changed: false };
    const { snoozedUntil: _u, snoozedAt: _a, snoozedBy: _b, ...awake } = conversation;
    const updated: Conversation = {
      ...(change.status === 'closed' ? awake : conversation),
      status: change.status,
      statusChangedAt: change.at,
      statusChangedBy: change.by,
      ...(change.status === 'closed' ? { closedAt: change.at, closedBy: change.by } : {}),
    };
    this.conversations.set(conversationId, updated);
    return { conversation: updated, changed: true };
  }

  async markSurveyQueued(conversationId: string, survey: NonNullable<Conversation['survey']>) {
    const conversation = this.conversations.get(conversationId);
    if (!conversation || conversation.survey) return false;
    this.conversations.set(conversationId, { ...conversation, survey });
    return true;
  }

  async surveyedConversation(customerId: string, channel: Channel, since: Date) {
    return (await this.conversationsOf(customerId, 10)).find(
      (c) => c.channel === channel && c.survey !== undefined && c.survey.queuedAt >= since.toISOString(),
    );
  }

  async recordCsat(conversationId: string, csat: NonNullable<Conversation['csat']>) {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return false;
    if (conversation.csat) return conversation.csat.messageId === csat.messageId;
    this.conversations.set(conversationId, { ...conversation, csat });
    return true;
  }
}

/** Read markers in a map keyed like the items (`<conversationId>#<agentId>`). */
export class MemoryReadMarkers implements ReadMarkers {
  readonly marks = new Map<string, string>();
  readonly batchReads: number[] = [];

  async readAtOf(agentId: string, conversationIds: readonly string[]) {
    this.batchReads.push(conversationIds.length);
    const found = new Map<string, string>();
    for (const id of conversationIds) {
      const at = this.marks.get(`${id}#${agentId}`);
      if (at !== undefined) found.set(id, at);
    }
    return found;
  }

  async markRead(agentId: string, conversationId: string, at: string) {
    const key = `${conversationId}#${agentId}`;
    const previous = this.marks.get(key);
    if (previous === undefined || previous < at) this.marks.set(key, at);
  }
}

/** Names out of the in-memory customers; counts its batch reads. */
export class MemoryCustomerNames implements CustomerNames {
  readonly batchReads: number[] = [];
  constructor(private readonly customers: MemoryCustomers) {}

  async namesOf(customerIds: readonly string[]) {
    this.batchReads.push(customerIds.length);
    const names = new Map<string, string>();
    for (const id of customerIds) {
      const name = this.customers.customers.get(id)?.name;
      if (name) names.set(id, name);
    }
    return names;
  }
}

/** Notes, labels and snoozes on the in-memory conversations' maps. */
export class MemoryInboxConversations implements InboxConversations {
  constructor(private readonly store: MemoryAgentConversations) {}

  async appendNote(note: Message) {
    const existing = [...this.store.messages.values()].find(
      (m) => m.conversationId === note.conversationId && m.id === note.id,
    );
    if (existing) return existing;
    this.store.messages.set(`${note.conversationId}#${note.at}#${note.id}`, note);
    return note;
  }

  async updateLabels(conversationId: string, change: (current: readonly string[]) => readonly string[]) {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return undefined;
    const updated: Conversation = { ...conversation, labels: [...change(conversation.labels ?? [])] };
    this.store.conversations.set(conversationId, updated);
    return updated;
  }

  async snooze(conversationId: string, snooze: { until: string | undefined; at: string; by: string }) {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return undefined;
    const { snoozedUntil: _u, snoozedAt: _a, snoozedBy: _b, ...awake } = conversation;
    const updated: Conversation =
      snooze.until === undefined
        ? awake
        : { ...awake, snoozedUntil: snooze.until, snoozedAt: snooze.at, snoozedBy: snooze.by };
    this.store.conversations.set(conversationId, updated);
    return updated;
  }

  async recordAgentRead(conversationId: string, at: string) {
    const conversation = this.store.conversations.get(conversationId);
    if (conversation && (conversation.agentReadAt === undefined || conversation.agentReadAt < at)) {
      this.store.conversations.set(conversationId, { ...conversation, agentReadAt: at });
    }
  }
}

export class MemoryCannedResponses implements CannedResponseStore {
  readonly responses = new Map<string, CannedResponse & { deletedAt?: string }>();

  async list() {
    return [...this.responses.values()]
      .filter((r) => r.deletedAt === undefined)
      .sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  }

  async get(id: string) {
    const found = this.responses.get(id);
    return found && found.deletedAt === undefined ? found : undefined;
  }

  async create(response: CannedResponse) {
    const existing = await this.get(response.id);
    if (existing) return { created: false, stored: existing };
    this.responses.set(response.id, response);
    return { created: true, stored: response };
  }

  async update(response: CannedResponse) {
    if (!(await this.get(response.id))) return undefined;
    this.responses.set(response.id, response);
    return response;
  }

  async remove(id: string, at: string) {
    const found = await this.get(id);
    if (!found) return false;
    this.responses.set(id, { ...found, deletedAt: at });
    return true;
  }
}

/** The inbox's deps on the in-memory stores, sharing `conversations` and `customers` with the agent deps. */
export function memoryInboxDeps(input: {
  clock: Clock;
  config: SupportConfig;
  conversations: MemoryAgentConversations;
  customers: MemoryCustomers;
  chat?: InboxDeps['chat'];
}): InboxDeps & {
  conversations: MemoryAgentConversations;
  readMarkers: MemoryReadMarkers;
  names: MemoryCustomerNames;
  cannedResponses: MemoryCannedResponses;
} {
  return {
    clock: input.clock,
    ids: readableIds,
    config: input.config,
    conversations: input.conversations,
    inbox: new MemoryInboxConversations(input.conversations),
    names: new MemoryCustomerNames(input.customers),
    readMarkers: new MemoryReadMarkers(),
    cannedResponses: new MemoryCannedResponses(),
    ...(input.chat ? { chat: input.chat } : {}),
  };
}
