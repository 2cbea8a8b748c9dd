import type { ConnectSettings } from '../../adapters/connect/connect-settings.ts';
import type { MetaSettings } from '../../adapters/meta/meta-settings.ts';
import type { SchedulerSettings } from '../../adapters/scheduler/eventbridge-deferred-sends.ts';
import type { DeadLetterSettings } from '../../adapters/sqs/dead-letters.ts';
import { describeConfigIssues, type SupportConfig, supportConfigSchema } from '../../core/config.ts';
import { ConfigurationError } from '../../core/errors.ts';
import type { AnswerComposer } from '../../core/knowledge-base/generated-answer.ts';
import { CHANNELS, type Channel } from '../../core/model.ts';
import type { ShopSecret } from '../../core/ports/secrets.ts';

/**
 * What the dependency builders read besides clients: each function's module fills the part its
 * schema (FUNCTION_SCHEMAS) names from the environment at cold start; the sandbox fills it from
 * its stand-ins. An absent optional field switches a capability off.
 */
export interface Settings {
  readonly tableName: string;
  readonly support: SupportConfig;
  /** The mail bucket (MAIL_BUCKET), where the function may reach it. */
  readonly mailBucket?: string;
  /** RAW_MAIL_PREFIX: the raw MIME SES writes. */
  readonly rawMailPrefix?: string;
  /** ATTACHMENT_PREFIX: stored attachments and uploads. */
  readonly attachmentPrefix?: string;
  /** OUTBOUND_QUEUE_URL, where the function queues sends. */
  readonly outboundQueueUrl?: string;
  readonly sesConfigurationSet?: string;
  /** WhatsApp, Messenger, Instagram; absent when Meta is not connected. */
  readonly meta?: MetaSettings;
  /**
   * WHATSAPP_PHONE_NUMBER_ID where the function has no Meta secrets (order events): the
   * deployment sends WhatsApp.
   */
  readonly whatsappPhoneNumberId?: string;
  /** Where deferred sends are scheduled; absent when the function cannot defer. */
  readonly deferredSends?: SchedulerSettings;
  /** The Amazon Connect instance (voice, escalation tasks); absent when none is configured. */
  readonly connect?: ConnectSettings;
  /** An SQS consumer's own DLQ, for dead-lettering with a reason; absent elsewhere. */
  readonly deadLetters?: DeadLetterSettings;
  /** EVENT_LEASE_SECONDS: how long one attempt holds an event's claim, from the function's timeout. */
  readonly eventLeaseSeconds?: number;
  /** The agent API: only a conversation's assignee may reply to it. */
  readonly repliesOnlyByAssignee?: boolean;
  /** The help center (`help` in the deployment config): where its pages are; absent: no links. */
  readonly help?: { readonly baseUrl: string };
  /** The channels this deployment sends on (AGENT_CHANNELS), for the agent API; absent: derived. */
  readonly agentChannels?: readonly Channel[];
  /** Where browsers POST agent uploads instead of the bucket's URL (the sandbox's own route). */
  readonly uploadPostUrl?: () => string;
  /** Writes generated answers when `support.assistant` is set. @default Bedrock (the sandbox: its stand-in) */
  readonly answerComposer?: AnswerComposer;
}

/** The fields a builder cannot work without, for the builders that need them. */
export type WithOutboundQueue = { readonly outboundQueueUrl: string };
export type WithMailStorage = {
  readonly mailBucket: string;
  readonly rawMailPrefix: string;
  readonly attachmentPrefix: string;
};

/** The shop's signed requests: its signing secret and whether the old signature is still accepted. */
export interface ShopRequestSettings {
  readonly shopSecret: ShopSecret;
  readonly legacyBodySignature: boolean;
}

/** SUPPORT_CONFIG: the deployment's validated run-time configuration. */
export function supportConfigFrom(json: string): SupportConfig {
  let support: unknown;
  try {
    support = JSON.parse(json);
  } catch (error) {
    throw new ConfigurationError('SUPPORT_CONFIG is not valid JSON', { cause: error });
  }
  const parsed = supportConfigSchema.safeParse(support);
  if (!parsed.success) {
    throw new ConfigurationError(
      `SUPPORT_CONFIG is invalid:\n${describeConfigIssues(parsed.error, '', support)}`,
    );
  }
  return parsed.data;
}

/** The settings of every function on the table: TABLE_NAME, SUPPORT_CONFIG, EVENT_LEASE_SECONDS. */
export function tableSettings(env: {
  readonly TABLE_NAME: string;
  readonly SUPPORT_CONFIG: string;
  readonly EVENT_LEASE_SECONDS?: string;
}): Pick<Settings, 'tableName' | 'support' | 'eventLeaseSeconds'> {
  const eventLeaseSeconds = eventLeaseSecondsFrom(env.EVENT_LEASE_SECONDS);
  return {
    tableName: env.TABLE_NAME,
    support: supportConfigFrom(env.SUPPORT_CONFIG),
    ...(eventLeaseSeconds === undefined ? {} : { eventLeaseSeconds }),
  };
}

/** EVENT_LEASE_SECONDS as SupportFunction sets it; absent (the sandbox, tests): the core's default. */
export function eventLeaseSecondsFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new ConfigurationError(
      `EVENT_LEASE_SECONDS must be a whole number of seconds above 0, not "${value}"`,
    );
  }
  return seconds;
}

/** AGENT_CHANNELS as the agent API construct sets it (`email,sms,whatsapp`); absent elsewhere. */
export function agentChannelsFrom(value: string | undefined): Channel[] | undefined {
  if (!value) return undefined;
  const channels = value.split(',').map((c) => c.trim());
  const unknown = channels.filter((c) => !(CHANNELS as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw new ConfigurationError(`AGENT_CHANNELS names unknown channels: ${unknown.join(', ')}`);
  }
  return channels as Channel[];
}

/**
 * SCHEDULE_GROUP, SCHEDULE_TARGET_QUEUE_ARN, SCHEDULE_ROLE_ARN (and SCHEDULE_KMS_KEY_ARN,
 * SCHEDULE_DEAD_LETTER_QUEUE_ARN), set together by the CDK; undefined without the first three.
 */
export function schedulerSettingsFromEnvironment(env: {
  readonly SCHEDULE_GROUP?: string;
  readonly SCHEDULE_TARGET_QUEUE_ARN?: string;
  readonly SCHEDULE_ROLE_ARN?: string;
  readonly SCHEDULE_KMS_KEY_ARN?: string;
  readonly SCHEDULE_DEAD_LETTER_QUEUE_ARN?: string;
}): SchedulerSettings | undefined {
  const groupName = env.SCHEDULE_GROUP;
  const targetQueueArn = env.SCHEDULE_TARGET_QUEUE_ARN;
  const targetRoleArn = env.SCHEDULE_ROLE_ARN;
  if (!groupName || !targetQueueArn || !targetRoleArn) return undefined;
  return {
    groupName,
    targetQueueArn,
    targetRoleArn,
    kmsKeyArn: env.SCHEDULE_KMS_KEY_ARN || undefined,
    deadLetterQueueArn: env.SCHEDULE_DEAD_LETTER_QUEUE_ARN || undefined,
  };
}

/** HELP_BASE_URL: acknowledgements link the help center's articles there. */
export function helpFrom(value: string | undefined): Settings['help'] {
  return value ? { baseUrl: value } : undefined;
}

/** What the sandbox and the tests pass: every field a builder may require, from local stand-ins. */
export type LocalSettings = Settings & WithOutboundQueue & WithMailStorage;
