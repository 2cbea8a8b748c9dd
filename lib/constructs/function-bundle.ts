import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';

/**
 * How every function is bundled: one source for the CDK construct (support-function.ts) and the
 * bench (test/bench/bundles.ts), so the bench measures exactly what is deployed.
 */
export const FUNCTION_BUNDLE = {
  format: 'esm',
  platform: 'node',
  /**
   * The oldest Node the bundles run on: the Lambda runtime is nodejs22.x, the tests and the bench
   * load them on Node 20.
   */
  target: 'node20',
  /** ESM builds of dependencies first: esbuild can drop what is not imported from them. */
  mainFields: ['module', 'main'],
  /**
   * esbuild's ESM output has no `require`; CommonJS dependencies (iconv-lite, html-to-text, ...)
   * call it, so every output file recreates it from `import.meta.url`.
   */
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  minify: true,
  treeShaking: true,
  /**
   * What a handler loads with `import()` (Connect, HTML to text, Bedrock, Secrets Manager) goes
   * to chunks of its own, which Node reads only when the import runs: a single-file build would
   * inline it and every cold start would pay for it. Code two chunks share goes to a third.
   */
  splitting: true,
  /** Names only matter in stack traces, and the source map gives those back. */
  keepNames: false,
  sourcemap: true,
  /** The map only needs positions; leaving the sources out keeps the asset small. */
  sourcesContent: false,
} as const;

/**
 * NODE_OPTIONS of a function whose stack traces should point at the TypeScript sources. Off by
 * default: with it Node reads and parses the map of every chunk it loads, on every cold start
 * (see docs/benchmark.md for the cost); the maps are deployed beside the chunks either way, so
 * switching it on (config `functions.sourceMaps`, or NODE_OPTIONS in the console) needs no rebuild.
 */
export const SOURCE_MAPS_NODE_OPTIONS = '--enable-source-maps';

/** The file Lambda loads (`index.handler`): the entry chunk. */
export const FUNCTION_ENTRY_FILE = 'index.mjs';

const PROJECT_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** The esbuild options of one function: `entry` bundled into `outdir` (index.mjs plus chunks). */
export function functionBuildOptions(entry: string, outdir: string): BuildOptions & { metafile: true } {
  const { banner, mainFields, ...options } = FUNCTION_BUNDLE;
  return {
    ...options,
    mainFields: [...mainFields],
    banner: { js: banner },
    entryPoints: [entry],
    outdir,
    entryNames: 'index',
    chunkNames: 'chunk-[hash]',
    // Lambda's Node runtime loads `.mjs` as ES modules without a package.json beside them.
    outExtension: { '.js': '.mjs' },
    bundle: true,
    metafile: true,
    nodePaths: [PROJECT_NODE_MODULES],
    logLevel: 'warning',
  };
}

/** One output file of a function bundle, and the packages (or `(own)` code) it holds. */
export interface BundleFile {
  readonly file: string;
  readonly bytes: number;
  /** Loaded on a cold start: the entry chunk and every chunk it imports statically. */
  readonly coldPath: boolean;
}

/** The outputs of one function's build, split into what a cold start loads and what waits for an `import()`. */
export function bundleFiles(metafile: Metafile, outdir: string): BundleFile[] {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  // Chunks loaded by import() have an entryPoint too: the entry chunk is the one named index.mjs.
  const entry = outputs.find(
    ([file]) => file.endsWith(`/${FUNCTION_ENTRY_FILE}`) || file === FUNCTION_ENTRY_FILE,
  );
  if (!entry) throw new Error('the build has no entry chunk');
  const cold = new Set<string>();
  const visit = (file: string) => {
    if (cold.has(file)) return;
    cold.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry[0]);
  const base = (file: string) => file.slice(file.lastIndexOf('/') + 1);
  return outputs.map(([file, output]) => ({
    file: join(outdir, base(file)),
    bytes: output.bytes,
    coldPath: cold.has(file),
  }));
}

/** Bytes per npm package (`(own)` for the project's code) in the given outputs of a metafile. */
export function bytesByPackage(metafile: Metafile, files: readonly string[]): Map<string, number> {
  const byPackage = new Map<string, number>();
  const wanted = new Set(files.map((file) => file.slice(file.lastIndexOf('/') + 1)));
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!wanted.has(file.slice(file.lastIndexOf('/') + 1))) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? '(own)';
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return byPackage;
}
