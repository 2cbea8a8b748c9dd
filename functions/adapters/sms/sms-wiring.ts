import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SupportConfig } from '../../core/config.ts';
import type { ChannelSender, DeferredSends } from '../../core/ports.ts';
import type { QuietHoursPolicy } from '../../core/quiet-hours.ts';
import { EventBridgeDeferredSends, type SchedulerSettings } from '../scheduler/eventbridge-deferred-sends.ts';
import { EndUserMessagingSmsSender } from './end-user-messaging-sender.ts';

/** The SMS sender, when the SMS channel is configured and a client is there to send with. */
export function smsSenders(
  client: PinpointSMSVoiceV2Client | undefined,
  support: SupportConfig,
): { sms?: ChannelSender } {
  if (!support.sms || !client) return {};
  return { sms: new EndUserMessagingSmsSender(client, support.sms) };
}

/** SMS quiet hours in the customer's zone, the business-hours zone when it is unknown. */
export function quietHoursPolicy(support: SupportConfig): QuietHoursPolicy | undefined {
  if (!support.sms) return undefined;
  // WhatsApp notifications are as intrusive as an SMS at night: the same hours hold them.
  return {
    sms: support.sms.quietHours,
    whatsapp: support.sms.quietHours,
    fallbackTimeZone: support.businessHours.timezone,
  };
}

export function deferredSendsFor(
  client: SchedulerClient | undefined,
  settings: SchedulerSettings | undefined,
): DeferredSends | undefined {
  return client && settings ? new EventBridgeDeferredSends(client, settings) : undefined;
}

/**
 * SCHEDULE_GROUP, SCHEDULE_TARGET_QUEUE_ARN, SCHEDULE_ROLE_ARN (and SCHEDULE_KMS_KEY_ARN,
 * SCHEDULE_DEAD_LETTER_QUEUE_ARN), set together by the CDK.
 */
export function schedulerSettingsFromEnvironment(env: NodeJS.ProcessEnv): SchedulerSettings | undefined {
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
