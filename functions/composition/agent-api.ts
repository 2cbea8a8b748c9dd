import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  ApiGatewayChatGateway,
  chatGatewayClient,
  chatSettingsFromEnvironment,
} from '../adapters/apigateway/chat-gateway.ts';
import { connectSettingsFromEnvironment } from '../adapters/connect/connect-settings.ts';
import { connectClientOnDemand } from '../adapters/connect/on-demand-tasks.ts';
import { DynamoAgentConversations } from '../adapters/dynamodb/agent-conversations.ts';
import { DynamoChannelInsights } from '../adapters/dynamodb/channel-insights.ts';
import { DynamoChatConnections } from '../adapters/dynamodb/chat-connections.ts';
import { DynamoConversationMerges } from '../adapters/dynamodb/conversation-merges.ts';
import { DynamoCustomerDirectory } from '../adapters/dynamodb/customer-directory.ts';
import { DynamoCustomerLinks } from '../adapters/dynamodb/customer-links.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoIdentityWindows } from '../adapters/dynamodb/identity-windows.ts';
import {
  DynamoCannedResponses,
  DynamoCustomerNames,
  DynamoInboxConversations,
  DynamoReadMarkers,
} from '../adapters/dynamodb/inbox.ts';
import { DynamoOrderStore } from '../adapters/dynamodb/order-store.ts';
import { DynamoSelfServiceLog } from '../adapters/dynamodb/self-service-log.ts';
import { readEnvironment } from '../adapters/environment.ts';
import { derivedIds, systemClock } from '../adapters/ids.ts';
import { S3ChatUploads } from '../adapters/s3/chat-uploads.ts';
import { S3MessageBodies } from '../adapters/s3/mail-storage.ts';
import { SqsOutboundQueue } from '../adapters/sqs/outbound-queue.ts';
import { AGENT_UPLOAD_FOLDER } from '../core/agent/attachments.ts';
import type { Channel } from '../core/model.ts';
import type { Clock } from '../core/ports/runtime.ts';
import {
  type AgentApiHandlerDeps,
  type AgentCustomerDeps,
  makeAgentApiHandler,
} from '../handlers/agent-api.ts';
import { type ClientsFor, type EscalationClients, once } from './shared/clients.ts';
import { quietHoursPolicy } from './shared/sending.ts';
import {
  agentChannelsFrom,
  helpFrom,
  type Settings,
  tableSettings,
  type WithOutboundQueue,
} from './shared/settings.ts';
import { consentLedger, escalationDeps, insightsDeps } from './shared/use-cases.ts';

/**
 * The agent API: the table, the outbound queue, the mail bucket (agents' uploads), the WebSocket
 * API (typing signals) where it is deployed; Connect on demand.
 */
export function agentApiClients() {
  return {
    dynamo: new DynamoDBClient({}),
    sqs: new SQSClient({}),
    s3: new S3Client({}),
    connect: connectClientOnDemand,
    chatGateway: chatGatewayClient(chatSettingsFromEnvironment()),
  };
}

export type AgentApiSettings = Settings & WithOutboundQueue;

export function agentApiSettings(environment: NodeJS.ProcessEnv = process.env): AgentApiSettings {
  const env = readEnvironment('agent-api', environment);
  return {
    ...tableSettings(env),
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL,
    mailBucket: env.MAIL_BUCKET,
    attachmentPrefix: env.ATTACHMENT_PREFIX,
    agentChannels: agentChannelsFrom(env.AGENT_CHANNELS),
    repliesOnlyByAssignee: env.AGENT_REPLIES_ONLY_BY_ASSIGNEE === 'true',
    help: helpFrom(env.HELP_BASE_URL),
    connect: connectSettingsFromEnvironment(env),
  };
}

/** Its use cases on the table and the outbound queue, and the channel report. */
export function agentApiDeps(
  clients: ClientsFor<'sqs' | 'chatGateway'> & Partial<ClientsFor<'s3'>> & EscalationClients,
  settings: AgentApiSettings,
  clock: Clock = systemClock,
): AgentApiHandlerDeps {
  const db = documentClient(clients.dynamo);
  const conversations = new DynamoAgentConversations(
    db,
    settings.tableName,
    clients.s3 && settings.mailBucket && settings.attachmentPrefix
      ? new S3MessageBodies(clients.s3, settings.mailBucket, settings.attachmentPrefix)
      : undefined,
  );
  const insights = new DynamoChannelInsights(db, settings.tableName);
  const chatSockets = clients.chatGateway
    ? {
        connections: new DynamoChatConnections(db, settings.tableName),
        gateway: new ApiGatewayChatGateway(clients.chatGateway),
      }
    : undefined;
  return {
    customers: agentCustomerDeps(clients, settings, clock, conversations),
    inbox: {
      clock,
      ids: derivedIds,
      config: settings.support,
      conversations,
      inbox: new DynamoInboxConversations(db, settings.tableName),
      names: new DynamoCustomerNames(db, settings.tableName),
      readMarkers: new DynamoReadMarkers(db, settings.tableName),
      cannedResponses: new DynamoCannedResponses(db, settings.tableName),
      ...(chatSockets ? { chat: chatSockets } : {}),
    },
    agent: {
      repliesOnlyByAssignee: settings.repliesOnlyByAssignee,
      clock,
      ids: derivedIds,
      config: settings.support,
      customers: new DynamoCustomerDirectory(db, settings.tableName),
      conversations,
      outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
      // A close is a resolution: counted once per close (the response-times record decides);
      // a late one is escalated and counted as a breach.
      insights: insightsDeps(clients, settings, clock, {
        escalation: escalationDeps(clients, settings, clock),
      }),
    },
    reports: { insights, config: settings.support },
    ...(settings.help ? { selfService: { store: new DynamoSelfServiceLog(db, settings.tableName) } } : {}),
    ...(chatSockets ? { chat: { clock, history: conversations, ...chatSockets } } : {}),
  };
}

/** The channels the agent API offers: AGENT_CHANNELS as the stack sets it, else what the config names. */
function agentChannels(settings: Settings): ReadonlySet<Channel> {
  if (settings.agentChannels) return new Set(settings.agentChannels);
  const channels = new Set<Channel>(['email']);
  if (settings.support.sms) channels.add('sms');
  if (settings.support.chat) channels.add('chat');
  if (settings.meta?.graph.whatsappPhoneNumberId) channels.add('whatsapp');
  if (settings.meta) {
    channels.add('messenger');
    channels.add('instagram');
  }
  return channels;
}

/** The sidebar, the composer's channel picker and uploads, and the admin merges. */
function agentCustomerDeps(
  clients: ClientsFor<'dynamo'> & Partial<ClientsFor<'s3'>>,
  settings: Settings,
  clock: Clock,
  conversations: DynamoAgentConversations,
): AgentCustomerDeps {
  const db = documentClient(clients.dynamo);
  const customers = new DynamoCustomerDirectory(db, settings.tableName);
  const consent = consentLedger(clients, settings);
  const orders = new DynamoOrderStore(db, settings.tableName);
  const identityWindows = new DynamoIdentityWindows(db, settings.tableName);
  const channels = agentChannels(settings);
  const quietHours = quietHoursPolicy(settings.support);
  const limits = settings.support.agents?.attachments;
  const uploads =
    clients.s3 && settings.mailBucket && settings.attachmentPrefix && limits
      ? {
          clock,
          conversations,
          limits,
          newUploadId: () => randomUUID(),
          uploads: new S3ChatUploads(
            clients.s3,
            settings.mailBucket,
            settings.attachmentPrefix,
            settings.uploadPostUrl,
            AGENT_UPLOAD_FOLDER,
          ),
        }
      : undefined;
  return {
    profile: {
      clock,
      config: settings.support,
      customers,
      conversations,
      consentHistory: consent,
      orders,
      identityWindows,
      channels,
      quietHours,
    },
    composer: { channels, identityWindows, quietHours, ...(uploads ? { uploads } : {}) },
    customerMerge: {
      clock,
      ids: derivedIds,
      customers,
      links: new DynamoCustomerLinks(db, settings.tableName),
      consent,
      orders,
    },
    conversationMerge: {
      clock,
      customers,
      conversations,
      merges: new DynamoConversationMerges(db, settings.tableName),
    },
  };
}

export const handler = makeAgentApiHandler(once(() => agentApiDeps(agentApiClients(), agentApiSettings())));
