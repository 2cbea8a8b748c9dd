/**
 * `npm run bench [-- --json] [-- --events N] [-- --path-events N] [-- --runs N] [-- --store dynalite]
 * [-- --channels email,sms] [-- --markdown [--from result.json] [--before earlier.json]]
 * [-- --only bundles [--functions dispatcher,inbound-sms]]`:
 * what each inbound message costs on its way through the real handlers and core, on the
 * sandbox's local stand-ins. Per inbound channel (email, sms, whatsapp, messenger,
 * connect event when the voice channel is there, chat) and for the dispatcher; and the chat
 * widget's gzipped sizes (widgetLoaderBytesGzip, widgetBytesGzip):
 *
 * - awsCallsPerEvent / writeUnitsPerEvent on three paths (a new customer's first message, a
 *   follow-up of a known customer in the open conversation, the first message redelivered),
 *   counted by a middleware on the functions' real SDK clients; write units are what DynamoDB
 *   Local reports with ReturnConsumedCapacity TOTAL (indexes included), plus one per write refused
 *   on its condition (AWS bills those, and reports nothing for them);
 * - warmMsP50 / warmMsP99: the channel's handler time per event, in process, over N events
 *   (default 2,000) that cycle through the three paths;
 * - eventsPerSecond end to end through the sandbox engine (every queue drained after each event),
 *   beside sameCallMix: the same AWS calls per event replayed bare on the same stand-ins
 *   (call-mix.ts), and their ratio sameCallMixShare; storeLimitEventsPerSecond (bare puts) stays
 *   for comparison; sdkCpuPerCall: the SDK's own time per call without a network;
 * - per function: bundleBytes (what a cold start loads of the minified, split ESM bundle, built
 *   as the CDK construct builds it), totalBundleBytes, topContributors (metafile), initMs (median
 *   of fresh Node processes importing the bundle), initMsWithSourceMaps and baselineInitMs (a
 *   bundle that only creates a DynamoDB client), measured the same way in the same run;
 * - `--markdown` writes docs/benchmark.md (from a fresh run, or from `--from` a saved --json
 *   result; `--before` adds the before/after table);
 * - the budgets of the issue, each with its figure, limit, ratio and pass/miss;
 * - `--only bundles` measures the functions alone (bundles and init, no store, no events), for
 *   `--functions` named ones or all (`--runs 0`: bytes only); with `--json` it prints their figures.
 *
 * The store is AWS's DynamoDB Local (it reports consumed capacity the way DynamoDB does, and runs
 * in its own process); `--store dynalite` uses the sandbox's in-process dynalite instead.
 * Figures come from whatever machine runs it; compare ratios, not absolute figures across machines.
 */
import { cpus } from 'node:os';

// Before the handlers are imported: their logger reads the level when it is built.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
// With --json, stdout carries the one JSON object: whatever the functions print on the way
// (EMF metric lines go to stdout, as Lambda wants them) goes to stderr instead.
const printResult = process.stdout.write.bind(process.stdout);
if (asJson) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const argValue = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const readJson = async (file: string) => {
  const { readFileSync } = await import('node:fs');
  return JSON.parse(readFileSync(file, 'utf8'));
};

const numberArg = (name: string, fallback: number, minimum: number) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`${name} wants a whole number of at least ${minimum}`);
  return value;
};

// Tables from a saved result: no run at all.
const from = argValue('--from');
if (from !== undefined) {
  if (!args.includes('--markdown')) throw new Error('--from only goes with --markdown');
  await writeMarkdown(await readJson(from));
  process.exit(0);
}

// Bundles and init alone: seconds instead of minutes while working on a function's cold path.
if (args.includes('--only')) {
  if (argValue('--only') !== 'bundles') throw new Error('--only takes bundles');
  const { measureFunctions } = await import('./bundles.ts');
  const named = argValue('--functions')?.split(',');
  const functions = await measureFunctions(numberArg('--runs', 7, 0), named);
  if (asJson) printResult(`${JSON.stringify({ functions })}\n`);
  else printFunctions(functions);
  process.exit(0);
}

const { runBench } = await import('./bench.ts');
const { CHANNEL_EVENTS } = await import('./channel-events.ts');
type BenchChannel = keyof typeof CHANNEL_EVENTS;

const storeAt = args.indexOf('--store');
const store = storeAt >= 0 ? args[storeAt + 1] : 'dynamodb-local';
if (store !== 'dynamodb-local' && store !== 'dynalite')
  throw new Error('--store is dynamodb-local or dynalite');

const channelsAt = args.indexOf('--channels');
const channels = channelsAt >= 0 ? (args[channelsAt + 1] ?? '').split(',') : undefined;
const unknown = channels?.filter((c) => !(c in CHANNEL_EVENTS));
if (unknown && unknown.length > 0) throw new Error(`--channels: unknown ${unknown.join(', ')}`);

const result = await runBench({
  channels: channels as BenchChannel[] | undefined,
  events: numberArg('--events', 2_000, 3),
  pathEvents: numberArg('--path-events', 20, 1),
  initRuns: numberArg('--runs', 7, 0),
  store,
  progress: (line) => process.stderr.write(`${line}\n`),
});
const output = { ...result, machine: { node: process.version, cpus: cpus().length, store } };

if (asJson) {
  printResult(`${JSON.stringify(output)}\n`);
} else if (args.includes('--markdown')) {
  await writeMarkdown(output);
} else {
  const line = (...cells: Array<string | number>) => console.log(cells.join('  '));
  console.log(
    `switchboard bench on the sandbox stand-ins (${store}), Node ${process.version}, ${cpus().length} cores`,
  );
  for (const [channel, f] of Object.entries(result.channels)) {
    console.log(`\n${channel}`);
    for (const [path, p] of Object.entries(f.paths)) {
      line(`  ${path.padEnd(15)}`, `calls ${p.awsCallsPerEvent}`, `write units ${p.writeUnitsPerEvent}`);
    }
    line(
      '  warm handler',
      `p50 ${f.warmMsP50} ms`,
      `p99 ${f.warmMsP99} ms`,
      `| ${f.eventsPerSecond} events/s end to end, same calls alone ${f.sameCallMix.eventsPerSecond}/s (ratio ${f.sameCallMixShare}) over ${f.events} events`,
    );
  }
  if (result.contactFlowLookup) {
    line(
      '\ncontact-flow lookup',
      `p50 ${result.contactFlowLookup.p50Ms} ms`,
      `p99 ${result.contactFlowLookup.p99Ms} ms`,
    );
  }
  printFunctions(result.functions);
  line(
    '\nchat widget (gzipped)',
    `loader ${result.widgetLoaderBytesGzip} bytes`,
    `all in ${result.widgetBytesGzip} bytes`,
  );
  console.log('\nbudgets');
  for (const v of result.budgets) {
    line(
      `  ${v.pass ? 'pass' : 'MISS'}`,
      `${v.budget} (${v.subject}):`,
      `${v.measured} vs ${v.limit}`,
      `ratio ${v.ratio}`,
    );
  }
}

/** Each function's cold path, init and ratio, one line each, and its top contributors. */
function printFunctions(functions: Record<string, import('./bundles.ts').FunctionFigures>) {
  console.log('\nfunctions (minified ESM bundle; median load time of fresh Node processes)');
  for (const [name, f] of Object.entries(functions)) {
    console.log(
      [
        `  ${name.padEnd(16)}`,
        `${(f.bundleBytes / 1024).toFixed(0).padStart(6)} KiB cold path (${(f.totalBundleBytes / 1024).toFixed(0)} KiB all chunks)`,
        `init ${f.initMs} ms`,
        `baseline ${f.baselineInitMs} ms`,
        `ratio ${(f.initMs / f.baselineInitMs).toFixed(2)}`,
      ].join('  '),
    );
    const top = f.topContributors.map((c) => `${c.package} ${(c.bytes / 1024).toFixed(0)} KiB`);
    console.log(`    ${top.join(', ')}`);
  }
}

/** docs/benchmark.md from `result`, with the before/after table when `--before` names an earlier one. */
async function writeMarkdown(result: Parameters<typeof import('./markdown.ts').benchmarkMarkdown>[0]) {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const { benchmarkMarkdown } = await import('./markdown.ts');
  const beforeFile = argValue('--before');
  const before = beforeFile === undefined ? undefined : await readJson(beforeFile);
  const target = new URL('../../docs/benchmark.md', import.meta.url);
  mkdirSync(new URL('./', target), { recursive: true });
  writeFileSync(target, benchmarkMarkdown(result, { before, beforeLabel: beforeFile?.split('/').pop() }));
  process.stderr.write(`wrote ${target.pathname}\n`);
}
