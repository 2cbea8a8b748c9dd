import { Aws, CfnOutput, type CfnOutputProps, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC } from '../../functions/adapters/metric-names.ts';
import { SupportDashboard } from './dashboard.ts';
import { createDeadEndQueue } from './dead-end-queue.ts';
import type { Encryption } from './encryption.ts';

export interface ObservabilityProps {
  /** The key the alarm topic is encrypted with. */
  readonly encryption: Encryption;
  /**
   * Who is told about alarms. The subscription must be confirmed from the first email SNS sends.
   * @default - no subscription; subscribe a pager or chat integration to the topic yourself
   */
  readonly alarmEmail?: string;
  /**
   * First-response breaches (targets missed in business hours) within 15 minutes above which the
   * breach alarm fires; every breach also raises an escalation on its conversation.
   * @default 0 (the first breach)
   */
  readonly firstResponseBreachThreshold?: number;
}

/**
 * What a construct reports on through `addMonitoring`: alarms on its dead-letter queues and
 * functions (graphed on the dashboard too). Each construct owns what it alarms on and outputs, so
 * a new channel is one `addMonitoring` call in the stack.
 */
export interface Monitoring {
  /** Alarms on the first message in a dead-letter (or failed-event) queue. */
  alarmOnDeadLetters(id: string, queue: IQueue, meaning: string): Alarm;
  /** Alarms on any error and any throttle of a function. */
  alarmOnFunction(id: string, fn: IFunction, purpose: string): void;
  /**
   * Both for a function and the queue that keeps what it could not process: `<id>DeadLetters`
   * (when `deadLetters` is given), `<id>Errors` and `<id>Throttles`, graphed in that order.
   */
  watchFunction(id: string, fn: IFunction, purpose: string, deadLetters?: DeadLetters): void;
}

/** A function's dead-letter (or failed-event) queue and what a message in it means. */
export interface DeadLetters {
  readonly queue: IQueue;
  /** What a message in it means for a customer, one sentence (the alarm's description starts with it). */
  readonly meaning: string;
}

/** A construct with alarms or stack outputs of its own. */
export interface Monitored {
  addMonitoring(monitoring: Monitoring): void;
}

/**
 * A stack output declared by the construct it describes, at the stack's top level: its logical
 * id is `name` wherever it is declared, so scripts reading `aws cloudformation describe-stacks`
 * keep finding it.
 */
export function stackOutput(scope: Construct, name: string, props: CfnOutputProps): CfnOutput {
  return new CfnOutput(Stack.of(scope), name, props);
}

/**
 * Alarms that mean "a customer may be waiting on something that went wrong": a message in a
 * dead-letter queue, a function error, a throttled function. All of them notify one topic, and
 * no data counts as fine (a quiet shop is not an outage).
 */
export class Observability extends Construct implements Monitoring {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  /** The dashboard: every function and dead-letter queue alarmed on here is graphed there too. */
  readonly dashboard: SupportDashboard;
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
    this.#alarmAction = new SnsAction(this.alarmTopic);
    stackOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    this.dashboard = new SupportDashboard(this, 'Dashboard');
    this.#alarm('FirstResponseBreaches', {
      metric: SupportDashboard.totalMetric(METRIC.firstResponseBreaches, { period: Duration.minutes(15) }),
      threshold: props.firstResponseBreachThreshold,
      description:
        'Customers waited longer than the first-response target (business hours). Each breach is escalated on its conversation; look at the queue and staffing.',
    });
    this.#alarm('AutoResponseBudgetExceeded', {
      metric: SupportDashboard.totalMetric(METRIC.autoResponseBudgetExceeded, {
        period: Duration.minutes(5),
      }),
      description:
        'Automatic responses stopped: the hourly ceiling per sender domain or in total (support.autoResponseBudget) was reached. Usually a mail flood; look at the inbound senders before raising the ceiling.',
    });
    if (props.alarmEmail) {
      // An alarm mail SNS could not deliver (address gone, mailbox full) is kept here, not dropped.
      props.encryption.allowSnsDeadLetters();
      const undelivered = createDeadEndQueue(this, 'UndeliveredAlarms', {
        encryption: props.encryption,
        withoutDeadLetterQueue:
          'This queue is itself the dead end: the dead-letter queue of the alarm email subscription. Nothing consumes it; its own depth alarm shows in the CloudWatch console when alarm mail bounces.',
        withoutRedrive:
          'The dead-letter queue of the alarm email subscription: nothing consumes it, so there is nothing to redrive from it; a depth alarm watches it.',
      });
      this.alarmTopic.addSubscription(
        new EmailSubscription(props.alarmEmail, { deadLetterQueue: undelivered }),
      );
      this.alarmOnDeadLetters(
        'UndeliveredAlarmMail',
        undelivered,
        'An alarm email could not be delivered to the alarm address; check the address and the other alarms in the console.',
      );
    }
  }

  /** Alarms on the first message in a dead-letter (or failed-event) queue. */
  alarmOnDeadLetters(id: string, queue: IQueue, meaning: string): Alarm {
    this.dashboard.addDeadLetterQueue(id, queue);
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
    this.dashboard.addFunction(id, fn);
    this.#alarm(`${id}Errors`, {
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      description: `${purpose} failed. Its log group has the error; the event is retried or kept in a dead-letter queue.`,
    });
    this.#alarm(`${id}Throttles`, {
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: Stats.SUM }),
      description: `${purpose} was throttled: the account's Lambda concurrency is exhausted.`,
    });
  }

  /** A function's alarms and, where it has one, its dead-letter queue's (see Monitoring). */
  watchFunction(id: string, fn: IFunction, purpose: string, deadLetters?: DeadLetters): void {
    if (deadLetters) this.alarmOnDeadLetters(id, deadLetters.queue, deadLetters.meaning);
    this.alarmOnFunction(id, fn, purpose);
  }

  #alarm(id: string, options: { metric: IMetric; description: string; threshold?: number }): Alarm {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      alarmDescription: options.description,
      threshold: options.threshold ?? 0,
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
