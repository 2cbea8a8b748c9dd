import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { sandboxSupportConfig } from '../../bin/sandbox/config.ts';
import { lambdaContext } from '../../bin/sandbox/lambda-context.ts';
import { sqsEventOfBodies } from '../../bin/sandbox/sqs-event.ts';
import { RetryableError } from '../../functions/core/errors.ts';
import {
  makeInboundSocialHandler,
  processMetaDelivery,
  type SocialInboundDeps,
} from '../../functions/handlers/inbound-social.ts';
import { MemoryProviderMessages } from '../support/in-memory-meta.ts';
import {
  MemoryAttachments,
  MemoryConversations,
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
  readableIds,
} from '../support/in-memory-ports.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/meta/${name}.json`, import.meta.url), 'utf8');

let deps: SocialInboundDeps & { conversations: MemoryConversations; outbound: MemoryQueue };

beforeEach(() => {
  const conversations = new MemoryConversations();
  deps = {
    clock: { now: () => new Date('2026-11-23T10:00:02.000Z') },
    ids: readableIds,
    config: sandboxSupportConfig,
    ledger: new MemoryLedger(),
    customers: new MemoryCustomers(),
    conversations,
    attachments: new MemoryAttachments(),
    outbound: new MemoryQueue(),
    providerMessages: new MemoryProviderMessages(conversations),
  };
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
        complete: async () => undefined,
        release: async () => undefined,
      },
    }));

    // Act
    const response = await handler(sqsEvent([fixture('whatsapp-text')]), lambdaContext('inbound-social'));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
  });
});
