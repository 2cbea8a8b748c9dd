import { describe, expect, it } from 'vitest';
import { DynamoEventLedger } from '../../functions/adapters/dynamodb/event-ledger.ts';
import type { EventLedger } from '../../functions/core/ports/event-ledger.ts';
import { MemoryLedger } from '../support/in-memory-ports.ts';
import { inMemoryAndDynamoDb, uniqueId } from './implementations.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const OUTCOME = { conversationId: 'conv-1', messageId: 'm-1' };

const implementations = inMemoryAndDynamoDb<EventLedger>(
  () => new MemoryLedger(),
  (table) => new DynamoEventLedger(table.db, table.tableName),
);

describe.each(implementations)('EventLedger ($name)', ({ make }) => {
  it('lets the first delivery claim an event and tells a second one within the lease it is in progress', async () => {
    // Prepare
    const ledger = await make();
    const key = uniqueId('inbound#email');

    // Act
    const first = await ledger.claim(key, NOW, 60);
    const second = await ledger.claim(key, later(30), 60);

    // Assess
    expect(first).toEqual({ status: 'claimed' });
    expect(second).toEqual({ status: 'in-progress' });
  });

  it('lets a delivery claim again once the lease of a crashed one ran out', async () => {
    // Prepare
    const ledger = await make();
    const key = uniqueId('inbound#sms');
    await ledger.claim(key, NOW, 60);

    // Act
    const retried = await ledger.claim(key, later(61), 60);

    // Assess
    expect(retried).toEqual({ status: 'claimed' });
  });

  it('answers every later delivery with the recorded outcome, and completes an event once', async () => {
    // Prepare
    const ledger = await make();
    const key = uniqueId('inbound#whatsapp');
    await ledger.claim(key, NOW, 60);

    // Act
    const completed = await ledger.complete(key, OUTCOME, later(1));
    const again = await ledger.complete(key, { other: true }, later(2));
    const redelivered = await ledger.claim(key, later(3600), 60);

    // Assess
    expect(completed).toBe(true);
    expect(again).toBe(false);
    expect(redelivered).toEqual({ status: 'done', outcome: OUTCOME });
  });

  it('tells a later delivery to finish an unfinished event, and lets that one complete it', async () => {
    // Prepare
    const ledger = await make();
    const key = uniqueId('outbound#send');
    await ledger.claim(key, NOW, 60);
    await ledger.complete(key, OUTCOME, later(1), { unfinished: true });

    // Act
    const redelivered = await ledger.claim(key, later(2), 60);
    const finished = await ledger.complete(key, OUTCOME, later(3));
    const after = await ledger.claim(key, later(4), 60);

    // Assess
    expect(redelivered).toEqual({ status: 'done', outcome: OUTCOME, unfinished: true });
    expect(finished).toBe(true);
    expect(after).toEqual({ status: 'done', outcome: OUTCOME });
  });

  it('does not complete an event nobody claimed', async () => {
    // Prepare
    const ledger = await make();

    // Act
    const completed = await ledger.complete(uniqueId('never-claimed'), OUTCOME, NOW);

    // Assess
    expect(completed).toBe(false);
  });

  it('frees a released claim for the next delivery, and never releases a done event', async () => {
    // Prepare
    const ledger = await make();
    const released = uniqueId('released');
    const done = uniqueId('done');
    await ledger.claim(released, NOW, 60);
    await ledger.claim(done, NOW, 60);
    await ledger.complete(done, OUTCOME, later(1));

    // Act
    await ledger.release(released);
    await ledger.release(done);

    // Assess
    expect(await ledger.claim(released, later(2), 60)).toEqual({ status: 'claimed' });
    expect(await ledger.claim(done, later(2), 60)).toEqual({ status: 'done', outcome: OUTCOME });
  });
});
