#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { DeploymentConfigError, readDeploymentConfig } from '../lib/config.ts';
import { addSwitchboard } from '../lib/switchboard-app.ts';

const app = new App();
try {
  addSwitchboard(app, readDeploymentConfig(app));
} catch (error) {
  if (!(error instanceof DeploymentConfigError)) throw error;
  // A wrong setting is the operator's to fix, not a bug: the list of settings, no stack trace.
  console.error(error.message);
  process.exit(1);
}
