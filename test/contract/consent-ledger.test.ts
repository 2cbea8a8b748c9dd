import { describe, expect, it } from 'vitest';
import { DynamoConsentLedger } from '../../functions/adapters/dynamodb/consent-ledger.ts';
import { DynamoCustomerDirectory } from '../../functions/adapters/dynamodb/customer-directory.ts';
import type { ConsentRecord, Customer, Identity } from '../../functions/core/model.ts';
import type {
  ConsentHistoryEntry,
  ConsentHistoryReader,
  ConsentLedger,
  CustomerDirectory,
} from '../../functions/core/ports/customers.ts';
import { MemoryCustomers } from '../support/in-memory-ports.ts';
import { MemoryConsentLedger } from '../support/in-memory-sms-ports.ts';
import { inMemoryAndDynamoDb, uniqueId } from './implementations.ts';

const AT = '2026-11-23T10:00:00.000Z';

const implementations = inMemoryAndDynamoDb<{
  customers: CustomerDirectory;
  consent: ConsentLedger & ConsentHistoryReader;
}>(
  () => {
    const customers = new MemoryCustomers();
    return { customers, consent: new MemoryConsentLedger(customers) };
  },
  (table) => ({
    customers: new DynamoCustomerDirectory(table.db, table.tableName),
    consent: new DynamoConsentLedger(table.db, table.tableName),
  }),
);

async function newCustomer(customers: CustomerDirectory): Promise<Customer> {
  const identity: Identity = {
    kind: 'phone',
    value: `+90532${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
  };
  const customer: Customer = { id: uniqueId('cust'), consent: {}, identities: [identity], createdAt: AT };
  return customers.createWithIdentity(customer, identity);
}

const STOP: ConsentRecord = {
  state: 'opted-out',
  source: 'sms-keyword',
  at: AT,
  eventKey: 'e1',
  keyword: 'STOP',
};
const START: ConsentRecord = {
  state: 'opted-in',
  source: 'sms-keyword',
  at: '2026-11-23T11:00:00.000Z',
  eventKey: 'e2',
  keyword: 'START',
};

describe.each(implementations)('ConsentLedger ($name)', ({ make }) => {
  it('sets a channel’s consent on the profile, with its detail and the next version', async () => {
    // Prepare
    const { customers, consent } = await make();
    const customer = await newCustomer(customers);

    // Act
    const first = await consent.apply(customer.id, 'sms', STOP, 0);
    const second = await consent.apply(customer.id, 'sms', START, 1);

    // Assess
    expect([first, second]).toEqual([true, true]);
    const stored = await customers.get(customer.id);
    expect(stored?.consent).toEqual({ sms: 'opted-in' });
    expect(stored?.consentDetail).toEqual({ sms: START });
    expect(stored?.consentVersion).toBe(2);
  });

  it('refuses a change made on a stale version, and one for a customer who is not there', async () => {
    // Prepare
    const { customers, consent } = await make();
    const customer = await newCustomer(customers);
    await consent.apply(customer.id, 'sms', STOP, 0);

    // Act
    const stale = await consent.apply(customer.id, 'sms', START, 0);
    const unknown = await consent.apply(uniqueId('cust-unknown'), 'sms', STOP, 0);

    // Assess
    expect([stale, unknown]).toEqual([false, false]);
    expect((await customers.get(customer.id))?.consent).toEqual({ sms: 'opted-out' });
  });

  it('keeps each history entry once and reads the newest first', async () => {
    // Prepare
    const { customers, consent } = await make();
    const customer = await newCustomer(customers);
    const entry = (record: ConsentRecord, previous?: ConsentRecord['state']): ConsentHistoryEntry => ({
      ...record,
      customerId: customer.id,
      channel: 'sms',
      ...(previous ? { previous } : {}),
    });

    // Act
    await consent.appendHistory(entry(STOP));
    await consent.appendHistory(entry(STOP));
    await consent.appendHistory(entry(START, 'opted-out'));

    // Assess
    expect(await consent.recentHistory(customer.id, 10)).toEqual([entry(START, 'opted-out'), entry(STOP)]);
    expect(await consent.recentHistory(customer.id, 1)).toEqual([entry(START, 'opted-out')]);
  });
});
