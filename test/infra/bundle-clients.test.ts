import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLE } from '../../lib/constructs/function-bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bundle-clients-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The SDK client packages a handler's bundle holds, bundled as the CDK construct bundles it. */
async function sdkClientPackages(handler: string): Promise<string[]> {
  const { banner, mainFields, ...options } = FUNCTION_BUNDLE;
  const result = await build({
    ...options,
    mainFields: [...mainFields],
    banner: { js: banner },
    entryPoints: [join(ROOT, 'functions', 'handlers', `${handler}.ts`)],
    outfile: join(dir, `${handler}.mjs`),
    bundle: true,
    metafile: true,
    logLevel: 'silent',
  });
  const packages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/@aws-sdk\/(client-[^/]+)\//.exec(input)?.[1];
      if (name && bytesInOutput > 0) packages.add(name);
    }
  }
  return [...packages].sort();
}

// Each function bundles (and loads on a cold start) only the SDK clients it sends with.
describe('SDK clients in the function bundles', () => {
  it.each([
    ['voice-lookup', ['client-dynamodb']],
    ['reminders', ['client-dynamodb', 'client-scheduler']],
    // Connect is there for escalation tasks, loaded on the first one (on-demand-tasks.ts).
    ['inbound-sms', ['client-connect', 'client-dynamodb', 'client-sqs']],
  ])(
    '%s holds only its own clients',
    async (handler, expected) => {
      // Act
      const packages = await sdkClientPackages(handler);

      // Assess: Secrets Manager's client comes with Powertools' secret reader, loaded on first use
      expect(packages.filter((name) => name !== 'client-secrets-manager')).toEqual(expected);
    },
    60_000,
  );
});
