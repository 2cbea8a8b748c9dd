import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ApiGatewayChatGateway, ChatSender } from '../../adapters/apigateway/chat-gateway.ts';
import { DynamoChatConnections } from '../../adapters/dynamodb/chat-connections.ts';
import { DynamoCustomerDirectory } from '../../adapters/dynamodb/customer-directory.ts';
import { documentClient } from '../../adapters/dynamodb/document-client.ts';
import {
  EventBridgeDeferredSends,
  type SchedulerSettings,
} from '../../adapters/scheduler/eventbridge-deferred-sends.ts';
import { EndUserMessagingSmsSender } from '../../adapters/sms/end-user-messaging-sender.ts';
import type { ChatDeliveryDeps } from '../../core/chat/visitor-chat.ts';
import type { SupportConfig } from '../../core/config.ts';
import type { Channel } from '../../core/model.ts';
import type { QuietHoursPolicy } from '../../core/outbound/quiet-hours.ts';
import type { ChannelSender, DeferredSends } from '../../core/ports/outbound.ts';
import type { Clock } from '../../core/ports/runtime.ts';
import type { ClientsFor } from './clients.ts';
import type { Settings } from './settings.ts';

/**
 * What the deployment sends on, and how: a capability is a setting (the config's `sms` section,
 * a WhatsApp phone number id), never the presence of a client.
 */
export function sendableChannels(settings: Settings): ReadonlySet<Channel> {
  const channels = new Set<Channel>(['email']);
  if (settings.support.sms) channels.add('sms');
  // The order-events function has no Meta secrets, only the phone number id telling it WhatsApp is on.
  if (settings.meta?.graph.whatsappPhoneNumberId || settings.whatsappPhoneNumberId) channels.add('whatsapp');
  return channels;
}

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

/** Deferred sends on EventBridge Scheduler, where the function has the scheduler and its settings. */
export function deferredSendsFor(
  client: SchedulerClient | undefined,
  settings: SchedulerSettings | undefined,
): DeferredSends | undefined {
  return client && settings ? new EventBridgeDeferredSends(client, settings) : undefined;
}

/** Chat sends go to the visitor's open sockets through the WebSocket API's management API. */
export function chatSender(
  client: ApiGatewayManagementApiClient,
  clients: ClientsFor<'dynamo' | 'scheduler'>,
  settings: Settings,
  clock: Clock,
): ChatSender {
  const db = documentClient(clients.dynamo);
  const deferredSends = deferredSendsFor(clients.scheduler, settings.deferredSends);
  return new ChatSender({
    clock,
    connections: new DynamoChatConnections(db, settings.tableName),
    gateway: new ApiGatewayChatGateway(client),
    ...(deferredSends ? { continuity: chatContinuity(clients, settings, deferredSends) } : {}),
  });
}

/** Email copies of chat answers a signed-in visitor has not seen (scheduled, checked when due). */
export function chatContinuity(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
  deferredSends: DeferredSends,
): NonNullable<ChatDeliveryDeps['continuity']> {
  return {
    customers: new DynamoCustomerDirectory(documentClient(clients.dynamo), settings.tableName),
    deferredSends,
    emailAfterMinutes: settings.support.chat?.emailAfterMinutes ?? 10,
  };
}
