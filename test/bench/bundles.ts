import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  bundleFiles,
  bytesByPackage,
  FUNCTION_ENTRY_FILE,
  functionBuildOptions,
  SOURCE_MAPS_NODE_OPTIONS,
} from '../../lib/constructs/function-bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The Lambda entry points: one composition module per function. */
const HANDLERS = join(ROOT, 'functions', 'composition');

export interface BuiltFunction {
  /** The entry chunk Lambda loads. */
  readonly entryFile: string;
  /** Bytes a cold start loads: the entry chunk and every chunk it imports statically. */
  readonly coldPathBytes: number;
  /** Every chunk of the function, the lazily imported ones included (source maps not counted). */
  readonly totalBytes: number;
  readonly metafile: Metafile;
  /** The outputs of the cold path, for {@link bytesByPackage}. */
  readonly coldPathFiles: readonly string[];
}

/** Bundles `entry` into `outdir` with the options the CDK construct bundles with (lib/constructs/function-bundle.ts). */
export async function bundle(entry: string, outdir: string): Promise<BuiltFunction> {
  const { metafile } = await build({ ...functionBuildOptions(entry, outdir), logLevel: 'silent' });
  const files = bundleFiles(metafile, outdir);
  const cold = files.filter((f) => f.coldPath);
  return {
    entryFile: join(outdir, FUNCTION_ENTRY_FILE),
    coldPathBytes: cold.reduce((sum, f) => sum + f.bytes, 0),
    totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    metafile,
    coldPathFiles: cold.map((f) => f.file),
  };
}

/** One fresh Node process importing the bundle (which builds the handler): milliseconds to load. */
function initMsOnce(file: string, sourceMaps: boolean): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    // As Lambda starts the function: NODE_OPTIONS as the construct sets it, the maps beside the chunks.
    env: {
      ...process.env,
      AWS_REGION: 'eu-central-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      NODE_OPTIONS: sourceMaps ? SOURCE_MAPS_NODE_OPTIONS : '',
    },
  });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;

/**
 * Medians of `runs` fresh processes for the bundle (as deployed, and with source-mapped stack
 * traces switched on) and the baseline, taken in turns so all see the same machine load.
 */
function pairedInitMs(
  file: string,
  baselineFile: string,
  runs: number,
): { initMs: number; initMsWithSourceMaps: number; baselineInitMs: number } {
  const own: number[] = [];
  const mapped: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    own.push(initMsOnce(file, false));
    baseline.push(initMsOnce(baselineFile, false));
    mapped.push(initMsOnce(file, true));
  }
  return { initMs: median(own), initMsWithSourceMaps: median(mapped), baselineInitMs: median(baseline) };
}

export interface FunctionFigures {
  /** What a cold start loads (entry chunk and its static imports), minified; the budget's figure. */
  bundleBytes: number;
  /** Every chunk, lazily imported ones included. */
  totalBundleBytes: number;
  /** The five packages (or `(own)` code) with the most bytes on the cold path. */
  topContributors: Array<{ package: string; bytes: number }>;
  initMs: number;
  /** The same with NODE_OPTIONS=--enable-source-maps (the `sourceMapStackTraces` switch). */
  initMsWithSourceMaps: number;
  baselineInitMs: number;
}

const round1 = (n: number) => Number(n.toFixed(1));

/** The `count` largest contributors of a function's cold path. */
export function topContributors(built: BuiltFunction, count = 5): FunctionFigures['topContributors'] {
  return [...bytesByPackage(built.metafile, built.coldPathFiles).entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ package: name, bytes }));
}

/**
 * Bundles every handler and a baseline that only creates a DynamoDB client, then measures how
 * long a fresh process takes to load each: the part of a cold start the code decides. `only`
 * names the handlers to measure (all when left out).
 */
export async function measureFunctions(
  runs = 7,
  only?: readonly string[],
): Promise<Record<string, FunctionFigures>> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  try {
    const baselineEntry = join(dir, 'baseline.mjs');
    writeFileSync(
      baselineEntry,
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
    );
    const baseline = await bundle(baselineEntry, join(dir, 'baseline'));
    const figures: Record<string, FunctionFigures> = {};
    const handlers = readdirSync(HANDLERS).filter((f) => f.endsWith('.ts'));
    const unknown = only?.filter((fn) => !handlers.includes(`${fn}.ts`)) ?? [];
    if (unknown.length > 0) throw new Error(`no handler named ${unknown.join(', ')}`);
    for (const name of handlers) {
      const fn = name.replace(/\.ts$/, '');
      if (only && !only.includes(fn)) continue;
      const outdir = join(dir, fn);
      mkdirSync(outdir, { recursive: true });
      const built = await bundle(join(HANDLERS, name), outdir);
      const { initMs, initMsWithSourceMaps, baselineInitMs } = pairedInitMs(
        built.entryFile,
        baseline.entryFile,
        runs,
      );
      figures[fn] = {
        bundleBytes: built.coldPathBytes,
        totalBundleBytes: built.totalBytes,
        topContributors: topContributors(built),
        initMs: round1(initMs),
        initMsWithSourceMaps: round1(initMsWithSourceMaps),
        baselineInitMs: round1(baselineInitMs),
      };
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
