import { beforeEach, describe, expect, it } from 'vitest';
import type { Customer, Order } from '../../../functions/core/model.ts';
import {
  CALLER_ATTRIBUTE_NAMES,
  type CallerLookupDeps,
  lookUpCaller,
} from '../../../functions/core/voice/caller-lookup.ts';
import { MemoryConversations, MemoryCustomers, readableIds } from '../../support/in-memory-ports.ts';
import { MemoryVoiceContacts } from '../../support/in-memory-voice-ports.ts';
import { AYSE_PHONE, knownCaller, shippedOrderOfKnownCaller } from '../../support/voice-callers.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
/** The customer id a first contact from Ayşe's number would have created. */
const LIKELY_ID = readableIds.derive('customer', 'phone', AYSE_PHONE);

const ayse: Customer = knownCaller('2026-11-01T00:00:00.000Z');

const shipped: Order = shippedOrderOfKnownCaller();

let customers: MemoryCustomers;
let conversations: MemoryConversations;
let contacts: MemoryVoiceContacts;
let orders: Map<string, Order>;
/** The customer ids whose latest order the lookup asked for, in order. */
let orderReads: string[];
let deps: CallerLookupDeps;

beforeEach(async () => {
  customers = new MemoryCustomers();
  await customers.createWithIdentity(structuredClone(ayse), { kind: 'phone', value: AYSE_PHONE });
  conversations = new MemoryConversations();
  contacts = new MemoryVoiceContacts(conversations);
  orders = new Map([['cust-ayse', structuredClone(shipped)]]);
  orderReads = [];
  deps = {
    clock: { now: () => NOW },
    ids: readableIds,
    config: { languages: ['tr', 'en'], defaultLanguage: 'en' },
    customers,
    orders: {
      latestForCustomer: async (id) => {
        orderReads.push(id);
        return orders.get(id);
      },
    },
    contacts,
  };
});

describe('lookUpCaller', () => {
  it('says a known caller is verified only when the flow verified them, never from the number alone', async () => {
    // Act
    const byNumber = await lookUpCaller(deps, { contactId: 'c-v1', callerAddress: '+90 532 123 45 67' });
    const verified = await lookUpCaller(deps, {
      contactId: 'c-v2',
      callerAddress: '+90 532 123 45 67',
      callerVerified: true,
    });

    // Assess
    expect(byNumber).toMatchObject({ known: 'true', callerVerified: 'false' });
    expect(verified).toMatchObject({ known: 'true', callerVerified: 'true' });
  });

  it('answers a known caller with name, language and latest order as strings, and records the contact', async () => {
    // Prepare
    await conversations.create({
      id: 'conv-sms',
      customerId: 'cust-ayse',
      channel: 'sms',
      status: 'open',
      createdAt: '2026-11-23T09:00:00.000Z',
      lastMessageAt: '2026-11-23T09:00:00.000Z',
      flags: ['escalated'],
    });

    // Act
    const attributes = await lookUpCaller(deps, { contactId: 'c-1', callerAddress: '+90 532 123 45 67' });

    // Assess
    expect(attributes).toEqual({
      known: 'true',
      customerId: 'cust-ayse',
      name: 'Ayşe Yılmaz',
      language: 'tr',
      openConversationId: 'conv-sms',
      openConversationChannel: 'sms',
      latestOrderId: '100234',
      latestOrderStatus: 'shipped',
      vip: 'false',
      priority: 'high',
      callerVerified: 'false',
    });
    // The number: the contact events resolve it to the customer, as the lookup did.
    expect(contacts.records.get('c-1')).toEqual({
      contactId: 'c-1',
      phone: AYSE_PHONE,
      firstSeenAt: NOW.toISOString(),
    });
  });

  it("reads the customer a number created together with that customer's conversation and order", async () => {
    // Prepare
    const own = new MemoryCustomers();
    await own.createWithIdentity(
      { ...structuredClone(ayse), id: LIKELY_ID },
      { kind: 'phone', value: AYSE_PHONE },
    );
    orders.set(LIKELY_ID, { ...structuredClone(shipped), customerId: LIKELY_ID });

    // Act
    const attributes = await lookUpCaller(
      { ...deps, customers: own },
      { contactId: 'c-5', callerAddress: AYSE_PHONE },
    );

    // Assess
    expect(attributes).toMatchObject({ known: 'true', customerId: LIKELY_ID, latestOrderId: '100234' });
    expect(orderReads).toEqual([LIKELY_ID]);
  });

  it("answers a number linked to another customer with that customer's order, never the one read ahead", async () => {
    // Prepare: a profile at the likely id that the number does not lead to (an order event linked it elsewhere)
    orders.set(LIKELY_ID, { ...structuredClone(shipped), id: '999999', customerId: LIKELY_ID });

    // Act
    const attributes = await lookUpCaller(deps, { contactId: 'c-6', callerAddress: AYSE_PHONE });

    // Assess
    expect(attributes).toMatchObject({ customerId: 'cust-ayse', latestOrderId: '100234' });
    expect(JSON.stringify(attributes)).not.toContain('999999');
    expect(orderReads).toEqual([LIKELY_ID, 'cust-ayse']);
  });

  it('answers an unknown caller even when the reads ahead fail', async () => {
    // Prepare
    const failing = {
      ...deps,
      orders: { latestForCustomer: async () => Promise.reject(new Error('throttled')) },
    };

    // Act
    const attributes = await lookUpCaller(failing, { contactId: 'c-7', callerAddress: '+905551112233' });

    // Assess
    expect(attributes).toMatchObject({ known: 'false', customerId: '' });
    expect(contacts.records.get('c-7')).toMatchObject({ phone: '+905551112233' });
  });

  it('has written the contact record before a failed lookup gives up', async () => {
    // Prepare: the customer read fails at once, the record write takes a while
    const slowContacts = {
      openConversation: contacts.openConversation.bind(contacts),
      remember: async (record: Parameters<MemoryVoiceContacts['remember']>[0]) => {
        await new Promise((resolve) => setImmediate(resolve));
        return contacts.remember(record);
      },
    };
    const failing = {
      ...deps,
      contacts: slowContacts,
      customers: { findByIdentity: async () => Promise.reject(new Error('throttled')) },
    };

    // Act
    const lookup = lookUpCaller(failing, { contactId: 'c-8', callerAddress: AYSE_PHONE });

    // Assess
    await expect(lookup).rejects.toThrow('throttled');
    expect(contacts.records.get('c-8')).toMatchObject({ phone: AYSE_PHONE });
  });

  it.each([
    ['an unknown number', '+905551112233'],
    ['a national number', '05321234567'],
    ['a withheld number', 'anonymous'],
    ['no number', undefined],
  ])('answers %s with the full unknown map and nothing of any customer', async (_case, address) => {
    // Act
    const attributes = await lookUpCaller(deps, { contactId: 'c-2', callerAddress: address });

    // Assess
    expect(Object.keys(attributes).sort()).toEqual([...CALLER_ATTRIBUTE_NAMES].sort());
    expect(attributes).toMatchObject({
      known: 'false',
      customerId: '',
      name: '',
      latestOrderId: '',
      language: 'en',
    });
    expect(JSON.stringify(attributes)).not.toContain('Ayşe');
    expect(JSON.stringify(attributes)).not.toContain('100234');
    expect(contacts.records.get('c-2')?.customerId).toBeUndefined();
  });

  it('flags a configured VIP with high priority and cuts a long name', async () => {
    // Prepare
    customers.customers.set('cust-ayse', { ...ayse, name: 'A'.repeat(200) });

    // Act
    const attributes = await lookUpCaller(
      { ...deps, vipCustomerIds: new Set(['cust-ayse']) },
      { contactId: 'c-3', callerAddress: AYSE_PHONE },
    );

    // Assess
    expect(attributes).toMatchObject({ vip: 'true', priority: 'high' });
    expect(attributes.name).toHaveLength(64);
  });

  it('falls back to the default language and empty order fields for a caller without orders', async () => {
    // Prepare
    customers.customers.set('cust-ayse', { ...ayse, language: 'de' });
    orders.clear();

    // Act
    const attributes = await lookUpCaller(deps, { contactId: 'c-4', callerAddress: AYSE_PHONE });

    // Assess
    expect(attributes).toMatchObject({
      known: 'true',
      language: 'en',
      latestOrderId: '',
      latestOrderStatus: '',
    });
    for (const value of Object.values(attributes)) expect(typeof value).toBe('string');
  });
});
