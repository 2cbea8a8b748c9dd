/**
 * The names the functions emit metrics under (EMF) and the CDK dashboard and alarms read: one
 * place, so the two cannot drift apart. No dependencies: the CDK app imports it too.
 */

/** The CloudWatch namespace of every switchboard metric. */
export const METRICS_NAMESPACE = 'Switchboard';

/** One `service` dimension for every function, so one alarm covers a metric wherever it is emitted. */
export const METRICS_SERVICE = 'switchboard';

/** Metric names. Dimensions are `service`, and `channel` or `kind` only: never PII. */
export const METRIC = {
  inboundMessages: 'InboundMessages',
  autoReplies: 'AutoReplies',
  outboundSent: 'OutboundSent',
  outboundFailed: 'OutboundFailed',
  outboundSuppressed: 'OutboundSuppressed',
  firstResponseBreaches: 'FirstResponseBreaches',
  resolutionBreaches: 'ResolutionBreaches',
  insightsFailures: 'InsightsFailures',
  /** An automatic response was not sent: its hourly budget (sender domain or total) was spent. */
  autoResponseBudgetExceeded: 'AutoResponseBudgetExceeded',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];
