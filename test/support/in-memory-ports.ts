import { previewOf } from '../../functions/core/agent/rows.ts';
import type {
  Channel,
  Conversation,
  Customer,
  Identity,
  Message,
  OpenConversationPointer,
  OutboundRequest,
} from '../../functions/core/model.ts';
import type { AutoResponseBudget, AutoResponseBudgetScope } from '../../functions/core/ports/auto-reply.ts';
import type {
  AppendEffect,
  AppendedMessage,
  AttachmentStore,
  Continuation,
  ConversationStore,
  EmailReference,
} from '../../functions/core/ports/conversations.ts';
import type { CustomerDirectory } from '../../functions/core/ports/customers.ts';
import type { CompleteOptions, EventClaim, EventLedger } from '../../functions/core/ports/event-ledger.ts';
import type { ChannelSender, OutboundQueue, SentMessage } from '../../functions/core/ports/outbound.ts';
import type { IdSource } from '../../functions/core/ports/runtime.ts';

/** In-memory twins of the core's ports, for unit tests of the use-cases without I/O. */

export class MemoryLedger implements EventLedger {
  readonly records = new Map<
    string,
    { state: 'in-progress' | 'done'; leaseUntil: number; outcome?: unknown; unfinished?: boolean }
  >();

  async claim<Outcome>(key: string, now: Date, leaseSeconds: number): Promise<EventClaim<Outcome>> {
    const existing = this.records.get(key);
    if (existing?.state === 'done') {
      const outcome = existing.outcome as Outcome;
      return existing.unfinished
        ? { status: 'done', outcome, unfinished: true }
        : { status: 'done', outcome };
    }
    if (existing && existing.leaseUntil >= now.getTime()) return { status: 'in-progress' };
    this.records.set(key, { state: 'in-progress', leaseUntil: now.getTime() + leaseSeconds * 1000 });
    return { status: 'claimed' };
  }

  async complete<Outcome>(
    key: string,
    outcome: Outcome,
    _now?: Date,
    options: CompleteOptions = {},
  ): Promise<boolean> {
    const existing = this.records.get(key);
    if (existing?.state !== 'in-progress' && !existing?.unfinished) return false;
    this.records.set(key, { state: 'done', leaseUntil: 0, outcome, unfinished: options.unfinished });
    return true;
  }

  async release(key: string): Promise<void> {
    if (this.records.get(key)?.state === 'in-progress') this.records.delete(key);
  }
}

export class MemoryCustomers implements CustomerDirectory {
  readonly customers = new Map<string, Customer>();
  readonly identities = new Map<string, string>();

  async findByIdentity(identity: Identity) {
    const id = this.identities.get(`${identity.kind}#${identity.value}`);
    return id ? this.customers.get(id) : undefined;
  }

  async get(customerId: string) {
    return this.customers.get(customerId);
  }

  async createWithIdentity(customer: Customer, identity: Identity) {
    const key = `${identity.kind}#${identity.value}`;
    const owner = this.identities.get(key);
    if (owner) return this.customers.get(owner) ?? customer;
    if (!this.customers.has(customer.id)) this.customers.set(customer.id, customer);
    this.identities.set(key, customer.id);
    return this.customers.get(customer.id) ?? customer;
  }

  async recordDetectedLanguage(customerId: string, language: string) {
    const customer = this.customers.get(customerId);
    if (customer) this.customers.set(customerId, { ...customer, detectedLanguage: language });
  }

  async claimAutoReplySlot(customerId: string, now: Date, windowMinutes: number, claimKey: string) {
    const customer = this.customers.get(customerId);
    if (!customer) return false;
    const windowStart = now.getTime() - windowMinutes * 60_000;
    if (customer.lastAutoReplyAt && Date.parse(customer.lastAutoReplyAt) > windowStart) {
      return customer.lastAutoReplyKey === claimKey;
    }
    this.customers.set(customerId, {
      ...customer,
      lastAutoReplyAt: now.toISOString(),
      lastAutoReplyKey: claimKey,
    });
    return true;
  }

  async pointOpenConversation(
    customerId: string,
    channel: Channel,
    pointer: OpenConversationPointer,
    expected: string | undefined,
  ) {
    const customer = this.customers.get(customerId);
    if (!customer) return false;
    if (customer.openConversations?.[channel]?.conversationId !== expected) return false;
    this.customers.set(customerId, {
      ...customer,
      openConversations: { ...customer.openConversations, [channel]: pointer },
    });
    return true;
  }
}

/** Hourly budget counters in a map, keyed like the DynamoDB items (hour, scope, key). */
export class MemoryAutoResponseBudget implements AutoResponseBudget {
  readonly counts = new Map<string, number>();

  async take(scopes: readonly AutoResponseBudgetScope[], now: Date) {
    const hour = now.toISOString().slice(0, 13);
    for (const scope of scopes) {
      const key = `${hour}#${scope.kind}#${scope.key}`;
      const count = this.counts.get(key) ?? 0;
      if (count >= scope.limit) return scope.kind;
      this.counts.set(key, count + 1);
    }
    return undefined;
  }
}

export class MemoryConversations implements ConversationStore {
  readonly conversations = new Map<string, Conversation>();
  readonly messages = new Map<string, Message>();
  readonly references = new Map<string, EmailReference>();

  async get(conversationId: string) {
    return this.conversations.get(conversationId);
  }

  async create(conversation: Conversation) {
    const existing = this.conversations.get(conversation.id);
    if (existing) return existing;
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  async appendMessage(message: Message, effect: AppendEffect = {}): Promise<AppendedMessage | undefined> {
    if (!(await this.storeMessage(message))) return undefined;
    this.touch(message, effect);
    // The contact tally is left to the escalation log here.
    return {};
  }

  async storeMessage(message: Message): Promise<{ readonly counted: boolean } | undefined> {
    // As the DynamoDB store: an inbound message by its id, an outbound one by its time.
    const key =
      message.direction === 'inbound'
        ? `${message.conversationId}#IN#${message.id}`
        : `${message.conversationId}#${message.at}#${message.id}`;
    if (this.messages.has(key)) return undefined;
    this.messages.set(key, message);
    // Nothing counts from a stream here: the caller counts.
    return { counted: false };
  }

  async continueConversation(
    message: Message,
    condition: { readonly windowStart: string },
    _effect: Pick<AppendEffect, 'contactKey'> = {},
  ): Promise<Continuation> {
    const conversation = this.conversations.get(message.conversationId);
    if (!conversation || (conversation.status !== 'open' && conversation.status !== 'pending')) {
      return { outcome: 'refused' };
    }
    if (conversation.lastMessageAt < condition.windowStart) return { outcome: 'refused' };
    if (conversation.lastMessageAt > message.at) return { outcome: 'late', conversation };
    this.touch(message, { reopen: true });
    // The contact tally is left to the escalation log here, as in appendMessage.
    return { outcome: 'continued', conversation: this.conversations.get(conversation.id) ?? conversation };
  }

  async conversationHolding(conversationIds: readonly string[], messageId: string) {
    return conversationIds.find((id) => this.messages.has(`${id}#IN#${messageId}`));
  }

  private touch(message: Message, effect: AppendEffect): void {
    const conversation = this.conversations.get(message.conversationId);
    if (conversation && conversation.lastMessageAt <= message.at) {
      // As the DynamoDB store: the preview in the same update, and a customer's message wakes a snooze.
      const { snoozedUntil: _until, snoozedAt: _at, snoozedBy: _by, ...awake } = conversation;
      const preview = previewOf(message);
      const senderName = message.fromName?.trim().slice(0, 200);
      const agentReply = message.direction === 'outbound' && message.kind === 'agent-reply';
      this.conversations.set(conversation.id, {
        ...(message.direction === 'inbound' ? awake : conversation),
        lastMessageAt: message.at,
        ...(preview ? { preview } : {}),
        ...(message.direction === 'inbound' ? { lastInboundAt: message.at } : {}),
        ...(message.direction === 'inbound' && senderName ? { senderName } : {}),
        ...(agentReply
          ? { firstResponseAt: conversation.firstResponseAt ?? message.at, lastAgentReplyAt: message.at }
          : {}),
        ...(effect.reopen ? { status: 'open' as const } : {}),
      });
    }
  }

  async findByEmailReference(messageIds: readonly string[]) {
    for (const id of messageIds) {
      const found = this.references.get(id);
      if (found) return found;
    }
    return undefined;
  }

  async recordEmailReference(messageId: string, reference: EmailReference) {
    this.references.set(messageId, reference);
  }

  async latestOpenConversation(customerId: string, channel: Channel) {
    return [...this.conversations.values()]
      .filter(
        (c) =>
          c.customerId === customerId &&
          c.channel === channel &&
          (c.status === 'open' || c.status === 'pending'),
      )
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt))[0];
  }

  messagesOf(conversationId: string): Message[] {
    return [...this.messages.values()]
      .filter((m) => m.conversationId === conversationId)
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

export class MemoryAttachments implements AttachmentStore {
  readonly objects = new Map<string, Uint8Array>();

  async put(key: string, content: Uint8Array) {
    this.objects.set(key, content);
    return `attachments/${key}`;
  }
}

export class MemoryQueue implements OutboundQueue {
  readonly sent: OutboundRequest[] = [];

  async enqueue(request: OutboundRequest) {
    this.sent.push(request);
  }
}

export class MemorySender implements ChannelSender {
  readonly sent: OutboundRequest[] = [];
  failWith?: Error;

  async send(request: OutboundRequest): Promise<SentMessage> {
    if (this.failWith) throw this.failWith;
    this.sent.push(request);
    return {
      providerMessageId: `provider-${request.id}`,
      emailMessageId: `${request.id}@support.example.com`,
    };
  }
}

/** Readable deterministic ids: `conversation:inbound#email#m1`. */
export const readableIds: IdSource = {
  derive: (namespace, ...parts) => `${namespace}:${parts.join('|')}`,
};
