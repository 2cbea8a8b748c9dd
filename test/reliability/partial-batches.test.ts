import { readdirSync, readFileSync } from 'node:fs';
import { SendMessageCommand, type SendMessageCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsDeadLetters } from '../../functions/adapters/sqs/dead-letters.ts';
import { RetryableError } from '../../functions/core/errors.ts';
import type { EventClaim } from '../../functions/core/ports/event-ledger.ts';
import type { ChannelSender } from '../../functions/core/ports/outbound.ts';
import type { DeadLetters } from '../../functions/core/ports/queues.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { makeInboundSocialHandler } from '../../functions/handlers/inbound-social.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { acknowledgementRequest } from '../support/builders.ts';
import { MemoryProviderMessages } from '../support/in-memory-meta.ts';
import { MemoryConversations, MemoryCustomers, MemoryLedger } from '../support/in-memory-ports.ts';
import { memoryMetaDeps } from '../support/inbound-deps.ts';
import { whatsappTextDelivery } from '../support/whatsapp-webhook.ts';

/**
 * Partial batches: for every SQS consumer, `batchItemFailures` names exactly the records that
 * failed, whatever mix a batch of 1–10 holds, and every other record was processed once. A new
 * SQS consumer adds one row to CONSUMERS (the last test fails until it does).
 */

/** What happens to one record of a batch. */
type RecordFate = 'processed' | 'retryable-failure' | 'unexpected-crash' | 'malformed';
const FATES: readonly RecordFate[] = ['processed', 'retryable-failure', 'unexpected-crash', 'malformed'];

/** The failure a dependency throws for a record whose body carries its marker. */
type Faults = ReadonlyMap<string, Error>;

interface ConsumerUnderTest {
  readonly handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  /** Markers of the records whose work really happened, in the order it happened. */
  readonly processed: () => string[];
}

interface SqsConsumerCase {
  /** The handler file under functions/handlers/. */
  readonly file: string;
  readonly queueName: string;
  /** The body of record `index`, carrying `marker` where the consumer's dependencies see it. */
  readonly body: (marker: string, index: number) => string;
  readonly consumer: (faults: Faults, deadLetters?: DeadLetters) => ConsumerUnderTest;
}

const CLOCK = { now: () => new Date('2026-11-23T10:00:00Z') };

function failureFor(markers: Iterable<string>, text: string, faults: Faults): Error | undefined {
  for (const marker of markers) if (text.includes(marker)) return faults.get(marker);
  return undefined;
}

/** A ledger that fails the claim of an inbound event whose key names a faulty record. */
class FaultyLedger extends MemoryLedger {
  constructor(private readonly faults: Faults) {
    super();
  }

  override async claim<Outcome>(key: string, now: Date, leaseSeconds: number): Promise<EventClaim<Outcome>> {
    const failure = failureFor(this.faults.keys(), key, this.faults);
    if (failure) throw failure;
    return super.claim<Outcome>(key, now, leaseSeconds);
  }
}

const CONSUMERS: readonly SqsConsumerCase[] = [
  {
    file: 'dispatcher.ts',
    queueName: 'switchboard-outbound',
    body: (marker) => JSON.stringify(acknowledgementRequest({ id: marker, conversationId: undefined })),
    consumer: (faults, deadLetters) => {
      const sent: string[] = [];
      const sender: ChannelSender = {
        send: async (request) => {
          const failure = faults.get(request.id);
          if (failure) throw failure;
          sent.push(request.id);
          return { providerMessageId: `p-${request.id}` };
        },
      };
      const handler = makeDispatcherHandler(
        () => ({
          clock: CLOCK,
          ledger: new MemoryLedger(),
          conversations: new MemoryConversations(),
          customers: new MemoryCustomers(),
          senders: { email: sender },
        }),
        undefined,
        () => deadLetters,
      );
      return { handler, processed: () => sent };
    },
  },
  {
    file: 'inbound-social.ts',
    queueName: 'switchboard-social-inbound',
    body: (marker, index) =>
      JSON.stringify(
        whatsappTextDelivery({
          waId: `90532123450${index}`,
          name: 'Ayşe',
          messageId: `wamid.${marker}`,
          timestamp: '1795428000',
          text: 'Merhaba, siparişim nerede?',
        }),
      ),
    consumer: (faults, deadLetters) => {
      const conversations = new MemoryConversations();
      const handler = makeInboundSocialHandler(
        () =>
          memoryMetaDeps(CLOCK.now(), {
            ledger: new FaultyLedger(faults),
            conversations,
            providerMessages: new MemoryProviderMessages(conversations),
          }),
        () => deadLetters,
      );
      const processed = () =>
        [...conversations.messages.values()]
          .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
          .map((message) => String(message.providerMessageId).replace(/^wamid\./, ''));
      return { handler, processed };
    },
  },
];

/** Markers that cannot contain one another (`rec-1-` is not inside `rec-10-`). */
const markerOf = (index: number) => `rec-${index}-`;

function failureOf(fate: RecordFate): Error | undefined {
  if (fate === 'retryable-failure') return new RetryableError('the table is throttled right now');
  if (fate === 'unexpected-crash') return new TypeError('Cannot read properties of undefined');
  return undefined;
}

/** The consumers' own dead-lettering sends through this client. */
const dlqClient = new SQSClient({ region: 'eu-central-1' });
const dlq = mockClient(dlqClient);

afterEach(() => {
  dlq.reset();
});

describe.each(CONSUMERS)('partial batch responses of $file', (consumerCase) => {
  it('names exactly the failed records, and processes every other one once (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...FATES), { minLength: 1, maxLength: 10 }),
        async (fates) => {
          // Prepare
          const faults = new Map<string, Error>();
          const bodies = fates.map((fate, index) => {
            const marker = markerOf(index);
            const failure = failureOf(fate);
            if (failure) faults.set(marker, failure);
            return fate === 'malformed' ? `{"id": "${marker}"` : consumerCase.body(marker, index);
          });
          const { handler, processed } = consumerCase.consumer(faults);

          // Act
          const response = await handler(
            sqsEventOfBodies(bodies, consumerCase.queueName),
            lambdaContext(consumerCase.file),
          );

          // Assess
          const failed = fates.flatMap((fate, index) => (fate === 'processed' ? [] : [`m-${index}`]));
          expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(failed);
          const succeeded = fates.flatMap((fate, index) => (fate === 'processed' ? [markerOf(index)] : []));
          expect([...processed()].sort()).toEqual([...succeeded].sort());
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('dead-letters, with its reason, exactly the records that fail their last receive, and names the rest (200 runs)', async () => {
    const MAX_RECEIVE_COUNT = 5;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            fate: fc.constantFrom(...FATES),
            receiveCount: fc.integer({ min: 1, max: MAX_RECEIVE_COUNT }),
            dlqRefuses: fc.boolean(),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        async (records) => {
          // Prepare
          const faults = new Map<string, Error>();
          const refused = new Set<string>();
          const bodies = records.map(({ fate, dlqRefuses }, index) => {
            const marker = markerOf(index);
            const failure = failureOf(fate);
            if (failure) faults.set(marker, failure);
            if (dlqRefuses) refused.add(marker);
            return fate === 'malformed' ? `{"id": "${marker}"` : consumerCase.body(marker, index);
          });
          const deadLettered: Array<{ marker: string; reason?: string }> = [];
          dlq.reset();
          dlq.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
            const marker = bodies.map((_, i) => markerOf(i)).find((m) => input.MessageBody?.includes(m));
            if (marker && refused.has(marker)) throw new Error('AccessDenied');
            deadLettered.push({
              marker: marker ?? '',
              reason: input.MessageAttributes?.failureReason?.StringValue,
            });
            return { MessageId: `dlq-${marker}` };
          });
          const deadLetters = new SqsDeadLetters(dlqClient, {
            queueUrl: 'dlq',
            maxReceiveCount: MAX_RECEIVE_COUNT,
          });
          const { handler, processed } = consumerCase.consumer(faults, deadLetters);
          const event = sqsEventOfBodies(bodies, consumerCase.queueName);
          event.Records.forEach((record, index) => {
            record.attributes.ApproximateReceiveCount = String(records[index]?.receiveCount);
          });

          // Act
          const response = await handler(event, lambdaContext(consumerCase.file));

          // Assess
          const failedIndexes = records.flatMap(({ fate }, index) => (fate === 'processed' ? [] : [index]));
          const onLastReceive = (index: number) => records[index]?.receiveCount === MAX_RECEIVE_COUNT;
          // A malformed record can never succeed: it goes to the DLQ on whichever receive it fails.
          const permanent = (index: number) => records[index]?.fate === 'malformed';
          const handedOver = failedIndexes.filter(
            (i) => (onLastReceive(i) || permanent(i)) && !records[i]?.dlqRefuses,
          );
          expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
            failedIndexes.filter((i) => !handedOver.includes(i)).map((i) => `m-${i}`),
          );
          expect(deadLettered.map((d) => d.marker)).toEqual(handedOver.map(markerOf));
          for (const dead of deadLettered) expect(dead.reason).toMatch(/^\w+: \S/);
          const succeeded = records.flatMap(({ fate }, index) =>
            fate === 'processed' ? [markerOf(index)] : [],
          );
          expect([...processed()].sort()).toEqual([...succeeded].sort());
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it('dead-letters a malformed record on its first receive, with the reason', async () => {
    // Prepare
    const reasons: Array<string | undefined> = [];
    dlq.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
      reasons.push(input.MessageAttributes?.failureReason?.StringValue);
      return { MessageId: 'dlq-1' };
    });
    const deadLetters = new SqsDeadLetters(dlqClient, { queueUrl: 'dlq', maxReceiveCount: 5 });
    const { handler } = consumerCase.consumer(new Map(), deadLetters);
    const event = sqsEventOfBodies(['{"id": "rec-0-"'], consumerCase.queueName);
    for (const record of event.Records) record.attributes.ApproximateReceiveCount = '1';

    // Act
    const response = await handler(event, lambdaContext(consumerCase.file));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(reasons).toEqual([expect.stringMatching(/^InvalidInputError: .*not JSON/)]);
  });

  it('reports the whole batch, not an exception, when every record fails', async () => {
    // Prepare
    const faults = new Map<string, Error>();
    const bodies = Array.from({ length: 10 }, (_, index) => {
      faults.set(markerOf(index), new RetryableError('the table is throttled right now'));
      return consumerCase.body(markerOf(index), index);
    });
    const { handler, processed } = consumerCase.consumer(faults);

    // Act
    const response = await handler(
      sqsEventOfBodies(bodies, consumerCase.queueName),
      lambdaContext(consumerCase.file),
    );

    // Assess
    expect(response.batchItemFailures).toHaveLength(10);
    expect(processed()).toEqual([]);
  });
});

describe('the table of SQS consumers', () => {
  it('lists every handler that consumes an SQS batch', () => {
    // Prepare
    const handlers = new URL('../../functions/handlers/', import.meta.url);
    const sqsConsumers = readdirSync(handlers)
      .filter((file) => file.endsWith('.ts'))
      .filter((file) =>
        /EventType\.SQS|SQSBatchResponse/.test(readFileSync(new URL(file, handlers), 'utf8')),
      );

    // Assess
    expect(sqsConsumers.sort()).toEqual(CONSUMERS.map((c) => c.file).sort());
  });
});
