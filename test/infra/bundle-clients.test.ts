import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFiles, bytesByPackage, functionBuildOptions } from '../../lib/constructs/function-bundle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bundle-clients-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The packages of a handler's bundle, bundled as the CDK construct bundles it (esbuild metafile):
 * those a cold start loads (the entry chunk and its static imports) and those only an `import()` loads.
 */
async function packagesOf(handler: string): Promise<{ coldPath: Set<string>; lazy: Set<string> }> {
  const outdir = join(dir, handler);
  const { metafile } = await build({
    ...functionBuildOptions(join(ROOT, 'functions', 'composition', `${handler}.ts`), outdir),
    logLevel: 'silent',
  });
  const files = bundleFiles(metafile, outdir);
  const namesIn = (cold: boolean) =>
    new Set(
      [
        ...bytesByPackage(
          metafile,
          files.filter((f) => f.coldPath === cold).map((f) => f.file),
        ).entries(),
      ]
        .filter(([, bytes]) => bytes > 0)
        .map(([name]) => name),
    );
  return { coldPath: namesIn(true), lazy: namesIn(false) };
}

const sdkClients = (names: Set<string>) =>
  [...names]
    .filter((name) => name.startsWith('@aws-sdk/client-'))
    .map((name) => name.slice('@aws-sdk/'.length));

// Each function loads on a cold start only the SDK clients it sends with.
describe('SDK clients on the cold path of the function bundles', () => {
  it.each([
    ['voice-lookup', ['client-dynamodb']],
    ['reminders', ['client-dynamodb', 'client-scheduler']],
    ['inbound-sms', ['client-dynamodb', 'client-sqs']],
  ])(
    '%s loads only its own clients',
    async (handler, expected) => {
      // Act
      const { coldPath } = await packagesOf(handler);

      // Assess
      expect(sdkClients(coldPath).sort()).toEqual(expected);
    },
    60_000,
  );
});

describe('code loaded with import() stays off the cold path', () => {
  it('inbound-email loads Connect, Bedrock and the HTML converter only when it uses them, and carries no Secrets Manager', async () => {
    // Act
    const { coldPath, lazy } = await packagesOf('inbound-email');

    // Assess: in the bundle (an escalation, a generated answer, an HTML-only mail load them) ...
    const deferred = [
      '@aws-sdk/client-connect',
      '@aws-sdk/client-bedrock-runtime',
      'html-to-text',
      'htmlparser2',
      // Language detection's trigram profiles: only for text the word lists leave undecided.
      'franc-min',
    ];
    for (const name of deferred) expect(lazy, name).toContain(name);
    // ... but not in the chunks a cold start reads, where a single-file build had put them.
    for (const name of deferred) expect(coldPath, name).not.toContain(name);
    // It reads no secret: its composition module builds no secret adapter.
    expect(coldPath).not.toContain('@aws-sdk/client-secrets-manager');
    expect(lazy).not.toContain('@aws-sdk/client-secrets-manager');
    // The MIME parser needs no charset tables of its own (the runtime's TextDecoder decodes).
    for (const name of ['mailparser', 'iconv-lite', 'libmime', 'encoding-japanese']) {
      expect(coldPath, name).not.toContain(name);
      expect(lazy, name).not.toContain(name);
    }
    expect(coldPath).toContain('postal-mime');
  }, 60_000);

  it('the dispatcher loads the MIME composer only with its first email', async () => {
    // Act
    const { coldPath, lazy } = await packagesOf('dispatcher');

    // Assess
    expect(lazy).toContain('nodemailer');
    expect(coldPath).not.toContain('nodemailer');
  }, 60_000);

  it('voice-events loads Connect and the phone metadata only for a caller it never saw', async () => {
    // Act
    const { coldPath, lazy } = await packagesOf('voice-events');

    // Assess
    for (const name of ['@aws-sdk/client-connect', 'libphonenumber-js']) {
      expect(lazy, name).toContain(name);
      expect(coldPath, name).not.toContain(name);
    }
  }, 60_000);
});

// The phone metadata (190 KiB) only where a number from outside is normalised into an identity.
describe('libphonenumber on the cold path', () => {
  it.each([
    ['inbound-sms', true],
    ['order-events', true],
    ['dispatcher', false],
    ['chat-authorizer', false],
    ['agent-api', false],
  ])(
    '%s loads it: %s',
    async (handler, loads) => {
      // Act
      const { coldPath } = await packagesOf(handler);

      // Assess
      expect(coldPath.has('libphonenumber-js')).toBe(loads);
    },
    60_000,
  );
});
