/**
 * The bench's measurements on one running sandbox engine: AWS calls and DynamoDB write units per
 * event on each path, warm handler time, end-to-end throughput beside the store's own rate.
 * `run.ts` is the command line; the bench's own test drives this with a handful of events.
 */
import { performance } from 'node:perf_hooks';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SandboxEngine } from '../../bin/sandbox/engine.ts';
import { CHANNEL_COUNTERS_CONSUMER } from '../../bin/sandbox/stream-stand-in.ts';
import type { ReceiveInboundResult } from '../../functions/core/conversations/receive-inbound.ts';
import { AwsCallMeter, difference, type MeterReading } from './aws-call-meter.ts';
import { type CallMixBaseline, replayCallMix } from './call-mix.ts';
import {
  type BenchChannel,
  type BenchPath,
  CHANNEL_EVENTS,
  type ChannelEvents,
  contactFlowEvent,
} from './channel-events.ts';

export interface PathFigures {
  /** Every AWS SDK command the functions sent for one event (acknowledgement sent included). */
  awsCallsPerEvent: number;
  /** DynamoDB write units for one event: reported ones plus writes refused on their condition (1 each, as billed). */
  writeUnitsPerEvent: number;
  reportedWriteUnitsPerEvent: number;
  /** DynamoDB read units for one event, as reported. */
  readUnitsPerEvent: number;
  refusedWritesPerEvent: number;
  /** Acknowledgement work (outbound enqueues and dispatcher calls) per event. */
  autoResponseCallsPerEvent: number;
  byFunction: Record<string, { calls: number; writeUnits: number }>;
  byCommand: Record<string, number>;
  /** DynamoDB item commands per event by the kind of item (key prefixes). */
  byItem: Record<string, number>;
  events: number;
}

export interface ChannelFigures extends Throughput {
  paths: Record<BenchPath, PathFigures>;
  /**
   * The channel counters' stream consumer, off every path above: it was held while the channel
   * was measured and then given the stored messages in batches (at most 100 records, as the
   * sandbox's stream delivers), as a busy stream would.
   */
  streamConsumer?: StreamConsumerFigures;
}

/** What the counting stream consumer costs for the messages a channel's measurement stored. */
export interface StreamConsumerFigures {
  readonly function: string;
  /** Marked message inserts it was handed. */
  readonly messages: number;
  readonly awsCallsPer100Messages: number;
  readonly writeUnitsPer100Messages: number;
  readonly byItem: Record<string, number>;
}

export interface MeasureOptions {
  /** Events per channel in the timed run (the issue asks for at least 2,000). */
  readonly events: number;
  /** Events per path for the call counts. */
  readonly pathEvents: number;
  readonly channels?: readonly (BenchChannel | 'dispatcher')[];
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The agents' live-updates consumer: off the message's path (it reads the stream afterwards). */
const LIVE_UPDATES_CONSUMER = 'live-updates';

/** `inboundEmail` → `inbound-email`: the deployed function each engine handler stands for. */
const FUNCTION_OF_HANDLER: Record<string, Record<string, string>> = {
  engine: {
    inboundEmail: 'inbound-email',
    inboundSms: 'inbound-sms',
    dispatcher: 'dispatcher',
    channelCounters: CHANNEL_COUNTERS_CONSUMER,
    liveUpdates: LIVE_UPDATES_CONSUMER,
  },
  meta: { webhook: 'meta-webhook', consumer: 'inbound-social' },
  voice: { lookup: 'voice-lookup', events: 'voice-events' },
  chat: { routes: 'chat-websocket', authorizer: 'chat-authorizer' },
};
const HANDLER_NAME = /^(inbound|dispatcher|voice)/i;
/**
 * Stream consumers run after the event's own functions and only where their part is deployed:
 * shown per function, left out of a path's totals (the counters' consumer has its own figure).
 */
const OFF_PATH_FUNCTIONS = new Set([LIVE_UPDATES_CONSUMER, CHANNEL_COUNTERS_CONSUMER]);

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Puts every handler the engine drives (its own, and those of its Meta and voice parts) under the
 * meter's attribution and times each invocation: the handler time per function.
 */
export function instrumentEngine(engine: SandboxEngine, meter: AwsCallMeter): Map<string, number[]> {
  const timings = new Map<string, number[]>();
  const holders: Array<[string, object]> = [['engine', engine]];
  for (const [key, value] of Object.entries(engine)) {
    if ((key === 'meta' || key === 'voice' || key === 'chat') && typeof value === 'object' && value !== null)
      holders.push([key, value]);
  }
  for (const [holderName, holder] of holders) {
    const fields = holder as Record<string, unknown>;
    const known = FUNCTION_OF_HANDLER[holderName] ?? {};
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value !== 'function' || !(key in known || HANDLER_NAME.test(key))) continue;
      const name = known[key] ?? kebab(key);
      const handler = value as (...args: unknown[]) => Promise<unknown>;
      const durations: number[] = timings.get(name) ?? [];
      timings.set(name, durations);
      fields[key] = (...args: unknown[]) =>
        meter.within(name, async () => {
          const started = performance.now();
          try {
            return await handler(...args);
          } finally {
            durations.push(performance.now() - started);
          }
        });
    }
  }
  return timings;
}

export interface BenchRun {
  readonly engine: SandboxEngine;
  readonly meter: AwsCallMeter;
  readonly timings: Map<string, number[]>;
}

/** Attaches the meter to the functions' clients (not the platform's: SES storing mail, Lambda polling). */
export function meterEngine(engine: SandboxEngine): BenchRun {
  const meter = new AwsCallMeter();
  meter.attach([...Object.values(engine.standIns.clients), engine.chat.managementClient]);
  return { engine, meter, timings: instrumentEngine(engine, meter) };
}

/** Whether this deployment's sandbox takes events of the channel (the voice channel may be absent). */
export async function channelAvailable(engine: SandboxEngine, channel: BenchChannel): Promise<boolean> {
  const events = CHANNEL_EVENTS[channel];
  const probe = await engine.processEvent(
    `probe-${channel}${events.suffix}`,
    events.first(9_999_999, engine.clock.now()),
  );
  return probe.accepted;
}

function pathFigures(
  reading: Record<string, MeterReading>,
  events: number,
  inbound: readonly string[],
): PathFigures {
  let calls = 0;
  let reported = 0;
  let refused = 0;
  let readUnits = 0;
  let autoResponse = 0;
  const byFunction: PathFigures['byFunction'] = {};
  const byCommand: Record<string, number> = {};
  const byItem: Record<string, number> = {};
  for (const [fn, r] of Object.entries(reading)) {
    for (const [item, count] of Object.entries(r.byItem)) byItem[`${fn} ${item}`] = round(count / events);
    byFunction[fn] = {
      calls: round(r.calls / events),
      writeUnits: round((r.writeUnits + r.refusedWrites) / events),
    };
    for (const [command, count] of Object.entries(r.byCommand)) {
      byCommand[`${fn} ${command}`] = round(count / events);
    }
    if (OFF_PATH_FUNCTIONS.has(fn)) continue;
    calls += r.calls;
    reported += r.writeUnits;
    refused += r.refusedWrites;
    readUnits += r.readUnits;
    if (fn === 'dispatcher') autoResponse += r.calls;
    else if (inbound.includes(fn) && fn !== 'meta-webhook')
      autoResponse += r.byCommand['SQSClient.SendMessageCommand'] ?? 0;
  }
  return {
    awsCallsPerEvent: round(calls / events),
    writeUnitsPerEvent: round((reported + refused) / events),
    reportedWriteUnitsPerEvent: round(reported / events),
    readUnitsPerEvent: round(readUnits / events),
    refusedWritesPerEvent: round(refused / events),
    autoResponseCallsPerEvent: round(autoResponse / events),
    byFunction,
    byCommand,
    byItem,
    events,
  };
}

async function measured(run: BenchRun, work: () => Promise<void>): Promise<Record<string, MeterReading>> {
  const before = run.meter.snapshot();
  await work();
  return difference(before, run.meter.snapshot());
}

/**
 * How fast the local DynamoDB itself takes `writes` single-item writes, one after another, on a
 * table of its own: the ceiling of a pipeline that needs `writes / events` writes per event.
 */
export async function storeLimitEventsPerSecond(
  endpoint: string,
  writes: number,
  events: number,
): Promise<number> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const TableName = `bench-store-limit-${Date.now()}`;
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    // An item about the size of a stored message (under 1 KB: one write unit).
    const body = 'x'.repeat(400);
    const started = performance.now();
    for (let i = 0; i < writes; i++) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: {
            pk: { S: `BENCH#${i}` },
            sk: { S: 'ITEM' },
            body: { S: body },
            at: { S: new Date().toISOString() },
          },
        }),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    return round(events / seconds, 1);
  } finally {
    await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
    client.destroy();
  }
}

const DYNAMO_WRITES = [
  'DynamoDBClient.PutItemCommand',
  'DynamoDBClient.UpdateItemCommand',
  'DynamoDBClient.DeleteItemCommand',
  'DynamoDBClient.BatchWriteItemCommand',
  'DynamoDBClient.TransactWriteItemsCommand',
];

function dynamoWrites(reading: Record<string, MeterReading>): number {
  let writes = 0;
  for (const r of Object.values(reading)) for (const c of DYNAMO_WRITES) writes += r.byCommand[c] ?? 0;
  return writes;
}

interface Throughput {
  warmMsP50: number;
  warmMsP99: number;
  eventsPerSecond: number;
  /** Milliseconds per event end to end (1000 / eventsPerSecond). */
  msPerEvent: number;
  /** AWS calls per event the functions made in the timed run (the mix the baseline replays). */
  awsCallsPerEvent: number;
  /** The same calls per event replayed on the same stand-ins, nothing else (call-mix.ts). */
  sameCallMix: CallMixBaseline;
  /** eventsPerSecond / sameCallMix.eventsPerSecond: the budget's figure (at least 0.8). */
  sameCallMixShare: number;
  /** The old ceiling, kept for comparison: bare unconditional puts, as many as the run wrote. */
  storeLimitEventsPerSecond: number;
  endToEndMsP50: number;
  endToEndMsP99: number;
  /** DynamoDB writes per event in the throughput run (what the store limit replays). */
  storeWritesPerEvent: number;
  /** The functions whose handler time `warmMs` is. */
  warmFunctions: string[];
  events: number;
}

/**
 * `events` events one after another, end to end (the engine drains every queue after each), with
 * the handler time of `warmFunctions` per event; then the store's own rate for as many writes.
 */
async function throughput(
  run: BenchRun,
  events: number,
  warmFunctions: readonly string[],
  next: (i: number) => Promise<void>,
): Promise<Throughput> {
  const endToEnd: number[] = [];
  const warm: number[] = [];
  const handlerTime = () =>
    warmFunctions.reduce((sum, fn) => sum + (run.timings.get(fn) ?? []).reduce((a, b) => a + b, 0), 0);
  let elapsed = 0;
  const reading = await measured(run, async () => {
    const started = performance.now();
    for (let i = 0; i < events; i++) {
      const handlerBefore = handlerTime();
      const t0 = performance.now();
      await next(i);
      endToEnd.push(performance.now() - t0);
      warm.push(handlerTime() - handlerBefore);
    }
    elapsed = (performance.now() - started) / 1000;
  });
  const writes = dynamoWrites(reading);
  const callsPerEvent: Record<string, number> = {};
  let calls = 0;
  for (const r of Object.values(reading)) {
    for (const [command, count] of Object.entries(r.byCommand)) {
      callsPerEvent[command] = (callsPerEvent[command] ?? 0) + count / events;
      calls += count;
    }
  }
  // A sample is enough for a per-event average, and keeps the replays from doubling the bench.
  const sample = Math.min(events, REPLAY_SAMPLE_EVENTS);
  const { endpoints } = run.engine.standIns;
  const sameCallMix = await replayCallMix(
    { dynamodb: endpoints.dynamodb, sqsAndS3: endpoints.sqsAndS3 },
    Object.fromEntries(Object.entries(callsPerEvent).map(([command, n]) => [command, round(n, 3)])),
    sample,
  );
  const eventsPerSecond = round(events / elapsed, 1);
  return {
    warmMsP50: round(percentile(warm, 50)),
    warmMsP99: round(percentile(warm, 99)),
    eventsPerSecond,
    msPerEvent: round((elapsed * 1000) / events),
    awsCallsPerEvent: round(calls / events),
    sameCallMix,
    sameCallMixShare: round(
      sameCallMix.eventsPerSecond === 0 ? 0 : eventsPerSecond / sameCallMix.eventsPerSecond,
    ),
    storeLimitEventsPerSecond: await storeLimitEventsPerSecond(
      endpoints.dynamodb,
      Math.round((writes / events) * sample),
      sample,
    ),
    endToEndMsP50: round(percentile(endToEnd, 50)),
    endToEndMsP99: round(percentile(endToEnd, 99)),
    storeWritesPerEvent: round(writes / events),
    warmFunctions: [...warmFunctions],
    events,
  };
}

/** Events of a timed run whose calls the baselines replay. */
const REPLAY_SAMPLE_EVENTS = 300;

/** Customer numbers: each channel and run gets its own block, so no run finds another's customers. */
let nextCustomerBlock = 1;
const customerBlock = () => nextCustomerBlock++ * 100_000;

/** The three paths of one inbound channel, then its timed run. */
export async function measureChannel(
  run: BenchRun,
  channel: BenchChannel,
  options: MeasureOptions,
): Promise<
  ChannelFigures & {
    firstResults: ReceiveInboundResult[];
    readings: Record<BenchPath, Record<string, MeterReading>>;
  }
> {
  const events: ChannelEvents = CHANNEL_EVENTS[channel];
  const { engine } = run;
  const send = (name: string, content: Uint8Array) => engine.processEvent(`${name}${events.suffix}`, content);
  // A call's lookup goes first, under the same contact; redeliveries repeat only the main event.
  const prelude = async (name: string, n: number, which: 'first' | 'followUp') => {
    if (!events.prelude) return;
    const result = await engine.processEvent(
      `${name}${events.prelude.suffix}`,
      events.prelude[which](n, engine.clock.now()),
    );
    if (!result.accepted) throw new Error(`${channel}: the bench's ${name} was refused: ${result.reason}`);
  };
  // The counters' consumer runs off the paths: held while they are measured, handed its batches after.
  engine.stream.hold(CHANNEL_COUNTERS_CONSUMER);
  const block = customerBlock();
  const firsts: Uint8Array[] = [];
  const firstResults: ReceiveInboundResult[] = [];
  const paths = {} as Record<BenchPath, PathFigures>;

  const newCustomer = await measured(run, async () => {
    for (let i = 0; i < options.pathEvents; i++) {
      await prelude(`${channel}-new-${i}-prelude`, block + i, 'first');
      const content = events.first(block + i, engine.clock.now());
      firsts.push(content);
      const result = await send(`${channel}-new-${i}`, content);
      if (!result.accepted)
        throw new Error(`${channel}: the bench's first message was refused: ${result.reason}`);
      if (Array.isArray(result.result)) firstResults.push(...(result.result as ReceiveInboundResult[]));
    }
  });
  paths['new-customer'] = pathFigures(newCustomer, options.pathEvents, events.inboundFunctions);
  const known = await measured(run, async () => {
    for (let i = 0; i < options.pathEvents; i++) {
      await prelude(`${channel}-known-${i}-prelude`, block + i, 'followUp');
      await send(`${channel}-known-${i}`, events.followUp(block + i, engine.clock.now()));
    }
  });
  paths['known-customer'] = pathFigures(known, options.pathEvents, events.inboundFunctions);
  const duplicate = await measured(run, async () => {
    for (const [i, content] of firsts.entries()) await send(`${channel}-again-${i}`, content);
  });
  paths.duplicate = pathFigures(duplicate, options.pathEvents, events.inboundFunctions);

  // The timed run: each customer's first message, a follow-up, and the first one redelivered.
  const timedBlock = customerBlock();
  const sent: Uint8Array[] = [];
  const timed = await throughput(run, options.events, events.inboundFunctions, async (i) => {
    const n = timedBlock + Math.floor(i / 3);
    const which = i % 3;
    if (which === 0) await prelude(`${channel}-load-${i}-prelude`, n, 'first');
    if (which === 1) await prelude(`${channel}-load-${i}-prelude`, n, 'followUp');
    if (which === 0) sent[n] = events.first(n, engine.clock.now());
    const content =
      which === 0 || which === 2
        ? (sent[n] ?? events.first(n, engine.clock.now()))
        : events.followUp(n, engine.clock.now());
    await send(`${channel}-load-${i}`, content);
  });
  const messages = engine.stream.heldRecords(CHANNEL_COUNTERS_CONSUMER);
  const consumer = (
    await measured(run, async () => {
      await engine.stream.release(CHANNEL_COUNTERS_CONSUMER);
    })
  )[CHANNEL_COUNTERS_CONSUMER];
  const per100 = (n: number) => (messages === 0 ? 0 : round((n * 100) / messages));
  return {
    paths,
    ...timed,
    streamConsumer: {
      function: CHANNEL_COUNTERS_CONSUMER,
      messages,
      awsCallsPer100Messages: per100(consumer?.calls ?? 0),
      writeUnitsPer100Messages: per100((consumer?.writeUnits ?? 0) + (consumer?.refusedWrites ?? 0)),
      byItem: Object.fromEntries(
        Object.entries(consumer?.byItem ?? {}).map(([item, n]) => [item, per100(n)]),
      ),
    },
    firstResults,
    readings: { 'new-customer': newCustomer, 'known-customer': known, duplicate },
  };
}

/**
 * The dispatcher on its own, fed through the outbound queue: the acknowledgement of a new
 * customer's first mail, an agent's reply in a known customer's open conversation, and that
 * reply's queue message delivered a second time.
 */
export async function measureDispatcher(
  run: BenchRun,
  conversations: readonly ReceiveInboundResult[],
  /** What a new customer's first mail cost, acknowledgement included: the dispatcher's share is its path. */
  newCustomerMail: Record<string, MeterReading>,
  options: MeasureOptions,
): Promise<ChannelFigures> {
  const { engine } = run;
  if (conversations.length === 0)
    throw new Error('the dispatcher bench needs conversations of known customers');
  const enqueue = async (body: unknown) => {
    await engine.standIns.platform.sqs.send(
      new SendMessageCommand({
        QueueUrl: engine.standIns.outboundQueueUrl,
        MessageBody: JSON.stringify(body),
      }),
    );
    await engine.drain();
  };
  const agentReply = (i: number, conversation: ReceiveInboundResult) => ({
    id: `bench-agent-reply-${i}`,
    kind: 'agent-reply',
    channel: 'email',
    customerId: conversation.customerId,
    conversationId: conversation.conversationId,
    to: `customer-${i}@example.com`,
    language: 'en',
    subject: 'Re: Delivery of your item',
    text: 'Your parcel left our warehouse this morning; it should reach you tomorrow.',
    headers: {},
    requestedAt: engine.clock.now().toISOString(),
    agentId: 'bench-agent',
    // As the agent API queues it: the conversation (opened just before) has no first response yet.
    answering: { openedAt: engine.clock.now().toISOString(), channel: 'email', answered: false },
  });
  const dispatcherOnly = (reading: Record<string, MeterReading>) =>
    Object.fromEntries(Object.entries(reading).filter(([fn]) => fn === 'dispatcher'));
  const paths = {} as Record<BenchPath, PathFigures>;
  paths['new-customer'] = pathFigures(dispatcherOnly(newCustomerMail), options.pathEvents, ['dispatcher']);
  const replies = conversations.slice(0, options.pathEvents).map((c, i) => agentReply(i, c));
  paths['known-customer'] = pathFigures(
    await measured(run, async () => {
      for (const reply of replies) await enqueue(reply);
    }),
    replies.length,
    ['dispatcher'],
  );
  paths.duplicate = pathFigures(
    await measured(run, async () => {
      for (const reply of replies) await enqueue(reply);
    }),
    replies.length,
    ['dispatcher'],
  );
  // The timed run: agent replies, each one sent once and then delivered again (as SQS may).
  const timed = await throughput(run, options.events, ['dispatcher'], async (i) => {
    const conversation = conversations[Math.floor(i / 2) % conversations.length] as ReceiveInboundResult;
    await enqueue(agentReply(1_000_000 + Math.floor(i / 2), conversation));
  });
  return { paths, ...timed };
}

/**
 * Contact-flow lookup time in process (Connect waits on it while the caller listens), over
 * `events` calls from as many callers, half of them known; undefined where the voice channel is absent.
 */
export async function measureContactFlowLookup(
  run: BenchRun,
  events: number,
): Promise<{ p50Ms: number; p99Ms: number; awsCallsPerLookup: number; events: number } | undefined> {
  const { engine } = run;
  const probe = await engine.processEvent('probe.connect-flow.json', contactFlowEvent(0));
  // A caller the store knows (by an SMS from the same number) for every other lookup.
  const knownCaller = 8_000_000;
  await engine.processEvent(
    'lookup-known.sms.json',
    CHANNEL_EVENTS.sms.first(knownCaller, engine.clock.now()),
  );
  if (!probe.accepted) return undefined;
  const name = [...run.timings.keys()].find((fn) => /lookup|contact-flow/.test(fn));
  if (!name) return undefined;
  const durations = run.timings.get(name) ?? [];
  const before = durations.length;
  const reading = await measured(run, async () => {
    for (let i = 0; i < events; i++) {
      const caller = i % 2 === 0 ? 7_000_000 + i : knownCaller;
      await engine.processEvent(
        `lookup-${i}.connect-flow.json`,
        contactFlowEvent(7_000_000 + i, 'lookup', caller),
      );
    }
  });
  const samples = durations.slice(before);
  return {
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    awsCallsPerLookup: round((reading[name]?.calls ?? 0) / events),
    events,
  };
}
