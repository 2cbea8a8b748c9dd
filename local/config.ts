import { readFileSync } from 'node:fs';
import {
  agentSupportSchema,
  type ChatSupportConfig,
  chatAttachmentsSchema,
  chatSupportSchema,
  type SmsConfig,
  type SupportConfig,
  smsConfigSchema,
} from '../functions/core/config.ts';
import { CONFIG_CONTEXT_KEY, type DeploymentConfig, parseDeploymentConfig } from '../lib/config.ts';

/**
 * The sandbox runs the shop of the project's own `cdk.json` (its `switchboard` settings: business
 * hours, holidays, targets, languages, FAQ, and every channel section it has), so what a shop
 * sees locally is what it deploys. Only what cannot exist on this machine is the sandbox's own:
 * stand-in endpoints, secrets and tokens, and a stand-in for each channel cdk.json leaves out, so
 * every channel works here.
 */

/** The project's cdk.json, at the project root. */
export const PROJECT_CDK_JSON = new URL('../cdk.json', import.meta.url);

/** The deployment config of a cdk.json, validated as `cdk synth` validates it. */
export function projectDeploymentConfig(file: URL | string = PROJECT_CDK_JSON): DeploymentConfig {
  const cdkJson = JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return parseDeploymentConfig(cdkJson.context?.[CONFIG_CONTEXT_KEY]);
}

/**
 * SMS when cdk.json has no `sms` section: a Turkish 0850 service number; the sandbox's End User
 * Messaging twin sends from its phone id.
 */
export const SANDBOX_SMS_STAND_IN: SmsConfig = smsConfigSchema.parse({
  originationIdentity: 'phone-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  configurationSetName: 'switchboard-sms',
  ownNumbers: ['+908501234567'],
});

/**
 * Chat when cdk.json has no `chat` section; the confirmation link of an address a visitor leaves
 * lands on `npm start`'s default port.
 */
export const SANDBOX_CHAT_STAND_IN: ChatSupportConfig = chatSupportSchema.parse({
  confirmationUrl: 'http://127.0.0.1:3000/chat/confirm',
});

/** The run-time support config the sandbox's handlers get from a deployment config. */
export function sandboxSupportConfigFrom(config: DeploymentConfig): SupportConfig {
  return {
    ...config.support,
    sms: config.support.sms ?? SANDBOX_SMS_STAND_IN,
    // Uploads on in the sandbox whatever the deployment's origins: its own route takes them.
    chat: {
      ...(config.support.chat ?? SANDBOX_CHAT_STAND_IN),
      attachments: config.support.chat?.attachments ?? chatAttachmentsSchema.parse({}),
    },
    // The agent API always runs here, agents' attachments with it.
    agents: config.support.agents ?? agentSupportSchema.parse({}),
  };
}

/** The project's deployment config, read once. */
export const projectConfig: DeploymentConfig = projectDeploymentConfig();

/** The shop the sandbox runs: cdk.json's, with stand-ins for the channels it leaves out. */
export const sandboxSupportConfig: SupportConfig = sandboxSupportConfigFrom(projectConfig);
