#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { DeploymentConfigError, readDeploymentConfig } from '../lib/config.ts';
import { type InboxAppFiles, writeInboxApp } from '../lib/inbox-app.ts';
import { addSwitchboard } from '../lib/switchboard-app.ts';

/** web/inbox/build.ts: the inbox build, as the build contract names it. */
interface InboxBuild {
  readonly buildInboxApp: () => Promise<InboxAppFiles>;
}

const app = new App();
try {
  const config = readDeploymentConfig(app);
  // The inbox is built now, offline, for the stack to deploy: no build step before `cdk deploy`.
  const inboxAppDirectory = config.agents?.inbox
    ? writeInboxApp(
        await (
          (await import(new URL('../web/inbox/build.ts', import.meta.url).href)) as InboxBuild
        ).buildInboxApp(),
      )
    : undefined;
  addSwitchboard(app, config, inboxAppDirectory ? { inboxAppDirectory } : {});
} catch (error) {
  if (!(error instanceof DeploymentConfigError)) throw error;
  // A wrong setting is the operator's to fix, not a bug: the list of settings, no stack trace.
  console.error(error.message);
  process.exit(1);
}
