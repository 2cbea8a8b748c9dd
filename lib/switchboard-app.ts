import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { DeploymentConfig } from './config.ts';
import { SwitchboardStack } from './switchboard-stack.ts';

/**
 * Adds the switchboard stack to `app` and checks the whole app against the AWS Solutions and
 * Serverless rules, so an unacknowledged finding fails `cdk synth` (and the infra tests) instead
 * of a review.
 */
export function addSwitchboard(
  app: App,
  config: DeploymentConfig,
  options: { readonly inboxAppDirectory?: string } = {},
): SwitchboardStack {
  const stack = new SwitchboardStack(app, config.stackName, {
    config,
    ...(options.inboxAppDirectory ? { inboxAppDirectory: options.inboxAppDirectory } : {}),
    // Account and region come from the CLI profile when there is one; without, the stack is
    // environment-agnostic and synthesizes offline.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return stack;
}
