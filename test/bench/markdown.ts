import type { BenchResult } from './bench.ts';

const paths = ['new-customer', 'known-customer', 'duplicate'] as const;
const usd = (n: number) => `$${n.toFixed(2)}`;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const kib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${thousands(bytes / 1024)} KiB`);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : Number((a / b).toFixed(2));
const cell = (value: number | string | undefined) => (value === undefined ? '–' : String(value));

/** A bench result as written by an older bench (fields may be missing): what before/after compares. */
export type EarlierResult = {
  channels?: Record<
    string,
    {
      paths?: Partial<
        Record<(typeof paths)[number], { awsCallsPerEvent?: number; writeUnitsPerEvent?: number }>
      >;
      warmMsP50?: number;
      warmMsP99?: number;
      eventsPerSecond?: number;
      storeLimitEventsPerSecond?: number;
      sameCallMixShare?: number;
    }
  >;
  functions?: Record<string, { bundleBytes?: number; initMs?: number; baselineInitMs?: number }>;
  budgetsMissed?: number;
};

/** `docs/benchmark.md` from one bench result (`npm run bench -- --markdown [--before earlier.json]`). */
export function benchmarkMarkdown(
  result: BenchResult & { machine?: { node: string; cpus: number; store: string } },
  options: { before?: EarlierResult; beforeLabel?: string } = {},
): string {
  const lines: string[] = [
    '# Benchmark',
    '',
    'Written by `npm run bench -- --markdown` (tables from `--json` output: `npm run bench -- --markdown --from result.json [--before earlier.json]`).',
    'It drives the real handlers and core on the sandbox stand-ins (DynamoDB Local, fauxqs, aws-ses-v2-local) of the machine it runs on:',
    'compare ratios, not absolute times across machines.',
    '',
  ];
  if (result.machine) {
    lines.push(
      `Measured on Node ${result.machine.node}, ${result.machine.cpus} cores, store ${result.machine.store}.`,
      '',
    );
  }
  const budget = result.autoResponseBudget;
  if (budget) {
    lines.push(
      `The bench's shop raises the ceilings on automatic responses to ${thousands(budget.perHour)} an hour and ${thousands(budget.perSenderDomainPerHour)} per sender domain (the defaults, 1,000 and 100 under \`support.autoResponseBudget\`, would stop the acknowledgements part way through its thousands of first messages in one replay hour, and the later events would cost less than a real shop's).`,
      '',
    );
  }

  lines.push(
    '## Calls, write units and handler time per event',
    '',
    '| channel | AWS calls new / known / duplicate | write units new / known / duplicate | warm p50 / p99 |',
    '|---|---|---|---|',
  );
  for (const [channel, f] of Object.entries(result.channels)) {
    lines.push(
      `| ${channel} | ${paths.map((p) => f.paths[p].awsCallsPerEvent).join(' / ')} | ${paths
        .map((p) => f.paths[p].writeUnitsPerEvent)
        .join(' / ')} | ${f.warmMsP50} / ${f.warmMsP99} ms |`,
    );
  }
  const consumers = Object.entries(result.channels).filter(([, f]) => f.streamConsumer !== undefined);
  if (consumers.length > 0) {
    lines.push(
      '',
      "The channel-hour counters come from a consumer of the table's stream, off every path above. Its cost per 100 stored messages, for the messages each channel's measurement stored, handed over in batches of at most 100:",
      '',
      '| channel | messages | AWS calls per 100 messages | write units per 100 messages |',
      '|---|---|---|---|',
    );
    for (const [channel, f] of consumers) {
      const c = f.streamConsumer;
      if (c)
        lines.push(
          `| ${channel} | ${c.messages} | ${c.awsCallsPer100Messages} | ${c.writeUnitsPer100Messages} |`,
        );
    }
  }
  if (result.contactFlowLookup) {
    const l = result.contactFlowLookup;
    lines.push(
      '',
      `Contact-flow lookup in process: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms over ${thousands(l.events)} calls.`,
    );
  }

  lines.push(
    '',
    '## Throughput against the same call mix',
    '',
    'Each timed run (new customer, follow-up, redelivery in turn) is compared with its own AWS calls replayed one after another on the same stand-ins, without handlers, core or the sandbox queue polling: the ratio is what our code adds around its calls, and making fewer calls speeds up the baseline too. The old ratio against bare unconditional puts is kept for comparison.',
    '',
    '| channel | ms per event | AWS calls per event | same-call-mix ms per event | ms per replayed call | ratio (≥ 0.8) | bare-put ratio (old) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const [channel, f] of Object.entries(result.channels)) {
    const oldShare = ratio(f.eventsPerSecond, f.storeLimitEventsPerSecond);
    lines.push(
      `| ${channel} | ${f.msPerEvent} | ${f.awsCallsPerEvent} | ${f.sameCallMix.msPerEvent} | ${f.sameCallMix.msPerCall} | ${f.sameCallMixShare} | ${cell(oldShare)} |`,
    );
  }
  const sdk = result.sdkCpuPerCall;
  if (sdk) {
    lines.push(
      '',
      `The SDK's own time per call with no network at all (middleware, serialization, signing, parsing; median of ${thousands(sdk.calls)} calls): DynamoDB GetItem ${sdk.dynamoGetItemUs} µs, PutItem ${sdk.dynamoPutItemUs} µs, SQS SendMessage ${sdk.sqsSendMessageUs} µs.`,
    );
  }

  if (Object.keys(result.functions).length > 0) {
    lines.push(
      '',
      '## Functions: cold path and init',
      '',
      'Bundled as deployed (esbuild, minified ESM, split into chunks): *cold path* is what a cold start loads (the entry chunk and its static imports), *all chunks* adds what `import()` loads later. initMs is the median load time of fresh Node processes, beside a bundle that only creates a DynamoDB client; *with maps* is the same with `sourceMapStackTraces` (NODE_OPTIONS=--enable-source-maps) switched on.',
      '',
      '| function | cold path | all chunks | initMs | with maps | baseline | ratio | ratio with maps | top five on the cold path |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const [name, f] of Object.entries(result.functions)) {
      const top = (f.topContributors ?? []).map((c) => `${c.package} ${kib(c.bytes)}`).join(', ');
      lines.push(
        `| ${name} | ${kib(f.bundleBytes)} | ${kib(f.totalBundleBytes)} | ${f.initMs} | ${cell(f.initMsWithSourceMaps)} | ${f.baselineInitMs} | ${cell(ratio(f.initMs, f.baselineInitMs))} | ${cell(ratio(f.initMsWithSourceMaps, f.baselineInitMs))} | ${top} |`,
      );
    }
  }

  lines.push(
    '',
    '## Browser apps (gzipped)',
    '',
    '| app | bytes |',
    '|---|---|',
    `| chat widget loader | ${thousands(result.widgetLoaderBytesGzip)} |`,
    `| chat widget, all in | ${thousands(result.widgetBytesGzip)} |`,
  );
  if (result.inboxBytesGzip !== undefined)
    lines.push(`| agent inbox | ${thousands(result.inboxBytesGzip)} |`);

  const costs = result.costPer100kInbound.channels;
  lines.push(
    '',
    '## Cost per 100,000 inbound messages',
    '',
    '| channel | new customer | known customer | duplicate | typical mix us-east-1 | typical mix eu-central-1 |',
    '|---|---|---|---|---|---|',
  );
  for (const [channel, c] of Object.entries(costs)) {
    lines.push(
      `| ${channel} | ${paths.map((p) => usd(c.perPath[p]['us-east-1'])).join(' | ')} | ${usd(c.typical['us-east-1'])} | ${usd(c.typical['eu-central-1'])} |`,
    );
  }

  if (options.before) lines.push('', ...beforeAfter(result, options.before, options.beforeLabel ?? 'before'));

  lines.push(
    '',
    '## Budgets',
    '',
    `${result.budgetsMissed} of ${result.budgets.length} missed.`,
    '',
    '| budget | subject | measured | limit | ratio | verdict |',
    '|---|---|---|---|---|---|',
  );
  for (const v of result.budgets) {
    lines.push(
      `| ${v.budget} | ${v.subject} | ${v.measured} | ${v.limit} | ${v.ratio} | ${v.pass ? 'pass' : '**miss**'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function beforeAfter(result: BenchResult, before: EarlierResult, label: string): string[] {
  const lines = [
    `## Before and after (${label})`,
    '',
    '| channel | known-customer calls | known-customer write units | warm p50 ms | throughput ratio (bare puts → same call mix) |',
    '|---|---|---|---|---|',
  ];
  const arrow = (a: number | undefined, b: number | undefined) => `${cell(a)} → ${cell(b)}`;
  for (const [channel, f] of Object.entries(result.channels)) {
    const b = before.channels?.[channel];
    const oldShare = b?.sameCallMixShare ?? ratio(b?.eventsPerSecond, b?.storeLimitEventsPerSecond);
    lines.push(
      `| ${channel} | ${arrow(b?.paths?.['known-customer']?.awsCallsPerEvent, f.paths['known-customer'].awsCallsPerEvent)} | ${arrow(b?.paths?.['known-customer']?.writeUnitsPerEvent, f.paths['known-customer'].writeUnitsPerEvent)} | ${arrow(b?.warmMsP50, f.warmMsP50)} | ${arrow(oldShare, f.sameCallMixShare)} |`,
    );
  }
  lines.push('', '| function | cold-path bytes | init ratio |', '|---|---|---|');
  for (const [name, f] of Object.entries(result.functions)) {
    const b = before.functions?.[name];
    lines.push(
      `| ${name} | ${kib(b?.bundleBytes)} → ${kib(f.bundleBytes)} | ${arrow(ratio(b?.initMs, b?.baselineInitMs), ratio(f.initMs, f.baselineInitMs))} |`,
    );
  }
  lines.push('', `Budgets missed: ${cell(before.budgetsMissed)} → ${result.budgetsMissed}.`);
  return lines;
}
