import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type EventResult, SandboxEngine } from '../../bin/sandbox/engine.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { parseInboundEmail } from '../../functions/channels/email/parse-inbound-email.ts';
import { parseMetaWebhook } from '../../functions/channels/meta/parse-webhook.ts';
import { parseInboundSms } from '../../functions/channels/sms/parse-inbound-sms.ts';
import { orderEventSchema } from '../../functions/core/orders/order-events.ts';
import { sandboxSupportConfig } from '../../local/config.ts';
import { startDynamoDbLocal } from '../support/local-dynamodb.ts';

/**
 * The sandbox soak: ≥ 10,000 mixed events (email, SMS, WhatsApp, Messenger, Instagram, order
 * events, reminders), generated from the fixtures with varied senders and ids, 10% of them
 * redelivered and 5% garbage, through the sandbox engine (the real handlers on the local
 * stand-ins, every queue drained after each event). At the end every valid event must be stored
 * exactly once, every invalid one rejected with a reason, every queue empty, and the heap (sampled
 * after a full GC) must not grow after warm-up. Prints its counts; exits 1 when they do not balance.
 */

type StoreKind = 'inbound-message' | 'order-event' | 'reminder';

interface SoakEvent {
  readonly file: string;
  readonly content: Buffer;
  readonly headers?: Buffer;
  /** What it must leave in the table (garbage: nothing). */
  readonly stores?: StoreKind;
  readonly channel: string;
}

interface Options {
  readonly events: number;
  readonly seed: number;
  readonly dynamodb: 'local' | 'dynalite';
  readonly json: boolean;
}

const NOW = new Date('2026-11-23T07:00:00.000Z');
const DUPLICATE_SHARE = 0.1;
const GARBAGE_SHARE = 0.05;
/** How far the replay clock moves every 500 events (see where it moves). */
const CLOCK_STEP_HOURS = 36;

/** Heap growth after warm-up tolerated, per event: a few bytes of bookkeeping, not a leak. */
const MAX_SLOPE_BYTES_PER_EVENT = 256;

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const events = Number(value('events') ?? 10_000);
  if (!Number.isInteger(events) || events < 100) throw new Error('--events must be an integer ≥ 100');
  const dynamodb = value('dynamodb') ?? 'local';
  if (dynamodb !== 'local' && dynamodb !== 'dynalite') throw new Error('--dynamodb is local or dynalite');
  return { events, seed: Number(value('seed') ?? 8), dynamodb, json: argv.includes('--json') };
}

/** mulberry32: a small seeded generator, so a soak can be run again with the same events. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIXTURES = new URL('../fixtures/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, FIXTURES));
const list = (dir: string) =>
  readdirSync(new URL(`${dir}/`, FIXTURES))
    .sort()
    .map((name) => `${dir}/${name}`);

/** One customer of the pool: the same k is the same person on every channel. */
const customer = (k: number) => ({
  email: `soak.customer${k}@example.org`,
  // Turkish mobile numbers (+90 532 …), valid for libphonenumber.
  phone: `+90532${String(1_000_000 + k).slice(-7)}`,
  psid: `7${String(k).padStart(15, '0')}`,
});

type Generator = (i: number, k: number, now: Date) => SoakEvent;

/** A pattern matching `text` as it is, everywhere. */
const literal = (text: string, flags = 'g') => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);

async function emailGenerators(): Promise<{ valid: Generator[]; garbage: Generator[] }> {
  const valid: Generator[] = [];
  const garbage: Generator[] = [];
  for (const path of list('email').filter((p) => p.endsWith('.eml'))) {
    const raw = read(path);
    const from = await parseInboundEmail(
      raw,
      {
        sesMessageId: 'soak',
        timestamp: NOW.toISOString(),
        recipients: [sandboxSupportConfig.supportAddress],
        verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
      },
      { supportAddress: sandboxSupportConfig.supportAddress },
    ).then(
      (email) => email.message.from.value,
      () => undefined,
    );
    // Bytes as latin1, so every octet of the original survives the text edits.
    const text = raw.toString('latin1');
    if (from === undefined) {
      garbage.push((i) => ({
        file: `${i}-garbage.eml`,
        content: Buffer.from(`X-Soak-Event: ${i}\r\n${text}`, 'latin1'),
        channel: 'email',
      }));
      continue;
    }
    const fromPattern = literal(from, 'gi');
    valid.push((i, k) => {
      const withSender = text.replace(fromPattern, customer(k).email);
      const messageId = `Message-ID: <soak-${i}@mail.example.org>`;
      // The whole header, folded continuation lines included.
      const header = /^Message-ID:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/im;
      const withId = header.test(withSender)
        ? withSender.replace(header, messageId)
        : `${messageId}\r\n${withSender}`;
      return {
        file: `${i}.eml`,
        content: Buffer.from(`X-Soak-Event: ${i}\r\n${withId}`, 'latin1'),
        stores: 'inbound-message',
        channel: 'email',
      };
    });
  }
  garbage.push((i) => ({
    file: `${i}-bytes.eml`,
    content: Buffer.from(`\u0000\u0001 soak ${i} \u00ff no headers at all`, 'latin1'),
    channel: 'email',
  }));
  return { valid, garbage };
}

function smsGenerators(): { valid: Generator[]; garbage: Generator[] } {
  const valid: Generator[] = [];
  const garbage: Generator[] = [];
  for (const path of list('sms')) {
    const text = read(path).toString('utf8');
    let ok = true;
    try {
      parseInboundSms(text, { receivedAt: NOW.toISOString() });
    } catch {
      ok = false;
    }
    const json = JSON.parse(text) as Record<string, unknown>;
    if (!ok) {
      garbage.push((i) => ({
        file: `${i}.sms.json`,
        content: Buffer.from(JSON.stringify({ ...json, previousPublishedMessageId: `soak-${i}` })),
        channel: 'sms',
      }));
      continue;
    }
    valid.push((i, k) => ({
      file: `${i}.sms.json`,
      content: Buffer.from(
        JSON.stringify({
          ...json,
          originationNumber: customer(k).phone,
          inboundMessageId: `soak-sms-${i}`,
          previousPublishedMessageId: `soak-prev-${i}`,
        }),
      ),
      stores: 'inbound-message',
      channel: 'sms',
    }));
  }
  garbage.push((i) => ({ file: `${i}.sms.json`, content: Buffer.from(`not json ${i}`), channel: 'sms' }));
  return { valid, garbage };
}

function metaGenerators(prefix: string): Generator[] {
  const generators: Generator[] = [];
  for (const path of list('meta').filter((p) => p.startsWith(`meta/${prefix}-`))) {
    const text = read(path).toString('utf8');
    let messages: ReturnType<typeof parseMetaWebhook>['messages'];
    try {
      messages = parseMetaWebhook(JSON.parse(text)).messages;
    } catch {
      continue;
    }
    const [message] = messages;
    if (messages.length !== 1 || !message) continue;
    const sender = message.from.value.replace(/^\+/, '');
    generators.push((i, k) => {
      const who = prefix === 'whatsapp' ? customer(k).phone.slice(1) : customer(k).psid;
      return {
        file: `${i}.meta.json`,
        content: Buffer.from(
          text
            .replace(literal(message.providerMessageId), `${message.providerMessageId}.soak${i}`)
            .replace(literal(sender), who),
        ),
        stores: 'inbound-message',
        channel: prefix,
      };
    });
  }
  return generators;
}

function orderGenerators(): { valid: Generator[]; garbage: Generator[] } {
  const valid: Generator[] = [];
  const garbage: Generator[] = [];
  for (const path of list('orders')) {
    const json = JSON.parse(read(path).toString('utf8')) as {
      eventId: string;
      order: Record<string, unknown>;
      customer?: Record<string, unknown>;
    };
    const vary = (i: number, k: number) => ({
      ...json,
      eventId: `evt-soak-${i}`,
      order: { ...json.order, id: `S${i}` },
      customer: {
        ...json.customer,
        ...(json.customer?.email ? { email: customer(k).email } : {}),
        ...(json.customer?.phone ? { phone: customer(k).phone } : {}),
      },
    });
    const ok = orderEventSchema.safeParse(vary(0, 1)).success;
    (ok ? valid : garbage).push((i, k) => ({
      file: `${i}.order.json`,
      content: Buffer.from(JSON.stringify(vary(i, k))),
      ...(ok ? { stores: 'order-event' as const } : {}),
      channel: 'orders',
    }));
  }
  return { valid, garbage };
}

function reminderGenerators(): { valid: Generator[]; garbage: Generator[] } {
  const templates = list('replay/orders')
    .filter((p) => p.endsWith('.reminder.json'))
    .map((p) => JSON.parse(read(p).toString('utf8')) as Record<string, unknown>)
    .filter((r) => r.action === 'create');
  const make = (template: Record<string, unknown>, i: number, k: number, at: Date) => ({
    ...template,
    id: `rem-soak-${i}`,
    at: at.toISOString(),
    customer: { email: customer(k).email },
  });
  return {
    valid: templates.map((template) => (i, k, now) => ({
      file: `${i}.reminder.json`,
      content: Buffer.from(JSON.stringify(make(template, i, k, new Date(now.getTime() + 90 * 60_000)))),
      stores: 'reminder',
      channel: 'reminders',
    })),
    // Due in the past: refused with the reason.
    garbage: templates.map((template) => (i, k, now) => ({
      file: `${i}.reminder.json`,
      content: Buffer.from(JSON.stringify(make(template, i, k, new Date(now.getTime() - 60_000)))),
      channel: 'reminders',
    })),
  };
}

/** A Meta delivery with a forged signature: refused at the webhook (401). */
const forged: Generator = (i, k) => {
  const text = read('meta/whatsapp-text.json').toString('utf8');
  return {
    file: `${i}.meta.json`,
    content: Buffer.from(text.replace(/905321234567/g, customer(k).phone.slice(1))),
    headers: Buffer.from(JSON.stringify({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` })),
    channel: 'whatsapp',
  };
};

function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
}

function weighted<T>(rng: () => number, entries: ReadonlyArray<readonly [T, number]>): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [value, weight] of entries) {
    r -= weight;
    if (r < 0) return value;
  }
  return (entries[entries.length - 1] as readonly [T, number])[0];
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function runSoak(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');
  const rng = random(options.seed);

  const email = await emailGenerators();
  const sms = smsGenerators();
  const orders = orderGenerators();
  const reminders = reminderGenerators();
  const valid: ReadonlyArray<readonly [Generator[], number]> = [
    [email.valid, 30],
    [sms.valid, 20],
    [metaGenerators('whatsapp'), 15],
    [metaGenerators('messenger'), 10],
    [metaGenerators('instagram'), 5],
    [orders.valid, 15],
    [reminders.valid, 5],
  ];
  const garbage = [...email.garbage, ...sms.garbage, ...orders.garbage, ...reminders.garbage, forged];

  // DynamoDB Local keeps the table outside this process, so the heap measures the functions and
  // the stand-ins, not the data; dynalite keeps it in the heap.
  const dynamo = options.dynamodb === 'local' ? await startDynamoDbLocal() : undefined;
  const engine = await SandboxEngine.start({ now: NOW, dynamoEndpoint: dynamo?.endpoint });
  const counts = {
    events: 0,
    valid: 0,
    duplicates: 0,
    garbage: 0,
    validRejected: 0,
    duplicatesRejected: 0,
    garbageAccepted: 0,
    rejectedWithoutReason: 0,
    deadLetters: 0,
  };
  const byChannel: Record<string, number> = {};
  const expected: Record<StoreKind, number> = { 'inbound-message': 0, 'order-event': 0, reminder: 0 };
  const reasons = new Map<string, number>();
  /**
   * Every valid inbound event's `channel#providerMessageId`, as a 48-bit hash: the soak's own
   * bookkeeping grows with the run, so it is kept small (a number rather than a string) so as
   * not to be taken for the sandbox's growth.
   */
  const expectedInbound = new Set<number>();
  const outbox: Record<string, number> = {};
  const sent: SoakEvent[] = [];
  const samples: Array<{ x: number; y: number; scheduled: number }> = [];
  const sampleEvery = Math.max(100, Math.floor(options.events / 50));
  const warmUp = Math.floor(options.events * 0.3);
  let nextClockMove = 500;

  const tally = () => {
    // What the engine keeps only for a report: counted, then let go.
    const records = engine.takeRecords();
    for (const entry of records.outbox) outbox[entry.kind] = (outbox[entry.kind] ?? 0) + 1;
    counts.deadLetters += records.deadLetters.length;
  };
  /**
   * The stand-ins of outside stores (the mail bucket, the mail SES sent) keep their data in this
   * process; in the cloud it lives in S3 and SES. Emptied between samples like the table, which
   * lives in DynamoDB Local, so the heap shows the functions and not the data.
   */
  const emptyOutsideStores = async () => {
    await fetch(`${engine.standIns.endpoints.ses}/clear-store`, { method: 'POST' });
    const { s3 } = engine.standIns.platform;
    const Bucket = engine.standIns.mailBucket;
    for (;;) {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1000 }));
      const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
      if (keys.length === 0) break;
      for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    }
  };

  const started = process.hrtime.bigint();
  try {
    for (let i = 0; i < options.events; i++) {
      const roll = rng();
      let event: SoakEvent;
      let kind: 'valid' | 'duplicate' | 'garbage';
      const k = Math.floor(rng() * Math.max(50, options.events / 5));
      if (roll < GARBAGE_SHARE) {
        kind = 'garbage';
        event = pick(rng, garbage)(i, k, engine.clock.now());
      } else if (roll < GARBAGE_SHARE + DUPLICATE_SHARE && sent.length > 0) {
        kind = 'duplicate';
        event = pick(rng, sent);
      } else {
        kind = 'valid';
        event = pick(rng, weighted(rng, valid))(i, k, engine.clock.now());
      }
      let key: string | undefined;
      if (kind === 'valid' && event.stores === 'inbound-message') {
        key = await providerKeyOf(event);
        // Two generated events that are the same message (same sender and Message-ID) are a redelivery.
        if (key !== undefined && expectedInbound.has(keyHash(key))) kind = 'duplicate';
      }
      const result: EventResult = await engine.processEvent(event.file, event.content, {
        headers: event.headers,
      });
      counts.events += 1;
      byChannel[event.channel] = (byChannel[event.channel] ?? 0) + 1;
      if (kind === 'valid') {
        counts.valid += 1;
        if (event.stores) expected[event.stores] += 1;
        if (key !== undefined) expectedInbound.add(keyHash(key));
        if (!result.accepted) counts.validRejected += 1;
        // Redeliveries are drawn from events the first delivery has already finished.
        if (sent.length < 500) sent.push(event);
        else sent[Math.floor(rng() * sent.length)] = event;
      } else if (kind === 'duplicate') {
        counts.duplicates += 1;
        if (!result.accepted) counts.duplicatesRejected += 1;
      } else {
        counts.garbage += 1;
        if (result.accepted) counts.garbageAccepted += 1;
        else if (!result.reason || result.reason.trim().length < 10) counts.rejectedWithoutReason += 1;
        else {
          const reason = result.reason.replace(/\d+/g, 'N').slice(0, 70);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
      }
      if (i + 1 === nextClockMove) {
        // Reminders, quiet-hours sends and response deadlines come due and fire. The step is long
        // enough that the warm-up spans the longest deadline (the resolution target, 2,880
        // business minutes, about a calendar week): after it, schedules fire as fast as they are
        // made, so pending work stays level and any growth left is a leak.
        nextClockMove += 500;
        const to = new Date(engine.clock.now().getTime() + CLOCK_STEP_HOURS * 3600_000).toISOString();
        await engine.processEvent(`${i}-later.clock.json`, Buffer.from(JSON.stringify({ now: to })));
      }
      if ((i + 1) % sampleEvery === 0) {
        tally();
        await emptyOutsideStores();
        gc();
        gc();
        samples.push({ x: i + 1, y: process.memoryUsage().heapUsed, scheduled: engine.deferredSends.size });
        if (!options.json) process.stderr.write(`\r${i + 1}/${options.events} events`);
      }
    }
    // Everything still waiting comes due, then every queue is drained.
    const end = new Date(engine.clock.now().getTime() + 3 * 24 * 3600_000).toISOString();
    await engine.processEvent('end.clock.json', Buffer.from(JSON.stringify({ now: end })));
    tally();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (!options.json) process.stderr.write('\n');

    const stored = await storedCounts(engine);
    const storedHashes = new Set([...stored.providerIds].map(keyHash));
    const missing = [...expectedInbound].filter((hash) => !storedHashes.has(hash)).length;
    const queues = await queueDepths(engine);
    const pending = engine.deferredSends.list().length;
    const afterWarmUp = samples.filter((s) => s.x > warmUp);
    const heapSlope = slope(afterWarmUp);
    const heapAtWarmUp = afterWarmUp[0]?.y ?? 0;
    const heapAtEnd = samples[samples.length - 1]?.y ?? 0;

    const storedTotal = stored['inbound-message'] + stored['order-event'] + stored.reminder;
    const expectedTotal = expected['inbound-message'] + expected['order-event'] + expected.reminder;
    const rejected = counts.garbage - counts.garbageAccepted;
    const checks = {
      'every valid event stored exactly once': (Object.keys(expected) as StoreKind[]).every(
        (kind) => stored[kind] === expected[kind],
      ),
      'no provider message stored twice': stored.duplicateProviderIds === 0,
      'no valid event or redelivery rejected': counts.validRejected === 0 && counts.duplicatesRejected === 0,
      'every invalid event rejected with a reason':
        counts.garbageAccepted === 0 && counts.rejectedWithoutReason === 0,
      'in = stored + rejected': counts.valid + counts.garbage === storedTotal + rejected,
      'queues drained, nothing dead-lettered, nothing left scheduled':
        Object.values(queues).every((depth) => depth === 0) && counts.deadLetters === 0 && pending === 0,
      [`heap does not grow after warm-up (slope ≤ ${MAX_SLOPE_BYTES_PER_EVENT} B/event)`]:
        heapSlope <= MAX_SLOPE_BYTES_PER_EVENT,
    };
    const report = {
      events: counts.events,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round((counts.events / seconds) * 10) / 10,
      dynamodb: options.dynamodb === 'local' ? 'DynamoDB Local' : 'dynalite (in this process)',
      in: { valid: counts.valid, duplicates: counts.duplicates, garbage: counts.garbage, byChannel },
      expected: { ...expected, total: expectedTotal },
      stored: {
        'inbound-message': stored['inbound-message'],
        'order-event': stored['order-event'],
        reminder: stored.reminder,
        total: storedTotal,
        duplicatesStored: Math.max(0, storedTotal - expectedTotal),
        duplicateProviderIds: stored.duplicateProviderIds,
        ...(missing > 0 ? { missingInbound: missing } : {}),
      },
      rejected: { total: rejected, reasons: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])) },
      outbox,
      queues: { ...queues, deadLettered: counts.deadLetters, stillScheduled: pending },
      memory: {
        samples: samples.length,
        warmUpEvents: warmUp,
        heapAtWarmUpMiB: Math.round((heapAtWarmUp / 2 ** 20) * 10) / 10,
        heapAtEndMiB: Math.round((heapAtEnd / 2 ** 20) * 10) / 10,
        slopeBytesPerEvent: Math.round(heapSlope * 10) / 10,
        // Schedules the scheduler twin holds (deadline checks included): live state, not a leak.
        schedulesPendingAtWarmUp: afterWarmUp[0]?.scheduled ?? 0,
        schedulesPendingAtEnd: samples[samples.length - 1]?.scheduled ?? 0,
        rssMiB: Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10,
        heapMiBEvery10thSample: samples
          .filter((_, n) => n % 10 === 9)
          .map((sample) => Math.round((sample.y / 2 ** 20) * 10) / 10),
      },
      checks,
    };
    const ok = Object.values(checks).every(Boolean);
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : printable(report, ok));
    return ok ? 0 : 1;
  } finally {
    await engine.stop();
    await dynamo?.stop();
  }
}

async function storedCounts(engine: SandboxEngine) {
  const db = documentClient(engine.standIns.clients.dynamo);
  const counts = { 'inbound-message': 0, 'order-event': 0, reminder: 0, duplicateProviderIds: 0 };
  const providerIds = new Set<string>();
  let start: Record<string, unknown> | undefined;
  // A Scan is fine here: the soak reads its own table once, after the run.
  do {
    const page = await db.send(
      new ScanCommand({ TableName: engine.standIns.tableName, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      const sk = String(item.sk);
      if (sk.startsWith('MESSAGE#') && item.direction === 'inbound') {
        counts['inbound-message'] += 1;
        const id = `${item.channel}#${item.providerMessageId}`;
        if (providerIds.has(id)) counts.duplicateProviderIds += 1;
        providerIds.add(id);
      } else if (pk.startsWith('ORDER#') && sk.startsWith('EVENT#')) counts['order-event'] += 1;
      else if (pk.startsWith('REMINDER#')) counts.reminder += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { ...counts, providerIds };
}

const keyHash = (key: string) => createHash('sha256').update(key).digest().readUIntBE(0, 6);

/** The key a valid inbound event is stored under, as its channel's parser reads it. */
async function providerKeyOf(event: SoakEvent): Promise<string | undefined> {
  try {
    if (event.channel === 'email') {
      const email = await parseInboundEmail(
        event.content,
        {
          sesMessageId: 'soak',
          timestamp: NOW.toISOString(),
          recipients: [sandboxSupportConfig.supportAddress],
          verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        },
        { supportAddress: sandboxSupportConfig.supportAddress },
      );
      return `email#${email.message.providerMessageId}`;
    }
    if (event.channel === 'sms') {
      const sms = parseInboundSms(event.content.toString('utf8'), { receivedAt: NOW.toISOString() });
      return `sms#${sms.message.providerMessageId}`;
    }
    const [message] = parseMetaWebhook(JSON.parse(event.content.toString('utf8'))).messages;
    return message ? `${message.channel}#${message.providerMessageId}` : undefined;
  } catch {
    return `unparsable#${event.file}`;
  }
}

async function queueDepths(engine: SandboxEngine): Promise<Record<string, number>> {
  const queues = {
    outbound: engine.standIns.outboundQueueUrl,
    outboundDlq: engine.standIns.outboundDlqUrl,
    socialInbound: engine.meta.inboundQueueUrl,
    socialInboundDlq: engine.meta.inboundDlqUrl,
  };
  const depths: Record<string, number> = {};
  for (const [name, url] of Object.entries(queues)) {
    const { Attributes = {} } = await engine.standIns.platform.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    depths[name] =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  }
  return depths;
}

function printable(
  report: Record<string, unknown> & { checks: Record<string, boolean> },
  ok: boolean,
): string {
  const lines = Object.entries(report)
    .filter(([key]) => key !== 'checks')
    .map(([key, value]) => `${key.padEnd(16)} ${typeof value === 'object' ? JSON.stringify(value) : value}`);
  const checks = Object.entries(report.checks).map(
    ([name, passed]) => `  ${passed ? 'ok  ' : 'FAIL'} ${name}`,
  );
  return `${[...lines, 'checks', ...checks, ok ? 'soak passed' : 'soak FAILED'].join('\n')}\n`;
}
