import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { inboundEmailDeps } from '../../functions/composition/inbound-email.ts';
import { RetryableError } from '../../functions/core/errors.ts';
import { type OutboundRequest, SENDER_NOT_NORMALISED } from '../../functions/core/model.ts';
import { makeInboundEmailHandler } from '../../functions/handlers/inbound-email.ts';
import { sesReceiptEvent } from '../../local/events/ses.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { receiveBodies } from '../../local/queue-polling.ts';
import { settingsFor } from '../support/builders.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
let standIns: StandIns;
let handler: ReturnType<typeof makeInboundEmailHandler>;

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `inbound-${randomUUID()}`,
  });
  const deps = inboundEmailDeps(standIns.clients, settingsFor(standIns), { now: () => NOW });
  handler = makeInboundEmailHandler(() => deps);
}, 60_000);

afterAll(async () => {
  await standIns.stop();
});

/** SES's receipt of a mail John Carter sent to the support address, verdicts passing. */
const sesEvent = (messageId: string) =>
  sesReceiptEvent({
    messageId,
    source: 'john.carter@example.org',
    recipients: ['support@support.example.com'],
    at: NOW,
  });

async function storeRawMail(messageId: string, fixture: string) {
  const raw = await readFile(`test/fixtures/replay/email-basics/${fixture}`);
  await standIns.clients.s3.send(
    new PutObjectCommand({ Bucket: standIns.mailBucket, Key: `inbound/${messageId}`, Body: raw }),
  );
}

async function queuedAutoReplies(): Promise<number> {
  // The queue also carries the conversation's response-deadline checks.
  const requests = await receiveBodies<OutboundRequest>(standIns.clients.sqs, standIns.outboundQueueUrl);
  return requests.filter((request) => request.kind === 'auto-reply').length;
}

describe('inbound-email handler on DynamoDB Local, local S3 and SQS', () => {
  it('stores one message and queues one acknowledgement when SES delivers the same event three times at once', async () => {
    // Prepare
    const messageId = 'ses-concurrent-1';
    await storeRawMail(messageId, '04-question-en.eml');

    // Act
    const attempts = await Promise.allSettled(
      [1, 2, 3].map(() => handler(sesEvent(messageId), lambdaContext('inbound-email'))),
    );
    // Lambda retries the deliveries that were told to come back later.
    const retried = await Promise.all(
      attempts
        .filter((a) => a.status === 'rejected')
        .map(() => handler(sesEvent(messageId), lambdaContext('inbound-email'))),
    );

    // Assess
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') expect(attempt.reason).toBeInstanceOf(RetryableError);
    }
    const results = [
      ...attempts.flatMap((a) => (a.status === 'fulfilled' ? a.value : [])),
      ...retried.flat(),
    ];
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const conversationId = results[0]?.conversationId ?? '';
    expect(results.every((r) => r.conversationId === conversationId)).toBe(true);
    const store = new DynamoConversationStore(documentClient(standIns.clients.dynamo), standIns.tableName);
    expect(await store.listMessages(conversationId)).toHaveLength(1);
    expect(await queuedAutoReplies()).toBe(1);
  });

  it('reads the attachment of a stored mail into the attachment store and records it', async () => {
    // Prepare
    const messageId = 'ses-attachment-1';
    await storeRawMail(messageId, '11-attachment.eml');

    // Act
    const [result] = await handler(sesEvent(messageId), lambdaContext('inbound-email'));

    // Assess
    const store = new DynamoConversationStore(documentClient(standIns.clients.dynamo), standIns.tableName);
    const [message] = await store.listMessages(result?.conversationId ?? '');
    expect(message?.attachments).toEqual([
      expect.objectContaining({
        filename: 'fatura-100240.pdf',
        size: 193,
        objectKey: expect.stringMatching(/^attachments\/.+fatura-100240\.pdf$/),
      }),
    ]);
  });

  it('keeps a mail whose From holds no usable address, flagged and unanswered', async () => {
    // Prepare
    const messageId = 'ses-unusable-from-1';
    const raw = (await readFile('test/fixtures/replay/email-basics/04-question-en.eml', 'utf8')).replace(
      /^From: .*$/m,
      'From: John Carter <john.carter at example.org>',
    );
    await standIns.clients.s3.send(
      new PutObjectCommand({ Bucket: standIns.mailBucket, Key: `inbound/${messageId}`, Body: raw }),
    );

    // Act
    const [result] = await handler(sesEvent(messageId), lambdaContext('inbound-email'));

    // Assess
    const store = new DynamoConversationStore(documentClient(standIns.clients.dynamo), standIns.tableName);
    const [message] = await store.listMessages(result?.conversationId ?? '');
    expect(message?.flags).toContain(SENDER_NOT_NORMALISED);
    expect(message?.text).not.toBe('');
    const queued = await receiveBodies<OutboundRequest>(standIns.clients.sqs, standIns.outboundQueueUrl);
    expect(
      queued.filter(
        (request) => request.kind === 'auto-reply' && request.conversationId === result?.conversationId,
      ),
    ).toEqual([]);
  });

  it('fails with a reason when the raw mail is not where the receipt rule should have put it', async () => {
    // Act
    const attempt = handler(sesEvent('ses-missing-object'), lambdaContext('inbound-email'));

    // Assess
    await expect(attempt).rejects.toThrow(/S3 action before the Lambda action/);
  });

  it('refuses an event that is not an SES receipt event, naming what is wrong', async () => {
    // Act
    const attempt = handler({ Records: [{ eventSource: 'aws:sqs' }] }, lambdaContext('inbound-email'));

    // Assess
    await expect(attempt).rejects.toThrow(/not an SES receipt event/);
  });
});
