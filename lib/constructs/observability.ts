import { Aws, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Encryption } from './encryption.ts';

export interface ObservabilityProps {
  /** The key the alarm topic is encrypted with. */
  readonly encryption: Encryption;
  /**
   * Who is told about alarms. The subscription must be confirmed from the first email SNS sends.
   * @default - no subscription; subscribe a pager or chat integration to the topic yourself
   */
  readonly alarmEmail?: string;
}

/**
 * Alarms that mean "a customer may be waiting on something that went wrong": a message in a
 * dead-letter queue, a function error, a throttled function. All of them notify one topic, and
 * no data counts as fine (a quiet shop is not an outage).
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly #alarmAction: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    props.encryption.allowAlarmNotifications();
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'switchboard alarms',
      masterKey: props.encryption.key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic an explicit policy, which replaces the default one that let
    // CloudWatch publish; only alarms of this account get back in.
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    }
    this.#alarmAction = new SnsAction(this.alarmTopic);
  }

  /** Alarms on the first message in a dead-letter (or failed-event) queue. */
  alarmOnDeadLetters(id: string, queue: IQueue, meaning: string): Alarm {
    return this.#alarm(`${id}DeadLetters`, {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      description: `${meaning} Look at the message, fix the cause, then redrive it.`,
    });
  }

  /** Alarms on any error and any throttle of a function. */
  alarmOnFunction(id: string, fn: IFunction, purpose: string): void {
    this.#alarm(`${id}Errors`, {
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      description: `${purpose} failed. Its log group has the error; the event is retried or kept in a dead-letter queue.`,
    });
    this.#alarm(`${id}Throttles`, {
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: Stats.SUM }),
      description: `${purpose} was throttled: the account's Lambda concurrency is exhausted.`,
    });
  }

  #alarm(id: string, options: { metric: IMetric; description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      alarmDescription: options.description,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.#alarmAction);
    alarm.addOkAction(this.#alarmAction);
    this.alarms.push(alarm);
    return alarm;
  }
}
