import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SupportConfig } from '../core/config.ts';
import { type EscalationDeps, raiseEscalation } from '../core/escalation.ts';
import type { InsightsDeps } from '../core/insights.ts';
import type { Clock, DeferredSends } from '../core/ports.ts';
import { DynamoChannelInsights } from './dynamodb/channel-insights.ts';
import { DynamoConversationStore } from './dynamodb/conversation-store.ts';
import { documentClient } from './dynamodb/document-client.ts';
import { DynamoEscalationLog } from './dynamodb/escalation-log.ts';
import { DynamoResponseTimes } from './dynamodb/response-times.ts';
import { derivedIds } from './ids.ts';
import { countMetric, METRIC, withBreachMetrics } from './metrics.ts';
import { describeError, logger } from './observability.ts';
import { SqsResponseDeadlines } from './sqs/response-deadlines.ts';

/**
 * The insights dependencies of one function: counters and response times on the
 * table, breach metrics, escalations; inbound functions queue deadline checks on the outbound
 * queue, the dispatcher holds them with its scheduler.
 */
export function insightsDeps(
  clients: { readonly dynamo: DynamoDBClient; readonly sqs?: SQSClient },
  settings: {
    readonly tableName: string;
    readonly outboundQueueUrl?: string;
    readonly support: SupportConfig;
  },
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
