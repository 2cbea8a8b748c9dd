import { randomUUID } from 'node:crypto';
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { DynamoConversationStore } from '../../functions/adapters/dynamodb/conversation-store.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { DynamoProviderMessageIndex } from '../../functions/adapters/dynamodb/provider-messages.ts';
import { StaticMetaSecrets } from '../../functions/adapters/meta/secrets.ts';
import { SqsDeadLetters } from '../../functions/adapters/sqs/dead-letters.ts';
import { GRAPH_API_VERSION } from '../../functions/channels/meta/graph-api.ts';
import { dispatcherDeps } from '../../functions/composition/dispatcher.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import type { DeadLetters } from '../../functions/core/ports/queues.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { sqsEventFrom, sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { settingsFor } from '../support/builders.ts';
import { CHANNEL_CASES, NOW, type Rig, startRig } from './channel-cases.ts';
import { type DynamoFault, dynamoWithFaults } from './fault-injection.ts';

/**
 * Send failures in the dispatcher, through the real senders (SES, End User Messaging SMS, the
 * Graph API) with the provider's own error answers: a passing one (throttling, 429, 5xx) goes back
 * to the queue with a growing delay and is sent once on a later delivery; a permanent one is
 * recorded on the message as failed, with its reason, and is not tried again.
 */

let standIns: StandIns;
let rig: Rig;
/** The acknowledgements the real inbound handlers queued, one per channel. */
const acknowledgements = new Map<string, OutboundRequest>();

const ses = new SESv2Client({ region: 'eu-central-1' });
const sms = new PinpointSMSVoiceV2Client({ region: 'eu-central-1' });
const sesMock = mockClient(ses);
const smsMock = mockClient(sms);

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `faults-dispatch-${randomUUID()}`,
  });
  rig = await startRig(standIns, `faults-dispatch-${randomUUID()}`);
  const first: Record<string, string> = {
    email: 'email/new-question-en.eml',
    sms: 'sms/question-tr.json',
    whatsapp: 'meta/whatsapp-text.json',
    messenger: 'meta/messenger-text.json',
  };
  for (const [channel, name] of Object.entries(first)) {
    const channelCase = CHANNEL_CASES.find((c) => c.channel === channel);
    const fixture = channelCase?.fixtures.find((f) => f.name === name);
    if (!channelCase || !fixture) throw new Error(`no fixture ${name}`);
    expect(await channelCase.deliver(rig, fixture)).toBe('done');
    const request = rig.outbound.sent.find((r) => r.channel === channel);
    if (!request) throw new Error(`no acknowledgement queued for ${name}`);
    acknowledgements.set(channel, request);
  }
}, 60_000);

afterEach(() => {
  sesMock.reset();
  smsMock.reset();
  vi.unstubAllGlobals();
});

afterAll(async () => {
  sesMock.restore();
  smsMock.restore();
  await standIns?.stop();
});

const graphAnswer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface SenderFault {
  readonly channel: string;
  /** What the provider answers when it is passing (throttling, overload). */
  passing(): void;
  /** What it answers when the message can never go (a refused address, a bad number). */
  permanent(): void;
  /** A passing failure that does not pass: every try throttled. */
  persistent(): void;
  /** The start of the reason the dead letter then carries. */
  readonly persistentReason: RegExp;
  calls(): number;
  readonly permanentReason: RegExp;
  /** The provider takes every message. */
  accepting(): void;
}

let graphCalls = 0;
const stubGraph = (answers: Array<() => Response>) => {
  graphCalls = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => {
      const answer = answers[Math.min(graphCalls, answers.length - 1)] as () => Response;
      graphCalls += 1;
      return answer();
    }),
  );
};
const graphFault = (channel: 'whatsapp' | 'messenger'): SenderFault => {
  const sent = () =>
    channel === 'whatsapp'
      ? graphAnswer(200, { messages: [{ id: `wamid.sent-${randomUUID()}` }] })
      : graphAnswer(200, { recipient_id: '6789012345678901', message_id: `m_sent-${randomUUID()}` });
  let answers: Array<() => Response> = [sent];
  return {
    channel,
    passing: () => {
      answers = [() => graphAnswer(429, { error: { message: 'Rate limit hit', code: 130429 } }), sent];
      stubGraph(answers);
    },
    persistent: () => {
      answers = [() => graphAnswer(429, { error: { message: 'Rate limit hit', code: 130429 } })];
      stubGraph(answers);
    },
    persistentReason: /^RetryableError: .*HTTP 429/,
    permanent: () => {
      answers = [
        () =>
          graphAnswer(400, {
            error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 },
          }),
      ];
      stubGraph(answers);
    },
    calls: () => graphCalls,
    permanentReason: /Graph API refused the message \(HTTP 400, code 100/,
    accepting: () => stubGraph([sent]),
  };
};

const FAULTS: readonly SenderFault[] = [
  {
    channel: 'email',
    passing: () => {
      sesMock
        .on(SendEmailCommand)
        .rejectsOnce(
          Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' }),
        )
        .resolves({ MessageId: 'ses-after-throttle' });
    },
    persistent: () => {
      sesMock
        .on(SendEmailCommand)
        .rejects(
          Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' }),
        );
    },
    persistentReason: /^RetryableError: SES could not take the message now \(TooManyRequestsException\)/,
    permanent: () => {
      sesMock
        .on(SendEmailCommand)
        .rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    },
    calls: () => sesMock.commandCalls(SendEmailCommand).length,
    permanentReason: /SES refused the message \(MessageRejected\)/,
    accepting: () => {
      sesMock.on(SendEmailCommand).resolves({ MessageId: `ses-${randomUUID()}` });
    },
  },
  {
    channel: 'sms',
    passing: () => {
      smsMock
        .on(SendTextMessageCommand)
        .rejectsOnce(
          new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }),
        )
        .resolves({ MessageId: 'sms-after-throttle' });
    },
    persistent: () => {
      smsMock
        .on(SendTextMessageCommand)
        .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }));
    },
    persistentReason: /^RetryableError: /,
    permanent: () => {
      smsMock.on(SendTextMessageCommand).rejects(
        new ValidationException({
          message: 'Invalid destination',
          Reason: 'CANNOT_PARSE',
          $metadata: { httpStatusCode: 400 },
        }),
      );
    },
    calls: () => smsMock.commandCalls(SendTextMessageCommand).length,
    permanentReason: /not a valid phone number \(CANNOT_PARSE\)/,
    accepting: () => {
      smsMock.on(SendTextMessageCommand).resolves({ MessageId: `sms-${randomUUID()}` });
    },
  },
  graphFault('whatsapp'),
  graphFault('messenger'),
];

/**
 * The dispatcher as deployed (real senders, real table), with its retry backoff recorded and,
 * when given, its own dead-lettering.
 */
function dispatcher(delayed: string[], deadLetters?: DeadLetters, dynamo = standIns.clients.dynamo) {
  const settings = {
    ...settingsFor(standIns),
    tableName: rig.tableName,
    meta: {
      graph: {
        baseUrl: 'https://graph.invalid',
        apiVersion: GRAPH_API_VERSION,
        whatsappPhoneNumberId: '106540352242922',
      },
      secrets: new StaticMetaSecrets({ appSecret: 'a', verifyToken: 'v', accessToken: 't' }),
      inboundQueueUrl: '',
    },
  };
  const deps = dispatcherDeps({ ...standIns.clients, dynamo, ses, sms }, settings, { now: () => NOW });
  return makeDispatcherHandler(
    () => deps,
    () => ({ delay: async (record) => void delayed.push(record.messageId) }),
    () => deadLetters,
  );
}

async function timelineEntries(request: OutboundRequest, id: string) {
  const store = new DynamoConversationStore(documentClient(standIns.clients.dynamo), rig.tableName);
  return (await store.listMessages(request.conversationId ?? '')).filter((m) => m.id === id);
}

describe('dispatcher send failures through the real senders', () => {
  it.each(FAULTS.map((f) => [f.channel, f] as const))(
    '%s: a passing failure is retried with a delay and sent once',
    async (channel, fault) => {
      // Prepare
      const request = {
        ...(acknowledgements.get(channel) as OutboundRequest),
        id: `passing-${randomUUID()}`,
      };
      fault.passing();
      const delayed: string[] = [];
      const handler = dispatcher(delayed);
      const body = JSON.stringify(request);

      // Act
      const first = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));
      const afterFirst = await timelineEntries(request, request.id);
      const second = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));
      const third = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));

      // Assess
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
      expect(delayed).toEqual(['m-0']);
      expect(afterFirst).toEqual([]);
      expect(second.batchItemFailures).toEqual([]);
      expect(third.batchItemFailures).toEqual([]);
      expect(fault.calls()).toBe(2);
      expect(await timelineEntries(request, request.id)).toEqual([
        expect.objectContaining({ direction: 'outbound', deliveryStatus: 'sent' }),
      ]);
    },
  );

  it.each(FAULTS.map((f) => [f.channel, f] as const))(
    '%s: a permanent failure is recorded on the message with its reason and not retried',
    async (channel, fault) => {
      // Prepare
      const request = {
        ...(acknowledgements.get(channel) as OutboundRequest),
        id: `permanent-${randomUUID()}`,
      };
      fault.permanent();
      const delayed: string[] = [];
      const handler = dispatcher(delayed);
      const body = JSON.stringify(request);

      // Act
      const first = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));
      const redelivered = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));

      // Assess
      expect(first.batchItemFailures).toEqual([]);
      expect(redelivered.batchItemFailures).toEqual([]);
      expect(delayed).toEqual([]);
      expect(fault.calls()).toBe(1);
      const [message, ...others] = await timelineEntries(request, request.id);
      expect(others).toEqual([]);
      expect(message?.deliveryStatus).toBe('failed');
      expect(message?.flags?.join(' ')).toMatch(fault.permanentReason);
    },
  );

  it.each(FAULTS.map((f) => [f.channel, f] as const))(
    '%s: a passing failure that never passes is retried, then dead-lettered with its reason',
    async (channel, fault) => {
      // Prepare: every try throttled; the queue allows 5 receives, as deployed.
      const request = {
        ...(acknowledgements.get(channel) as OutboundRequest),
        id: `persistent-${randomUUID()}`,
      };
      fault.persistent();
      const { sqs } = standIns.clients;
      const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `dispatch-dlq-${randomUUID()}` }));
      const queueUrl = dlq.QueueUrl ?? '';
      const delayed: string[] = [];
      const handler = dispatcher(
        delayed,
        new SqsDeadLetters(sqs, { queueUrl, maxReceiveCount: 5 }, () => NOW),
      );
      const body = JSON.stringify(request);
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
      const failures: number[] = [];
      for (const receiveCount of [1, 2, 3, 4, 5]) {
        const response = await handler(onReceive(receiveCount), lambdaContext('switchboard-dispatcher'));
        failures.push(response.batchItemFailures.length);
      }
      const dead = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
        }),
      );

      // Assess: one message in = none sent + one dead letter, and that one says why.
      expect(failures).toEqual([1, 1, 1, 1, 0]);
      expect(delayed).toHaveLength(4);
      expect(fault.calls()).toBe(5);
      expect(await timelineEntries(request, request.id)).toEqual([]);
      expect(dead.Messages?.map((m) => m.Body)).toEqual([body]);
      const attributes = dead.Messages?.[0]?.MessageAttributes ?? {};
      expect(attributes.failureReason?.StringValue).toMatch(fault.persistentReason);
      expect(attributes.receiveCount?.StringValue).toBe('5');
      expect(attributes.sourceQueue?.StringValue).toBe('switchboard-outbound');
    },
  );
});

/** The writes after an accepted send: the timeline entry, and the reference statuses or replies find it by. */
const WRITES_AFTER_SEND = [
  { write: 'timeline entry', marker: () => '"MESSAGE#' },
  {
    write: 'provider reference',
    marker: (channel: string) => (channel === 'email' ? '"EMAILREF#' : '"PROVIDERMSG#'),
  },
] as const;

describe('a write after the provider accepted the send', () => {
  it.each(FAULTS.flatMap((f) => WRITES_AFTER_SEND.map((w) => [f.channel, w.write, f, w] as const)))(
    '%s: the %s fails once → one send, and the redelivery completes the record',
    async (channel, _write, fault, write) => {
      // Prepare: the provider takes everything; the first write of this item fails for good
      // (not retried by the SDK), as a throttled table would once the SDK's retries ran out.
      const request = {
        ...(acknowledgements.get(channel) as OutboundRequest),
        id: `accepted-${randomUUID()}`,
      };
      fault.accepting();
      let failed = 0;
      const faulty = dynamoWithFaults(inject('dynamoEndpoint'), ({ operation, body }): DynamoFault => {
        // The references go out in one batch with the ledger's outcome.
        const hit =
          (operation === 'PutItem' || operation === 'BatchWriteItem') &&
          body.includes(write.marker(channel)) &&
          body.includes(request.id) &&
          failed === 0;
        if (!hit) return undefined;
        failed += 1;
        return 'resource-not-found';
      });
      const delayed: string[] = [];
      const handler = dispatcher(delayed, undefined, faulty.client);
      const body = JSON.stringify(request);

      // Act
      const first = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));
      const redelivered = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));
      const again = await handler(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));

      // Assess: the failed write made the first delivery fail; no delivery sent it a second time.
      expect(failed).toBe(1);
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
      expect(redelivered.batchItemFailures).toEqual([]);
      expect(again.batchItemFailures).toEqual([]);
      expect(fault.calls()).toBe(1);
      const entries = await timelineEntries(request, request.id);
      expect(entries).toEqual([expect.objectContaining({ direction: 'outbound', deliveryStatus: 'sent' })]);
      const providerMessageId = entries[0]?.providerMessageId ?? '';
      const db = documentClient(standIns.clients.dynamo);
      if (channel === 'email') {
        const store = new DynamoConversationStore(db, rig.tableName);
        expect(
          await store.findByEmailReference([`${request.id}@${sandboxSupportConfig.mailDomain}`]),
        ).toEqual({
          conversationId: request.conversationId,
          customerId: request.customerId,
        });
      } else {
        const references = new DynamoProviderMessageIndex(db, rig.tableName);
        expect(await references.find(request.channel, providerMessageId)).toMatchObject({
          conversationId: request.conversationId,
          messageId: request.id,
        });
      }
    },
  );
});
