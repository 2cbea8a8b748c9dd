import { Arn, ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import { CfnIntegrationAssociation } from 'aws-cdk-lib/aws-connect';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import type { DeploymentConfig } from '../config.ts';
import { acknowledgeFinding, wildcardResourceFinding } from '../nag.ts';
import type { ConversationStore } from './conversation-store.ts';
import { createDeadEndQueue } from './dead-end-queue.ts';
import type { DeferredSends } from './deferred-sends.ts';
import type { Encryption } from './encryption.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export type ConnectConfig = NonNullable<DeploymentConfig['connect']>;

export interface VoiceProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  /** Where missed-call follow-ups are queued. */
  readonly outboundQueue: IQueue;
  /** The Connect instance and the task flow (`connect` in the deployment config). */
  readonly connect: ConnectConfig;
  /**
   * Where follow-ups outside business hours wait; without it they are sent at once.
   * @default - none
   */
  readonly deferredSends?: DeferredSends;
  /**
   * Lambda's own retries of a failed contact event before it goes to the failed-events queue.
   * @default 2
   */
  readonly retryAttempts?: number;
}

/**
 * The voice channel on an Amazon Connect instance: the caller-lookup function its contact flows
 * invoke (synchronously, so it is small and fast), the EventBridge rule that takes the instance's
 * contact events to the voice-events function (timeline, missed-call follow-up), and the Connect
 * permissions both need on that instance and nothing else.
 */
export class Voice extends Construct implements Monitored {
  readonly lookupFunction: SupportFunction;
  readonly eventsFunction: SupportFunction;
  readonly contactEventsRule: Rule;
  /** Contact events EventBridge could not deliver, and those the function failed on after retries. */
  readonly failedEventQueue: Queue;
  readonly instanceArn: string;
  readonly instanceId: string;
  readonly #connect: ConnectConfig;

  constructor(scope: Construct, id: string, props: VoiceProps) {
    super(scope, id);
    this.#connect = props.connect;
    this.instanceArn = props.connect.instanceArn;
    this.instanceId = Arn.split(this.instanceArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? '';

    this.failedEventQueue = createDeadEndQueue(this, 'FailedEvents', {
      encryption: props.encryption,
      withoutDeadLetterQueue:
        'This queue is itself the dead end: the DLQ of the contact-events rule target and the on-failure destination of the voice-events function. An alarm fires on its first message.',
      withoutRedrive:
        'This queue is itself the dead end (the contact-events rule target DLQ and the voice-events on-failure destination): nothing consumes it automatically; a depth alarm fires on its first message.',
    });

    this.lookupFunction = new SupportFunction(this, 'Lookup', {
      ...props.functionDefaults,
      entry: handlerEntry('voice-lookup'),
      description:
        'Amazon Connect contact flow: looks the caller up by number (name, language, open conversation, latest order)',
      // More memory is more CPU: the flow waits on this call while the caller listens.
      memorySize: 1024,
      // Connect waits at most 8 s for a Lambda block.
      timeout: Duration.seconds(8),
    })
      // Reads, and the one UpdateItem that records the contact: nothing else.
      .bindConversationStore(props.store, 'readUpdate', 'voiceLookup')
      .bindSupportConfig(props.support);
    this.lookupFunction.setEnvironment('CONNECT_INSTANCE_ID', this.instanceId);
    if (props.connect.vipCustomerIds.length > 0) {
      this.lookupFunction.setEnvironment('CONNECT_VIP_CUSTOMER_IDS', props.connect.vipCustomerIds.join(','));
    }
    // Only this instance's flows may invoke the lookup.
    this.lookupFunction.lambdaFunction.addPermission('ConnectInstanceInvokes', {
      principal: new ServicePrincipal('connect.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: this.instanceArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    acknowledgeFinding(
      this.lookupFunction.lambdaFunction,
      'Serverless-LambdaDLQ',
      'Invoked synchronously by Amazon Connect contact flows: the flow gets the answer (or the error branch) at once, there is no asynchronous event to keep.',
    );
    if (props.connect.associateLookupFunction) {
      new CfnIntegrationAssociation(this, 'LookupAssociation', {
        instanceId: this.instanceArn,
        integrationType: 'LAMBDA_FUNCTION',
        integrationArn: this.lookupFunction.lambdaFunction.functionArn,
      });
    }

    this.eventsFunction = new SupportFunction(this, 'Events', {
      ...props.functionDefaults,
      entry: handlerEntry('voice-events'),
      description: "Amazon Connect contact events: the call on the caller's timeline, missed-call follow-up",
      timeout: Duration.seconds(30),
    })
      .bindConversationStore(props.store, 'readWrite', 'voiceEvents')
      .bindOutboundQueue(props.outboundQueue)
      .bindSupportConfig(props.support)
      .sendFailedInvocationsTo(this.failedEventQueue, { retryAttempts: props.retryAttempts ?? 2 });
    this.eventsFunction.setEnvironment('CONNECT_INSTANCE_ID', this.instanceId);
    const contacts = `${this.instanceArn}/contact/*`;
    this.eventsFunction.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['connect:DescribeContact'], resources: [contacts] }),
    );
    acknowledgeFinding(
      this.eventsFunction.role,
      wildcardResourceFinding(this, contacts),
      'DescribeContact names a contact by id, known only when its event arrives; "contact/*" is confined to the one configured Connect instance.',
    );
    props.deferredSends?.grantScheduling(this.eventsFunction);
    this.grantTaskCreation(this.eventsFunction);

    // Named, so the key policy below can name the rule without depending on it (the rule depends
    // on the function, whose log group depends on the key).
    const ruleName = `${Stack.of(this).stackName}-voice-contact-events`.slice(0, 64);
    const ruleArn = Arn.format(
      {
        service: 'events',
        resource: 'rule',
        resourceName: ruleName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      },
      Stack.of(this),
    );
    this.contactEventsRule = new Rule(this, 'ContactEvents', {
      ruleName,
      description:
        'Amazon Connect contact events of the configured instance (calls) to the voice-events function',
      eventPattern: {
        source: ['aws.connect'],
        detailType: ['Amazon Connect Contact Event'],
        detail: { instanceArn: [this.instanceArn], channel: ['VOICE'] },
      },
    });
    this.contactEventsRule.addTarget(
      new LambdaFunction(this.eventsFunction.lambdaFunction, {
        deadLetterQueue: this.failedEventQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(2),
      }),
    );
    // EventBridge writes undeliverable events into the encrypted queue on the rule's behalf.
    props.encryption.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ContactEventsRuleDeadLetters',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      }),
    );
  }

  /**
   * Lets a function create escalation tasks on the instance (StartTaskContact through the task
   * flow) and tells it where: CONNECT_INSTANCE_ID, CONNECT_TASK_FLOW_ID, CONNECT_CONVERSATION_URL.
   * Nothing when no task flow is configured.
   */
  grantTaskCreation(fn: SupportFunction): void {
    const flowId = this.#connect.taskContactFlowId;
    if (!flowId) return;
    fn.setEnvironment('CONNECT_INSTANCE_ID', this.instanceId);
    fn.setEnvironment('CONNECT_TASK_FLOW_ID', flowId);
    if (this.#connect.conversationUrlTemplate) {
      fn.setEnvironment('CONNECT_CONVERSATION_URL', this.#connect.conversationUrlTemplate);
    }
    const contacts = `${this.instanceArn}/contact/*`;
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['connect:StartTaskContact'],
        resources: [contacts, `${this.instanceArn}/contact-flow/${flowId}`],
      }),
    );
    acknowledgeFinding(
      fn.role,
      wildcardResourceFinding(this, contacts),
      'StartTaskContact creates a contact whose id Connect assigns; "contact/*" is confined to the one configured Connect instance, and the flow is named exactly.',
    );
  }

  /** Alarms on both functions and on undelivered contact events; the lookup function as an output. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('VoiceLookup', this.lookupFunction.lambdaFunction, 'Caller lookup');
    monitoring.watchFunction('VoiceEvents', this.eventsFunction.lambdaFunction, 'Contact events', {
      queue: this.failedEventQueue,
      meaning:
        'An Amazon Connect contact event could not be delivered or processed after retries; the event is in this queue.',
    });
    stackOutput(this, 'VoiceLookupFunctionArn', {
      value: this.lookupFunction.lambdaFunction.functionArn,
      description:
        'Invoke it from the contact flow (Invoke AWS Lambda function block); its answer is the caller map',
    });
  }
}
