import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, describe, expect, it } from 'vitest';
import { SqsOutboundQueue } from '../../functions/adapters/sqs/outbound-queue.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import type { OutboundQueue } from '../../functions/core/ports/outbound.ts';
import { receiveBodies } from '../../local/queue-polling.ts';
import { acknowledgementRequest } from '../support/builders.ts';
import { MemoryQueue } from '../support/in-memory-ports.ts';
import type { Implementation } from './implementations.ts';
import { uniqueId } from './implementations.ts';

interface QueuePorts {
  readonly queue: OutboundQueue;
  /** What the dispatcher would receive next, without waiting. */
  readonly received: () => Promise<OutboundRequest[]>;
}

let fauxqs: Promise<FauxqsServer> | undefined;
const clients: SQSClient[] = [];

afterAll(async () => {
  for (const client of clients) client.destroy();
  await (await fauxqs)?.stop();
});

const implementations: Array<Implementation<QueuePorts>> = [
  {
    name: 'in memory',
    make: async () => {
      const queue = new MemoryQueue();
      let read = 0;
      return {
        queue,
        received: async () => {
          const batch = queue.sent.slice(read, read + 10);
          read += batch.length;
          return batch;
        },
      };
    },
  },
  {
    name: 'SQS (fauxqs)',
    make: async () => {
      fauxqs ??= startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
      const server = await fauxqs;
      const sqs = new SQSClient({
        endpoint: `http://127.0.0.1:${server.port}`,
        region: 'eu-central-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      clients.push(sqs);
      const created = await sqs.send(new CreateQueueCommand({ QueueName: uniqueId('outbound') }));
      const queueUrl = created.QueueUrl ?? '';
      return {
        queue: new SqsOutboundQueue(sqs, queueUrl),
        received: () => receiveBodies<OutboundRequest>(sqs, queueUrl),
      };
    },
  },
];

describe.each(implementations)('OutboundQueue ($name)', ({ make }) => {
  it('hands the dispatcher each request as it was queued, unchanged and once', async () => {
    // Prepare
    const { queue, received } = await make();
    const acknowledgement = acknowledgementRequest();
    const notification = acknowledgementRequest({
      id: 'order-shipped-1',
      kind: 'order-status',
      channel: 'sms',
      to: '+905321234567',
      text: 'Siparişiniz kargoya verildi.',
    });

    // Act
    await queue.enqueue(acknowledgement);
    await queue.enqueue(notification);
    const first = await received();
    const second = await received();

    // Assess
    expect(first.sort((a, b) => a.id.localeCompare(b.id))).toEqual([acknowledgement, notification]);
    expect(second).toEqual([]);
  });
});
