import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxEngine } from '../../bin/sandbox/engine.ts';

/**
 * A message that can never be processed (invalid input) ends in its queue's DLQ on its first
 * receive, and the sandbox report's `deadLetters` entry says why (the consumer's `failureReason`).
 */

let engine: SandboxEngine;

beforeAll(async () => {
  engine = await SandboxEngine.start({ now: new Date('2026-11-23T10:00:00Z') });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

async function enqueue(queueUrl: string, body: string): Promise<void> {
  await engine.standIns.platform.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

describe('dead letters in the sandbox', () => {
  it('reports an outbound message that can never be sent on its first receive, with its reason', async () => {
    // Prepare
    await enqueue(engine.standIns.outboundQueueUrl, 'not json');

    // Act
    await engine.drain();
    const report = await engine.report();

    // Assess
    expect(report.deadLetters).toEqual([
      {
        queue: 'outbound',
        receiveCount: 1,
        reason: 'InvalidInputError: the outbound message body is not JSON',
      },
    ]);
  });

  it('reports a Meta delivery that can never be read on its first receive', async () => {
    // Prepare
    engine.deadLetters.length = 0;
    await enqueue(engine.meta.inboundQueueUrl, '{"object":');

    // Act
    await engine.drain();

    // Assess
    expect(engine.deadLetters).toEqual([
      {
        queue: 'social-inbound',
        receiveCount: 1,
        reason: 'InvalidInputError: the webhook delivery is not JSON',
      },
    ]);
  });

  it('dead-letters a Meta delivery whose entries are arrays, with the reason, instead of dropping it', async () => {
    // Prepare
    engine.deadLetters.length = 0;
    await enqueue(
      engine.meta.inboundQueueUrl,
      JSON.stringify({ object: 'whatsapp_business_account', entry: [[{ id: '1', changes: [] }]] }),
    );

    // Act
    await engine.drain();

    // Assess
    expect(engine.deadLetters).toEqual([
      {
        queue: 'social-inbound',
        receiveCount: 1,
        reason:
          'InvalidInputError: parts of the webhook delivery could not be read: entry 0 is not an object',
      },
    ]);
  });
});
