import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
import { GRAPH_API_VERSION } from '../../functions/channels/meta/graph-api.ts';
import { type DeploymentConfigInput, parseDeploymentConfig } from '../../lib/config.ts';
import { type InboxAppFiles, writeInboxApp } from '../../lib/inbox-app.ts';
import { addSwitchboard } from '../../lib/switchboard-app.ts';
import type { SwitchboardStack } from '../../lib/switchboard-stack.ts';

interface CdkJson {
  readonly context: Record<string, unknown> & { readonly switchboard: DeploymentConfigInput };
}

/** cdk.json as the CLI reads it: the example config and the feature flags. */
export const cdkJson: CdkJson = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
) as CdkJson;

/** The example deployment config of cdk.json, as raw input. */
export function exampleConfig(): DeploymentConfigInput {
  return structuredClone(cdkJson.context.switchboard);
}

/** A Meta section (WhatsApp, Messenger, Instagram), for tests of a deployment that has it. */
export const META_SECTION = {
  whatsappPhoneNumberId: '106540352242922',
  graphApiVersion: GRAPH_API_VERSION,
  webhookThrottle: { rateLimit: 100, burstLimit: 200 },
} as const satisfies DeploymentConfigInput['meta'];

const assemblyDirectories: string[] = [];
// Registered for every test file that imports this helper: bundled assets make an assembly
// several MB, and none is needed once the file's tests are done.
afterAll(() => {
  for (const directory of assemblyDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A stand-in for the built inbox (web/inbox/build.ts's output): the stack only copies files. */
export const INBOX_APP_FILES: InboxAppFiles = new Map([
  [
    'index.html',
    '<!doctype html><html lang="en"><title>Inbox</title><script type="module" src="/assets/app.js"></script></html>',
  ],
  ['assets/app.js', 'document.title = "Inbox";'],
]);

export interface SynthesizedSwitchboard {
  readonly app: App;
  readonly stack: SwitchboardStack;
  readonly template: Template;
  /** The cloud assembly directory (validation-report.json, templates). */
  readonly assemblyDirectory: string;
}

/**
 * Builds the app exactly as bin/app.ts does (stack plus cdk-nag), from cdk.json's context, with
 * `config` changes applied. Bundling is skipped unless asked for: it is the slow part and one
 * test covers it.
 */
export function synthesizeSwitchboard(
  options: {
    readonly config?: Partial<DeploymentConfigInput>;
    readonly bundle?: boolean;
    /** The built inbox, when the config has `agents.inbox`. @default INBOX_APP_FILES */
    readonly inboxApp?: InboxAppFiles;
  } = {},
): SynthesizedSwitchboard {
  const { switchboard, ...flags } = cdkJson.context;
  const outdir = mkdtempSync(join(tmpdir(), 'switchboard-cdk-'));
  assemblyDirectories.push(outdir);
  const app = new App({
    outdir,
    context: { ...flags, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const config = parseDeploymentConfig({ ...switchboard, ...options.config });
  let inboxAppDirectory: string | undefined;
  if (config.agents?.inbox) {
    inboxAppDirectory = writeInboxApp(options.inboxApp ?? INBOX_APP_FILES);
    assemblyDirectories.push(inboxAppDirectory);
  }
  const stack = addSwitchboard(app, config, inboxAppDirectory ? { inboxAppDirectory } : {});
  const assembly = app.synth();
  return { app, stack, template: Template.fromStack(stack), assemblyDirectory: assembly.directory };
}

export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
  readonly path: string;
}

/** Every acknowledgement recorded anywhere in the construct tree, with where it was made. */
export function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id,
          reason,
          path: construct.node.path,
        })),
      ),
  );
}
