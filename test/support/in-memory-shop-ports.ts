import type { Customer, Identity, Order, Reminder } from '../../functions/core/model.ts';
import type { CustomerLinks } from '../../functions/core/ports/customers.ts';
import type { OrderStore, ReminderStore } from '../../functions/core/ports/orders.ts';
import { type MemoryConversations, MemoryCustomers } from './in-memory-ports.ts';

/** In-memory customers whose reads follow `mergedInto`, as the DynamoDB directory's do. */
export class AliasingCustomers extends MemoryCustomers {
  override async get(customerId: string) {
    let customer = this.customers.get(customerId);
    for (let hop = 0; customer?.mergedInto && hop < 5; hop++)
      customer = this.customers.get(customer.mergedInto);
    return customer;
  }

  override async findByIdentity(identity: Identity) {
    const id = this.identities.get(`${identity.kind}#${identity.value}`);
    return id ? this.get(id) : undefined;
  }
}

/** The links and merge writes on the in-memory customers and conversations. */
export class MemoryLinks implements CustomerLinks {
  constructor(
    private readonly customers: AliasingCustomers,
    private readonly conversations: MemoryConversations,
  ) {}

  async identityOwner(identity: Identity) {
    return this.customers.identities.get(`${identity.kind}#${identity.value}`);
  }

  async getProfile(customerId: string) {
    return this.customers.customers.get(customerId);
  }

  async linkIdentity(identity: Identity, customerId: string) {
    const key = `${identity.kind}#${identity.value}`;
    const owner = this.customers.identities.get(key);
    if (owner && owner !== customerId) return owner;
    this.customers.identities.set(key, customerId);
    this.list(customerId, identity);
    return customerId;
  }

  async moveIdentity(identity: Identity, from: string, to: string) {
    const key = `${identity.kind}#${identity.value}`;
    if (this.customers.identities.get(key) === from) this.customers.identities.set(key, to);
    if (this.customers.identities.get(key) === to) this.list(to, identity);
  }

  /** When each profile field's value was given, per customer (the Dynamo adapter's `profileAt_*`). */
  readonly profileAt = new Map<string, string>();

  async updateProfile(customerId: string, fields: Partial<Customer>, at: string) {
    for (const [name, value] of Object.entries(fields)) {
      const customer = this.customers.customers.get(customerId);
      if (!customer || value === undefined) continue;
      const stored = this.profileAt.get(`${customerId}#${name}`);
      if (stored !== undefined && stored >= at) continue;
      this.profileAt.set(`${customerId}#${name}`, at);
      this.customers.customers.set(customerId, { ...customer, [name]: value });
    }
  }

  async markMerged(aliasId: string, survivorId: string) {
    const alias = this.customers.customers.get(aliasId);
    if (alias && !alias.mergedInto)
      this.customers.customers.set(aliasId, { ...alias, mergedInto: survivorId });
  }

  async conversationIdsOf(customerId: string) {
    return [...this.conversations.conversations.values()]
      .filter((c) => c.customerId === customerId)
      .map((c) => c.id);
  }

  async moveConversation(conversationId: string, from: string, to: string) {
    const conversation = this.conversations.conversations.get(conversationId);
    if (conversation?.customerId === from)
      this.conversations.conversations.set(conversationId, { ...conversation, customerId: to });
  }

  private list(customerId: string, identity: Identity) {
    const customer = this.customers.customers.get(customerId);
    if (!customer || customer.identities.some((i) => i.kind === identity.kind && i.value === identity.value))
      return;
    this.customers.customers.set(customerId, { ...customer, identities: [...customer.identities, identity] });
  }
}

export class MemoryOrders implements OrderStore {
  readonly orders = new Map<string, Order>();
  readonly events: Array<{ orderId: string; eventId: string; applied: boolean }> = [];

  async recordEvent(orderId: string, event: { eventId: string; applied: boolean }) {
    if (!this.events.some((e) => e.orderId === orderId && e.eventId === event.eventId)) {
      this.events.push({ orderId, eventId: event.eventId, applied: event.applied });
    }
  }

  async get(orderId: string) {
    return this.orders.get(orderId);
  }

  async apply(order: Order) {
    const stored = this.orders.get(order.id);
    if (stored && !(stored.lastEventAt < order.lastEventAt || stored.lastEventId === order.lastEventId))
      return false;
    this.orders.set(order.id, order);
    return true;
  }

  async latestForCustomer(customerId: string) {
    return [...this.orders.values()]
      .filter((o) => o.customerId === customerId)
      .sort((a, b) => b.firstEventAt.localeCompare(a.firstEventAt))[0];
  }

  async moveOrders(from: string, to: string) {
    for (const order of this.orders.values())
      if (order.customerId === from) this.orders.set(order.id, { ...order, customerId: to });
  }
}

export class MemoryReminders implements ReminderStore {
  readonly reminders = new Map<string, Reminder>();

  async get(id: string) {
    return this.reminders.get(id);
  }

  async create(reminder: Reminder) {
    const existing = this.reminders.get(reminder.id);
    if (existing) return existing;
    this.reminders.set(reminder.id, reminder);
    return reminder;
  }

  async cancel(id: string, at: string) {
    const reminder = this.reminders.get(id);
    if (reminder?.state === 'scheduled')
      this.reminders.set(id, { ...reminder, state: 'cancelled', cancelledAt: at });
    return this.reminders.get(id);
  }

  async markFired(id: string, at: string) {
    const reminder = this.reminders.get(id);
    if (reminder?.state !== 'scheduled') return false;
    this.reminders.set(id, { ...reminder, state: 'fired', firedAt: at });
    return true;
  }
}
