import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLE, FUNCTION_NODE_OPTIONS } from '../../lib/constructs/function-bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HANDLERS = join(ROOT, 'functions', 'handlers');

/** The esbuild options the CDK construct bundles with (lib/constructs/function-bundle.ts). */
export async function bundle(entry: string, outfile: string): Promise<number> {
  const { banner, mainFields, ...options } = FUNCTION_BUNDLE;
  await build({
    ...options,
    mainFields: [...mainFields],
    banner: { js: banner },
    entryPoints: [entry],
    outfile,
    bundle: true,
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

/** One fresh Node process importing the bundle (which builds the handler): milliseconds to load. */
function initMsOnce(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    // As Lambda starts the function (NODE_OPTIONS from the construct, the source map beside it).
    env: {
      ...process.env,
      AWS_REGION: 'eu-central-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
    },
  });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;

/**
 * Medians of `runs` fresh processes for the bundle and the baseline, taken in pairs (bundle, then
 * baseline) so both see the same machine load.
 */
function pairedInitMs(
  file: string,
  baselineFile: string,
  runs: number,
): { initMs: number; baselineInitMs: number } {
  const own: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    own.push(initMsOnce(file));
    baseline.push(initMsOnce(baselineFile));
  }
  return { initMs: median(own), baselineInitMs: median(baseline) };
}

export interface FunctionFigures {
  bundleBytes: number;
  initMs: number;
  baselineInitMs: number;
}

/**
 * Bundles every handler and a baseline that only creates a DynamoDB client, then measures how
 * long a fresh process takes to load each: the part of a cold start the code decides.
 */
export async function measureFunctions(runs = 7): Promise<Record<string, FunctionFigures>> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  try {
    const baselineEntry = join(dir, 'baseline.mjs');
    writeFileSync(
      baselineEntry,
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
    );
    const baselineFile = join(dir, 'baseline.bundle.mjs');
    await bundle(baselineEntry, baselineFile);
    const figures: Record<string, FunctionFigures> = {};
    for (const name of readdirSync(HANDLERS).filter((f) => f.endsWith('.ts'))) {
      const fn = name.replace(/\.ts$/, '');
      const file = join(dir, `${fn}.mjs`);
      const bundleBytes = await bundle(join(HANDLERS, name), file);
      const { initMs, baselineInitMs } = pairedInitMs(file, baselineFile, runs);
      figures[fn] = {
        bundleBytes,
        initMs: Number(initMs.toFixed(1)),
        baselineInitMs: Number(baselineInitMs.toFixed(1)),
      };
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
