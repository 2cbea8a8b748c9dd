import { readFileSync } from 'node:fs';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqsDeadLetters } from '../../functions/adapters/sqs/dead-letters.ts';
import { RetryableError } from '../../functions/core/errors.ts';
import {
  makeInboundSocialHandler,
  processMetaDelivery,
  type SocialInboundDeps,
} from '../../functions/handlers/inbound-social.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { MemoryProviderMessages } from '../support/in-memory-meta.ts';
import { MemoryConversations, type MemoryCustomers, type MemoryQueue } from '../support/in-memory-ports.ts';
import { memoryMetaDeps } from '../support/inbound-deps.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/meta/${name}.json`, import.meta.url), 'utf8');

/** The consumer's own dead-lettering sends through this client. */
const sqs = new SQSClient({ region: 'eu-central-1' });
const sqsMock = mockClient(sqs);

afterEach(() => {
  sqsMock.reset();
});

let deps: SocialInboundDeps & {
  customers: MemoryCustomers;
  conversations: MemoryConversations;
  outbound: MemoryQueue;
};

beforeEach(() => {
  const conversations = new MemoryConversations();
  deps = memoryMetaDeps(new Date('2026-11-23T10:00:02.000Z'), {
    conversations,
    providerMessages: new MemoryProviderMessages(conversations),
  });
});

const sqsEvent = (bodies: string[]) => sqsEventOfBodies(bodies, 'switchboard-social-inbound');

describe('processMetaDelivery', () => {
  it('stores a redelivered WhatsApp message once and acknowledges it once', async () => {
    // Act
    const first = await processMetaDelivery(deps, fixture('whatsapp-text'));
    const again = await processMetaDelivery(deps, fixture('whatsapp-text'));

    // Assess
    expect(first).toMatchObject({ messages: 1, duplicates: 0 });
    expect(again).toMatchObject({ messages: 1, duplicates: 1 });
    expect(deps.conversations.messages.size).toBe(1);
    expect(deps.outbound.sent).toHaveLength(1);
    expect(deps.outbound.sent[0]).toMatchObject({ channel: 'whatsapp', to: '+905321234567', language: 'tr' });
    // "siparişim nerede" is the order-status FAQ question.
    expect(deps.outbound.sent[0]?.text).toMatch(/Siparişinizin durumunu/);
  });

  it('stores every readable message of a delivery even when one is unsupported', async () => {
    // Act
    const result = await processMetaDelivery(deps, fixture('whatsapp-unknown-type-between-texts'));

    // Assess
    expect(result.messages).toBe(4);
    expect([...deps.conversations.messages.values()].map((m) => m.text)).toContain('İkinci');
  });

  it('acknowledges a sticker from a Turkish number in Turkish, with nothing to detect a language from', async () => {
    // Act
    await processMetaDelivery(deps, fixture('whatsapp-sticker'));

    // Assess
    expect(deps.outbound.sent).toEqual([expect.objectContaining({ language: 'tr' })]);
  });

  it.each([
    ['whatsapp-invalid-sender-number', '12'],
    ['whatsapp-username-user-without-wa-id', 'TR.1502576394655843'],
  ])('stores %s on a whatsapp identity as given, flagged, with no phone identity', async (name, value) => {
    // Act
    const result = await processMetaDelivery(deps, fixture(name));

    // Assess
    expect(result.messages).toBe(1);
    const customer = await deps.customers.findByIdentity({ kind: 'whatsapp', value });
    expect(customer?.identities).toEqual([{ kind: 'whatsapp', value }]);
    const [stored] = [...deps.conversations.messages.values()];
    expect(stored).toMatchObject({ channel: 'whatsapp', from: { kind: 'whatsapp', value } });
    expect(stored?.flags).toContain('sender-not-normalised');
  });

  it('stores what it can read of a delivery and refuses the rest with the reason', async () => {
    // Prepare
    const delivery = JSON.parse(fixture('whatsapp-text')) as { entry: unknown[] };
    delivery.entry.push([{ id: 'x', changes: [] }]);

    // Act
    const attempt = processMetaDelivery(deps, JSON.stringify(delivery));

    // Assess
    await expect(attempt).rejects.toThrow(
      'parts of the webhook delivery could not be read: entry 1 is not an object',
    );
    expect(deps.conversations.messages.size).toBe(1);
  });

  it('does not acknowledge a reaction', async () => {
    // Act
    await processMetaDelivery(deps, fixture('whatsapp-reaction'));

    // Assess
    expect(deps.outbound.sent).toEqual([]);
  });

  it('turns a status for an unknown message into nothing', async () => {
    // Act
    const result = await processMetaDelivery(deps, fixture('whatsapp-status-read'));

    // Assess
    expect(result.statuses).toEqual({ 'unknown-message': 1 });
    expect(deps.conversations.conversations.size).toBe(0);
    expect(deps.conversations.messages.size).toBe(0);
  });
});

describe('inbound-social handler', () => {
  it('reports only the failed record of a batch, after processing the others', async () => {
    // Prepare
    const handler = makeInboundSocialHandler(() => deps);

    // Act
    const response = await handler(
      sqsEvent([fixture('messenger-text'), 'not json', fixture('instagram-text')]),
      lambdaContext('inbound-social'),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(deps.conversations.conversations.size).toBe(2);
  });

  it('gives a delivery back when the store asks to retry', async () => {
    // Prepare
    const handler = makeInboundSocialHandler(() => ({
      ...deps,
      ledger: {
        claim: async () => {
          throw new RetryableError('throttled');
        },
        complete: async () => true,
        release: async () => undefined,
      },
    }));

    // Act
    const response = await handler(sqsEvent([fixture('whatsapp-text')]), lambdaContext('inbound-social'));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
  });

  it('gives a failing delivery back until its last receive, then dead-letters it with the reason', async () => {
    // Prepare: the store throttles every try; the queue allows 5 receives.
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const handler = makeInboundSocialHandler(
      () => ({
        ...deps,
        ledger: {
          claim: async () => {
            throw new RetryableError('the ledger write was throttled');
          },
          complete: async () => true,
          release: async () => undefined,
        },
      }),
      () => new SqsDeadLetters(sqs, { queueUrl: 'https://sqs.example/dlq', maxReceiveCount: 5 }),
    );
    const onReceive = (receiveCount: number) => {
      const event = sqsEvent([fixture('whatsapp-text')]);
      for (const record of event.Records) record.attributes.ApproximateReceiveCount = String(receiveCount);
      return event;
    };

    // Act
    const fourth = await handler(onReceive(4), lambdaContext('inbound-social'));
    const sentBeforeLast = sqsMock.commandCalls(SendMessageCommand).length;
    const fifth = await handler(onReceive(5), lambdaContext('inbound-social'));

    // Assess
    expect(fourth.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect(sentBeforeLast).toBe(0);
    expect(fifth.batchItemFailures).toEqual([]);
    const sent = sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(sent?.QueueUrl).toBe('https://sqs.example/dlq');
    expect(sent?.MessageBody).toBe(fixture('whatsapp-text'));
    expect(sent?.MessageAttributes?.failureReason?.StringValue).toBe(
      'RetryableError: the ledger write was throttled',
    );
  });

  it('leaves a delivery to the redrive policy when the DLQ send fails', async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).rejects(new Error('AccessDenied'));
    const handler = makeInboundSocialHandler(
      () => deps,
      () => new SqsDeadLetters(sqs, { queueUrl: 'https://sqs.example/dlq', maxReceiveCount: 5 }),
    );
    const event = sqsEvent(['not json']);
    for (const record of event.Records) record.attributes.ApproximateReceiveCount = '5';

    // Act
    const response = await handler(event, lambdaContext('inbound-social'));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
  });
});
