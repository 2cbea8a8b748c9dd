#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { DeploymentConfigError, readDeploymentConfig } from '../lib/config.ts';
import { writeInboxApp } from '../lib/inbox-app.ts';
import { addSwitchboard } from '../lib/switchboard-app.ts';
import { buildInboxApp } from '../web/inbox/build.ts';

const app = new App();
try {
  const config = readDeploymentConfig(app);
  // The inbox is built now, offline, for the stack to deploy: no build step before `cdk deploy`.
  const inboxAppDirectory = config.agents?.inbox ? writeInboxApp(await buildInboxApp()) : undefined;
  addSwitchboard(app, config, inboxAppDirectory ? { inboxAppDirectory } : {});
} catch (error) {
  if (!(error instanceof DeploymentConfigError)) throw error;
  // A wrong setting is the operator's to fix, not a bug: the list of settings, no stack trace.
  console.error(error.message);
  process.exit(1);
}
