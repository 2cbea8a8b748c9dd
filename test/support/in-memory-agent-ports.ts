import type { Channel, Conversation, ConversationStatus } from '../../functions/core/model.ts';
import type {
  AgentConversations,
  ConversationQuery,
  ListPosition,
  SurveyAnswers,
} from '../../functions/core/ports.ts';
import { MemoryConversations } from './in-memory-ports.ts';

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
          (query.assignee === undefined || c.assignee === query.assignee),
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
    const updated: Conversation = {
      ...conversation,
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
