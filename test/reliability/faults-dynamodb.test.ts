import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { logger } from '../../functions/adapters/observability.ts';
import { SqsDeadLetters } from '../../functions/adapters/sqs/dead-letters.ts';
import { parseInboundEmail } from '../../functions/channels/email/parse-inbound-email.ts';
import { parseMetaWebhook } from '../../functions/channels/meta/parse-webhook.ts';
import { parseInboundSms } from '../../functions/channels/sms/parse-inbound-sms.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { sqsEventFrom } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import {
  CHANNEL_CASES,
  type ChannelCase,
  type DeliveryOutcome,
  type Fixture,
  isStored,
  NOW,
  type Rig,
  startRig,
  tableItems,
} from './channel-cases.ts';
import { type DynamoFault, dynamoWithFaults } from './fault-injection.ts';

/**
 * DynamoDB faults under the real handlers, with the real SDK retry policy: throttling on first
 * attempts is absorbed (by the SDK's retries, or the platform's redelivery when they run out) and
 * every message is stored exactly once; a persistent failure leaves every message either stored
 * or dead-lettered, each dead letter with its reason.
 */

/** A few accepted events per channel (one table, so their ids must not overlap). */
const SELECTED: Readonly<Record<string, readonly string[]>> = {
  email: ['email/new-question-en.eml', 'email/new-question-tr.eml', 'email/gmail-reply-tr.eml'],
  sms: ['sms/question-tr.json', 'sms/long-multipart.json'],
  whatsapp: ['meta/whatsapp-text.json', 'meta/whatsapp-image-with-caption.json'],
  messenger: ['meta/messenger-text.json'],
  instagram: ['meta/instagram-text.json'],
  orders: ['orders/shipped-email-and-phone.json', 'orders/refunded-en-email-only.json'],
};

/** How each entry point's platform retries: Lambda async invocations 3 tries, SQS maxReceiveCount 5, the shop 3. */
const PLATFORM: Readonly<Record<string, { tries: number; kind: 'async' | 'sqs' | 'http' }>> = {
  email: { tries: 3, kind: 'async' },
  sms: { tries: 3, kind: 'async' },
  whatsapp: { tries: 5, kind: 'sqs' },
  messenger: { tries: 5, kind: 'sqs' },
  instagram: { tries: 5, kind: 'sqs' },
  orders: { tries: 3, kind: 'http' },
};

const events = CHANNEL_CASES.flatMap((channelCase) =>
  (SELECTED[channelCase.channel] ?? []).map((name) => {
    const fixture = channelCase.fixtures.find((f) => f.name === name);
    if (!fixture) throw new Error(`no fixture ${name}`);
    return { channelCase, fixture };
  }),
);

interface DeadLetter {
  readonly fixture: string;
  readonly reason: string;
}

let standIns: StandIns;

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `faults-dynamo-${randomUUID()}`,
  });
}, 60_000);

afterAll(async () => {
  await standIns?.stop();
});

/**
 * A rig whose SQS consumers dead-letter on their last allowed receive into a fresh local DLQ,
 * as deployed (maxReceiveCount 5).
 */
async function startRigWithDlq(name: string, options: Parameters<typeof startRig>[2] = {}) {
  const { sqs } = standIns.clients;
  const created = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = created.QueueUrl ?? '';
  const sqsTries = PLATFORM.whatsapp?.tries ?? 5;
  const deadLetters = new SqsDeadLetters(sqs, { queueUrl: dlqUrl, maxReceiveCount: sqsTries }, () => NOW);
  const rig = await startRig(standIns, name, { ...options, deadLetters });
  return { rig, dlqUrl };
}

/** The entry the consumer put on the DLQ for one source message: its reason attribute. */
async function deadLetterReason(dlqUrl: string, sqsMessageId: string): Promise<string | undefined> {
  const { sqs } = standIns.clients;
  const received = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
  );
  for (const message of received.Messages ?? []) {
    if (message.MessageAttributes?.sourceMessageId?.StringValue !== sqsMessageId) continue;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
    return message.MessageAttributes?.failureReason?.StringValue ?? '';
  }
  return undefined;
}

/**
 * Delivers one event as its platform would, redelivering after failures; returns the dead letter
 * when the last try fails: Lambda's on-failure destination record (errorType, errorMessage), the
 * entry the SQS consumer put on its DLQ (its failureReason attribute), or the shop's last HTTP
 * answer.
 */
async function deliverAsPlatform(
  rig: Rig,
  dlqUrl: string,
  channelCase: ChannelCase,
  fixture: Fixture,
): Promise<DeadLetter | undefined> {
  const platform = PLATFORM[channelCase.channel] ?? { tries: 3, kind: 'async' };
  const sqsMessageId = `sqs-${rig.id}-${fixture.name}`;
  let outcome: DeliveryOutcome = 'retry';
  let httpReason = '';
  for (let attempt = 1; attempt <= platform.tries && outcome === 'retry'; attempt++) {
    if (platform.kind === 'sqs') {
      const response = await rig.social(
        sqsEventFrom(
          [
            {
              MessageId: sqsMessageId,
              ReceiptHandle: `${sqsMessageId}-${attempt}`,
              Body: fixture.content.toString('utf8'),
              Attributes: { ApproximateReceiveCount: String(attempt) },
            },
          ],
          'switchboard-social-inbound',
        ),
        lambdaContext('switchboard-inbound-social'),
      );
      outcome = response.batchItemFailures.length === 0 ? 'done' : 'retry';
    } else if (platform.kind === 'http') {
      outcome = await channelCase.deliver(rig, fixture);
      httpReason = outcome === 'done' ? '' : 'the shop was answered with a failure';
    } else {
      outcome = await channelCase.deliver(rig, fixture);
    }
  }
  if (platform.kind === 'sqs') {
    // The last try answers "handled" once the consumer has dead-lettered the message itself.
    const reason = await deadLetterReason(dlqUrl, sqsMessageId);
    if (reason !== undefined) return { fixture: fixture.name, reason };
    if (outcome === 'done') return undefined;
    return { fixture: fixture.name, reason: '' };
  }
  if (outcome === 'done') return undefined;
  if (platform.kind === 'http') return { fixture: fixture.name, reason: httpReason };
  const error = rig.thrown.at(-1);
  // What Lambda puts in the on-failure destination record.
  const record = {
    requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: platform.tries },
    responseContext: { functionError: 'Unhandled' },
    responsePayload: {
      errorType: error instanceof Error ? error.name : 'Error',
      errorMessage: error instanceof Error ? error.message : '',
    },
  };
  return {
    fixture: fixture.name,
    reason: `${record.responsePayload.errorType}: ${record.responsePayload.errorMessage}`,
  };
}

/** The records a set of events should leave: from each channel's own parser. */
async function expectedStored(list: typeof events) {
  const expected = { 'inbound-message': 0, 'order-event': 0, reminder: 0, 'call-event': 0 };
  for (const { channelCase, fixture } of list)
    expected[channelCase.stores] += await channelCase.expected(fixture);
  return expected;
}

async function storedCounts(rig: Rig) {
  const items = await tableItems(rig);
  const count = (kind: Parameters<typeof isStored>[0]) => items.filter((i) => isStored(kind, i)).length;
  const providerIds = items
    .filter((i) => isStored('inbound-message', i))
    .map((i) => `${i.channel}#${i.providerMessageId}`);
  return {
    stored: {
      'inbound-message': count('inbound-message'),
      'order-event': count('order-event'),
      reminder: count('reminder'),
      'call-event': count('call-event'),
    },
    distinctProviderIds: new Set(providerIds).size === providerIds.length,
  };
}

/** Keeps the expected failure log lines out of the test output. */
function silenceFailureLog() {
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
}

describe('DynamoDB faults under the real handlers', () => {
  it('stores every message exactly once when writes are throttled on their first attempts', async () => {
    // Prepare: every fifth write's first attempt is throttled, both ways DynamoDB says it.
    let writes = 0;
    const faulty = dynamoWithFaults(inject('dynamoEndpoint'), ({ operation, attempt }): DynamoFault => {
      if (!/^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)$/.test(operation))
        return undefined;
      if (attempt > 1) return undefined;
      writes += 1;
      if (writes % 5 !== 0) return undefined;
      return writes % 10 === 0 ? 'throttling' : 'throughput-exceeded';
    });
    const { rig, dlqUrl } = await startRigWithDlq(`throttled-${randomUUID()}`, { dynamo: faulty.client });
    silenceFailureLog();

    // Act
    const deadLetters: DeadLetter[] = [];
    for (const { channelCase, fixture } of events) {
      const dead = await deliverAsPlatform(rig, dlqUrl, channelCase, fixture);
      if (dead) deadLetters.push(dead);
    }

    // Assess
    expect(faulty.stats.faults).toBeGreaterThan(5);
    expect(faulty.stats.retries).toBeGreaterThanOrEqual(faulty.stats.faults);
    expect(deadLetters).toEqual([]);
    const { stored, distinctProviderIds } = await storedCounts(rig);
    expect(stored).toEqual(await expectedStored(events));
    expect(distinctProviderIds).toBe(true);
    // Redeliveries after a half-done attempt queue the same request again (same id: the dispatcher
    // sends it once); never a second acknowledgement or notification for one customer.
    const perCustomerAndKind = new Map<string, Set<string>>();
    for (const r of rig.outbound.sent) {
      const key = `${r.customerId}#${r.kind}`;
      perCustomerAndKind.set(key, (perCustomerAndKind.get(key) ?? new Set()).add(r.id));
    }
    for (const ids of perCustomerAndKind.values()) expect(ids.size).toBe(1);
  }, 60_000);

  it('stores or dead-letters every message, each dead letter with its reason, when writes keep failing', async () => {
    // Prepare: one event per channel can never be written (DynamoDB answers 500 every time).
    const poisoned = new Set(Object.values(SELECTED).map((names) => names[names.length - 1] as string));
    const markers = await Promise.all(
      events.filter((e) => poisoned.has(e.fixture.name)).map(async (e) => markerOf(e.channelCase, e.fixture)),
    );
    expect(markers.every((m) => m.length > 4)).toBe(true);
    const faulty = dynamoWithFaults(inject('dynamoEndpoint'), ({ body }) =>
      markers.some((marker) => body.includes(marker)) ? 'internal-error' : undefined,
    );
    const { rig, dlqUrl } = await startRigWithDlq(`failing-${randomUUID()}`, { dynamo: faulty.client });
    silenceFailureLog();

    // Act
    const deadLetters: DeadLetter[] = [];
    for (const { channelCase, fixture } of events) {
      const dead = await deliverAsPlatform(rig, dlqUrl, channelCase, fixture);
      if (dead) deadLetters.push(dead);
    }

    // Assess: messages in = messages stored + messages dead-lettered, nothing lost in between.
    expect(deadLetters.map((d) => d.fixture).sort()).toEqual([...poisoned].sort());
    for (const dead of deadLetters) expect(dead.reason.length).toBeGreaterThan(10);
    // The SQS consumers' entries carry the error itself, as the DLQ message's failureReason.
    const fromQueues = deadLetters.filter((d) => d.fixture.startsWith('meta/'));
    expect(fromQueues).toHaveLength(3);
    for (const dead of fromQueues) expect(dead.reason).toMatch(/^\w+: \S.{9,}/);
    const healthy = events.filter((e) => !poisoned.has(e.fixture.name));
    const { stored, distinctProviderIds } = await storedCounts(rig);
    expect(stored).toEqual(await expectedStored(healthy));
    expect(distinctProviderIds).toBe(true);
    const total = stored['inbound-message'] + stored['order-event'];
    expect(total + deadLetters.length).toBe(events.length);
  }, 60_000);
});

/** A string only this event's writes carry: its provider message id (as the channel parses it), or the order event id. */
async function markerOf(channelCase: ChannelCase, fixture: Fixture): Promise<string> {
  const text = fixture.content.toString('utf8');
  if (channelCase.channel === 'orders') return (JSON.parse(text) as { eventId: string }).eventId;
  if (channelCase.channel === 'sms')
    return parseInboundSms(text, { receivedAt: NOW.toISOString() }).message.providerMessageId;
  if (channelCase.channel === 'email') {
    const email = await parseInboundEmail(
      fixture.content,
      {
        sesMessageId: 'marker',
        timestamp: NOW.toISOString(),
        recipients: [sandboxSupportConfig.supportAddress],
        verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
      },
      { supportAddress: sandboxSupportConfig.supportAddress },
    );
    return email.message.providerMessageId;
  }
  return parseMetaWebhook(JSON.parse(text)).messages[0]?.providerMessageId ?? '';
}
