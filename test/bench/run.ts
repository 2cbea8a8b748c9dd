/**
 * `npm run bench [-- --json] [-- --events N] [-- --path-events N] [-- --runs N] [-- --store dynalite]
 * [-- --channels email,sms] [-- --markdown]`:
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
 *   beside storeLimitEventsPerSecond: how fast the same DynamoDB takes as many writes on its own;
 * - per function: bundleBytes (minified ESM, bundled as CDK does), initMs (median of fresh Node
 *   processes importing the bundle) and baselineInitMs (a bundle that only creates a DynamoDB
 *   client), measured the same way in the same run;
 * - the budgets of the issue, each with its figure, limit, ratio and pass/miss.
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

const { runBench } = await import('./bench.ts');
const { CHANNEL_EVENTS } = await import('./channel-events.ts');
type BenchChannel = keyof typeof CHANNEL_EVENTS;

const numberArg = (name: string, fallback: number, minimum: number) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`${name} wants a whole number of at least ${minimum}`);
  return value;
};
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
  const { markdownTables } = await import('./markdown.ts');
  console.log(markdownTables(result));
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
      `| ${f.eventsPerSecond} events/s end to end, store alone ${f.storeLimitEventsPerSecond}/s over ${f.events} events`,
    );
  }
  if (result.contactFlowLookup) {
    line(
      '\ncontact-flow lookup',
      `p50 ${result.contactFlowLookup.p50Ms} ms`,
      `p99 ${result.contactFlowLookup.p99Ms} ms`,
    );
  }
  console.log('\nfunctions (minified ESM bundle; median load time of fresh Node processes)');
  for (const [name, f] of Object.entries(result.functions)) {
    line(
      `  ${name.padEnd(16)}`,
      `${(f.bundleBytes / 1024).toFixed(0).padStart(6)} KiB`,
      `init ${f.initMs} ms`,
      `baseline ${f.baselineInitMs} ms`,
      `ratio ${(f.initMs / f.baselineInitMs).toFixed(2)}`,
    );
  }
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
