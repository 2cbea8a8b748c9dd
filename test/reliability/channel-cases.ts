import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StandIns } from '../../bin/sandbox/stand-ins.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { DynamoReminderStore } from '../../functions/adapters/dynamodb/reminder-store.ts';
import { conversationTableCreateInput } from '../../functions/adapters/dynamodb/table-definition.ts';
import { StaticShopSecret } from '../../functions/adapters/shop/shop-secret.ts';
import { isPermanentFailure } from '../../functions/adapters/sqs/dead-letters.ts';
import { chatInboundMessage, parseClientFrame } from '../../functions/channels/chat/frames.ts';
import { parseContactEvent } from '../../functions/channels/connect/contact-event.ts';
import { parseInboundEmail } from '../../functions/channels/email/parse-inbound-email.ts';
import { parseMetaWebhook } from '../../functions/channels/meta/parse-webhook.ts';
import { parseInboundSms } from '../../functions/channels/sms/parse-inbound-sms.ts';
import { chatRouteDeps } from '../../functions/composition/chat-websocket.ts';
import { dispatcherDeps } from '../../functions/composition/dispatcher.ts';
import { inboundEmailDeps } from '../../functions/composition/inbound-email.ts';
import { inboundSmsDeps } from '../../functions/composition/inbound-sms.ts';
import { socialInboundDeps } from '../../functions/composition/inbound-social.ts';
import { orderEventsDeps } from '../../functions/composition/order-events.ts';
import type { AwsClients } from '../../functions/composition/shared/clients.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import { voiceEventsDeps } from '../../functions/composition/voice-events.ts';
import { voiceLookupDeps } from '../../functions/composition/voice-lookup.ts';
import type { ChatGateway, ChatServerFrame } from '../../functions/core/chat/ports.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';
import { orderEventSchema } from '../../functions/core/orders/order-events.ts';
import type { DeadLetters } from '../../functions/core/ports/queues.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import { reminderRequestSchema } from '../../functions/core/reminders/reminders.ts';
import { makeChatWebSocketHandler } from '../../functions/handlers/chat-websocket.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { makeInboundEmailHandler } from '../../functions/handlers/inbound-email.ts';
import { makeInboundSmsHandler } from '../../functions/handlers/inbound-sms.ts';
import { makeInboundSocialHandler } from '../../functions/handlers/inbound-social.ts';
import { makeOrderEventsHandler } from '../../functions/handlers/order-events.ts';
import { makeRemindersHandler } from '../../functions/handlers/reminders.ts';
import { makeVoiceEventsHandler } from '../../functions/handlers/voice-events.ts';
import { makeVoiceLookupHandler } from '../../functions/handlers/voice-lookup.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { apiGatewayV2Event, webSocketEvent } from '../../local/events/api-gateway.ts';
import { sesReceiptEvent } from '../../local/events/ses.ts';
import { inboundSmsNotification } from '../../local/events/sns.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { settingsFor } from '../support/builders.ts';
import { MemoryQueue, MemorySender } from '../support/in-memory-ports.ts';
import { MemoryDeferredSends } from '../support/in-memory-sms-ports.ts';
import { shopSignatureHeaders } from '../support/shop-signing.ts';

/**
 * Every inbound fixture of every channel, each with the entry point that takes it in the cloud,
 * for the reliability tests (duplicates, faults, logs). A new channel is one more entry in
 * `CHANNEL_CASES`: its fixtures, how one delivery reaches its real handler, and how many
 * records one delivery should store (from the channel's own parser, not the pipeline).
 */

export const NOW = new Date('2026-11-23T10:00:00.000Z');
export const SHOP_SECRET = 'reliability-shop-secret';

/** What one delivery came to: taken, to be redelivered (the platform retries), or refused for good. */
export type DeliveryOutcome = 'done' | 'retry' | 'refused';

export interface Fixture {
  readonly name: string;
  readonly content: Buffer;
}

/** The real handlers on one table of the run's DynamoDB Local, with recording outbound ports. */
export interface Rig {
  readonly id: string;
  readonly tableName: string;
  readonly clients: AwsClients;
  readonly mailBucket: string;
  readonly outbound: MemoryQueue;
  readonly deferredSends: MemoryDeferredSends;
  readonly sender: MemorySender;
  /** The rig's clock: a shop signs each (re)delivery when it sends it. */
  readonly clock: Clock;
  /** What the asynchronously invoked handlers threw (Lambda logs it and hands it to the failure destination). */
  readonly thrown: unknown[];
  readonly email: ReturnType<typeof makeInboundEmailHandler>;
  readonly sms: ReturnType<typeof makeInboundSmsHandler>;
  readonly social: ReturnType<typeof makeInboundSocialHandler>;
  readonly orders: ReturnType<typeof makeOrderEventsHandler>;
  readonly reminders: ReturnType<typeof makeRemindersHandler>;
  readonly dispatcher: ReturnType<typeof makeDispatcherHandler>;
  readonly voiceLookup: ReturnType<typeof makeVoiceLookupHandler>;
  readonly voiceEvents: ReturnType<typeof makeVoiceEventsHandler>;
  readonly chat: ReturnType<typeof makeChatWebSocketHandler>;
  /** What the chat routes posted to sockets. */
  readonly chatFrames: ChatServerFrame[];
}

/** What is stored, counted by scanning the test table (tests only: no request path scans). */
export type StoredKind = 'inbound-message' | 'order-event' | 'reminder' | 'call-event';

export interface ChannelCase {
  readonly channel: string;
  readonly fixtures: readonly Fixture[];
  /** The kind of record one accepted event stores. */
  readonly stores: StoredKind;
  /** Whether redeliveries are told apart by an event-ledger item (else by the record's own key). */
  readonly ledger: boolean;
  /** How many records of that kind one delivery of the fixture should store (0: it is refused). */
  expected(fixture: Fixture): Promise<number>;
  deliver(rig: Rig, fixture: Fixture): Promise<DeliveryOutcome>;
}

const fixtureDir = (dir: string) => new URL(`../fixtures/${dir}/`, import.meta.url);

function fixturesIn(dir: string, keep: (name: string) => boolean = () => true): Fixture[] {
  return readdirSync(fixtureDir(dir))
    .filter(keep)
    .sort()
    .map((name) => ({ name: `${dir}/${name}`, content: readFileSync(new URL(name, fixtureDir(dir))) }));
}

/** An S3 object key / SES message id for a fixture on a rig: same fixture, same id (a redelivery). */
function sesMessageIdOf(rig: Rig, fixture: Fixture): string {
  return `${rig.id}-${basename(fixture.name)}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** The envelope sender SES would report: the Return-Path, else the From address. */
function envelopeSource(raw: Buffer): string {
  const head =
    raw
      .subarray(0, 64 * 1024)
      .toString('latin1')
      .split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) =>
    unfolded
      .split(/\r?\n/)
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const returnPath = header('return-path');
  if (returnPath !== undefined) return returnPath.replace(/[<>]/g, '').trim();
  return header('from')?.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/)?.[0] ?? '';
}

export function sesEvent(messageId: string, source: string) {
  return sesReceiptEvent({ messageId, source, recipients: [sandboxSupportConfig.supportAddress], at: NOW });
}

export function snsEvent(snsMessageId: string, message: string) {
  return inboundSmsNotification(snsMessageId, message, NOW);
}

/** An asynchronous invocation (SES, SNS): a thrown RetryableError is retried by Lambda, other errors refuse. */
async function invokeAsync(rig: Rig, run: () => Promise<unknown>): Promise<DeliveryOutcome> {
  try {
    await run();
    return 'done';
  } catch (error) {
    rig.thrown.push(error);
    return error instanceof InvalidInputError ? 'refused' : 'retry';
  }
}

function signedShopRequest(rig: Rig, path: string, body: Buffer) {
  return apiGatewayV2Event({
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/json',
      ...shopSignatureHeaders({
        method: 'POST',
        pathWithQuery: path,
        body,
        secret: SHOP_SECRET,
        at: rig.clock.now(),
      }),
    },
    body,
  });
}

/**
 * The DLQ as the consumers see it by default: invalid input is handed over on its first receive
 * (SQS deletes the record); anything else goes back to the queue.
 */
const invalidInputDeadLetters: DeadLetters = {
  isFinalAttempt: () => false,
  deadLetter: async (_record, error) => isPermanentFailure(error),
};

/** An HTTP answer to the shop: 2xx taken, 409 and 5xx sent again by the shop, other 4xx refused. */
function httpOutcome(statusCode: number | undefined): DeliveryOutcome {
  if (statusCode !== undefined && statusCode >= 200 && statusCode < 300) return 'done';
  if (statusCode === 409 || statusCode === undefined || statusCode >= 500) return 'retry';
  return 'refused';
}

const metaFixtures = fixturesIn('meta');
const KNOWN_CALLER_FLOW = () =>
  JSON.parse(readFileSync(new URL('flow-known-caller.json', fixtureDir('connect')), 'utf8')) as unknown;
const metaChannel = (prefix: string): ChannelCase => ({
  channel: prefix,
  fixtures: metaFixtures.filter((f) => basename(f.name).startsWith(`${prefix}-`)),
  stores: 'inbound-message',
  ledger: true,
  expected: async (fixture) => {
    try {
      const parsed = parseMetaWebhook(JSON.parse(fixture.content.toString('utf8')));
      return new Set(parsed.messages.map((m) => `${m.channel}#${m.providerMessageId}`)).size;
    } catch {
      return 0;
    }
  },
  deliver: async (rig, fixture) => {
    const response = await rig.social(
      sqsEventOfBodies([fixture.content.toString('utf8')], 'switchboard-social-inbound'),
      lambdaContext('switchboard-inbound-social'),
    );
    return response.batchItemFailures.length === 0 ? 'done' : 'retry';
  },
});

/** The chat visitor every chat fixture comes from, as the $connect authorizer named it. */
const CHAT_VISITOR = { visitorId: 'v-5f2c9a' };

export const CHANNEL_CASES: readonly ChannelCase[] = [
  {
    channel: 'chat',
    fixtures: fixturesIn('chat', (n) => n.startsWith('send-')),
    stores: 'inbound-message',
    ledger: true,
    expected: async (fixture) => {
      try {
        const frame = parseClientFrame(fixture.content.toString('utf8'));
        if (frame.action !== 'send') return 0;
        chatInboundMessage(frame, CHAT_VISITOR, NOW.toISOString());
        return 1;
      } catch {
        return 0;
      }
    },
    deliver: async (rig, fixture) => {
      // API Gateway invokes the route synchronously; a failure is retried by the widget (same ids).
      try {
        const answer = await rig.chat(
          webSocketEvent({
            routeKey: 'send',
            connectionId: 'reliability-connection',
            authorizer: CHAT_VISITOR,
            body: fixture.content.toString('utf8'),
            at: NOW,
          }),
          lambdaContext('switchboard-chat'),
        );
        return answer.statusCode === 200 ? 'done' : 'refused';
      } catch (error) {
        rig.thrown.push(error);
        return 'retry';
      }
    },
  },
  {
    channel: 'email',
    fixtures: fixturesIn('email', (n) => n.endsWith('.eml')),
    stores: 'inbound-message',
    ledger: true,
    expected: async (fixture) =>
      parseInboundEmail(
        fixture.content,
        {
          sesMessageId: 'reference',
          timestamp: NOW.toISOString(),
          source: envelopeSource(fixture.content),
          recipients: [sandboxSupportConfig.supportAddress],
          verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        },
        { supportAddress: sandboxSupportConfig.supportAddress },
      ).then(
        () => 1,
        () => 0,
      ),
    deliver: async (rig, fixture) => {
      // SES stores the mail once, then invokes the function (and may invoke it again).
      const messageId = sesMessageIdOf(rig, fixture);
      await rig.clients.s3.send(
        new PutObjectCommand({ Bucket: rig.mailBucket, Key: `inbound/${messageId}`, Body: fixture.content }),
      );
      return invokeAsync(rig, () =>
        rig.email(
          sesEvent(messageId, envelopeSource(fixture.content)),
          lambdaContext('switchboard-inbound-email'),
        ),
      );
    },
  },
  {
    channel: 'sms',
    fixtures: fixturesIn('sms', (n) => n.endsWith('.json')),
    stores: 'inbound-message',
    ledger: true,
    expected: async (fixture) => {
      try {
        parseInboundSms(fixture.content.toString('utf8'), { receivedAt: NOW.toISOString() });
        return 1;
      } catch {
        return 0;
      }
    },
    deliver: (rig, fixture) =>
      invokeAsync(rig, () =>
        rig.sms(
          snsEvent(`sns-${sesMessageIdOf(rig, fixture)}`, fixture.content.toString('utf8')),
          lambdaContext('switchboard-inbound-sms'),
        ),
      ),
  },
  metaChannel('whatsapp'),
  metaChannel('messenger'),
  metaChannel('instagram'),
  {
    channel: 'orders',
    fixtures: fixturesIn('orders', (n) => n.endsWith('.json')),
    stores: 'order-event',
    ledger: true,
    expected: async (fixture) => {
      try {
        return orderEventSchema.safeParse(JSON.parse(fixture.content.toString('utf8'))).success ? 1 : 0;
      } catch {
        return 0;
      }
    },
    deliver: async (rig, fixture) => {
      const response = await rig.orders(
        signedShopRequest(rig, '/orders/events', fixture.content),
        lambdaContext('switchboard-order-events'),
      );
      return httpOutcome(response.statusCode);
    },
  },
  {
    // Contact events carry no number: the contact flow's lookup (delivered first, as Connect
    // calls it when the call comes in) records who is calling.
    channel: 'connect',
    fixtures: fixturesIn('connect', (n) => n.startsWith('event-')),
    stores: 'call-event',
    ledger: true,
    expected: async (fixture) => {
      try {
        return parseContactEvent(JSON.parse(fixture.content.toString('utf8'))).event.channel === 'VOICE'
          ? 1
          : 0;
      } catch {
        return 0;
      }
    },
    deliver: async (rig, fixture) => {
      await rig.voiceLookup(KNOWN_CALLER_FLOW(), lambdaContext('switchboard-voice-lookup'));
      return invokeAsync(rig, () =>
        rig.voiceEvents(
          JSON.parse(fixture.content.toString('utf8')),
          lambdaContext('switchboard-voice-events'),
        ),
      );
    },
  },
  {
    channel: 'reminders',
    fixtures: fixturesIn('replay/orders', (n) => n.endsWith('.reminder.json')).filter((f) =>
      f.content.toString('utf8').includes('"create"'),
    ),
    stores: 'reminder',
    // The reminder's id is its key: creating it again finds it (no ledger item).
    ledger: false,
    expected: async (fixture) =>
      reminderRequestSchema.safeParse(JSON.parse(fixture.content.toString('utf8'))).success ? 1 : 0,
    deliver: async (rig, fixture) => {
      const response = await rig.reminders(
        signedShopRequest(rig, '/reminders', fixture.content),
        lambdaContext('switchboard-reminders'),
      );
      return httpOutcome(response.statusCode);
    },
  },
];

/**
 * A fresh table (with its own stores) and the real handlers on it. `dynamo` is the client the
 * handlers' stores use (a test may wrap it with fault injection); `clock` defaults to NOW;
 * `deadLetters` is the SQS consumers' own dead-lettering (without it, the redrive policy's).
 */
export async function startRig(
  standIns: StandIns,
  id: string,
  options: { dynamo?: DynamoDBClient; clock?: Clock; deadLetters?: DeadLetters } = {},
): Promise<Rig> {
  const tableName = `rel-${id}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 200);
  await standIns.clients.dynamo.send(new CreateTableCommand(conversationTableCreateInput(tableName)));
  const clients: AwsClients = { ...standIns.clients, dynamo: options.dynamo ?? standIns.clients.dynamo };
  const settings: LocalSettings = { ...settingsFor(standIns), tableName, support: sandboxSupportConfig };
  const clock = options.clock ?? { now: () => NOW };
  const outbound = new MemoryQueue();
  const deferredSends = new MemoryDeferredSends();
  const sender = new MemorySender();
  const email = { ...inboundEmailDeps(clients, settings, clock), outbound };
  const sms = { ...inboundSmsDeps(clients, settings, clock), outbound };
  const social = { ...socialInboundDeps(clients, settings, clock), outbound };
  const secret = new StaticShopSecret(SHOP_SECRET);
  const shop = orderEventsDeps(
    clients,
    { ...settings, shopSecret: secret, legacyBodySignature: false },
    clock,
  );
  const channels = new Set(['email', 'sms', 'whatsapp'] as const);
  const dispatch = {
    ...dispatcherDeps(clients, settings, clock),
    senders: { email: sender, sms: sender, whatsapp: sender, messenger: sender, instagram: sender },
    channels,
    deferredSends,
  };
  const voice = { ...voiceEventsDeps(clients, settings, clock), outbound, deferredSends };
  const lookup = voiceLookupDeps(clients, settings, clock);
  const chatFrames: ChatServerFrame[] = [];
  const gateway: ChatGateway = {
    post: async (_connectionId, frame) => {
      chatFrames.push(frame);
      return 'gone';
    },
  };
  const chat = {
    ...chatRouteDeps(clients, gateway, { ...settings, identitySecret: secret }, clock),
    outbound,
  };
  return {
    id,
    tableName,
    clients,
    mailBucket: standIns.mailBucket,
    outbound,
    deferredSends,
    sender,
    clock,
    thrown: [],
    email: makeInboundEmailHandler(() => email),
    sms: makeInboundSmsHandler(() => sms),
    social: makeInboundSocialHandler(
      () => social,
      () => options.deadLetters ?? invalidInputDeadLetters,
    ),
    orders: makeOrderEventsHandler(() => ({ ...shop, orders: { ...shop.orders, outbound, channels } })),
    reminders: makeRemindersHandler(() => ({
      secret,
      clock,
      reminders: {
        ...shop.orders,
        reminders: new DynamoReminderStore(documentClient(clients.dynamo), tableName),
        deferredSends,
      },
    })),
    dispatcher: makeDispatcherHandler(
      () => dispatch,
      undefined,
      () => options.deadLetters,
    ),
    voiceLookup: makeVoiceLookupHandler(() => lookup),
    voiceEvents: makeVoiceEventsHandler(() => voice),
    chat: makeChatWebSocketHandler(() => chat),
    chatFrames,
  };
}

export async function stopRig(standIns: StandIns, rig: Rig): Promise<void> {
  await standIns.clients.dynamo.send(new DeleteTableCommand({ TableName: rig.tableName }));
}

/** Every item of the rig's table (tests only). */
export async function tableItems(rig: Rig): Promise<Array<Record<string, unknown>>> {
  const db = documentClient(rig.clients.dynamo);
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: rig.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export function isStored(kind: StoredKind, item: Record<string, unknown>): boolean {
  const pk = String(item.pk);
  const sk = String(item.sk);
  switch (kind) {
    case 'inbound-message':
      return sk.startsWith('MESSAGE#') && item.direction === 'inbound' && item.channel !== 'voice';
    case 'order-event':
      return pk.startsWith('ORDER#') && sk.startsWith('EVENT#');
    case 'reminder':
      return pk.startsWith('REMINDER#');
    case 'call-event':
      return sk.startsWith('MESSAGE#') && item.channel === 'voice';
  }
}

/**
 * Delivers, then redelivers what the platform would redeliver (a retryable failure), a bounded
 * number of times as Lambda's async retries and SQS's maxReceiveCount do. Returns the outcomes
 * of the last try of each delivery.
 */
export async function redeliverUntilSettled(
  outcomes: DeliveryOutcome[],
  redeliver: () => Promise<DeliveryOutcome>,
  maxRounds = 5,
): Promise<DeliveryOutcome[]> {
  const settled = [...outcomes];
  for (let round = 0; round < maxRounds; round++) {
    const pending = settled.flatMap((outcome, i) => (outcome === 'retry' ? [i] : []));
    if (pending.length === 0) break;
    for (const i of pending) settled[i] = await redeliver();
  }
  return settled;
}
