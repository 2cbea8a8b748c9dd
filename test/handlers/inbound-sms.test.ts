import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from '../../functions/adapters/dynamodb/customer-directory.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { dispatcherDeps } from '../../functions/composition/dispatcher.ts';
import { inboundSmsDeps } from '../../functions/composition/inbound-sms.ts';
import type { ReceiveInboundResult } from '../../functions/core/conversations/receive-inbound.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { makeInboundSmsHandler } from '../../functions/handlers/inbound-sms.ts';
import { inboundSmsNotification } from '../../local/events/sns.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { receiveBodies } from '../../local/queue-polling.ts';
import { settingsFor } from '../support/builders.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
let standIns: StandIns;
let inbound: ReturnType<typeof makeInboundSmsHandler>;
let dispatcher: ReturnType<typeof makeDispatcherHandler>;
const smsClient = new PinpointSMSVoiceV2Client({
  region: 'eu-central-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const eum = mockClient(smsClient);

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `sms-${randomUUID()}`,
  });
  const settings = settingsFor(standIns);
  const clock = { now: () => NOW };
  const inboundDeps = inboundSmsDeps(standIns.clients, settings, clock);
  const dispatchDeps = dispatcherDeps({ ...standIns.clients, sms: smsClient }, settings, clock);
  inbound = makeInboundSmsHandler(() => inboundDeps);
  dispatcher = makeDispatcherHandler(() => dispatchDeps);
}, 60_000);

afterAll(async () => {
  await standIns.stop();
});

beforeEach(async () => {
  eum.reset();
  await standIns.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: standIns.outboundQueueUrl }));
});

async function snsEvent(fixture: string, snsMessageId: string = randomUUID()) {
  const message = await readFile(`test/fixtures/sms/${fixture}`, 'utf8');
  return inboundSmsNotification(snsMessageId, message, NOW);
}

const queued = () => receiveBodies<OutboundRequest>(standIns.clients.sqs, standIns.outboundQueueUrl);

const sqsEvent = (requests: OutboundRequest[]) => sqsEventOfBodies(requests.map((r) => JSON.stringify(r)));

describe('inbound-sms handler on local stand-ins', () => {
  it('stores an SMS once and queues one acknowledgement when SNS delivers it eight times at once', async () => {
    // Prepare
    const event = await snsEvent('question-tr.json', 'sns-1');

    // Act
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, () => inbound(event, lambdaContext('switchboard-inbound-sms'))),
    );

    // Assess: deliveries that met another in flight fail and are retried by Lambda, none stores twice
    const done = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : [])) as ReceiveInboundResult[];
    expect(done.length).toBeGreaterThan(0);
    expect(new Set(done.map((r) => r.messageId)).size).toBe(1);
    const retried = await inbound(event, lambdaContext('switchboard-inbound-sms'));
    expect(retried[0]?.duplicate).toBe(true);
    const store = new DynamoConversationStore(documentClient(standIns.clients.dynamo), standIns.tableName);
    const conversation = await store.get(done[0]?.conversationId ?? '');
    expect(conversation?.channel).toBe('sms');
    const acknowledgements = (await queued()).filter((r) => r.kind === 'auto-reply');
    expect(acknowledgements).toHaveLength(1);
    expect(acknowledgements[0]).toMatchObject({ channel: 'sms', to: '+905321112233', language: 'tr' });
  });

  it('stores an SMS from a premium-rate number and never acknowledges it', async () => {
    // Prepare
    const event = await snsEvent('premium-rate-sender.json');

    // Act
    const [result] = (await inbound(
      event,
      lambdaContext('switchboard-inbound-sms'),
    )) as ReceiveInboundResult[];

    // Assess
    expect(result?.messageId).toBeDefined();
    expect(result?.autoReply).toMatchObject({
      queued: false,
      reasons: expect.arrayContaining(['unanswerable-sender']),
    });
    expect((await queued()).filter((r) => r.kind === 'auto-reply')).toEqual([]);
  });

  it('after İPTAL, the profile says opted-out and the dispatcher sends no order update by SMS', async () => {
    // Prepare
    const [stop] = await inbound(
      await snsEvent('keyword-iptal-dotted.json'),
      lambdaContext('switchboard-inbound-sms'),
    );
    const customers = new DynamoCustomerDirectory(
      documentClient(standIns.clients.dynamo),
      standIns.tableName,
    );
    const orderUpdate: OutboundRequest = {
      id: 'order-100234-shipped',
      kind: 'order-status',
      channel: 'sms',
      customerId: stop?.customerId ?? '',
      conversationId: stop?.conversationId,
      to: '+905321112233',
      language: 'tr',
      text: 'Siparişiniz kargoda.',
      headers: {},
      requestedAt: NOW.toISOString(),
    };
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'eum-1' });

    // Act
    const confirmation = (await queued()).filter((r) => r.kind === 'auto-reply');
    const response = await dispatcher(
      sqsEvent([...confirmation, orderUpdate]),
      lambdaContext('switchboard-dispatcher'),
    );

    // Assess
    expect((await customers.get(stop?.customerId ?? ''))?.consent).toEqual({ sms: 'opted-out' });
    expect(response.batchItemFailures).toEqual([]);
    const sent = eum.commandCalls(SendTextMessageCommand).map((c) => c.args[0].input.MessageBody);
    expect(sent).toEqual([expect.stringMatching(/listemizden/)]);
    const store = new DynamoConversationStore(documentClient(standIns.clients.dynamo), standIns.tableName);
    const timeline = await store.listMessages(stop?.conversationId ?? '');
    expect(timeline.find((m) => m.id === 'order-100234-shipped')).toMatchObject({
      deliveryStatus: 'suppressed',
      flags: ['the customer opted out of sms'],
    });
  });

  it('records an End User Messaging opt-out refusal as failed, and retries throttling through the queue', async () => {
    // Prepare
    const base: OutboundRequest = {
      id: 'agent-reply-1',
      kind: 'agent-reply',
      channel: 'sms',
      customerId: 'cust-x',
      to: '+12065550123',
      language: 'en',
      text: 'Your order is on its way.',
      headers: {},
      requestedAt: NOW.toISOString(),
    };
    eum
      .on(SendTextMessageCommand, { DestinationPhoneNumber: '+12065550123' })
      .rejects(
        new ConflictException({
          $metadata: {},
          message: 'opted out',
          Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
        }),
      )
      .on(SendTextMessageCommand, { DestinationPhoneNumber: '+905559876543' })
      .rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));

    // Act
    const response = await dispatcher(
      sqsEvent([base, { ...base, id: 'agent-reply-2', to: '+905559876543' }]),
      lambdaContext('switchboard-dispatcher'),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
  });

  it('refuses an event that is not an SNS notification with a reason', async () => {
    // Act
    const attempt = inbound(
      { Records: [{ eventSource: 'aws:sqs' }] },
      lambdaContext('switchboard-inbound-sms'),
    );

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow(/not an SNS notification/);
  });
});
