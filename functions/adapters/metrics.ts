import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Channel, OutboundKind } from '../core/model.ts';
import type { ChannelHourCounters, ChannelInsights, InsightCounters } from '../core/ports/service-levels.ts';
import { COUNTER } from '../core/service-levels/counters.ts';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE, type MetricName } from './metric-names.ts';
import { logger } from './observability.ts';

export { METRIC, METRICS_NAMESPACE, METRICS_SERVICE, type MetricName };

const NO_METRICS_WARNING = 'No application metrics to publish';

/**
 * The one Metrics instance of every function, flushed by `metricsMiddleware` at the end of each
 * invocation. Powertools' own warnings go through our logger; an invocation without metrics (a
 * duplicate event) is normal here and not worth a warning line.
 */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: METRICS_SERVICE,
  logger: {
    trace: (...args: unknown[]) => logger.debug(String(args[0])),
    debug: (...args: unknown[]) => logger.debug(String(args[0])),
    info: (...args: unknown[]) => logger.info(String(args[0])),
    warn: (...args: unknown[]) => {
      const message = String(args[0]);
      if (!message.startsWith(NO_METRICS_WARNING)) logger.warn(message);
    },
    error: (...args: unknown[]) => logger.error(String(args[0])),
  },
});

/** The middy middleware that publishes what an invocation counted (also when it fails). */
export function metricsMiddleware() {
  return logMetrics(metrics, { throwOnEmptyMetrics: false });
}

/**
 * Counts one event: into the invocation's buffer with no dimension beyond `service` (the total,
 * which alarms watch), and as single metrics by channel and by kind for the dashboard's graphs.
 * One EMF line carries one value per dimension, and a graph by channel should not have to add
 * up kinds, hence one line per breakdown.
 */
export function countMetric(
  name: MetricName,
  dimensions: { readonly channel?: Channel; readonly kind?: OutboundKind } = {},
  value = 1,
): void {
  metrics.addMetric(name, MetricUnit.Count, value);
  for (const [dimension, dimensionValue] of Object.entries(dimensions)) {
    if (!dimensionValue) continue;
    const single = metrics.singleMetric();
    single.addDimension(dimension, dimensionValue);
    single.addMetric(name, MetricUnit.Count, value);
  }
}

/**
 * Channel insights that also emit the breach metrics: a breach is counted in one place (the
 * core, once per conversation and target) whichever path found it, and so is its metric.
 */
export function withBreachMetrics(insights: ChannelInsights): ChannelInsights {
  return {
    add: async (channel: Channel, at: Date, counters: InsightCounters): Promise<void> => {
      await insights.add(channel, at, counters);
      const firstResponse = counters[COUNTER.breaches('first-response')] ?? 0;
      const resolution = counters[COUNTER.breaches('resolution')] ?? 0;
      if (firstResponse > 0) countMetric(METRIC.firstResponseBreaches, { channel }, firstResponse);
      if (resolution > 0) countMetric(METRIC.resolutionBreaches, { channel }, resolution);
    },
    read: (range: { readonly from: Date; readonly to: Date }): Promise<ChannelHourCounters[]> =>
      insights.read(range),
  };
}

/** What the dispatcher did with one outbound message, as metrics (a redelivery counts nothing). */
export function countDispatch(
  request: { readonly channel: Channel; readonly kind: OutboundKind },
  result: { readonly status: 'sent' | 'failed' | 'suppressed' | 'deferred'; readonly duplicate: boolean },
): void {
  if (result.duplicate || result.status === 'deferred') return;
  const name = {
    sent: METRIC.outboundSent,
    failed: METRIC.outboundFailed,
    suppressed: METRIC.outboundSuppressed,
  }[result.status];
  countMetric(name, { channel: request.channel, kind: request.kind });
}

/** One inbound event, as metrics: the message (unless a redelivery) and its acknowledgement. */
export function countInbound(
  channel: Channel,
  result: {
    readonly duplicate: boolean;
    readonly autoReply: { readonly queued: boolean; readonly reasons: readonly string[] };
  },
): void {
  if (result.duplicate) return;
  countMetric(METRIC.inboundMessages, { channel });
  if (result.autoReply.queued) countMetric(METRIC.autoReplies, { channel });
  if (result.autoReply.reasons.includes('over-budget')) {
    countMetric(METRIC.autoResponseBudgetExceeded, { channel });
  }
}
