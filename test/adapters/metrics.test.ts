import type { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  countDispatch,
  countInbound,
  METRIC,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  metrics,
  withBreachMetrics,
} from '../../functions/adapters/metrics.ts';
import { MemoryChannelInsights } from '../support/in-memory-insights.ts';

/** The single metrics emitted (one EMF line each): their dimensions and metric names. */
function captureSingleMetrics() {
  const lines: Array<{ dimensions: Record<string, string>; metrics: Record<string, number> }> = [];
  vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const line = { dimensions: {} as Record<string, string>, metrics: {} as Record<string, number> };
    lines.push(line);
    const single = {
      addDimension: (name: string, value: string) => {
        line.dimensions[name] = value;
        return single;
      },
      addMetric: (name: string, _unit: string, value: number) => {
        line.metrics[name] = value;
        return single;
      },
    };
    return single as unknown as Metrics;
  });
  return lines;
}

/** The buffered metrics of the invocation, as the middleware would publish them. */
function buffered() {
  const emf = metrics.serializeMetrics();
  const directive = emf._aws.CloudWatchMetrics[0];
  const values = Object.fromEntries(
    (directive?.Metrics ?? []).map((m) => [m.Name, (emf as unknown as Record<string, unknown>)[m.Name]]),
  );
  return { namespace: directive?.Namespace, dimensions: directive?.Dimensions, service: emf.service, values };
}

afterEach(() => {
  metrics.clearMetrics();
  metrics.clearDimensions();
});

describe('EMF metrics', () => {
  it('counts an inbound message and its acknowledgement: totals with the service only, singles by channel', () => {
    // Prepare
    const singles = captureSingleMetrics();

    // Act
    countInbound('whatsapp', { duplicate: false, autoReply: { queued: true, reasons: [] } });

    // Assess
    expect(buffered()).toEqual({
      namespace: METRICS_NAMESPACE,
      dimensions: [['service']],
      service: METRICS_SERVICE,
      values: { [METRIC.inboundMessages]: 1, [METRIC.autoReplies]: 1 },
    });
    expect(singles).toEqual([
      { dimensions: { channel: 'whatsapp' }, metrics: { [METRIC.inboundMessages]: 1 } },
      { dimensions: { channel: 'whatsapp' }, metrics: { [METRIC.autoReplies]: 1 } },
    ]);
  });

  it('counts an acknowledgement held back by its budget as the alarm metric', () => {
    // Prepare
    const singles = captureSingleMetrics();

    // Act
    countInbound('email', { duplicate: false, autoReply: { queued: false, reasons: ['over-budget'] } });

    // Assess
    expect(buffered().values).toEqual({
      [METRIC.inboundMessages]: 1,
      [METRIC.autoResponseBudgetExceeded]: 1,
    });
    expect(singles).toContainEqual({
      dimensions: { channel: 'email' },
      metrics: { [METRIC.autoResponseBudgetExceeded]: 1 },
    });
  });

  it('counts nothing for a redelivered event or a deferred send', () => {
    // Prepare
    const singles = captureSingleMetrics();

    // Act
    countInbound('sms', { duplicate: true, autoReply: { queued: false, reasons: ['over-budget'] } });
    countDispatch({ channel: 'sms', kind: 'order-status' }, { status: 'deferred', duplicate: false });
    countDispatch({ channel: 'sms', kind: 'order-status' }, { status: 'sent', duplicate: true });

    // Assess
    expect(metrics.hasStoredMetrics()).toBe(false);
    expect(singles).toEqual([]);
  });

  it('counts a send by channel and by kind, and a failure as a failure', () => {
    // Prepare
    const singles = captureSingleMetrics();

    // Act
    countDispatch({ channel: 'email', kind: 'agent-reply' }, { status: 'sent', duplicate: false });
    countDispatch({ channel: 'sms', kind: 'survey' }, { status: 'failed', duplicate: false });

    // Assess
    expect(buffered().values).toEqual({ [METRIC.outboundSent]: 1, [METRIC.outboundFailed]: 1 });
    expect(singles.map((s) => s.dimensions)).toEqual([
      { channel: 'email' },
      { kind: 'agent-reply' },
      { channel: 'sms' },
      { kind: 'survey' },
    ]);
  });

  it('emits a breach metric when the core counts a breach, whichever path found it', async () => {
    // Prepare
    const singles = captureSingleMetrics();
    const counters = new MemoryChannelInsights();
    const insights = withBreachMetrics(counters);

    // Act
    await insights.add('email', new Date('2026-11-23T10:00:00Z'), { inbound: 1 });
    await insights.add('sms', new Date('2026-11-23T10:00:00Z'), { 'breaches:first-response': 1 });

    // Assess
    expect(counters.total('sms', 'breaches:first-response')).toBe(1);
    expect(buffered().values).toEqual({ [METRIC.firstResponseBreaches]: 1 });
    expect(singles).toEqual([
      { dimensions: { channel: 'sms' }, metrics: { [METRIC.firstResponseBreaches]: 1 } },
    ]);
  });
});
