import { Arn, ArnFormat, Aws, Duration } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SmsConfig, SupportConfig } from '../../functions/core/config.ts';
import type { ConversationStore } from './conversation-store.ts';
import { createDeadEndQueue } from './dead-end-queue.ts';
import type { Encryption } from './encryption.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export interface SmsProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  /** Where acknowledgements and keyword answers are queued. */
  readonly outboundQueue: IQueue;
  /** The dispatcher, which is allowed to send SMS from the configured identity. */
  readonly dispatcher: SupportFunction;
  readonly support: SupportConfig & { readonly sms: SmsConfig };
  readonly functionDefaults: SupportFunctionDefaults;
}

/**
 * Two-way SMS with AWS End User Messaging SMS: the number publishes each inbound SMS to an
 * encrypted SNS topic, the inbound-sms function takes it from there (threads it, changes consent
 * on STOP and START, queues the answer), and the dispatcher may send from the configured
 * origination identity and nothing else. The number itself is bought and registered outside the
 * stack (docs/channels/sms.md).
 */
export class Sms extends Construct implements Monitored {
  readonly topic: Topic;
  readonly function: SupportFunction;
  readonly failedEventQueue: Queue;

  constructor(scope: Construct, id: string, props: SmsProps) {
    super(scope, id);
    const key = props.encryption.key;

    this.failedEventQueue = createDeadEndQueue(this, 'FailedEvents', {
      encryption: props.encryption,
      withoutDeadLetterQueue:
        'This queue is itself the dead end: the on-failure destination of the inbound-sms function after Lambda retried the SNS event, and the dead-letter queue of the SNS subscription. An alarm fires on its first message.',
      withoutRedrive:
        'This queue is itself the dead end (the on-failure destination of the inbound-sms function): nothing consumes it automatically, so there is nothing to redrive from it; a depth alarm fires on its first message.',
    });

    this.topic = new Topic(this, 'InboundTopic', {
      displayName: 'switchboard inbound SMS',
      masterKey: key,
      enforceSSL: true,
    });
    // End User Messaging publishes as its service principal; only on behalf of this account.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingOfThisAccount',
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingPublishesInboundSms',
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    // A message SNS cannot hand to the function goes to the failed-events queue, encrypted.
    props.encryption.allowSnsDeadLetters();

    this.function = new SupportFunction(this, 'Function', {
      ...props.functionDefaults,
      entry: handlerEntry('inbound-sms'),
      description: 'Threads SMS received by End User Messaging into conversations, honours STOP/START/HELP',
      timeout: Duration.seconds(30),
    })
      .bindConversationStore(props.store, 'readWrite', 'inboundSms')
      .bindOutboundQueue(props.outboundQueue)
      .bindSupportConfig(props.support)
      .sendFailedInvocationsTo(this.failedEventQueue, { retryAttempts: 2 });

    this.topic.addSubscription(
      new LambdaSubscription(this.function.lambdaFunction, { deadLetterQueue: this.failedEventQueue }),
    );

    const resources = [originationIdentityArn(props.support.sms.originationIdentity)];
    if (props.support.sms.configurationSetName) {
      resources.push(smsVoiceArn('configuration-set', props.support.sms.configurationSetName));
    }
    props.dispatcher.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources }),
    );
  }

  /** Alarms on the function and its failed events; the topic to set on the phone number as an output. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('InboundSms', this.function.lambdaFunction, 'Inbound SMS processing', {
      queue: this.failedEventQueue,
      meaning:
        'A received SMS could not be processed after Lambda retried it (or SNS could not deliver it); the event is in this queue.',
    });
    stackOutput(this, 'InboundSmsTopicArn', {
      value: this.topic.topicArn,
      description:
        'Two-way SMS destination: set it on the phone number (End User Messaging SMS, two-way SMS, SNS topic)',
    });
  }
}

/** The ARN IAM knows an origination identity by: an ARN as given, an id turned into one. */
export function originationIdentityArn(identity: string): string {
  if (identity.startsWith('arn:')) return identity;
  if (identity.startsWith('pool-')) return smsVoiceArn('pool', identity);
  return smsVoiceArn('phone-number', identity);
}

function smsVoiceArn(resource: string, name: string): string {
  return Arn.format({
    partition: Aws.PARTITION,
    service: 'sms-voice',
    region: Aws.REGION,
    account: Aws.ACCOUNT_ID,
    resource,
    resourceName: name,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
