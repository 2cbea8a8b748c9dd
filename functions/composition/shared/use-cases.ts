import { OnDemandAnswerComposer } from '../../adapters/bedrock/on-demand-answer-composer.ts';
import { OnDemandAgentTasks } from '../../adapters/connect/on-demand-tasks.ts';
import { DynamoAgentConversations } from '../../adapters/dynamodb/agent-conversations.ts';
import { DynamoAutoResponseBudget } from '../../adapters/dynamodb/auto-response-budget.ts';
import { DynamoChannelInsights } from '../../adapters/dynamodb/channel-insights.ts';
import { DynamoConsentLedger } from '../../adapters/dynamodb/consent-ledger.ts';
import { DynamoConversationStore } from '../../adapters/dynamodb/conversation-store.ts';
import { DynamoCustomerDirectory } from '../../adapters/dynamodb/customer-directory.ts';
import { documentClient } from '../../adapters/dynamodb/document-client.ts';
import { DynamoEscalationLog } from '../../adapters/dynamodb/escalation-log.ts';
import { DynamoEventLedger } from '../../adapters/dynamodb/event-ledger.ts';
import { DynamoIdentityWindows } from '../../adapters/dynamodb/identity-windows.ts';
import { DynamoOrderStore } from '../../adapters/dynamodb/order-store.ts';
import { DynamoResponseTimes } from '../../adapters/dynamodb/response-times.ts';
import { DynamoSelfServiceLog } from '../../adapters/dynamodb/self-service-log.ts';
import { derivedIds } from '../../adapters/ids.ts';
import { bundledKnowledgeBase } from '../../adapters/knowledge-base/bundled-knowledge-base.ts';
import { countMetric, METRIC, withBreachMetrics } from '../../adapters/metrics.ts';
import { describeError, logger } from '../../adapters/observability.ts';
import { SqsOutboundQueue } from '../../adapters/sqs/outbound-queue.ts';
import { SqsResponseDeadlines } from '../../adapters/sqs/response-deadlines.ts';
import { type EscalationDeps, raiseEscalation } from '../../core/conversations/escalation.ts';
import type { InboundDeps } from '../../core/conversations/receive-inbound.ts';
import type { SurveyAnswerDeps } from '../../core/conversations/survey.ts';
import type { GeneratedAnswerDeps } from '../../core/knowledge-base/generated-answer.ts';
import type { HelpCenterDeps } from '../../core/knowledge-base/self-service.ts';
import type { DeferredSends } from '../../core/ports/outbound.ts';
import type { Clock } from '../../core/ports/runtime.ts';
import type { InsightsDeps } from '../../core/service-levels/counters.ts';
import type { ClientsFor, EscalationClients } from './clients.ts';
import type { Settings, WithOutboundQueue } from './settings.ts';

/**
 * The dependencies several functions share, built from clients and settings: the table's stores,
 * escalations, insights, surveys, the help center, and the inbound path of every channel.
 */

/** The faces of the conversation table every use case works with. */
export function tableStores(clients: ClientsFor<'dynamo'>, settings: Settings) {
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

/**
 * The escalation rule's dependencies: escalations on the conversation, and Connect tasks when the
 * deployment names a task flow.
 */
export function escalationDeps(clients: EscalationClients, settings: Settings, clock: Clock): EscalationDeps {
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

/**
 * The insights dependencies of one function: counters and response times on the table, breach
 * metrics, escalations; inbound functions queue deadline checks on the outbound queue, the
 * dispatcher holds them with its scheduler.
 */
export function insightsDeps(
  clients: ClientsFor<'dynamo'> & Partial<ClientsFor<'sqs'>>,
  settings: Settings,
  clock: Clock,
  options: {
    /** The dispatcher's scheduler: holds a deadline check until it is due. */
    readonly deferredSends?: DeferredSends;
    /** Escalation with agent tasks where the function may create them; default: recorded only. */
    readonly escalation?: EscalationDeps;
  } = {},
): InsightsDeps {
  const db = documentClient(clients.dynamo);
  const escalation: EscalationDeps = options.escalation ?? {
    clock,
    ids: derivedIds,
    escalations: new DynamoEscalationLog(db, settings.tableName),
  };
  return {
    insights: withBreachMetrics(new DynamoChannelInsights(db, settings.tableName)),
    config: settings.support,
    clock,
    conversations: new DynamoConversationStore(db, settings.tableName),
    responseTimes: new DynamoResponseTimes(db, settings.tableName),
    deadlines:
      clients.sqs && settings.outboundQueueUrl
        ? new SqsResponseDeadlines(clients.sqs, settings.outboundQueueUrl)
        : undefined,
    deferredSends: options.deferredSends,
    escalate: (input) => raiseEscalation(escalation, input),
    onFailure: (error) => {
      logger.warn('an insights count failed; the event itself was handled', { error: describeError(error) });
      countMetric(METRIC.insightsFailures);
    },
  };
}

/** Survey answers on the inbound paths: the surveyed conversation, its score, the CSAT counters. */
export function surveyAnswerDeps(
  clients: ClientsFor<'dynamo'>,
  settings: Settings,
  clock: Clock,
): SurveyAnswerDeps {
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
 * that say an answer (email, social, chat) call this, so the SMS bundle carries no Bedrock client.
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

/**
 * receiveInbound's dependencies on every channel: the table, the outbound queue, surveys,
 * escalations and insights. Each channel's module adds its path, its own ports (attachments,
 * consent, messaging windows) and its help center.
 */
export function inboundDeps(
  clients: ClientsFor<'sqs'> & EscalationClients,
  settings: Settings & WithOutboundQueue,
  clock: Clock,
  channel: { readonly helpCenter: HelpCenterDeps | undefined },
): InboundDeps {
  const { ledger, customers, conversations, orders, leaseSeconds, autoResponseBudget } = tableStores(
    clients,
    settings,
  );
  return {
    clock,
    ids: derivedIds,
    config: settings.support,
    ledger,
    customers,
    conversations,
    orders,
    leaseSeconds,
    autoResponseBudget,
    outbound: new SqsOutboundQueue(clients.sqs, settings.outboundQueueUrl),
    helpCenter: channel.helpCenter,
    surveys: surveyAnswerDeps(clients, settings, clock),
    escalation: escalationDeps(clients, settings, clock),
    insights: insightsDeps(clients, settings, clock, {
      escalation: escalationDeps(clients, settings, clock),
    }),
  };
}

/** The consent ledger STOP and START (and order notifications) read and change. */
export function consentLedger(clients: ClientsFor<'dynamo'>, settings: Settings): DynamoConsentLedger {
  return new DynamoConsentLedger(documentClient(clients.dynamo), settings.tableName);
}
