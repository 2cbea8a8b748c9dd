import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConsentLedger } from '../../../functions/adapters/dynamodb/consent-ledger.ts';
import { DynamoCustomerDirectory } from '../../../functions/adapters/dynamodb/customer-directory.ts';
import { type ConsentChange, changeConsent } from '../../../functions/core/customers/consent.ts';
import type { ConsentRecord, Customer } from '../../../functions/core/model.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let customers: DynamoCustomerDirectory;
let consent: DynamoConsentLedger;
const AT = '2026-11-23T10:00:00.000Z';

beforeAll(async () => {
  table = await createTestTable();
  customers = new DynamoCustomerDirectory(table.db, table.tableName);
  consent = new DynamoConsentLedger(table.db, table.tableName);
});

async function newCustomer(id: string): Promise<Customer> {
  const identity = { kind: 'phone', value: `+9053211${id.slice(-5).padStart(5, '0')}` } as const;
  return customers.createWithIdentity({ id, consent: {}, identities: [identity], createdAt: AT }, identity);
}

function stop(customerId: string, overrides: Partial<ConsentChange> = {}): ConsentChange {
  return {
    customerId,
    channel: 'sms',
    state: 'opted-out',
    source: 'sms-keyword',
    at: AT,
    eventKey: 'inbound#sms#m1',
    keyword: 'STOP',
    ...overrides,
  };
}

const RECORD: ConsentRecord = {
  state: 'opted-out',
  source: 'sms-keyword',
  at: AT,
  eventKey: 'e1',
  keyword: 'STOP',
};

describe('DynamoConsentLedger on DynamoDB Local', () => {
  it('writes the first change with its detail and version, and the profile reads back with it', async () => {
    // Prepare
    await newCustomer('cust-00001');

    // Act
    const applied = await consent.apply('cust-00001', 'sms', RECORD, 0);

    // Assess
    expect(applied).toBe(true);
    const stored = await customers.get('cust-00001');
    expect(stored?.consent).toEqual({ sms: 'opted-out' });
    expect(stored?.consentDetail).toEqual({ sms: RECORD });
    expect(stored?.consentVersion).toBe(1);
  });

  it('refuses a write against a stale version and keeps other channels', async () => {
    // Prepare
    await newCustomer('cust-00002');
    await consent.apply('cust-00002', 'email', { ...RECORD, state: 'opted-in', source: 'shop' }, 0);

    // Act
    const stale = await consent.apply('cust-00002', 'sms', RECORD, 0);
    const current = await consent.apply('cust-00002', 'sms', RECORD, 1);

    // Assess
    expect(stale).toBe(false);
    expect(current).toBe(true);
    const stored = await customers.get('cust-00002');
    expect(stored?.consent).toEqual({ email: 'opted-in', sms: 'opted-out' });
    expect(Object.keys(stored?.consentDetail ?? {}).sort()).toEqual(['email', 'sms']);
  });

  it('changes consent once when the same STOP is processed by eight racing deliveries', async () => {
    // Prepare
    await newCustomer('cust-00003');

    // Act
    const results = await Promise.all(
      Array.from({ length: 8 }, () => changeConsent({ customers, consent }, stop('cust-00003'))),
    );

    // Assess
    expect(results.every((r) => r.state === 'opted-out')).toBe(true);
    expect((await customers.get('cust-00003'))?.consentVersion).toBe(1);
    expect(await consent.history('cust-00003')).toEqual([
      expect.objectContaining({
        channel: 'sms',
        state: 'opted-out',
        source: 'sms-keyword',
        keyword: 'STOP',
        at: AT,
      }),
    ]);
  });

  it('keeps the whole history in time order under the profile, and refuses the shop’s later opt-in', async () => {
    // Prepare
    await newCustomer('cust-00004');
    await changeConsent({ customers, consent }, stop('cust-00004'));

    // Act
    const shop = await changeConsent(
      { customers, consent },
      stop('cust-00004', {
        state: 'opted-in',
        source: 'shop',
        eventKey: 'order#evt-1',
        keyword: undefined,
        at: '2026-11-23T11:00:00.000Z',
      }),
    );
    await changeConsent(
      { customers, consent },
      stop('cust-00004', {
        state: 'opted-in',
        keyword: 'START',
        eventKey: 'inbound#sms#m2',
        at: '2026-11-23T12:00:00.000Z',
      }),
    );

    // Assess
    expect(shop.status).toBe('refused');
    const history = await consent.history('cust-00004');
    expect(history.map((h) => [h.state, h.source, h.keyword, h.previous])).toEqual([
      ['opted-out', 'sms-keyword', 'STOP', undefined],
      ['opted-in', 'sms-keyword', 'START', 'opted-out'],
    ]);
    expect((await customers.get('cust-00004'))?.consent.sms).toBe('opted-in');
  });

  it('stores a history entry written twice once', async () => {
    // Prepare
    await newCustomer('cust-00005');
    const entry = { ...RECORD, customerId: 'cust-00005', channel: 'sms' as const };

    // Act
    await consent.appendHistory(entry);
    await consent.appendHistory({ ...entry, previous: 'opted-in' });

    // Assess
    expect(await consent.history('cust-00005')).toEqual([entry]);
  });

  it('does not create a profile for a customer that does not exist', async () => {
    // Act
    const applied = await consent.apply('cust-missing', 'sms', RECORD, 0);

    // Assess
    expect(applied).toBe(false);
    expect(await customers.get('cust-missing')).toBeUndefined();
  });
});
