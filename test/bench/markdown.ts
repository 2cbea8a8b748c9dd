import type { BenchResult } from './bench.ts';

const paths = ['new-customer', 'known-customer', 'duplicate'] as const;
const usd = (n: number) => `$${n.toFixed(2)}`;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/** The tables of one bench result, docs/benchmark.md (`npm run bench -- --markdown`). */
export function markdownTables(result: BenchResult): string {
  const lines: string[] = [];
  lines.push(
    '| channel | AWS calls new / known / duplicate | write units new / known / duplicate | warm p50 / p99 | events/s end to end | store alone | share |',
    '|---|---|---|---|---|---|---|',
  );
  for (const [channel, f] of Object.entries(result.channels)) {
    const share = f.storeLimitEventsPerSecond > 0 ? f.eventsPerSecond / f.storeLimitEventsPerSecond : 0;
    lines.push(
      `| ${channel} | ${paths.map((p) => f.paths[p].awsCallsPerEvent).join(' / ')} | ${paths
        .map((p) => f.paths[p].writeUnitsPerEvent)
        .join(
          ' / ',
        )} | ${f.warmMsP50} / ${f.warmMsP99} ms | ${f.eventsPerSecond} | ${f.storeLimitEventsPerSecond} | ${share.toFixed(2)} |`,
    );
  }
  if (result.contactFlowLookup) {
    const l = result.contactFlowLookup;
    lines.push(
      '',
      `Contact-flow lookup in process: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms over ${thousands(l.events)} calls.`,
    );
  }
  if (Object.keys(result.functions).length > 0) {
    lines.push(
      '',
      '| function | bundle (minified ESM) | initMs | baselineInitMs | ratio |',
      '|---|---|---|---|---|',
    );
    for (const [name, f] of Object.entries(result.functions)) {
      lines.push(
        `| ${name} | ${thousands(f.bundleBytes / 1024)} KiB | ${f.initMs} | ${f.baselineInitMs} | ${(f.initMs / f.baselineInitMs).toFixed(2)} |`,
      );
    }
  }
  const costs = result.costPer100kInbound.channels;
  lines.push(
    '',
    '| per 100,000 inbound messages | new customer | known customer | duplicate | typical mix us-east-1 | typical mix eu-central-1 |',
    '|---|---|---|---|---|---|',
  );
  for (const [channel, c] of Object.entries(costs)) {
    lines.push(
      `| ${channel} | ${paths.map((p) => usd(c.perPath[p]['us-east-1'])).join(' | ')} | ${usd(c.typical['us-east-1'])} | ${usd(c.typical['eu-central-1'])} |`,
    );
  }
  lines.push('', '| budget | subject | measured | limit | ratio | verdict |', '|---|---|---|---|---|---|');
  for (const v of result.budgets) {
    lines.push(
      `| ${v.budget} | ${v.subject} | ${v.measured} | ${v.limit} | ${v.ratio} | ${v.pass ? 'pass' : '**miss**'} |`,
    );
  }
  return lines.join('\n');
}
