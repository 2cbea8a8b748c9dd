import type { Escalation } from '../../functions/core/model.ts';
import type { AgentTask, AgentTasks, EscalationLog } from '../../functions/core/ports/service-levels.ts';
import type {
  ConnectContactDetails,
  ConnectContacts,
  VoiceContactRecord,
  VoiceContacts,
} from '../../functions/core/ports/voice.ts';
import type { MemoryConversations } from './in-memory-ports.ts';

/** Contact records, with the same first-writer-wins rule as the DynamoDB adapter. */
export class MemoryVoiceContacts implements VoiceContacts {
  readonly records = new Map<string, VoiceContactRecord>();
  /** Counts calls, so a test can assert how many lookups a request made. */
  calls = 0;

  constructor(private readonly conversations?: MemoryConversations) {}

  async remember(contact: VoiceContactRecord) {
    this.calls += 1;
    const stored = this.records.get(contact.contactId);
    const merged: VoiceContactRecord = {
      contactId: contact.contactId,
      firstSeenAt: stored?.firstSeenAt ?? contact.firstSeenAt,
      ...((stored?.customerId ?? contact.customerId)
        ? { customerId: stored?.customerId ?? contact.customerId }
        : {}),
      ...((stored?.phone ?? contact.phone) ? { phone: stored?.phone ?? contact.phone } : {}),
      ...((stored?.conversationId ?? contact.conversationId)
        ? { conversationId: stored?.conversationId ?? contact.conversationId }
        : {}),
      ...(stored?.countedAt ? { countedAt: stored.countedAt } : {}),
    };
    this.records.set(contact.contactId, merged);
    return merged;
  }

  async get(contactId: string) {
    this.calls += 1;
    return this.records.get(contactId);
  }

  async bindConversation(contactId: string, conversationId: string) {
    const stored = this.records.get(contactId);
    if (stored?.conversationId) return stored.conversationId;
    this.records.set(contactId, {
      contactId,
      firstSeenAt: stored?.firstSeenAt ?? '',
      ...stored,
      conversationId,
    });
    return conversationId;
  }

  async markCounted(contactId: string, at: string) {
    const stored = this.records.get(contactId);
    if (stored?.countedAt) return false;
    this.records.set(contactId, {
      contactId,
      firstSeenAt: stored?.firstSeenAt ?? '',
      ...stored,
      countedAt: at,
    });
    return true;
  }

  async openConversation(customerId: string) {
    this.calls += 1;
    return [...(this.conversations?.conversations.values() ?? [])]
      .filter((c) => c.customerId === customerId && (c.status === 'open' || c.status === 'pending'))
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt))[0];
  }
}

export class MemoryEscalationLog implements EscalationLog {
  readonly escalations = new Map<string, Escalation>();
  readonly tallies = new Map<string, Set<string>>();
  readonly flagged = new Set<string>();

  async record(escalation: Escalation) {
    const key = `${escalation.conversationId}#${escalation.eventKey}`;
    const existing = this.escalations.get(key);
    this.flagged.add(escalation.conversationId);
    if (existing) return { created: false, stored: existing };
    this.escalations.set(key, escalation);
    return { created: true, stored: escalation };
  }

  async attachTask(conversationId: string, eventKey: string, taskId: string) {
    const key = `${conversationId}#${eventKey}`;
    const existing = this.escalations.get(key);
    if (existing && existing.taskId === undefined) this.escalations.set(key, { ...existing, taskId });
  }

  async countUnansweredContact(conversationId: string, since: string, contactKey: string) {
    const key = `${conversationId}#${since}`;
    const set = this.tallies.get(key) ?? new Set<string>();
    set.add(contactKey);
    this.tallies.set(key, set);
    return set.size;
  }

  list(): Escalation[] {
    return [...this.escalations.values()];
  }
}

/** Connect tasks, one per client token, like StartTaskContact's ClientToken. */
export class MemoryAgentTasks implements AgentTasks {
  readonly tasks = new Map<string, AgentTask & { taskId: string }>();
  failNext?: Error;

  async create(task: AgentTask) {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const existing = this.tasks.get(task.clientToken);
    if (existing) return { taskId: existing.taskId };
    const taskId = `task-${this.tasks.size + 1}`;
    this.tasks.set(task.clientToken, { ...task, taskId });
    return { taskId };
  }
}

/** DescribeContact answers from a map; `asked` lists the contact ids it was asked about. */
export class MemoryConnectContacts implements ConnectContacts {
  readonly contacts = new Map<string, ConnectContactDetails>();
  readonly asked: string[] = [];

  async describe(contactId: string) {
    this.asked.push(contactId);
    return this.contacts.get(contactId);
  }
}
