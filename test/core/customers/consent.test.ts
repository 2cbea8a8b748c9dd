import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ConsentChange,
  changeConsent,
  decideConsentChange,
} from '../../../functions/core/customers/consent.ts';
import { NotFoundError, RetryableError } from '../../../functions/core/errors.ts';
import type { Customer } from '../../../functions/core/model.ts';
import { MemoryCustomers } from '../../support/in-memory-ports.ts';
import { MemoryConsentLedger } from '../../support/in-memory-sms-ports.ts';

const CUSTOMER: Customer = {
  id: 'cust-1',
  consent: {},
  identities: [{ kind: 'phone', value: '+905321112233' }],
  createdAt: '2026-11-01T00:00:00.000Z',
};

function change(overrides: Partial<ConsentChange> = {}): ConsentChange {
  return {
    customerId: 'cust-1',
    channel: 'sms',
    state: 'opted-out',
    source: 'sms-keyword',
    at: '2026-11-23T10:00:00.000Z',
    eventKey: 'inbound#sms#m1',
    keyword: 'STOP',
    ...overrides,
  };
}

describe('decideConsentChange', () => {
  it('lets an older shop change alter nothing a newer record says', () => {
    // Prepare
    const newer = {
      state: 'opted-out' as const,
      source: 'shop' as const,
      at: '2026-11-23T12:00:00.000Z',
      eventKey: 'e0',
    };

    // Act
    const older = decideConsentChange(
      { state: 'opted-out', record: newer },
      change({ state: 'opted-in', source: 'shop', eventKey: 'e1', at: '2026-11-23T11:00:00.000Z' }),
    );
    const later = decideConsentChange(
      { state: 'opted-out', record: newer },
      change({ state: 'opted-in', source: 'shop', eventKey: 'e2', at: '2026-11-23T13:00:00.000Z' }),
    );

    // Assess
    expect(older.kind).toBe('unchanged');
    expect(later.kind).toBe('apply');
  });

  it('lets a shop opt-in lift a shop opt-out', () => {
    // Act
    const decision = decideConsentChange(
      { state: 'opted-out', record: { state: 'opted-out', source: 'shop', at: 't', eventKey: 'e0' } },
      change({ state: 'opted-in', source: 'shop', eventKey: 'e1' }),
    );

    // Assess
    expect(decision.kind).toBe('apply');
  });

  it.each(['sms-keyword', 'carrier'] as const)(
    'refuses a shop or agent opt-in over an opt-out from %s',
    (source) => {
      // Prepare
      const current = {
        state: 'opted-out' as const,
        record: { state: 'opted-out' as const, source, at: 't', eventKey: 'e0' },
      };

      // Act
      const shop = decideConsentChange(
        current,
        change({ state: 'opted-in', source: 'shop', eventKey: 'e1' }),
      );
      const agent = decideConsentChange(
        current,
        change({ state: 'opted-in', source: 'agent', eventKey: 'e2' }),
      );
      const own = decideConsentChange(
        current,
        change({ state: 'opted-in', source: 'sms-keyword', eventKey: 'e3' }),
      );

      // Assess
      expect(shop.kind).toBe('refused');
      expect(agent.kind).toBe('refused');
      expect(own.kind).toBe('apply');
    },
  );

  it('treats an opt-out of unknown origin as the customer’s own', () => {
    // Act
    const decision = decideConsentChange(
      { state: 'opted-out' },
      change({ state: 'opted-in', source: 'shop' }),
    );

    // Assess
    expect(decision.kind).toBe('refused');
  });

  it('lets anyone opt out, and calls a repeat of the same state unchanged', () => {
    // Act
    const shopOptOut = decideConsentChange({ state: 'opted-in' }, change({ source: 'shop' }));
    const again = decideConsentChange({ state: 'opted-out' }, change({ eventKey: 'other' }));

    // Assess
    expect(shopOptOut.kind).toBe('apply');
    expect(again.kind).toBe('unchanged');
  });
});

describe('changeConsent', () => {
  let customers: MemoryCustomers;
  let consent: MemoryConsentLedger;

  beforeEach(() => {
    customers = new MemoryCustomers();
    customers.customers.set(CUSTOMER.id, CUSTOMER);
    consent = new MemoryConsentLedger(customers);
  });

  it('opts out, keeps the source on the profile and appends one history entry', async () => {
    // Act
    const result = await changeConsent({ customers, consent }, change());

    // Assess
    expect(result).toEqual({ status: 'changed', state: 'opted-out' });
    const stored = customers.customers.get('cust-1');
    expect(stored?.consent).toEqual({ sms: 'opted-out' });
    expect(stored?.consentDetail?.sms).toMatchObject({ source: 'sms-keyword', keyword: 'STOP' });
    expect(consent.entriesOf('cust-1')).toEqual([
      expect.objectContaining({ channel: 'sms', state: 'opted-out', source: 'sms-keyword', keyword: 'STOP' }),
    ]);
  });

  it('is a no-op for a redelivered STOP: one change, one history entry', async () => {
    // Act
    await changeConsent({ customers, consent }, change());
    const again = await changeConsent({ customers, consent }, change());

    // Assess
    expect(again.status).toBe('changed');
    expect(customers.customers.get('cust-1')?.consentVersion).toBe(1);
    expect(consent.entriesOf('cust-1')).toHaveLength(1);
  });

  it('keeps the customer’s opt-out when the shop says opted-in later, and records nothing', async () => {
    // Prepare
    await changeConsent({ customers, consent }, change());

    // Act
    const result = await changeConsent(
      { customers, consent },
      change({
        state: 'opted-in',
        source: 'shop',
        eventKey: 'order#evt-1',
        keyword: undefined,
        at: '2026-11-23T11:00:00.000Z',
      }),
    );

    // Assess
    expect(result.status).toBe('refused');
    expect(result.reason).toMatch(/only their own opt-in keyword/);
    expect(customers.customers.get('cust-1')?.consent.sms).toBe('opted-out');
    expect(consent.entriesOf('cust-1')).toHaveLength(1);
  });

  it('lets the customer’s START lift it, and keeps both changes in order', async () => {
    // Prepare
    await changeConsent({ customers, consent }, change());

    // Act
    await changeConsent(
      { customers, consent },
      change({
        state: 'opted-in',
        keyword: 'START',
        eventKey: 'inbound#sms#m2',
        at: '2026-11-23T12:00:00.000Z',
      }),
    );

    // Assess
    expect(customers.customers.get('cust-1')?.consent.sms).toBe('opted-in');
    expect(consent.entriesOf('cust-1').map((e) => [e.state, e.previous])).toEqual([
      ['opted-out', undefined],
      ['opted-in', 'opted-out'],
    ]);
  });

  it('tries again when a concurrent change moved the version', async () => {
    // Prepare
    consent.loseNextRace = true;

    // Act
    const result = await changeConsent({ customers, consent }, change());

    // Assess
    expect(result.status).toBe('changed');
    expect(customers.customers.get('cust-1')?.consent.sms).toBe('opted-out');
  });

  it('gives up with a retryable error when the profile never stops changing', async () => {
    // Prepare
    const busy = new MemoryConsentLedger(customers);
    busy.apply = async () => false;

    // Act
    const attempt = changeConsent({ customers, consent: busy }, change());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RetryableError);
  });

  it('refuses a change for a customer that does not exist', async () => {
    // Act
    const attempt = changeConsent({ customers, consent }, change({ customerId: 'nobody' }));

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
  });
});
