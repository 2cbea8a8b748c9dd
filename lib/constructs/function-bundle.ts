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
   * esbuild's ESM output has no `require`; CommonJS dependencies (mailparser, iconv-lite, ...)
   * call it, so the bundle recreates it from `import.meta.url`.
   */
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  minify: true,
  treeShaking: true,
  /** Names only matter in stack traces, and the source map gives those back. */
  keepNames: false,
  sourcemap: true,
  /** The map only needs positions; leaving the sources out keeps the asset small. */
  sourcesContent: false,
} as const;

/** NODE_OPTIONS of every function: stack traces point at the TypeScript sources, not the minified bundle. */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';
