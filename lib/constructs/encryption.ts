import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface EncryptionProps {
  /**
   * What happens to the key when it leaves the stack. Destroying it makes every table item, mail
   * object and queued message it encrypted unreadable, so only throw-away installations should.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Alias of the key, for finding it in the console and in CloudTrail.
   * @default `alias/<stack name>/data`
   */
  readonly aliasName?: string;
}

/**
 * The one customer-managed key that encrypts everything switchboard stores: the conversation
 * table, the mail bucket, every queue, the alarm topic and the function logs. One key keeps the
 * key policy reviewable in one place and lets an operator revoke all access to customer data at
 * once; AWS services get in only through the narrowly conditioned statements added below.
 */
export class Encryption extends Construct {
  readonly key: Key;
  private cloudWatchLogsAllowed = false;
  private alarmNotificationsAllowed = false;
  private snsDeadLettersAllowed = false;

  constructor(scope: Construct, id: string, props: EncryptionProps = {}) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `switchboard ${Stack.of(this).stackName}: conversations, mail, queues, alarms, logs`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
      alias: props.aliasName ?? `alias/${Stack.of(this).stackName}/data`,
    });
  }

  /**
   * Lets CloudWatch Logs encrypt and decrypt log groups of this account and region. Scoped with the
   * log-group encryption context rather than one group's ARN: naming the groups here would make the
   * key depend on them while they depend on the key.
   */
  allowCloudWatchLogs(): void {
    if (this.cloudWatchLogsAllowed) return;
    this.cloudWatchLogsAllowed = true;
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
  }

  /**
   * CloudWatch alarms publish to the encrypted alarm topic under their own service identity, so
   * without this an alarm fires and nobody hears it.
   */
  allowAlarmNotifications(): void {
    if (this.alarmNotificationsAllowed) return;
    this.alarmNotificationsAllowed = true;
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
  }

  /**
   * SNS moves a message it could not deliver to a subscription into that subscription's
   * dead-letter queue, encrypted with this key, under its own service identity. The condition names
   * the account's topics, not one topic: the topics depend on the key already.
   */
  allowSnsDeadLetters(): void {
    if (this.snsDeadLettersAllowed) return;
    this.snsDeadLettersAllowed = true;
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SnsDeadLettersOfThisAccount',
        principals: [new ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:sns:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
        },
      }),
    );
  }

  /**
   * SES writes received mail into a bucket whose default encryption is this key, so S3 asks KMS for a
   * data key on SES's behalf. Only the one receipt rule of this account may cause that; Decrypt is
   * there because S3 needs it to complete multipart uploads of large messages.
   */
  allowSesReceiptRule(receiptRuleArn: string): void {
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesReceiptRuleWritesMail',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': receiptRuleArn },
        },
      }),
    );
  }
}
