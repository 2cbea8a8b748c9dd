import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { META_SECTION, synthesizeSwitchboard } from './synth.ts';

interface AssetManifest {
  readonly files: Record<string, { readonly source: { readonly path: string; readonly packaging?: string } }>;
}

/** Lambda bundles may be up to 50 MB zipped; ours should stay far below, to keep cold starts short. */
const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;

describe('function bundling', () => {
  it('bundles every handler locally with esbuild into a minified ESM file with a source map', () => {
    // Prepare / Act: the one synthesis in the suite that really runs esbuild (no Docker)
    const { stack, template, assemblyDirectory } = synthesizeSwitchboard({
      bundle: true,
      config: { meta: META_SECTION },
    });

    // Assess
    const manifest = JSON.parse(
      readFileSync(join(assemblyDirectory, `${stack.artifactId}.assets.json`), 'utf8'),
    ) as AssetManifest;
    const functionAssets = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => {
      const code = (fn as { Properties: { Code: { S3Key: string } } }).Properties.Code;
      const hash = code.S3Key.replace(/\.zip$/, '');
      const asset = manifest.files[hash];
      expect(asset, code.S3Key).toBeDefined();
      return join(assemblyDirectory, asset?.source.path ?? '');
    });
    // inbound-email, dispatcher, meta-webhook, inbound-social and the channel counters.
    expect(functionAssets).toHaveLength(5);
    for (const directory of functionAssets) {
      const bundle = join(directory, 'index.mjs');
      expect(existsSync(bundle), bundle).toBe(true);
      expect(existsSync(`${bundle}.map`), `${bundle}.map`).toBe(true);
      const source = readFileSync(bundle, 'utf8');
      expect(
        source.startsWith("import { createRequire } from 'module'; const require = createRequire("),
      ).toBe(true);
      // The SDK is bundled, not loaded from the runtime.
      expect(source).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(statSync(bundle).size).toBeLessThan(MAX_BUNDLE_BYTES);
    }
  }, 120_000);
});
