import { Aws, Duration } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  EmailIdentity,
  Identity,
  type IReceiptRuleAction,
  type ReceiptRule,
  type ReceiptRuleActionConfig,
  ReceiptRuleSet,
  TlsPolicy,
} from 'aws-cdk-lib/aws-ses';
import { Lambda as LambdaAction, LambdaInvocationType } from 'aws-cdk-lib/aws-ses-actions';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import type { ConversationStore } from './conversation-store.ts';
import { createDeadEndQueue } from './dead-end-queue.ts';
import type { Encryption } from './encryption.ts';
import type { MailStorage } from './mail-storage.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export interface InboundEmailProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly mailStorage: MailStorage;
  /** Where acknowledgements and other replies are queued. */
  readonly outboundQueue: IQueue;
  readonly support: SupportConfig;
  /** Log and naming settings every function of the stack shares. */
  readonly functionDefaults: SupportFunctionDefaults;
  /**
   * Name of the receipt rule set. SES has one active rule set per account and region, and a new
   * one is inactive until `aws ses set-active-receipt-rule-set` names it.
   * @default 'switchboard-inbound'
   */
  readonly receiptRuleSetName?: string;
  /**
   * Name of the rule inside the set.
   * @default 'store-and-process'
   */
  readonly receiptRuleName?: string;
  /**
   * Create the SES domain identity for `support.mailDomain`; SES receives and sends only for
   * verified domains.
   * @default true
   */
  readonly createEmailIdentity?: boolean;
  /**
   * The inbound function's memory in MB: it holds the raw message and its decoded attachments.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
}

/**
 * Mail to `support.mailDomain`: SES scans it, stores the raw message in the mail bucket, then
 * invokes the inbound function, which threads it into a conversation and queues the
 * acknowledgement. A message the function cannot process is retried and then kept in a
 * failed-events queue; the raw mail stays in the bucket either way.
 */
export class InboundEmail extends Construct implements Monitored {
  readonly ruleSet: ReceiptRuleSet;
  readonly rule: ReceiptRule;
  readonly receiptRuleArn: string;
  readonly function: SupportFunction;
  readonly failedEventQueue: Queue;
  readonly identity?: EmailIdentity;
  readonly #ruleSetName: string;
  readonly #mailDomain: string;

  constructor(scope: Construct, id: string, props: InboundEmailProps) {
    super(scope, id);
    const ruleSetName = props.receiptRuleSetName ?? 'switchboard-inbound';
    const ruleName = props.receiptRuleName ?? 'store-and-process';
    this.#ruleSetName = ruleSetName;
    this.#mailDomain = props.support.mailDomain;
    // Built from names rather than read from the rule, so the bucket policy, key policy and
    // invoke permission can exist before the rule (SES tests all three when the rule is created).
    this.receiptRuleArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${ruleSetName}:receipt-rule/${ruleName}`;

    this.failedEventQueue = createDeadEndQueue(this, 'FailedEvents', {
      encryption: props.encryption,
      withoutDeadLetterQueue:
        'This queue is itself the dead end: the on-failure destination of the inbound function after Lambda retried the SES event. Nothing consumes it automatically; an alarm fires on its first message.',
      withoutRedrive:
        'This queue is itself the dead end (the on-failure destination of the inbound function): nothing consumes it automatically, so there is nothing to redrive from it; a depth alarm fires on its first message.',
    });

    this.function = new SupportFunction(this, 'Function', {
      ...props.functionDefaults,
      entry: handlerEntry('inbound-email'),
      description: 'Threads mail received by SES into conversations and queues the acknowledgement',
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(1),
    })
      .bindConversationStore(props.store, 'readWrite', 'inboundEmail')
      .bindMailStorage(props.mailStorage, { readRawMail: true, writeAttachments: true })
      .bindOutboundQueue(props.outboundQueue)
      .bindSupportConfig(props.support)
      .sendFailedInvocationsTo(this.failedEventQueue, { retryAttempts: 2 });

    // Named like the permission the SES Lambda action would add, so the action reuses this one,
    // which names the rule as well as the account.
    this.function.lambdaFunction.addPermission('AllowSes', {
      principal: new ServicePrincipal('ses.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: this.receiptRuleArn,
    });
    props.mailStorage.allowSesReceiptRule(this.receiptRuleArn);

    if (props.createEmailIdentity ?? true) {
      this.identity = new EmailIdentity(this, 'DomainIdentity', {
        identity: Identity.domain(props.support.mailDomain),
      });
    }

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    this.rule = this.ruleSet.addRule('StoreAndProcess', {
      receiptRuleName: ruleName,
      recipients: [props.support.mailDomain],
      // Spam and virus verdicts reach the function, which never auto-answers a FAIL.
      scanEnabled: true,
      // Refuse mail from servers that will not use TLS instead of receiving it in clear text.
      tlsPolicy: TlsPolicy.REQUIRE,
      // Order matters: the Lambda action runs after the object is stored.
      actions: [
        new StoreRawMail(props.mailStorage),
        new LambdaAction({
          function: this.function.lambdaFunction,
          invocationType: LambdaInvocationType.EVENT,
        }),
      ],
    });
  }

  /** Alarms on the function and its failed events; the DNS records and the rule set to activate as outputs. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('InboundEmail', this.function.lambdaFunction, 'Inbound email processing', {
      queue: this.failedEventQueue,
      meaning:
        'A received email could not be processed after Lambda retried it; its raw copy is still in the mail bucket.',
    });
    stackOutput(this, 'ReceiptRuleSetName', {
      value: this.ruleSet.receiptRuleSetName,
      description: `Inactive until activated (one active set per account and region): aws ses set-active-receipt-rule-set --rule-set-name ${this.#ruleSetName}`,
    });
    stackOutput(this, 'MxRecord', {
      value: `${this.#mailDomain}. MX 10 inbound-smtp.${Aws.REGION}.amazonaws.com`,
      description: 'DNS record that routes the support domain to SES receiving',
    });
    const identity = this.identity;
    if (identity) {
      const records = [
        [identity.dkimDnsTokenName1, identity.dkimDnsTokenValue1],
        [identity.dkimDnsTokenName2, identity.dkimDnsTokenValue2],
        [identity.dkimDnsTokenName3, identity.dkimDnsTokenValue3],
      ];
      records.forEach(([name, value], index) => {
        stackOutput(this, `DkimRecord${index + 1}`, {
          value: `${name} CNAME ${value}`,
          description: 'DNS record that verifies the domain identity with Easy DKIM',
        });
      });
    }
  }
}

/**
 * The S3 action without the stock action's bucket statement, which would let any receipt rule
 * of the account write the prefix; MailStorage.allowSesReceiptRule grants this rule alone. No
 * `kmsKey` on purpose: that asks SES for client-side encryption the functions could not read
 * with a plain GetObject. The bucket's default SSE-KMS encrypts the object instead.
 */
class StoreRawMail implements IReceiptRuleAction {
  readonly #storage: MailStorage;

  constructor(storage: MailStorage) {
    this.#storage = storage;
  }

  bind(rule: Parameters<IReceiptRuleAction['bind']>[0]): ReceiptRuleActionConfig {
    const policy = this.#storage.bucket.policy;
    if (!policy) throw new Error('the mail bucket must allow the receipt rule before the rule is created');
    rule.node.addDependency(policy);
    return {
      s3Action: {
        bucketName: this.#storage.bucket.bucketName,
        objectKeyPrefix: this.#storage.rawMailPrefix,
      },
    };
  }
}
