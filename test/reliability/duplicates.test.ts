import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import {
  CHANNEL_CASES,
  type ChannelCase,
  type DeliveryOutcome,
  type Fixture,
  isStored,
  NOW,
  type Rig,
  redeliverUntilSettled,
  startRig,
  stopRig,
  tableItems,
} from './channel-cases.ts';

const SEVEN_DAYS_SECONDS = 7 * 24 * 3600;

let standIns: StandIns;

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `duplicates-${randomUUID()}`,
  });
}, 60_000);

afterAll(async () => {
  await standIns?.stop();
});

type Mode = 'in sequence' | 'concurrently';

/** Three deliveries of one event: one after another, or all three at once (Promise.all). */
async function deliverThreeTimes(mode: Mode, deliver: () => Promise<DeliveryOutcome>) {
  const first =
    mode === 'concurrently'
      ? await Promise.all([deliver(), deliver(), deliver()])
      : [await deliver(), await deliver(), await deliver()];
  // A delivery that met another in flight was told to come back; the platform redelivers it.
  return redeliverUntilSettled(first, deliver);
}

/** Stored records, their event-ledger items and the outbound requests, per fixture on its own table. */
async function assessOneStored(rig: Rig, channelCase: ChannelCase, expected: number) {
  const { stores } = channelCase;
  const items = await tableItems(rig);
  const stored = items.filter((item) => isStored(stores, item));
  expect(stored).toHaveLength(expected);
  if (stores === 'inbound-message') {
    const providerIds = stored.map((m) => `${m.channel}#${m.providerMessageId}`);
    expect(new Set(providerIds).size).toBe(providerIds.length);
  }
  // Dedupe records outlive every upstream's redelivery horizon (7 days at least); order events'
  // are kept as long as orders are (no expiry at all).
  const ledger = items.filter((item) => String(item.pk).startsWith('EVENT#'));
  if (expected > 0 && channelCase.ledger) expect(ledger.length).toBeGreaterThan(0);
  for (const record of ledger) {
    if (String(record.pk).startsWith('EVENT#order-event#')) expect(record.expiresAt).toBeUndefined();
    else
      expect(record.expiresAt).toBeGreaterThanOrEqual(Math.floor(NOW.getTime() / 1000) + SEVEN_DAYS_SECONDS);
  }
  // At most one auto-response (or notification) per customer, and no request queued twice.
  const requests = rig.outbound.sent;
  expect(new Set(requests.map((r) => r.id)).size).toBe(requests.length);
  const perCustomer = new Map<string, number>();
  for (const r of requests) perCustomer.set(r.customerId, (perCustomer.get(r.customerId) ?? 0) + 1);
  for (const count of perCustomer.values()) expect(count).toBeLessThanOrEqual(1);
  return { stored, requests };
}

const cases = CHANNEL_CASES.flatMap((channelCase) =>
  channelCase.fixtures.flatMap((fixture) =>
    (['in sequence', 'concurrently'] as const).map((mode) => ({ channelCase, fixture, mode })),
  ),
);

describe('every inbound fixture delivered three times gives one stored record and at most one response', () => {
  it('covers every channel with fixtures', () => {
    for (const channelCase of CHANNEL_CASES) expect(channelCase.fixtures.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [`${c.fixture.name} ${c.mode}`, c] as const))('%s', async (_name, c) => {
    // Prepare
    const rig = await startRig(standIns, `${c.channelCase.channel}-${randomUUID()}`);
    const expected = await c.channelCase.expected(c.fixture);

    // Act
    const outcomes = await deliverThreeTimes(c.mode, () => c.channelCase.deliver(rig, c.fixture));

    // Assess
    expect(outcomes.every((o) => o !== 'retry')).toBe(true);
    if (expected > 0) expect(outcomes).toEqual(['done', 'done', 'done']);
    await assessOneStored(rig, c.channelCase, expected);
    await stopRig(standIns, rig);
  });
});

const reminderCase = CHANNEL_CASES.find((c) => c.channel === 'reminders');

describe('a due reminder delivered three times by the scheduler', () => {
  it.each(
    (reminderCase?.fixtures ?? []).flatMap((fixture: Fixture) =>
      (['in sequence', 'concurrently'] as const).map(
        (mode) => [`${fixture.name} ${mode}`, fixture, mode] as const,
      ),
    ),
  )('%s is sent once', async (_name, fixture, mode) => {
    // Prepare
    const rig = await startRig(standIns, `reminder-due-${randomUUID()}`);
    expect(await reminderCase?.deliver(rig, fixture)).toBe('done');
    const [scheduled] = [...rig.deferredSends.scheduled.values()];
    const due = JSON.stringify(scheduled?.request);

    // Act
    const outcomes = await deliverThreeTimes(mode, async () => {
      const response = await rig.dispatcher(sqsEventOfBodies([due]), lambdaContext('switchboard-dispatcher'));
      return response.batchItemFailures.length === 0 ? 'done' : 'retry';
    });

    // Assess
    expect(rig.deferredSends.scheduled.size).toBe(1);
    expect(outcomes).toEqual(['done', 'done', 'done']);
    expect(rig.sender.sent.filter((r) => r.kind === 'reminder')).toHaveLength(1);
    await stopRig(standIns, rig);
  });
});

describe('a reminder request redelivered late', () => {
  it('answers the stored reminder after its time has passed instead of refusing it', async () => {
    // Prepare
    let now = NOW;
    const rig = await startRig(standIns, `reminder-late-${randomUUID()}`, { clock: { now: () => now } });
    const fixture = reminderCase?.fixtures[0] as Fixture;
    expect(await reminderCase?.deliver(rig, fixture)).toBe('done');
    const at = (JSON.parse(fixture.content.toString('utf8')) as { at: string }).at;
    now = new Date(new Date(at).getTime() + 60_000);

    // Act
    const redelivered = await reminderCase?.deliver(rig, fixture);

    // Assess
    expect(redelivered).toBe('done');
    expect((await tableItems(rig)).filter((item) => isStored('reminder', item))).toHaveLength(1);
    await stopRig(standIns, rig);
  });
});
