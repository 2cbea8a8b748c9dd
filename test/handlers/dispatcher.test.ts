import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { DynamoChannelInsights } from '../../functions/adapters/dynamodb/channel-insights.ts';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { SqsDeadLetters } from '../../functions/adapters/sqs/dead-letters.ts';
import { dispatcherDeps } from '../../functions/composition/dispatcher.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { sqsEventFrom, sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { acknowledgementRequest, settingsFor } from '../support/builders.ts';

const NOW = new Date('2026-11-23T10:00:05.000Z');
let standIns: StandIns;
let settings: LocalSettings;
let store: DynamoConversationStore;

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `dispatch-${randomUUID()}`,
  });
  settings = settingsFor(standIns);
  store = new DynamoConversationStore(documentClient(standIns.clients.dynamo), standIns.tableName);
  await store.create({
    id: 'conv-1',
    customerId: 'cust-1',
    channel: 'email',
    status: 'open',
    createdAt: '2026-11-23T10:00:00.000Z',
    lastMessageAt: '2026-11-23T10:00:00.000Z',
  });
}, 60_000);

afterAll(async () => {
  await standIns.stop();
});

const acknowledgement = (id: string) =>
  acknowledgementRequest({
    id,
    email: { inReplyTo: 'q1@mail.example.com', references: ['q1@mail.example.com'], replyToken: 'conv-1' },
  });

const sqsEvent = (bodies: string[]) => sqsEventOfBodies(bodies);

async function sentMail() {
  const response = await fetch(`${standIns.endpoints.ses}/store`);
  return (
    (await response.json()) as {
      emails: Array<{ subject: string; replyTo: string[]; destination: { to: string[] } }>;
    }
  ).emails;
}

describe('dispatcher handler on DynamoDB Local and the local SES', () => {
  const handler = () =>
    makeDispatcherHandler(() => dispatcherDeps(standIns.clients, settings, { now: () => NOW }));

  it('sends an acknowledgement through SES once, even when the queue delivers it twice', async () => {
    // Prepare
    const body = JSON.stringify(acknowledgement('ack-once'));

    // Act
    const first = await handler()(sqsEvent([body]), lambdaContext('dispatcher'));
    const second = await handler()(sqsEvent([body]), lambdaContext('dispatcher'));

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    const mails = (await sentMail()).filter((m) => m.subject === 'Re: Siparişim nerede?');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.destination.to).toEqual(['ayse@example.com']);
    expect(mails[0]?.replyTo).toEqual(['support+c-conv-1@support.example.com']);
    const timeline = await store.listMessages('conv-1');
    expect(timeline.filter((m) => m.id === 'ack-once')).toEqual([
      expect.objectContaining({ direction: 'outbound', deliveryStatus: 'sent', kind: 'auto-reply' }),
    ]);
    expect(await store.findByEmailReference(['ack-once@support.example.com'])).toEqual({
      conversationId: 'conv-1',
      customerId: 'cust-1',
    });
  });

  it('reports exactly the malformed records as batch failures and still sends the good ones', async () => {
    // Prepare
    const bodies = ['not json', JSON.stringify(acknowledgement('ack-good')), JSON.stringify({ id: 'x' })];

    // Act
    const response = await handler()(sqsEvent(bodies), lambdaContext('dispatcher'));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-2' }]);
    expect((await store.listMessages('conv-1')).some((m) => m.id === 'ack-good')).toBe(true);
  });
});

describe('dispatcher handler: one provider send per outbound message', () => {
  const handler = () =>
    makeDispatcherHandler(() => dispatcherDeps(standIns.clients, settings, { now: () => NOW }));
  const mailsWithSubject = async (subject: string) => (await sentMail()).filter((m) => m.subject === subject);

  it('sends once when two deliveries of the same message run at the same time, and the retry finds it sent', async () => {
    // Prepare
    const request = acknowledgement('ack-concurrent');
    const body = JSON.stringify({ ...request, subject: 'Re: two deliveries at once' });

    // Act
    const [one, two] = await Promise.all([
      handler()(sqsEvent([body]), lambdaContext('dispatcher')),
      handler()(sqsEvent([body]), lambdaContext('dispatcher')),
    ]);
    const retried = await handler()(sqsEvent([body]), lambdaContext('dispatcher'));

    // Assess: the one that found the claim held was given back to the queue; its retry sends nothing.
    expect(one.batchItemFailures.length + two.batchItemFailures.length).toBeLessThanOrEqual(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(await mailsWithSubject('Re: two deliveries at once')).toHaveLength(1);
    const timeline = await store.listMessages('conv-1');
    expect(timeline.filter((m) => m.id === 'ack-concurrent')).toEqual([
      expect.objectContaining({ deliveryStatus: 'sent' }),
    ]);
    expect(await store.findByEmailReference(['ack-concurrent@support.example.com'])).toEqual({
      conversationId: 'conv-1',
      customerId: 'cust-1',
    });
  });

  it("records an agent reply's first response and counts it once when the reply is delivered twice", async () => {
    // Prepare: an unanswered conversation, and the reply as the agent API queues it.
    await store.create({
      id: 'conv-first-response',
      customerId: 'cust-1',
      channel: 'email',
      status: 'open',
      createdAt: '2026-11-23T09:30:00.000Z',
      lastMessageAt: '2026-11-23T09:30:00.000Z',
    });
    const body = JSON.stringify(
      acknowledgementRequest({
        id: 'agent-reply-first',
        kind: 'agent-reply',
        conversationId: 'conv-first-response',
        subject: 'Re: your parcel',
        headers: {},
        agentId: 'agent-1',
        answering: { openedAt: '2026-11-23T09:30:00.000Z', channel: 'email', answered: false },
      }),
    );

    // Act
    const first = await handler()(sqsEvent([body]), lambdaContext('dispatcher'));
    const again = await handler()(sqsEvent([body]), lambdaContext('dispatcher'));

    // Assess
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    expect(await mailsWithSubject('Re: your parcel')).toHaveLength(1);
    expect(await store.get('conv-first-response')).toMatchObject({
      firstResponseAt: NOW.toISOString(),
      lastAgentReplyAt: NOW.toISOString(),
    });
    const insights = new DynamoChannelInsights(documentClient(standIns.clients.dynamo), standIns.tableName);
    const [hour] = await insights.read({ from: NOW, to: NOW });
    expect(hour?.counters).toMatchObject({ 'outbound:agent-reply': 1, firstResponses: 1 });
  });
});

describe('dispatcher handler with SES faults injected', () => {
  // One client instance mocked, so the local SES of the other tests stays real.
  const sesClient = new SESv2Client({ region: 'eu-central-1' });
  const ses = mockClient(sesClient);

  afterEach(() => {
    ses.reset();
  });

  afterAll(() => {
    ses.restore();
  });

  const handlerWithMockedSes = () =>
    makeDispatcherHandler(() =>
      dispatcherDeps({ ...standIns.clients, ses: sesClient }, settings, { now: () => NOW }),
    );

  it('gives a throttled send back to the queue and sends it on the next delivery', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
    });
    ses.on(SendEmailCommand).rejectsOnce(throttled).resolves({ MessageId: 'ses-after-throttle' });
    const body = JSON.stringify(acknowledgement('ack-throttled'));

    // Act
    const first = await handlerWithMockedSes()(sqsEvent([body]), lambdaContext('dispatcher'));
    const second = await handlerWithMockedSes()(sqsEvent([body]), lambdaContext('dispatcher'));

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect(second.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    const [message] = (await store.listMessages('conv-1')).filter((m) => m.id === 'ack-throttled');
    expect(message?.providerMessageId).toBe('ses-after-throttle');
  });

  it('holds a throttled record back with a growing delay, and only a throttled one', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
    });
    ses.on(SendEmailCommand).rejectsOnce(throttled).resolves({ MessageId: 'ses-ok' });
    const delayed: string[] = [];
    const handler = makeDispatcherHandler(
      () => dispatcherDeps({ ...standIns.clients, ses: sesClient }, settings, { now: () => NOW }),
      () => ({ delay: async (record) => void delayed.push(record.messageId) }),
    );
    const bodies = [
      JSON.stringify(acknowledgement('ack-backoff-1')),
      JSON.stringify(acknowledgement('ack-backoff-2')),
    ];

    // Act
    const response = await handler(sqsEvent(bodies), lambdaContext('dispatcher'));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect(delayed).toEqual(['m-0']);
  });

  it('records a rejected message as failed, with its reason, and does not retry it', async () => {
    // Prepare
    const rejected = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
    ses.on(SendEmailCommand).rejects(rejected);

    // Act
    const response = await handlerWithMockedSes()(
      sqsEvent([JSON.stringify(acknowledgement('ack-rejected'))]),
      lambdaContext('dispatcher'),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [message] = (await store.listMessages('conv-1')).filter((m) => m.id === 'ack-rejected');
    expect(message).toMatchObject({
      deliveryStatus: 'failed',
      flags: ['SES refused the message (MessageRejected)'],
    });
  });

  it('retries a send that keeps failing, then dead-letters it itself with the reason on the last receive', async () => {
    // Prepare: SES throttles every try; the queue allows 3 receives.
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
    });
    ses.on(SendEmailCommand).rejects(throttled);
    const { sqs } = standIns.clients;
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `dispatcher-dlq-${randomUUID()}` }));
    const queueUrl = dlq.QueueUrl ?? '';
    const delayed: string[] = [];
    const handler = makeDispatcherHandler(
      () => dispatcherDeps({ ...standIns.clients, ses: sesClient }, settings, { now: () => NOW }),
      () => ({ delay: async (record) => void delayed.push(record.attributes.ApproximateReceiveCount) }),
      () => new SqsDeadLetters(sqs, { queueUrl, maxReceiveCount: 3 }, () => NOW),
    );
    const body = JSON.stringify(acknowledgement('ack-dead-lettered'));
    const onReceive = (receiveCount: number) =>
      sqsEventFrom(
        [
          {
            MessageId: 'm-0',
            ReceiptHandle: `h-${receiveCount}`,
            Body: body,
            Attributes: { ApproximateReceiveCount: String(receiveCount) },
          },
        ],
        'switchboard-outbound',
      );

    // Act
    const responses = [];
    for (const receiveCount of [1, 2, 3])
      responses.push(await handler(onReceive(receiveCount), lambdaContext('dispatcher')));
    const dead = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );

    // Assess: retried twice (with backoff), then handled by dead-lettering it with its reason.
    expect(responses.map((r) => r.batchItemFailures)).toEqual([
      [{ itemIdentifier: 'm-0' }],
      [{ itemIdentifier: 'm-0' }],
      [],
    ]);
    expect(delayed).toEqual(['1', '2']);
    expect(dead.Messages).toHaveLength(1);
    const [letter] = dead.Messages ?? [];
    expect(letter?.Body).toBe(body);
    expect(letter?.MessageAttributes?.failureReason?.StringValue).toBe(
      'RetryableError: SES could not take the message now (TooManyRequestsException)',
    );
    expect(letter?.MessageAttributes?.sourceQueue?.StringValue).toBe('switchboard-outbound');
    expect(letter?.MessageAttributes?.receiveCount?.StringValue).toBe('3');
    expect(letter?.MessageAttributes?.failureAt?.StringValue).toBe(NOW.toISOString());
  });
});
