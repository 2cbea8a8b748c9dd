import { randomUUID } from 'node:crypto';
import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AGENT_UPLOAD_FOLDER } from '../core/agent/attachments.ts';
import type { ChatDeliveryDeps } from '../core/chat/visitor-chat.ts';
import { describeConfigIssues, type SupportConfig, supportConfigSchema } from '../core/config.ts';
import { ConfigurationError } from '../core/errors.ts';
import type { EscalationDeps } from '../core/escalation.ts';
import type { ArticleFeedbackDeps } from '../core/knowledge-base/feedback.ts';
import type { AnswerComposer, GeneratedAnswerDeps } from '../core/knowledge-base/generated-answer.ts';
import type { HelpCenterDeps } from '../core/knowledge-base/self-service.ts';
import { CHANNELS, type Channel } from '../core/model.ts';
import type { Clock, DeferredSends } from '../core/ports.ts';
import type { ReceiveInboundDeps } from '../core/receive-inbound.ts';
import type { FireReminderDeps } from '../core/reminders.ts';
import type { SurveyAnswerDeps } from '../core/survey.ts';
import type { CallerLookupDeps } from '../core/voice/caller-lookup.ts';
import type { ContactEventDeps } from '../core/voice/contact-events.ts';
import type { AgentApiHandlerDeps } from '../handlers/agent-api.ts';
import type { SocialInboundDeps } from '../handlers/inbound-social.ts';
import type { OrderEventsHandlerDeps } from '../handlers/order-events.ts';
import type { RemindersHandlerDeps } from '../handlers/reminders.ts';
import { ApiGatewayChatGateway, ChatSender } from './apigateway/chat-gateway.ts';
import { OnDemandAnswerComposer } from './bedrock/on-demand-answer-composer.ts';
import { ConnectApiContacts } from './connect/connect-contacts.ts';
import { type ConnectSettings, connectSettingsFromEnvironment } from './connect/connect-settings.ts';
import { type ConnectClientSource, OnDemandAgentTasks } from './connect/on-demand-tasks.ts';
import { DynamoAgentConversations } from './dynamodb/agent-conversations.ts';
import { DynamoAutoResponseBudget } from './dynamodb/auto-response-budget.ts';
import { DynamoChannelInsights } from './dynamodb/channel-insights.ts';
import { DynamoChatConnections, DynamoChatReceipts } from './dynamodb/chat-connections.ts';
import { DynamoConsentLedger } from './dynamodb/consent-ledger.ts';
import { DynamoConversationMerges } from './dynamodb/conversation-merges.ts';
import { DynamoConversationStore } from './dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from './dynamodb/customer-directory.ts';
import { DynamoCustomerLinks } from './dynamodb/customer-links.ts';
import { documentClient } from './dynamodb/document-client.ts';
import { DynamoEscalationLog } from './dynamodb/escalation-log.ts';
import { DynamoEventLedger } from './dynamodb/event-ledger.ts';
import { DynamoIdentityWindows } from './dynamodb/identity-windows.ts';
import {
  DynamoCannedResponses,
  DynamoCustomerNames,
  DynamoInboxConversations,
  DynamoReadMarkers,
} from './dynamodb/inbox.ts';
import { DynamoOrderStore } from './dynamodb/order-store.ts';
import { DynamoProviderMessageIndex } from './dynamodb/provider-messages.ts';
import { DynamoReminderStore } from './dynamodb/reminder-store.ts';
import { DynamoSelfServiceLog } from './dynamodb/self-service-log.ts';
import { DynamoSentRecordCompletion } from './dynamodb/sent-record-completion.ts';
import { DynamoVoiceContacts } from './dynamodb/voice-contacts.ts';
import { AGENT_CHANNELS_VARIABLE, AGENT_REPLIES_ONLY_BY_ASSIGNEE_VARIABLE } from './http/agent-routes.ts';
import { derivedIds, systemClock } from './ids.ts';
import { insightsDeps } from './insights-wiring.ts';
import { bundledKnowledgeBase } from './knowledge-base/bundled-knowledge-base.ts';
import { type MetaSettings, metaSenders, metaSettingsFromEnvironment } from './meta/meta-settings.ts';
import { describeError, logger } from './observability.ts';
import { S3ChatUploads } from './s3/chat-uploads.ts';
import { S3AttachmentContent, S3AttachmentStore, S3RawMailSource } from './s3/mail-storage.ts';
import type { SchedulerSettings } from './scheduler/eventbridge-deferred-sends.ts';
import { SesEmailSender } from './ses/ses-email-sender.ts';
import {
  legacyBodySignatureFromEnvironment,
  type ShopSecret,
  shopSecretFromEnvironment,
} from './shop/shop-secret.ts';
import {
  deferredSendsFor,
  quietHoursPolicy,
  schedulerSettingsFromEnvironment,
  smsSenders,
} from './sms/sms-wiring.ts';
import { type DeadLetterSettings, deadLetterSettingsFromEnvironment } from './sqs/dead-letters.ts';
import { SqsOutboundQueue } from './sqs/outbound-queue.ts';

/**
 * The composition root: builds each use-case's dependencies from SDK clients and settings.
 * Lambda builds them from its environment; the sandbox passes local clients and its clock.
 */

export interface AwsClients {
  readonly dynamo: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly ses: SESv2Client;
  /** End User Messaging SMS; absent where SMS is not sent (the sandbox has its own twin). */
  readonly sms?: PinpointSMSVoiceV2Client;
  /** EventBridge Scheduler, for deferred sends (quiet hours). */
  readonly scheduler?: SchedulerClient;
  /** Amazon Connect (DescribeContact, StartTaskContact); absent where no instance is configured. */
  readonly connect?: ConnectClient;
  /** The chat WebSocket API's management API (PostToConnection); absent where chat is not deployed. */
  readonly chatGateway?: ApiGatewayManagementApiClient;
}

export interface Settings {
  readonly tableName: string;
  readonly mailBucket: string;
  readonly rawMailPrefix: string;
  readonly attachmentPrefix: string;
  readonly outboundQueueUrl: string;
  readonly sesConfigurationSet?: string;
  readonly support: SupportConfig;
  /** WhatsApp, Messenger, Instagram; absent when Meta is not connected. */
  readonly meta?: MetaSettings;
  /** Where deferred sends are scheduled; absent when the dispatcher cannot defer. */
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

/**
 * The clients a use-case's dependencies need, each builder naming only its own: a function builds
 * just those (function-clients.ts) and its bundle carries no other SDK package.
 */
type ClientsFor<Name extends keyof AwsClients> = Pick<AwsClients, Name>;

/** Escalations: Connect, where tasks are created, may be a client built on the first one. */
type EscalationClients = ClientsFor<'dynamo'> & { readonly connect?: ConnectClientSource };

/** The three faces of the conversation table every use-case works with. */
function tableStores(clients: ClientsFor<'dynamo'>, settings: Settings) {
  const db = documentClient(clients.dynamo);
  return {
    ledger: new DynamoEventLedger(db, settings.tableName),
    customers: new DynamoCustomerDirectory(db, settings.tableName),
    conversations: new DynamoConversationStore(db, settings.tableName),
    // Read by every inbound path ("where is my order"), written by order events.
    orders: new DynamoOrderStore(db, settings.tableName),
    // The claims of this function's events last as long as one attempt of it can (event-lease.ts).
    leaseSeconds: settings.eventLeaseSeconds,
    // Taken by every inbound path before an automatic response goes out.
    autoResponseBudget: new DynamoAutoResponseBudget(db, settings.tableName),
    // Written by the inbound paths, read by the dispatcher: Meta's 24-hour window per sender.
    identityWindows: new DynamoIdentityWindows(db, settings.tableName),
  };
}

export interface InboundEmailDeps extends ReceiveInboundDeps {
  readonly rawMail: S3RawMailSource;
}

export function inboundEmailDeps(
  clients: ClientsFor<'s3' | 'sqs'> & EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): InboundEmailDeps {
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    ...tableStores(clients, settings),
    attachments: new S3AttachmentStore(clients.s3, settings.mailBucket, settings.attachmentPrefix),
    outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
    rawMail: new S3RawMailSource(clients.s3, settings.mailBucket, settings.rawMailPrefix),
    helpCenter: answeringHelpCenterDeps(clients, settings),
    surveys: surveyAnswerDeps(clients, settings, clock),
    escalation: escalationDeps(clients, settings, clock),
    insights: insightsDeps(clients, settings, clock, {
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

/** The help center the acknowledgements answer from; none without `help` configured. */
export function helpCenterDeps(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
): HelpCenterDeps | undefined {
  if (!settings.help) return undefined;
  return {
    knowledgeBase: bundledKnowledgeBase(),
    site: settings.help,
    log: new DynamoSelfServiceLog(documentClient(clients.dynamo), settings.tableName),
    onFailure: (error) =>
      logger.warn('a self-service counter was not updated', { error: describeError(error) }),
  };
}

/**
 * The help center with generated answers, when `support.assistant` is configured. Only the paths
 * that say an answer (email, social) call this, so the SMS bundle carries no Bedrock client.
 */
export function answeringHelpCenterDeps(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
): HelpCenterDeps | undefined {
  const help = helpCenterDeps(clients, settings);
  const answers = generatedAnswerDeps(settings);
  return help && answers ? { ...help, answers } : help;
}

/** Generated answers, with `support.assistant` configured; the summary is said otherwise. */
function generatedAnswerDeps(settings: Settings): GeneratedAnswerDeps | undefined {
  const assistant = settings.support.assistant;
  if (!assistant) return undefined;
  return {
    composer: settings.answerComposer ?? new OnDemandAnswerComposer(assistant),
    maxCharacters: assistant.maxAnswerCharacters,
    // The reason only: the question and the answer are the customer's business.
    onFallback: (reason, error) =>
      logger.warn('the generated answer was not used; the article summary was sent', {
        reason,
        ...(error ? { error: describeError(error) } : {}),
      }),
  };
}

/** `POST /help/feedback`: the articles (to check the slug) and the self-service counters. */
export function helpFeedbackDeps(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
  clock: Clock = systemClock,
): ArticleFeedbackDeps {
  return {
    store: new DynamoSelfServiceLog(documentClient(clients.dynamo), settings.tableName),
    knowledgeBase: bundledKnowledgeBase(),
    clock,
    ids: derivedIds,
  };
}

/** Survey answers on the inbound paths: the surveyed conversation, its score, the CSAT counters. */
function surveyAnswerDeps(clients: ClientsFor<'dynamo'>, settings: Settings, clock: Clock): SurveyAnswerDeps {
  const db = documentClient(clients.dynamo);
  return {
    store: new DynamoAgentConversations(db, settings.tableName),
    insights: {
      insights: new DynamoChannelInsights(db, settings.tableName),
      config: settings.support,
      clock,
    },
  };
}

/** The agent API: its use-cases on the table and the outbound queue, and the channel report. */
export function agentApiDeps(
  clients: ClientsFor<'sqs' | 'chatGateway'> & Partial<ClientsFor<'s3'>> & EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): AgentApiHandlerDeps {
  const db = documentClient(clients.dynamo);
  const conversations = new DynamoAgentConversations(db, settings.tableName);
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
): NonNullable<AgentApiHandlerDeps['customers']> {
  const db = documentClient(clients.dynamo);
  const customers = new DynamoCustomerDirectory(db, settings.tableName);
  const consent = new DynamoConsentLedger(db, settings.tableName);
  const orders = new DynamoOrderStore(db, settings.tableName);
  const identityWindows = new DynamoIdentityWindows(db, settings.tableName);
  const channels = agentChannels(settings);
  const quietHours = quietHoursPolicy(settings.support);
  const limits = settings.support.agents?.attachments;
  const uploads =
    clients.s3 && settings.mailBucket && limits
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

export function dispatcherDeps(
  clients: ClientsFor<'sqs' | 'ses' | 'sms' | 'scheduler' | 'chatGateway'> &
    Partial<ClientsFor<'s3'>> &
    EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): FireReminderDeps {
  return {
    clock,
    ...tableStores(clients, settings),
    // Due reminders arrive on the outbound queue too (core/reminders.ts).
    ids: derivedIds,
    config: settings.support,
    reminders: new DynamoReminderStore(documentClient(clients.dynamo), settings.tableName),
    channels: sendableChannels(clients, settings),
    senders: {
      email: new SesEmailSender(
        clients.ses,
        settings.support,
        clock,
        settings.sesConfigurationSet,
        // Agent replies' files, from the mail bucket's attachment prefix.
        clients.s3 && settings.mailBucket
          ? new S3AttachmentContent(clients.s3, settings.mailBucket, settings.attachmentPrefix)
          : undefined,
      ),
      ...metaSenders(settings.meta),
      ...smsSenders(clients.sms, settings.support),
      ...(clients.chatGateway ? { chat: chatSender(clients.chatGateway, clients, settings, clock) } : {}),
    },
    chatReceipts: new DynamoChatReceipts(documentClient(clients.dynamo), settings.tableName),
    quietHours: quietHoursPolicy(settings.support),
    consent: new DynamoConsentLedger(documentClient(clients.dynamo), settings.tableName),
    deferredSends: deferredSendsFor(clients.scheduler, settings.deferredSends),
    providerMessages: new DynamoProviderMessageIndex(documentClient(clients.dynamo), settings.tableName),
    sentRecords: new DynamoSentRecordCompletion(documentClient(clients.dynamo), settings.tableName),
    social: settings.support.social,
    // Agent replies' first responses; due deadline checks are held with the same scheduler.
    insights: insightsDeps(clients, settings, clock, {
      deferredSends: deferredSendsFor(clients.scheduler, settings.deferredSends),
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

/** Chat sends go to the visitor's open sockets through the WebSocket API's management API. */
function chatSender(
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
    ...(deferredSends ? { continuity: chatContinuity(db, settings, deferredSends) } : {}),
  });
}

/** Email copies of chat answers a signed-in visitor has not seen (scheduled, checked when due). */
export function chatContinuity(
  db: ReturnType<typeof documentClient>,
  settings: Settings,
  deferredSends: DeferredSends,
): NonNullable<ChatDeliveryDeps['continuity']> {
  return {
    customers: new DynamoCustomerDirectory(db, settings.tableName),
    deferredSends,
    emailAfterMinutes: settings.support.chat?.emailAfterMinutes ?? 10,
  };
}

/** The consumer of verified Meta webhook deliveries: receiveInbound plus delivery statuses. */
export function socialInboundDeps(
  clients: ClientsFor<'sqs'> & EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): SocialInboundDeps {
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    ...tableStores(clients, settings),
    // Media stay with Meta as references; nothing is stored as an object.
    attachments: { put: async () => Promise.reject(new ConfigurationError('social media are not stored')) },
    outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
    providerMessages: new DynamoProviderMessageIndex(documentClient(clients.dynamo), settings.tableName),
    helpCenter: answeringHelpCenterDeps(clients, settings),
    surveys: surveyAnswerDeps(clients, settings, clock),
    escalation: escalationDeps(clients, settings, clock),
    insights: insightsDeps(clients, settings, clock, {
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

/** Inbound SMS: receiveInbound with the consent ledger that STOP and START change. */
export function inboundSmsDeps(
  clients: ClientsFor<'sqs'> & EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): ReceiveInboundDeps {
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    ...tableStores(clients, settings),
    // SMS has no attachments (MMS media are not part of End User Messaging's SNS payload).
    attachments: {
      put: async () => Promise.reject(new ConfigurationError('SMS attachments are not stored')),
    },
    outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
    consent: new DynamoConsentLedger(documentClient(clients.dynamo), settings.tableName),
    helpCenter: helpCenterDeps(clients, settings),
    surveys: surveyAnswerDeps(clients, settings, clock),
    escalation: escalationDeps(clients, settings, clock),
    insights: insightsDeps(clients, settings, clock, {
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

/** The channels the dispatcher of this deployment can send on (order notifications pick from them). */
export function sendableChannels(clients: ClientsFor<'sms'>, settings: Settings): ReadonlySet<Channel> {
  const channels = new Set<Channel>(['email']);
  if (settings.support.sms && clients.sms) channels.add('sms');
  // The order-events function has no Meta secrets, only the phone number id telling it WhatsApp is on.
  if (settings.meta?.graph.whatsappPhoneNumberId || process.env.WHATSAPP_PHONE_NUMBER_ID)
    channels.add('whatsapp');
  return channels;
}

/** `POST /orders/events`: the shop's signing secret and the order use-case. */
export function orderEventsDeps(
  clients: ClientsFor<'dynamo' | 'sqs' | 'sms'>,
  settings: Settings,
  clock: Clock = systemClock,
  secret: ShopSecret = shopSecretFromEnvironment(),
): OrderEventsHandlerDeps {
  const db = documentClient(clients.dynamo);
  return {
    secret,
    clock,
    legacyBodySignature: legacyBodySignatureFromEnvironment(),
    orders: {
      clock,
      ids: derivedIds,
      config: settings.support,
      ...tableStores(clients, settings),
      links: new DynamoCustomerLinks(db, settings.tableName),
      consent: new DynamoConsentLedger(db, settings.tableName),
      outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
      channels: sendableChannels(clients, settings),
    },
  };
}

/** `POST /reminders`, `DELETE /reminders/{id}`: the shop's secret and the reminder use-cases. */
export function remindersDeps(
  clients: ClientsFor<'dynamo' | 'scheduler'>,
  settings: Settings,
  clock: Clock = systemClock,
  secret: ShopSecret = shopSecretFromEnvironment(),
): RemindersHandlerDeps {
  const db = documentClient(clients.dynamo);
  const deferredSends = deferredSendsFor(clients.scheduler, settings.deferredSends);
  if (!deferredSends) {
    throw new ConfigurationError(
      'reminders need SCHEDULE_GROUP, SCHEDULE_TARGET_QUEUE_ARN and SCHEDULE_ROLE_ARN',
    );
  }
  const stores = tableStores(clients, settings);
  return {
    secret,
    clock,
    legacyBodySignature: legacyBodySignatureFromEnvironment(),
    reminders: {
      clock,
      ids: derivedIds,
      customers: stores.customers,
      orders: stores.orders,
      links: new DynamoCustomerLinks(db, settings.tableName),
      consent: new DynamoConsentLedger(db, settings.tableName),
      reminders: new DynamoReminderStore(db, settings.tableName),
      deferredSends,
    },
  };
}

/**
 * The escalation rule's dependencies: escalations on the conversation, and Connect tasks when the
 * deployment names a task flow.
 */
export function escalationDeps(
  clients: EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): EscalationDeps {
  const connect = settings.connect;
  return {
    clock,
    ids: derivedIds,
    escalations: new DynamoEscalationLog(documentClient(clients.dynamo), settings.tableName),
    ...(connect?.taskContactFlowId && clients.connect
      ? {
          agentTasks: new OnDemandAgentTasks(clients.connect, {
            instanceId: connect.instanceId,
            taskContactFlowId: connect.taskContactFlowId,
            conversationUrlTemplate: connect.conversationUrlTemplate,
          }),
        }
      : {}),
  };
}

/** The contact flow's caller lookup: a few key lookups, and the contact record it leaves. */
export function voiceLookupDeps(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
  clock: Clock = systemClock,
): CallerLookupDeps {
  const db = documentClient(clients.dynamo);
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    customers: new DynamoCustomerDirectory(db, settings.tableName),
    orders: new DynamoOrderStore(db, settings.tableName),
    contacts: new DynamoVoiceContacts(db, settings.tableName),
    vipCustomerIds: settings.connect?.vipCustomerIds,
  };
}

/** Contact events: the timeline, DescribeContact for unknown contacts, the missed-call follow-up. */
export function voiceEventsDeps(
  clients: ClientsFor<'dynamo' | 'sqs' | 'scheduler' | 'sms'> & EscalationClients,
  settings: Settings,
  clock: Clock = systemClock,
): ContactEventDeps {
  const db = documentClient(clients.dynamo);
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    ...tableStores(clients, settings),
    contacts: new DynamoVoiceContacts(db, settings.tableName),
    ...(clients.connect && settings.connect
      ? { connect: new ConnectApiContacts(clients.connect, settings.connect.instanceId) }
      : {}),
    outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
    deferredSends: deferredSendsFor(clients.scheduler, settings.deferredSends),
    channels: sendableChannels(clients, settings),
    escalation: escalationDeps(clients, settings, clock),
    // Calls count under voice in the channel report; core keeps deadlines off them.
    insights: insightsDeps(clients, settings, clock, {
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Settings {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new ConfigurationError(`the environment variable ${name} is not set`);
    return value;
  };
  let support: unknown;
  try {
    support = JSON.parse(required('SUPPORT_CONFIG'));
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError('SUPPORT_CONFIG is not valid JSON', { cause: error });
  }
  const parsed = supportConfigSchema.safeParse(support);
  if (!parsed.success) {
    throw new ConfigurationError(
      `SUPPORT_CONFIG is invalid:\n${describeConfigIssues(parsed.error, '', support)}`,
    );
  }
  return {
    tableName: required('TABLE_NAME'),
    mailBucket: env.MAIL_BUCKET ?? '',
    rawMailPrefix: env.RAW_MAIL_PREFIX ?? 'inbound/',
    attachmentPrefix: env.ATTACHMENT_PREFIX ?? 'attachments/',
    outboundQueueUrl: env.OUTBOUND_QUEUE_URL ?? '',
    sesConfigurationSet: env.SES_CONFIGURATION_SET || undefined,
    support: parsed.data,
    meta: metaSettingsFromEnvironment(env),
    deferredSends: schedulerSettingsFromEnvironment(env),
    connect: connectSettingsFromEnvironment(env),
    deadLetters: deadLetterSettingsFromEnvironment(env),
    eventLeaseSeconds: eventLeaseSecondsFromEnvironment(env),
    repliesOnlyByAssignee: env[AGENT_REPLIES_ONLY_BY_ASSIGNEE_VARIABLE] === 'true',
    agentChannels: agentChannelsFromEnvironment(env),
    help: env.HELP_BASE_URL ? { baseUrl: env.HELP_BASE_URL } : undefined,
  };
}

/** AGENT_CHANNELS as the agent API construct sets it (`email,sms,whatsapp`); absent elsewhere. */
function agentChannelsFromEnvironment(env: NodeJS.ProcessEnv): Channel[] | undefined {
  const value = env[AGENT_CHANNELS_VARIABLE];
  if (!value) return undefined;
  const channels = value.split(',').map((c) => c.trim());
  const unknown = channels.filter((c) => !(CHANNELS as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw new ConfigurationError(`${AGENT_CHANNELS_VARIABLE} names unknown channels: ${unknown.join(', ')}`);
  }
  return channels as Channel[];
}

/** EVENT_LEASE_SECONDS as SupportFunction sets it; absent (the sandbox, tests): the core's default. */
function eventLeaseSecondsFromEnvironment(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.EVENT_LEASE_SECONDS;
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new ConfigurationError(
      `EVENT_LEASE_SECONDS must be a whole number of seconds above 0, not "${value}"`,
    );
  }
  return seconds;
}

/** Builds a value on first use: Lambda pays for clients on the first event, tests never do. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}
