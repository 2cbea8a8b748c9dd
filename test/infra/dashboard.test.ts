import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../functions/adapters/metric-names.ts';
import type { DeploymentConfigInput } from '../../lib/config.ts';
import { exampleConfig, META_SECTION, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;

/** SMS, Meta (in cdk.json), the shop API and alarm mail on: every function and queue there is. */
function everyPart(): Partial<DeploymentConfigInput> {
  const example = exampleConfig();
  return {
    alarmEmail: 'ops@example.com',
    shop: {},
    meta: META_SECTION,
    support: example.support,
    sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef', ownNumbers: ['+908501234567'] },
  };
}

interface DashboardWidget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][] };
}

/** The dashboard body with every `Ref`/`GetAtt` written as `<<logicalId>>`, parsed. */
function dashboardBody(template: Template): { widgets: DashboardWidget[] } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = (dashboards[0]?.Properties as Json | undefined)?.DashboardBody;
  const render = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const object = part as Json;
    if (typeof object.Ref === 'string') return `<<${object.Ref}>>`;
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<<${String(getAtt[0])}>>`;
    const join = object['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(render).join(join[0]);
    return JSON.stringify(part);
  };
  return JSON.parse(render(body)) as { widgets: DashboardWidget[] };
}

function alarmsOf(template: Template): Json[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
}

function widget(body: { widgets: DashboardWidget[] }, title: string): DashboardWidget {
  const found = body.widgets.find((w) => w.properties.title === title);
  expect(found, title).toBeDefined();
  return found as DashboardWidget;
}

/** The logical ids named in a widget's metric rows (`<<id>>`). */
function namedIds(row: DashboardWidget): string[] {
  return (
    JSON.stringify(row.properties.metrics ?? [])
      .match(/<<([A-Za-z0-9]+)>>/g)
      ?.map((m) => m.slice(2, -2)) ?? []
  );
}

describe('dashboard and alarms', () => {
  let template: Template;
  let body: { widgets: DashboardWidget[] };

  beforeAll(() => {
    // Prepare / Act
    ({ template } = synthesizeSwitchboard({ config: everyPart() }));
    body = dashboardBody(template);
  });

  it('graphs messages per channel and sends per kind from the metrics the functions emit', () => {
    // Assess
    const inbound = JSON.stringify(widget(body, 'Inbound messages by channel').properties.metrics);
    expect(inbound).toContain(
      `SEARCH('{${METRICS_NAMESPACE},channel,service} MetricName=\\"${METRIC.inboundMessages}\\"', 'Sum', 300)`,
    );
    expect(JSON.stringify(widget(body, 'Sent by kind').properties.metrics)).toContain(
      `{${METRICS_NAMESPACE},kind,service} MetricName=\\"${METRIC.outboundSent}\\"`,
    );
    expect(JSON.stringify(widget(body, 'Response-time breaches').properties.metrics)).toContain(
      METRIC.firstResponseBreaches,
    );
  });

  it('graphs errors, throttles and duration of every function that has error alarms', () => {
    // Prepare
    const alarmedFunctions = alarmsOf(template)
      .filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors')
      .flatMap((a) => (a.Dimensions as { Value: { Ref: string } }[]).map((d) => d.Value.Ref));
    const throttled = new Set(
      alarmsOf(template)
        .filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Throttles')
        .flatMap((a) => (a.Dimensions as { Value: { Ref: string } }[]).map((d) => d.Value.Ref)),
    );

    // Assess
    expect(alarmedFunctions.length).toBeGreaterThanOrEqual(6);
    for (const title of ['Function errors', 'Function throttles', 'Function duration (p95)']) {
      expect(new Set(namedIds(widget(body, title))), title).toEqual(new Set(alarmedFunctions));
    }
    expect(throttled).toEqual(new Set(alarmedFunctions));
  });

  it('graphs the depth of every dead-letter queue that has an alarm', () => {
    // Prepare
    const alarmedQueues = alarmsOf(template)
      .filter((a) => a.Namespace === 'AWS/SQS' && a.MetricName === 'ApproximateNumberOfMessagesVisible')
      .flatMap((a) =>
        (a.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[]).map((d) => d.Value['Fn::GetAtt'][0]),
      );

    // Assess
    expect(alarmedQueues.length).toBeGreaterThanOrEqual(5);
    expect(new Set(namedIds(widget(body, 'Messages in dead-letter queues')))).toEqual(new Set(alarmedQueues));
  });

  it('alarms on the first first-response breach to the alarm topic, and back to OK', () => {
    // Prepare
    const [breaches, ...others] = alarmsOf(template).filter(
      (a) => a.MetricName === METRIC.firstResponseBreaches,
    );
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));

    // Assess
    expect(others).toEqual([]);
    expect(breaches).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
      Statistic: 'Sum',
      Period: 900,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/AlarmTopic/) }],
      OKActions: [{ Ref: expect.stringMatching(/AlarmTopic/) }],
    });
    expect(topics).toContain((breaches?.AlarmActions as { Ref: string }[] | undefined)?.[0]?.Ref);
  });

  it('alarms when automatic responses stop at their hourly budget', () => {
    // Prepare
    const budgetAlarms = alarmsOf(template).filter((a) => a.MetricName === METRIC.autoResponseBudgetExceeded);

    // Assess
    expect(budgetAlarms).toHaveLength(1);
    expect(budgetAlarms[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: expect.stringMatching(/AlarmTopic/) }],
    });
    expect(String(budgetAlarms[0]?.AlarmDescription)).toContain('support.autoResponseBudget');
  });
});
