import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  SendMessageCommand,
  type Message as SqsMessage,
} from '@aws-sdk/client-sqs';
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { DynamoChannelInsights } from '../../functions/adapters/dynamodb/channel-insights.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { passesLiveUpdateFilter } from '../../functions/adapters/dynamodb/live-update-items.ts';
import { passesCountedInsertFilter } from '../../functions/adapters/dynamodb/stream-count-items.ts';
import { LocalAnswerComposer } from '../../functions/adapters/knowledge-base/local-answer-composer.ts';
import { describeError } from '../../functions/adapters/observability.ts';
import { SqsDeadLetters } from '../../functions/adapters/sqs/dead-letters.ts';
import { channelCountersDeps } from '../../functions/composition/channel-counters.ts';
import { dispatcherDeps } from '../../functions/composition/dispatcher.ts';
import { inboundEmailDeps } from '../../functions/composition/inbound-email.ts';
import { inboundSmsDeps } from '../../functions/composition/inbound-sms.ts';
import type { LocalSettings } from '../../functions/composition/shared/settings.ts';
import type { SupportConfig } from '../../functions/core/config.ts';
import type { Channel, OutboundRequest } from '../../functions/core/model.ts';
import type { ChannelSender, SentMessage } from '../../functions/core/ports/outbound.ts';
import {
  type ChannelReport,
  channelReport,
  MAX_REPORT_DAYS,
} from '../../functions/core/service-levels/report.ts';
import { firstIssue } from '../../functions/core/validation.ts';
import { makeChannelCountersHandler } from '../../functions/handlers/channel-counters.ts';
import { makeDispatcherHandler } from '../../functions/handlers/dispatcher.ts';
import { makeInboundEmailHandler } from '../../functions/handlers/inbound-email.ts';
import { makeInboundSmsHandler } from '../../functions/handlers/inbound-sms.ts';
import { makeLiveUpdatesHandler } from '../../functions/handlers/live-updates.ts';
import { projectConfig, sandboxSupportConfig } from '../../local/config.ts';
import { sesReceiptEvent } from '../../local/events/ses.ts';
import { inboundSmsNotification } from '../../local/events/sns.ts';
import { sqsEventFrom } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { receiveBatch } from '../../local/queue-polling.ts';
import { SandboxAgents, SandboxAgentTokenVerifier } from './agents.ts';
import { seedCannedResponses } from './canned-responses.ts';
import { ChatRejection, SandboxChat } from './chat.ts';
import { SANDBOX_CONNECT_SETTINGS } from './connect-stand-in.ts';
import { SandboxHelpCenter, sandboxHelpBaseUrl } from './help-center.ts';
import { SandboxMeta } from './meta.ts';
import { buildReport, type DeadLetter, type OutboxEntry, type Report } from './report.ts';
import type { SandboxClock } from './sandbox-clock.ts';

// The report's entries, where the e2e tests have always imported them from.
export type { DeadLetter, OutboxEntry, SandboxClock };

import { SandboxShop } from './shop.ts';
import { SandboxDeferredSends, SandboxSmsSender } from './sms-outbox.ts';
import { SANDBOX_MAX_RECEIVE_COUNT, type StandIns, startStandIns } from './stand-ins.ts';
import { CHANNEL_COUNTERS_CONSUMER, SandboxTableStream } from './stream-stand-in.ts';
import { SandboxVoice } from './voice.ts';

/** A clock the replay moves: `--now` starts it, `.clock.json` files move it forward. */
export class ReplayClock implements SandboxClock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  advanceTo(next: Date): void {
    if (next.getTime() > this.current.getTime()) this.current = new Date(next.getTime());
  }

  tick(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

/**
 * The clock of `npm start`: the real time, shifted by `--now` and moved forward by
 * `POST /sandbox/clock`, so held sends leave when their time comes, as in the cloud.
 */
export class LiveClock implements SandboxClock {
  private offset: number;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    start?: Date,
    private readonly realTime: () => number = Date.now,
  ) {
    this.offset = start ? start.getTime() - realTime() : 0;
  }

  now(): Date {
    this.last = Math.max(this.realTime() + this.offset, this.last);
    return new Date(this.last);
  }

  advanceTo(next: Date): void {
    const current = this.now().getTime();
    if (next.getTime() > current) this.offset += next.getTime() - current;
  }

  tick(): void {
    // Real time moves on by itself; one millisecond keeps two quick events in order.
    this.last = this.now().getTime() + 1;
  }
}

/** Each event file arrives this long after the one before, so timelines keep the file order. */
const EVENT_SPACING_MS = 1_000;

export interface EventResult {
  readonly file: string;
  readonly accepted: boolean;
  readonly reason?: string;
  readonly result?: unknown;
  readonly response?: unknown;
}

/** The sidecar files that belong to an event file rather than being one. */
export const SIDECAR_SUFFIXES = ['.verdicts.json', '.headers.json', '.identity.json'] as const;

const EVENT_SUFFIXES = [
  '.eml',
  '.clock.json',
  '.sms.json',
  '.connect-flow.json',
  '.connect-event.json',
  '.meta.json',
  '.order.json',
  '.reminder.json',
  '.chat.json',
] as const;

const VERDICT = z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);
const verdictsFileSchema = z
  .object({
    spamVerdict: VERDICT.default('PASS'),
    virusVerdict: VERDICT.default('PASS'),
    spfVerdict: VERDICT.default('PASS'),
    dkimVerdict: VERDICT.default('PASS'),
    dmarcVerdict: VERDICT.default('PASS'),
  })
  .strict();
const clockFileSchema = z.object({ now: z.iso.datetime({ offset: true }) });

/**
 * The sandbox: the real handlers and core on local stand-ins, driven by fixture files.
 * Serve mode and replay mode both go through `processEvent`, then `drain`.
 */
export class SandboxEngine {
  readonly outbox: OutboxEntry[] = [];
  readonly deadLetters: DeadLetter[] = [];
  readonly responses: Array<{ file: string; body: unknown }> = [];
  readonly rejected: Array<{ file: string; reason: string }> = [];
  private readonly inboundEmail;
  private readonly inboundSms;
  private readonly dispatcher;
  /** Sends parked until a later time (SMS quiet hours); `.clock.json` files fire them. */
  readonly deferredSends = new SandboxDeferredSends();
  /** The raw MIME of the last SendEmail call, captured on its way to the local SES. */
  private lastRawEmail: Uint8Array | undefined;
  /** The shop's routes (`POST /orders/events`, reminders), signed with the sandbox shop secret. */
  readonly shop: SandboxShop;
  /** The voice channel: contact-flow lookups and contact events. */
  readonly voice: SandboxVoice;
  /** The agent API (`/conversations…`, `/customers/{id}/timeline`, `/reports/channels`), bearer token checked. */
  readonly agents: SandboxAgents;
  /** The help center (`GET /help…`) and its feedback endpoint; acknowledgements link its articles. */
  readonly help: SandboxHelpCenter;
  /** Live chat: the WebSocket endpoint `/chat/ws` and its management API (PostToConnection). */
  readonly chat: SandboxChat;
  /** The table's change stream, emulated: conversation writes reach agents' sockets, stored messages the counters. */
  readonly stream: SandboxTableStream;
  /** The channel counters' stream consumer (the stream stand-in calls it). */
  private channelCounters: ReturnType<typeof makeChannelCountersHandler>;
  private liveUpdates: ReturnType<typeof makeLiveUpdatesHandler>;

  private constructor(
    readonly standIns: StandIns,
    readonly clock: SandboxClock,
    readonly config: SupportConfig,
    /** WhatsApp, Messenger, Instagram: the webhook route, its queue and the local Graph API. */
    readonly meta: SandboxMeta,
    repliesOnlyByAssignee: boolean,
    chat: SandboxChat,
  ) {
    // The help center's address is known once the server listens; links read it when composed.
    const helpSite = { baseUrl: sandboxHelpBaseUrl() };
    const settings: LocalSettings = {
      tableName: standIns.tableName,
      mailBucket: standIns.mailBucket,
      rawMailPrefix: 'inbound/',
      attachmentPrefix: 'attachments/',
      outboundQueueUrl: standIns.outboundQueueUrl,
      support: config,
      meta: meta.settings,
      connect: SANDBOX_CONNECT_SETTINGS,
      repliesOnlyByAssignee,
      help: helpSite,
      // With `support.assistant` on, answers are written locally, deterministically.
      answerComposer: new LocalAnswerComposer(),
    };
    this.help = new SandboxHelpCenter(standIns, settings, clock, helpSite);
    meta.bindConsumer(settings, clock);
    standIns.clients.ses.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as SendEmailCommandInput;
        this.lastRawEmail = input.Content?.Raw?.Data;
        return next(args);
      },
      { step: 'initialize', name: 'sandboxOutboxCapture' },
    );
    const inbound = inboundEmailDeps(standIns.clients, settings, clock);
    const dispatch = dispatcherDeps(standIns.clients, settings, clock);
    // No local SMS service or scheduler: their sandbox twins stand in.
    const agentTokens = new SandboxAgentTokenVerifier(clock);
    this.chat = chat.bind(settings, () => this.drain(), this.deferredSends, agentTokens);
    // The table's stream (the sandbox's stores have none) into the real consumers: agents' live
    // updates, and the channel counters (the reports read what they sum).
    this.liveUpdates = makeLiveUpdatesHandler(() => this.chat.agentSockets());
    const counting = channelCountersDeps(standIns.clients, { TABLE_NAME: standIns.tableName });
    this.channelCounters = makeChannelCountersHandler(() => counting);
    this.stream = new SandboxTableStream({
      client: standIns.clients.dynamo,
      endpoint: standIns.endpoints.dynamodb,
      tableName: standIns.tableName,
      clock,
      consumers: [
        {
          name: 'live-updates',
          accepts: (record) =>
            passesLiveUpdateFilter(record.dynamodb?.Keys as Record<string, AttributeValue> | undefined),
          consume: (event) => this.liveUpdates(event, lambdaContext('switchboard-live-updates')),
        },
        {
          name: CHANNEL_COUNTERS_CONSUMER,
          accepts: (record) =>
            passesCountedInsertFilter({
              eventName: record.eventName,
              keys: record.dynamodb?.Keys as Record<string, AttributeValue> | undefined,
              newImage: record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined,
            }),
          // Through the field at call time: the bench puts its meter around it.
          consume: (event) => this.channelCounters(event, lambdaContext('switchboard-channel-counters')),
        },
      ],
    });
    const allSenders = {
      ...dispatch.senders,
      ...(config.sms ? { sms: new SandboxSmsSender() } : {}),
      chat: this.chat.sender,
    };
    const senders = Object.fromEntries(
      Object.entries(allSenders).map(([channel, sender]) => [channel, this.recording(sender)]),
    );
    const sms = inboundSmsDeps(standIns.clients, settings, clock);
    this.inboundEmail = makeInboundEmailHandler(() => inbound);
    this.inboundSms = makeInboundSmsHandler(() => sms);
    // The channels the sandbox dispatcher has senders for (its SMS twin included).
    const channels = new Set(Object.keys(senders) as Channel[]);
    const outboundDeadLetters = new SqsDeadLetters(
      standIns.clients.sqs,
      { queueUrl: standIns.outboundDlqUrl, maxReceiveCount: SANDBOX_MAX_RECEIVE_COUNT },
      () => clock.now(),
    );
    this.dispatcher = makeDispatcherHandler(
      () => ({
        ...dispatch,
        senders,
        channels,
        deferredSends: this.deferredSends,
        // Response-deadline checks wait in the same scheduler twin: `.clock.json` files fire them.
        insights: dispatch.insights && { ...dispatch.insights, deferredSends: this.deferredSends },
      }),
      undefined,
      () => outboundDeadLetters,
    );
    this.shop = new SandboxShop(standIns, settings, clock, channels, this.deferredSends);
    this.voice = new SandboxVoice(standIns, settings, clock, channels, this.deferredSends);
    this.agents = new SandboxAgents(
      standIns,
      // The sidebar offers the channels the sandbox sends on; agents' files land on its own port.
      { ...settings, agentChannels: [...channels], uploadPostUrl: () => this.chat.uploadUrl() },
      clock,
      undefined,
      this.chat.agentTyping(),
    );
  }

  /**
   * `now` starts a replay clock there (default: a replay clock at the real time); `clock` is
   * another clock (`npm start`'s live one). `config`: another shop than cdk.json's;
   * `dynamoEndpoint`: a DynamoDB-protocol server already running (the bench's DynamoDB Local)
   * instead of dynalite.
   */
  static async start(
    options: {
      now?: Date;
      clock?: SandboxClock;
      config?: SupportConfig;
      repliesOnlyByAssignee?: boolean;
      dynamoEndpoint?: string;
    } = {},
  ): Promise<SandboxEngine> {
    const standIns = await startStandIns({ dynamoEndpoint: options.dynamoEndpoint });
    const meta = await SandboxMeta.start(standIns);
    const clock = options.clock ?? new ReplayClock(options.now ?? new Date());
    const chat = await SandboxChat.start(standIns, clock);
    const engine = new SandboxEngine(
      standIns,
      clock,
      options.config ?? sandboxSupportConfig,
      meta,
      options.repliesOnlyByAssignee ?? projectConfig.agents?.repliesOnlyByAssignee ?? false,
      chat,
    );
    await seedCannedResponses(documentClient(standIns.clients.dynamo), standIns.tableName, clock);
    return engine;
  }

  async stop(): Promise<void> {
    await this.chat.stop();
    // The disconnects just written may still be on their way to the consumer.
    await this.stream.stop();
    await this.meta.stop();
    await this.standIns.stop();
  }

  /** Takes one fixture file (name decides the entry point) and drains every queue after it. */
  async processEvent(
    file: string,
    content: Uint8Array,
    sidecars: { verdicts?: Uint8Array; headers?: Uint8Array; identity?: Uint8Array } = {},
  ): Promise<EventResult> {
    const suffix = EVENT_SUFFIXES.find((s) => file.endsWith(s));
    let result: EventResult;
    try {
      switch (suffix) {
        case '.eml':
          result = { file, accepted: true, result: await this.receiveEmail(content, sidecars.verdicts) };
          break;
        case '.clock.json':
          result = { file, accepted: true, result: await this.moveClock(content) };
          break;
        case '.meta.json':
          result = { file, accepted: true, result: await this.receiveMeta(content, sidecars.headers) };
          break;
        case '.order.json':
          result = {
            file,
            accepted: true,
            result: await this.receiveShop('/orders/events', content, sidecars.headers),
          };
          break;
        case '.reminder.json':
          result = {
            file,
            accepted: true,
            result: await this.receiveShop('/reminders', content, sidecars.headers),
          };
          break;
        case '.sms.json':
          result = { file, accepted: true, result: await this.receiveSms(content) };
          break;
        case '.chat.json':
          result = { file, accepted: true, result: await this.receiveChat(content, sidecars.identity) };
          break;
        case '.connect-flow.json': {
          // The flow's Lambda block always gets an answer: it is the report's `responses` entry.
          const body = await this.voice.contactFlow(parseSidecar(z.unknown(), content, 'contact flow event'));
          this.responses.push({ file, body });
          result = { file, accepted: true, response: body };
          break;
        }
        case '.connect-event.json':
          result = {
            file,
            accepted: true,
            result: await this.voice.contactEvent(parseSidecar(z.unknown(), content, 'contact event')),
          };
          break;
        case undefined:
          throw new SandboxRejection(
            `unknown file type: expected one of ${EVENT_SUFFIXES.join(', ')} (or a sidecar ${SIDECAR_SUFFIXES.join(', ')})`,
          );
      }
    } catch (error) {
      const reason = describeError(error).reason;
      this.rejected.push({ file, reason });
      result = { file, accepted: false, reason };
    }
    await this.drain();
    if (suffix !== '.clock.json') this.clock.tick(EVENT_SPACING_MS);
    return result;
  }

  /** Runs the dispatcher until the outbound queue is empty, the way Lambda's poller would. */
  async drain(): Promise<void> {
    // Inbound first: the social consumer queues the acknowledgements the dispatcher sends.
    await this.meta.drain((message) =>
      this.deadLetters.push({ queue: 'social-inbound', ...deadLetterFacts(message) }),
    );
    const { sqs } = this.standIns.platform;
    const queueUrl = this.standIns.outboundQueueUrl;
    // Bounded: a stuck message goes to the DLQ after a few receives, so this always ends.
    for (let round = 0; round < 1_000; round++) {
      const messages = await receiveBatch(this.standIns.platform.sqs, queueUrl);
      if (messages.length === 0) break;
      const response = await this.dispatcher(
        sqsEventFrom(messages, 'switchboard-outbound'),
        lambdaContext('switchboard-dispatcher'),
      );
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      const done = messages.filter((m) => m.MessageId && !failed.has(m.MessageId));
      if (done.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
      for (const message of messages.filter((m) => m.MessageId && failed.has(m.MessageId))) {
        // Visible again at once: the sandbox has no reason to wait out the visibility timeout.
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        );
      }
    }
    await this.collectDeadLetters();
    // What was stored is counted before anyone reads a report (the replay's, a test's).
    await this.stream.settled();
  }

  /**
   * Hands over what the engine has recorded for the report (sends, answers, rejections, dead
   * letters, the local Graph API's calls, Connect tasks) and forgets it. The report needs all of it, so a replay
   * never calls this; a run that checks these as it goes (the soak) does, or a long run would
   * keep every send it ever made.
   */
  takeRecords(): {
    outbox: OutboxEntry[];
    responses: Array<{ file: string; body: unknown }>;
    rejected: Array<{ file: string; reason: string }>;
    deadLetters: DeadLetter[];
    graphCalls: number;
    tasks: number;
  } {
    const graphCalls = this.meta.graph.calls.length;
    this.meta.graph.calls.length = 0;
    return {
      outbox: this.outbox.splice(0),
      responses: this.responses.splice(0),
      rejected: this.rejected.splice(0),
      deadLetters: this.deadLetters.splice(0),
      graphCalls,
      tasks: this.standIns.connectApi.takeTasks().length,
    };
  }

  async report(): Promise<Report> {
    const report = await buildReport(this.standIns.clients.dynamo, this.standIns.tableName, {
      outbox: this.outbox,
      responses: this.responses,
      rejected: this.rejected,
      deadLetters: this.deadLetters,
    });
    const tasks = this.standIns.connectApi.tasks;
    return {
      ...report,
      deferred: this.deferredSends.list(),
      ...(tasks.length > 0 ? { tasks } : {}),
      insights: await this.channelInsights(),
    };
  }

  /** The channel counters as `GET /reports/channels` reports them: the longest range up to the replay clock. */
  private async channelInsights(): Promise<ChannelReport> {
    const to = new Date((Math.floor(this.clock.now().getTime() / 3_600_000) + 1) * 3_600_000);
    const from = new Date(to.getTime() - MAX_REPORT_DAYS * 24 * 3_600_000);
    const insights = new DynamoChannelInsights(
      documentClient(this.standIns.clients.dynamo),
      this.standIns.tableName,
    );
    return channelReport({ insights, config: this.config }, { from, to });
  }

  private async receiveEmail(raw: Uint8Array, verdictsFile: Uint8Array | undefined): Promise<unknown> {
    const verdicts = parseSidecar(verdictsFileSchema, verdictsFile, 'verdicts');
    // SES names the stored object by its message id; the same bytes get the same id, as a
    // redelivered SES event would.
    const sesMessageId = createHash('sha256').update(raw).digest('hex').slice(0, 40);
    await this.standIns.platform.s3.send(
      new PutObjectCommand({ Bucket: this.standIns.mailBucket, Key: `inbound/${sesMessageId}`, Body: raw }),
    );
    const envelope = envelopeOf(raw, this.config);
    const event = sesReceiptEvent({
      messageId: sesMessageId,
      source: envelope.source,
      recipients: envelope.recipients,
      at: this.clock.now(),
      verdicts: {
        spam: verdicts.spamVerdict,
        virus: verdicts.virusVerdict,
        spf: verdicts.spfVerdict,
        dkim: verdicts.dkimVerdict,
        dmarc: verdicts.dmarcVerdict,
      },
    });
    return this.inboundEmail(event, lambdaContext('switchboard-inbound-email'));
  }

  /**
   * Moves the clock to `now`, stopping at each deferred send due on the way: the send goes back
   * on the outbound queue at its time, as its EventBridge schedule would put it, and is drained
   * there, so its `sentAt` is the time it was due.
   */
  private async moveClock(content: Uint8Array): Promise<{ now: string; fired: string[] }> {
    const { now } = parseSidecar(clockFileSchema, content, 'clock');
    return this.moveClockTo(new Date(now));
  }

  /**
   * Moves the clock forward to `target` (`POST /sandbox/clock`, a `.clock.json` file, or the
   * live clock's own progress with `target` = now), sending what comes due on the way at its time.
   */
  async moveClockTo(target: Date): Promise<{ now: string; fired: string[] }> {
    const fired: string[] = [];
    for (
      let due = this.deferredSends.takeDue(target);
      due.length > 0;
      due = this.deferredSends.takeDue(target)
    ) {
      for (const send of due) {
        this.clock.advanceTo(send.at);
        await this.standIns.platform.sqs.send(
          new SendMessageCommand({
            QueueUrl: this.standIns.outboundQueueUrl,
            MessageBody: JSON.stringify(send.request),
          }),
        );
        fired.push(
          !('type' in send.request)
            ? send.request.id
            : send.request.type === 'reminder'
              ? send.request.reminderId
              : `${send.request.target}#${send.request.conversationId}`,
        );
        await this.drain();
      }
    }
    this.clock.advanceTo(target);
    return { now: this.clock.now().toISOString(), fired };
  }

  /** Sends the held sends whose time the clock has reached (the live clock of `npm start` moves by itself). */
  async releaseDue(): Promise<void> {
    if (this.releasing || !this.deferredSends.hasDue(this.clock.now())) return;
    this.releasing = true;
    try {
      await this.moveClockTo(this.clock.now());
    } finally {
      this.releasing = false;
    }
  }

  private releasing = false;

  /** When each send held by this request leaves, and why it waits (the `deferred` entries it added). */
  heldSince(before: ReadonlySet<string>): Array<{
    outboundId: string;
    channel: string;
    kind: string;
    leavesAt: string;
    heldFor: string;
  }> {
    return this.deferredSends
      .list()
      .filter((d) => !before.has(d.id))
      .map((d) => ({
        outboundId: d.outboundId,
        channel: d.channel,
        kind: d.kind,
        leavesAt: d.at,
        // A missed-call follow-up waits for the shop to open; other proactive sends for the
        // customer's quiet hours to end; a reminder for its time.
        heldFor:
          d.kind === 'missed-call' ? 'business hours' : d.kind === 'reminder' ? 'its time' : 'quiet hours',
      }));
  }

  /** The ids of the sends held now, to compare with after a request (`heldSince`). */
  heldIds(): Set<string> {
    return new Set(this.deferredSends.list().map((d) => d.id));
  }

  /**
   * An inbound SMS as End User Messaging delivers it: the file is the JSON it publishes to the
   * two-way SNS topic, wrapped in the SNS notification Lambda receives. The SNS message id is
   * derived from the content, as a redelivered notification would carry the same one.
   */
  /**
   * A Meta webhook POST body through the webhook route, signed with the sandbox app secret (or
   * with the headers of a `.headers.json` sidecar); anything but 200 is a rejection with its reason.
   */
  private async receiveMeta(content: Uint8Array, headers: Uint8Array | undefined): Promise<unknown> {
    let response: Awaited<ReturnType<SandboxMeta['replayFile']>>;
    try {
      response = await this.meta.replayFile(content, headers);
    } catch (error) {
      throw new SandboxRejection(describeError(error).reason);
    }
    const body = safeJson(typeof response.body === 'string' ? response.body : undefined);
    if (response.statusCode !== 200) {
      const reason = typeof body?.reason === 'string' ? body.reason : 'refused';
      throw new SandboxRejection(`the webhook answered ${response.statusCode}: ${reason}`);
    }
    return { statusCode: response.statusCode, body };
  }

  /**
   * A shop request (order event, reminder) through its route, signed with the sandbox shop secret
   * (or with a `.headers.json` sidecar's headers); anything but 200 is a rejection with the reason.
   */
  private async receiveShop(
    path: string,
    content: Uint8Array,
    headers: Uint8Array | undefined,
    method = 'POST',
  ): Promise<unknown> {
    let response: Awaited<ReturnType<SandboxShop['replayFile']>>;
    try {
      response = await this.shop.replayFile(path, content, headers, method);
    } catch (error) {
      throw new SandboxRejection(describeError(error).reason);
    }
    const body = safeJson(typeof response.body === 'string' ? response.body : undefined);
    if (response.statusCode !== 200) {
      const reason = typeof body?.reason === 'string' ? body.reason : 'refused';
      throw new SandboxRejection(`${path} answered ${response.statusCode}: ${reason}`);
    }
    return { statusCode: response.statusCode, body };
  }

  /** A chat visitor's message through the $connect authorizer and the `send` route (DESIGN §5). */
  private async receiveChat(content: Uint8Array, identity: Uint8Array | undefined): Promise<unknown> {
    try {
      const answer = await this.chat.replayFile(content, identity);
      return { statusCode: answer.statusCode, body: safeJson(answer.body) };
    } catch (error) {
      if (error instanceof ChatRejection) throw new SandboxRejection(error.message);
      throw error;
    }
  }

  private async receiveSms(content: Uint8Array): Promise<unknown> {
    const message = Buffer.from(content).toString('utf8');
    const snsMessageId = createHash('sha256').update(content).digest('hex').slice(0, 36);
    const event = inboundSmsNotification(snsMessageId, message, this.clock.now());
    return this.inboundSms(event, lambdaContext('switchboard-inbound-sms'));
  }

  private recording(sender: ChannelSender | undefined): ChannelSender | undefined {
    if (!sender) return undefined;
    return {
      send: async (request: OutboundRequest): Promise<SentMessage> => {
        const sent = await sender.send(request);
        this.outbox.push({
          channel: request.channel,
          to: request.to,
          kind: request.kind,
          conversationId: request.conversationId,
          customerId: request.customerId,
          subject: request.subject,
          text: request.text,
          headers: await this.sentHeaders(request),
          language: request.language,
          sentAt: this.clock.now().toISOString(),
          outboundId: request.id,
          ...(request.template ? { template: request.template.name } : {}),
          ...(request.articles ? { articles: request.articles } : {}),
          ...(request.attachments?.length
            ? {
                attachments: request.attachments.map(({ filename, contentType, size }) => ({
                  filename,
                  contentType,
                  size,
                })),
              }
            : {}),
        });
        return sent;
      },
    };
  }

  /** The headers of the raw message the local SES was handed, decoded, so the outbox shows what went out. */
  private async sentHeaders(request: OutboundRequest): Promise<Record<string, string>> {
    const raw = this.lastRawEmail;
    this.lastRawEmail = undefined;
    if (request.channel !== 'email' || !raw) return { ...request.headers };
    const parsed = await simpleParser(Buffer.from(raw), { skipHtmlToText: true, skipTextToHtml: true });
    const headers: Record<string, string> = {};
    for (const { line } of parsed.headerLines) {
      const colon = line.indexOf(':');
      const name = canonicalHeaderName(line.slice(0, colon));
      const decoded = parsed.headers.get(line.slice(0, colon).toLowerCase());
      headers[name] =
        typeof decoded === 'string'
          ? decoded
          : decoded && typeof decoded === 'object' && 'text' in decoded && typeof decoded.text === 'string'
            ? decoded.text
            : line
                .slice(colon + 1)
                .replace(/\r?\n[ \t]+/g, ' ')
                .trim();
    }
    return headers;
  }

  private async collectDeadLetters(): Promise<void> {
    const { sqs } = this.standIns.platform;
    const queueUrl = this.standIns.outboundDlqUrl;
    for (let round = 0; round < 100; round++) {
      const messages = await receiveBatch(this.standIns.platform.sqs, queueUrl);
      if (messages.length === 0) return;
      for (const message of messages) {
        const body = safeJson(message.Body);
        this.deadLetters.push({
          queue: 'outbound',
          outboundId: typeof body?.id === 'string' ? body.id : undefined,
          kind: typeof body?.kind === 'string' ? body.kind : undefined,
          ...deadLetterFacts(message),
        });
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  }
}

/**
 * The receives and the reason of a dead letter: from the attributes the consumer set when it
 * dead-lettered the message itself, else (moved by the redrive policy) its receive count alone.
 */
function deadLetterFacts(message: SqsMessage): Pick<DeadLetter, 'receiveCount' | 'reason'> {
  const attributes = message.MessageAttributes ?? {};
  const reason = attributes.failureReason?.StringValue;
  const receiveCount = Number(
    attributes.receiveCount?.StringValue ?? message.Attributes?.ApproximateReceiveCount ?? 0,
  );
  return reason === undefined ? { receiveCount } : { receiveCount, reason };
}

/** A fixture the sandbox cannot take; its message is the reason reported under `rejected`. */
export class SandboxRejection extends Error {}

function parseSidecar<T extends z.ZodType>(
  schema: T,
  content: Uint8Array | undefined,
  what: string,
): z.infer<T> {
  let json: unknown = {};
  if (content) {
    try {
      json = JSON.parse(Buffer.from(content).toString('utf8'));
    } catch {
      throw new SandboxRejection(`the ${what} file is not JSON`);
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new SandboxRejection(`the ${what} file is invalid: ${firstIssue(parsed.error, json).reason}`);
  return parsed.data;
}

/**
 * The SMTP envelope SES would have seen: recipients at our mail domain (from To/Cc), and the
 * Return-Path as the envelope sender.
 */
function envelopeOf(raw: Uint8Array, config: SupportConfig): { source: string; recipients: string[] } {
  const text = Buffer.from(raw.subarray(0, 64 * 1024)).toString('latin1');
  const headerBlock = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = headerBlock.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) =>
    unfolded
      .split(/\r?\n/)
      .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      .map((line) => line.slice(name.length + 1).trim());
  const addresses = [...header('To'), ...header('Cc')].flatMap(
    (value) => value.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/g) ?? [],
  );
  const ours = addresses.map((a) => a.toLowerCase()).filter((a) => a.endsWith(`@${config.mailDomain}`));
  const returnPath = header('Return-Path')[0];
  const from = header('From')[0]?.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/)?.[0];
  const source = returnPath !== undefined ? returnPath.replace(/[<>]/g, '').trim() : (from ?? '');
  return { source, recipients: ours.length > 0 ? [...new Set(ours)] : [config.supportAddress] };
}

function safeJson(body: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `auto-submitted` → `Auto-Submitted`, `message-id` → `Message-ID`. */
function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'message-id') return 'Message-ID';
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
