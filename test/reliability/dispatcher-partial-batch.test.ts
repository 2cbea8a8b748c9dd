import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../functions/core/errors.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import type { ChannelSender } from '../../functions/core/ports/outbound.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { acknowledgementRequest } from '../support/builders.ts';
import { MemoryConversations, MemoryCustomers, MemoryLedger } from '../support/in-memory-ports.ts';

type RecordFate = 'sent' | 'transient-failure' | 'malformed';

const event = (bodies: string[]) => sqsEventOfBodies(bodies);

describe('dispatcher partial batch responses', () => {
  it('reports exactly the records that failed, for batches of 1 to 10 with random failures (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<RecordFate>('sent', 'transient-failure', 'malformed'), {
          minLength: 1,
          maxLength: 10,
        }),
        async (fates) => {
          // Prepare
          const failing = new Set<string>();
          const bodies = fates.map((fate, i) => {
            if (fate === 'malformed') return `{"id": "broken-${i}"`;
            const request: OutboundRequest = acknowledgementRequest({
              id: `out-${i}`,
              conversationId: undefined,
            });
            if (fate === 'transient-failure') failing.add(request.id);
            return JSON.stringify(request);
          });
          const sent: string[] = [];
          const sender: ChannelSender = {
            send: async (request) => {
              if (failing.has(request.id)) throw new RetryableError('SES could not take the message now');
              sent.push(request.id);
              return { providerMessageId: `p-${request.id}` };
            },
          };
          const handler = makeDispatcherHandler(() => ({
            clock: { now: () => new Date('2026-11-23T10:00:00Z') },
            ledger: new MemoryLedger(),
            conversations: new MemoryConversations(),
            customers: new MemoryCustomers(),
            senders: { email: sender },
          }));

          // Act
          const response = await handler(event(bodies), lambdaContext('dispatcher'));

          // Assess
          const expected = fates.flatMap((fate, i) =>
            fate === 'sent' ? [] : [{ itemIdentifier: `m-${i}` }],
          );
          expect(response.batchItemFailures).toEqual(expected);
          expect(sent).toEqual(fates.flatMap((fate, i) => (fate === 'sent' ? [`out-${i}`] : [])));
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
