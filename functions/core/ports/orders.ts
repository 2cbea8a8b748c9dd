import type { Order, Reminder } from '../model.ts';

/* Orders as the shop reports them, and reminders it schedules. */

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

/** A customer's orders for the agent's sidebar. */
export interface CustomerOrders {
  /** At most `limit` of the customer's most recently placed orders, newest first. */
  recentOrders(customerId: string, limit: number): Promise<Order[]>;
}
