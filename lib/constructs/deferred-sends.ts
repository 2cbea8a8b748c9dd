import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFinding, wildcardResourceFinding } from '../nag.ts';
import { createDeadEndQueue } from './dead-end-queue.ts';
import type { Encryption } from './encryption.ts';
import type { Monitored, Monitoring } from './observability.ts';
import type { SupportFunction } from './support-function.ts';

export interface DeferredSendsProps {
  readonly encryption: Encryption;
  /** Where a deferred send is put when its time comes. */
  readonly outboundQueue: IQueue;
  /**
   * The schedule group's name; deleting the group deletes every pending send.
   * @default `<stack name>-deferred`
   */
  readonly groupName?: string;
}

/**
 * Sends that wait (SMS quiet hours now, reminders later): one-time EventBridge Scheduler
 * schedules in their own group, whose target is the outbound queue. The scheduler's role may
 * send to that queue and do nothing else.
 */
export interface DeferredSendsMonitoringProps {
  /**
   * The id of the dead-letter alarm (and its dashboard line).
   * @default 'DeferredSends'
   */
  readonly alarmId?: string;
  /**
   * What a message in the dead-letter queue means, in the alarm's description.
   * @default - a send held for quiet hours that could not be put on the outbound queue
   */
  readonly meaning?: string;
}

export class DeferredSends extends Construct implements Monitored {
  readonly group: CfnScheduleGroup;
  readonly groupName: string;
  /** The role EventBridge Scheduler takes to put a due send on the outbound queue. */
  readonly targetRole: Role;
  /** Where the scheduler puts a due send it could not deliver to the outbound queue. */
  readonly deadLetterQueue: Queue;
  readonly #encryption: Encryption;
  readonly #queue: IQueue;

  constructor(scope: Construct, id: string, props: DeferredSendsProps) {
    super(scope, id);
    this.#encryption = props.encryption;
    this.#queue = props.outboundQueue;
    this.groupName = props.groupName ?? `${Stack.of(this).stackName}-deferred`;
    this.group = new CfnScheduleGroup(this, 'Group', { name: this.groupName });
    // Pending sends are in-flight messages, not records: nothing to keep when the stack goes.
    this.group.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.deadLetterQueue = createDeadEndQueue(this, 'DeadLetterQueue', {
      encryption: props.encryption,
      withoutDeadLetterQueue:
        'This queue is itself the dead end: the dead-letter queue every schedule of this group names, for a due send the scheduler could not put on the outbound queue. An alarm fires on its first message.',
      withoutRedrive:
        'The dead-letter queue of the schedules of this group: nothing consumes it automatically; a depth alarm fires on its first message and an operator moves the send to the outbound queue.',
    });

    const statements = [
      new PolicyStatement({
        // The scheduler delivers to the dead-letter queue with the schedule's role as well.
        actions: ['sqs:SendMessage'],
        resources: [props.outboundQueue.queueArn, this.deadLetterQueue.queueArn],
      }),
    ];
    // Both queues are encrypted (the dead-letter queue with the stack key); sending needs a data key.
    const keyArns = new Set([props.encryption.key.keyArn]);
    if (props.outboundQueue.encryptionMasterKey) keyArns.add(props.outboundQueue.encryptionMasterKey.keyArn);
    statements.push(
      new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [...keyArns] }),
    );
    this.targetRole = new Role(this, 'TargetRole', {
      // Only schedules of this account, in this group, may take the role (confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': this.scheduleArn('*') },
        },
      }),
      description: 'EventBridge Scheduler: puts deferred sends on the outbound queue',
      inlinePolicies: { SendToOutboundQueue: new PolicyDocument({ statements }) },
    });
  }

  /** The ARN of a schedule of this group (`*`: all of them). */
  scheduleArn(name: string): string {
    return `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${this.groupName}/${name}`;
  }

  /**
   * Lets a function create and delete schedules in this group, hand them the target role, and
   * encrypt their payload (customer phone numbers and texts) with the stack key; sets the
   * SCHEDULE_* variables the function's wiring reads.
   */
  grantScheduling(fn: SupportFunction): void {
    fn.setEnvironment('SCHEDULE_GROUP', this.groupName);
    fn.setEnvironment('SCHEDULE_TARGET_QUEUE_ARN', this.#queue.queueArn);
    fn.setEnvironment('SCHEDULE_ROLE_ARN', this.targetRole.roleArn);
    fn.setEnvironment('SCHEDULE_KMS_KEY_ARN', this.#encryption.key.keyArn);
    fn.setEnvironment('SCHEDULE_DEAD_LETTER_QUEUE_ARN', this.deadLetterQueue.queueArn);
    const schedules = this.scheduleArn('*');
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedules],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.targetRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        // A schedule with a customer managed key is encrypted and read back on the caller's behalf.
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.#encryption.key.keyArn],
      }),
    );
    acknowledgeFinding(
      fn.role,
      wildcardResourceFinding(this, schedules),
      'Schedule names are derived at run time from the send they defer; "*" is confined to the one schedule group of deferred sends, and only CreateSchedule and DeleteSchedule are allowed on it.',
    );
  }

  /** Alarms on sends that came due but could not be put on the outbound queue. */
  addMonitoring(monitoring: Monitoring, props: DeferredSendsMonitoringProps = {}): void {
    monitoring.alarmOnDeadLetters(
      props.alarmId ?? 'DeferredSends',
      this.deadLetterQueue,
      props.meaning ??
        'A send held for quiet hours came due but EventBridge Scheduler could not put it on the outbound queue.',
    );
  }
}
