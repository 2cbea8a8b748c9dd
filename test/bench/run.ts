/**
 * `npm run bench [-- --json] [-- --events N]`: what one inbound email costs on its way through
 * the real handlers and core, on the sandbox's local stand-ins.
 *
 * - awsCallsPerEvent: SDK commands sent per event, counted by a middleware on the real clients,
 *   for a first mail of a new customer, a reply in an open conversation, and a redelivery;
 * - warmMsP50 / warmMsP99: inbound handler time per event, in process, warm;
 * - eventsPerSecond: inbound handler plus dispatcher (the acknowledgement sent through the local
 *   SES) end to end, one event after another;
 * - per function: bundleBytes (minified ESM, as CDK bundles it) and initMs (median load time of a
 *   fresh Node process importing the bundle) beside baselineInitMs, a bundle that only creates a
 *   DynamoDB client, measured the same way in the same run.
 *
 * Figures come from whatever machine runs it; compare them with each other, not across machines.
 */
import { performance } from 'node:perf_hooks';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';
import type { AwsClients } from '../../functions/adapters/wiring.ts';

// Before the handlers are imported: their logger reads the level when it is built.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { SandboxEngine } = await import('../../bin/sandbox/engine.ts');

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const eventsArg = args.indexOf('--events');
const EVENTS = eventsArg >= 0 ? Number(args[eventsArg + 1]) : 500;
if (!Number.isInteger(EVENTS) || EVENTS < 10) throw new Error('--events wants a whole number of at least 10');

interface CallCounter {
  total: number;
  byCommand: Map<string, number>;
}

function countCalls(clients: AwsClients): CallCounter {
  const counter: CallCounter = { total: 0, byCommand: new Map() };
  const counted = Object.values(clients) as Array<{
    middlewareStack: { add(middleware: InitializeMiddleware<object, MetadataBearer>, options: object): void };
  }>;
  for (const client of counted) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        counter.total += 1;
        const name = `${context.clientName ?? ''}.${context.commandName ?? ''}`;
        counter.byCommand.set(name, (counter.byCommand.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'benchCallCounter' },
    );
  }
  return counter;
}

function mail(n: number, options: { from?: string; inReplyTo?: string } = {}): Buffer {
  const from = options.from ?? `customer-${n}@example.com`;
  const threading = options.inReplyTo
    ? `In-Reply-To: <${options.inReplyTo}>\r\nReferences: <${options.inReplyTo}>\r\n`
    : '';
  return Buffer.from(
    `Return-Path: <${from}>\r\nFrom: Customer ${n} <${from}>\r\nTo: support@support.example.com\r\n` +
      `Subject: Where is my order ${n}?\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n` +
      `Message-ID: <bench-${n}-${from}>\r\n${threading}MIME-Version: 1.0\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n\r\n' +
      `Hello, I ordered item ${n} last week and it has not arrived. Where is my order?\r\n`,
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function measure() {
  const engine = await SandboxEngine.start({ now: new Date('2026-11-23T10:00:00Z') });
  const calls = countCalls(engine.standIns.clients);
  try {
    // Paths, each measured on its own events after a warm-up.
    for (let i = 0; i < 20; i++) await engine.processEvent(`warm-${i}.eml`, mail(900_000 + i));

    const path = async (events: Array<() => Promise<unknown>>) => {
      const before = calls.total;
      for (const event of events) await event();
      return round((calls.total - before) / events.length);
    };
    const inbound = (name: string, raw: Buffer) => () => engine.processEvent(name, raw);

    const firstMails = Array.from({ length: 20 }, (_, i) => mail(100_000 + i));
    const newCustomerTotal = await path(firstMails.map((raw, i) => inbound(`new-${i}.eml`, raw)));
    const replies = firstMails.map((_, i) =>
      mail(200_000 + i, {
        from: `customer-${100_000 + i}@example.com`,
        inReplyTo: `bench-${100_000 + i}-customer-${100_000 + i}@example.com`,
      }),
    );
    const knownCustomer = await path(replies.map((raw, i) => inbound(`reply-${i}.eml`, raw)));
    const duplicate = await path(firstMails.map((raw, i) => inbound(`again-${i}.eml`, raw)));

    // The dispatcher's share of a new customer's first mail: the acknowledgement it sends.
    const dispatcherBefore = calls.total;
    const sesBefore = calls.byCommand.get('SESv2Client.SendEmailCommand') ?? 0;
    await engine.processEvent('split.eml', mail(300_000));
    const firstMailCalls = calls.total - dispatcherBefore;
    const acknowledgements = (calls.byCommand.get('SESv2Client.SendEmailCommand') ?? 0) - sesBefore;

    // Warm handler time and end-to-end rate over EVENTS first mails.
    const durations: number[] = [];
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const t0 = performance.now();
      await engine.processEvent(`load-${i}.eml`, mail(400_000 + i));
      durations.push(performance.now() - t0);
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    durations.sort((a, b) => a - b);

    return {
      channels: {
        email: {
          paths: {
            'new-customer': { awsCallsPerEvent: newCustomerTotal },
            'known-customer': { awsCallsPerEvent: knownCustomer },
            duplicate: { awsCallsPerEvent: duplicate },
          },
          firstMailCallsWithAcknowledgement: firstMailCalls,
          acknowledgementsSent: acknowledgements,
          endToEndMsP50: round(percentile(durations, 50)),
          endToEndMsP99: round(percentile(durations, 99)),
          eventsPerSecond: round(EVENTS / elapsedSeconds, 1),
          events: EVENTS,
        },
      },
      callsByCommand: Object.fromEntries([...calls.byCommand.entries()].sort()),
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    };
  } finally {
    await engine.stop();
  }
}

const { measureFunctions } = await import('./bundles.ts');
const result = { ...(await measure()), functions: await measureFunctions() };
if (asJson) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const email = result.channels.email;
  console.log('switchboard bench: email, on the sandbox stand-ins (dynalite, fauxqs, aws-ses-v2-local)');
  console.log(`  AWS calls per event   new customer ${email.paths['new-customer'].awsCallsPerEvent}`);
  console.log(
    `                        known customer (reply) ${email.paths['known-customer'].awsCallsPerEvent}`,
  );
  console.log(`                        duplicate ${email.paths.duplicate.awsCallsPerEvent}`);
  console.log(`  end to end per mail   p50 ${email.endToEndMsP50} ms, p99 ${email.endToEndMsP99} ms`);
  console.log(`  throughput            ${email.eventsPerSecond} mails/s over ${email.events} mails`);
  console.log('functions (minified ESM bundle; median load time of a fresh Node process, 7 runs)');
  for (const [name, f] of Object.entries(result.functions)) {
    console.log(
      `  ${name.padEnd(20)} ${(f.bundleBytes / 1024).toFixed(0).padStart(6)} KiB   init ${f.initMs} ms   baseline (DynamoDB client only) ${f.baselineInitMs} ms   ratio ${(f.initMs / f.baselineInitMs).toFixed(2)}`,
    );
  }
}
