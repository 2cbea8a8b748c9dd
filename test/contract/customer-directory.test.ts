import { describe, expect, it } from 'vitest';
import { DynamoCustomerDirectory } from '../../functions/adapters/dynamodb/customer-directory.ts';
import type { Customer, Identity } from '../../functions/core/model.ts';
import type { CustomerDirectory } from '../../functions/core/ports/customers.ts';
import { MemoryCustomers } from '../support/in-memory-ports.ts';
import { inMemoryAndDynamoDb, uniqueId } from './implementations.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const minutesLater = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const implementations = inMemoryAndDynamoDb<CustomerDirectory>(
  () => new MemoryCustomers(),
  (table) => new DynamoCustomerDirectory(table.db, table.tableName),
);

function newCustomer(identity: Identity, overrides: Partial<Customer> = {}): Customer {
  return {
    id: uniqueId('cust'),
    consent: {},
    identities: [identity],
    createdAt: NOW.toISOString(),
    ...overrides,
  };
}

const emailIdentity = (): Identity => ({ kind: 'email', value: `${uniqueId('ayse')}@example.com` });

describe.each(implementations)('CustomerDirectory ($name)', ({ make }) => {
  it('creates a customer with its identity and finds it by either', async () => {
    // Prepare
    const directory = await make();
    const identity = emailIdentity();
    const customer = newCustomer(identity, { name: 'Ayşe Yılmaz' });

    // Act
    const created = await directory.createWithIdentity(customer, identity);

    // Assess
    expect(created).toEqual(customer);
    expect(await directory.get(customer.id)).toEqual(customer);
    expect(await directory.findByIdentity(identity)).toEqual(customer);
  });

  it('knows no customer for an unknown identity or id', async () => {
    // Prepare
    const directory = await make();

    // Act
    const byIdentity = await directory.findByIdentity(emailIdentity());
    const byId = await directory.get(uniqueId('cust-unknown'));

    // Assess
    expect(byIdentity).toBeUndefined();
    expect(byId).toBeUndefined();
  });

  it('gives a second first message from the same identity the customer the first one made', async () => {
    // Prepare
    const directory = await make();
    const identity = emailIdentity();
    const first = newCustomer(identity);
    await directory.createWithIdentity(first, identity);

    // Act
    const second = await directory.createWithIdentity(newCustomer(identity), identity);

    // Assess
    expect(second.id).toBe(first.id);
  });

  it('keeps the language detected in a message on the profile', async () => {
    // Prepare
    const directory = await make();
    const identity = emailIdentity();
    const customer = newCustomer(identity);
    await directory.createWithIdentity(customer, identity);

    // Act
    await directory.recordDetectedLanguage(customer.id, 'tr');

    // Assess
    expect((await directory.get(customer.id))?.detectedLanguage).toBe('tr');
  });

  it('gives out one auto-reply slot per window, the same answer to a retry of the event that took it', async () => {
    // Prepare
    const directory = await make();
    const identity = emailIdentity();
    const customer = newCustomer(identity);
    await directory.createWithIdentity(customer, identity);

    // Act
    const first = await directory.claimAutoReplySlot(customer.id, NOW, 60, 'event-1');
    const retry = await directory.claimAutoReplySlot(customer.id, minutesLater(1), 60, 'event-1');
    const other = await directory.claimAutoReplySlot(customer.id, minutesLater(30), 60, 'event-2');
    const nextWindow = await directory.claimAutoReplySlot(customer.id, minutesLater(61), 60, 'event-3');

    // Assess
    expect([first, retry, other, nextWindow]).toEqual([true, true, false, true]);
    expect((await directory.get(customer.id))?.lastAutoReplyKey).toBe('event-3');
  });

  it('gives no auto-reply slot to a customer who is not there', async () => {
    // Prepare
    const directory = await make();

    // Act
    const claimed = await directory.claimAutoReplySlot(uniqueId('cust-unknown'), NOW, 60, 'event-1');

    // Assess
    expect(claimed).toBe(false);
  });

  it("points a channel at the customer's open conversation only over the pointer it read", async () => {
    // Prepare
    const directory = await make();
    const identity = emailIdentity();
    const customer = await directory.createWithIdentity(newCustomer(identity), identity);
    const first = { conversationId: uniqueId('conv'), since: NOW.toISOString(), previous: [] };
    const second = {
      conversationId: uniqueId('conv'),
      since: minutesLater(5).toISOString(),
      previous: [first.conversationId],
    };

    // Act
    const pointed = await directory.pointOpenConversation(customer.id, 'sms', first, undefined);
    const raced = await directory.pointOpenConversation(customer.id, 'sms', second, undefined);
    const chat = await directory.pointOpenConversation(customer.id, 'chat', second, undefined);
    const moved = await directory.pointOpenConversation(customer.id, 'sms', second, first.conversationId);
    const unknown = await directory.pointOpenConversation(uniqueId('cust-unknown'), 'sms', first, undefined);

    // Assess
    expect([pointed, raced, chat, moved, unknown]).toEqual([true, false, true, true, false]);
    expect((await directory.findByIdentity(identity))?.openConversations).toEqual({
      sms: second,
      chat: second,
    });
    expect((await directory.get(customer.id))?.openConversations?.sms).toEqual(second);
  });
});
