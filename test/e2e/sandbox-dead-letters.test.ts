import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxEngine } from '../../bin/sandbox/engine.ts';
import { SANDBOX_MAX_RECEIVE_COUNT } from '../../bin/sandbox/stand-ins.ts';

/**
 * A message that can never be processed ends in its queue's DLQ after the last allowed receive,
 * and the sandbox report's `deadLetters` entry says why (the consumer's `failureReason`).
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
  it('reports an outbound message that keeps failing with its receives and its reason', async () => {
    // Prepare
    await enqueue(engine.standIns.outboundQueueUrl, 'not json');

    // Act
    await engine.drain();
    const report = await engine.report();

    // Assess
    expect(report.deadLetters).toEqual([
      {
        queue: 'outbound',
        receiveCount: SANDBOX_MAX_RECEIVE_COUNT,
        reason: 'InvalidInputError: the outbound message body is not JSON',
      },
    ]);
  });

  it('reports a Meta delivery that keeps failing the same way', async () => {
    // Prepare
    engine.deadLetters.length = 0;
    await enqueue(engine.meta.inboundQueueUrl, '{"object":');

    // Act
    await engine.drain();

    // Assess
    expect(engine.deadLetters).toEqual([
      {
        queue: 'social-inbound',
        receiveCount: SANDBOX_MAX_RECEIVE_COUNT,
        reason: 'InvalidInputError: the webhook delivery is not JSON',
      },
    ]);
  });
});
