import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HANDLERS = join(ROOT, 'functions', 'handlers');

/** The same esbuild options the CDK construct uses (lib/constructs/support-function.ts). */
async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

/** Median of `runs` fresh Node processes, each importing the bundle (which builds the handler). */
function medianInitMs(file: string, runs: number): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, AWS_REGION: 'eu-central-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
    samples.push(Number(run.stdout));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
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
      // Interleaved with the baseline, so both see the same machine load.
      const initMs = medianInitMs(file, runs);
      const baselineInitMs = medianInitMs(baselineFile, runs);
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
