import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../../functions/core/errors.ts';
import { handleOnce, type LedgerClaim } from '../../functions/core/exactly-once.ts';
import { MemoryLedger } from '../support/in-memory-ports.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const CLAIM: LedgerClaim = { key: 'test#evt-1', now: NOW, leaseSeconds: 60, what: 'this test event' };

let ledger: MemoryLedger;
let runs: number;

const work = async () => {
  runs += 1;
  return { status: 'stored' as const, run: runs };
};

beforeEach(() => {
  ledger = new MemoryLedger();
  runs = 0;
});

describe('handleOnce', () => {
  it('runs the work for the first delivery and gives a redelivery its recorded outcome', async () => {
    // Act
    const first = await handleOnce(ledger, CLAIM, work);
    const again = await handleOnce(ledger, CLAIM, work);

    // Assess
    expect(first).toEqual({ status: 'stored', run: 1, duplicate: false });
    expect(again).toEqual({ status: 'stored', run: 1, duplicate: true });
    expect(runs).toBe(1);
  });

  it('asks for a retry while another delivery holds the event', async () => {
    // Prepare
    await ledger.claim(CLAIM.key, NOW, CLAIM.leaseSeconds);

    // Act
    const attempt = handleOnce(ledger, CLAIM, work);

    // Assess
    await expect(attempt).rejects.toThrow(RetryableError);
    await expect(handleOnce(ledger, CLAIM, work)).rejects.toThrow(/this test event is being processed/);
    expect(runs).toBe(0);
  });

  it('gives the event back when the work fails, so the next delivery does it', async () => {
    // Prepare
    const failing = async () => Promise.reject(new Error('store unavailable'));

    // Act
    const failed = handleOnce(ledger, CLAIM, failing);
    await expect(failed).rejects.toThrow('store unavailable');
    const retried = await handleOnce(ledger, CLAIM, work);

    // Assess
    expect(retried).toEqual({ status: 'stored', run: 1, duplicate: false });
    expect(ledger.records.get(CLAIM.key)?.state).toBe('done');
  });
});
