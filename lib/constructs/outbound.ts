import { Duration } from 'aws-cdk-lib';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { Encryption } from './encryption.ts';
import type { MailStorage } from './mail-storage.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';
import { createWorkQueue } from './work-queue.ts';

export interface OutboundProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  /** Log and naming settings every function of the stack shares. */
  readonly functionDefaults: SupportFunctionDefaults;
  /**
   * The dispatcher's timeout; the queue's visibility timeout is six times this, so a message is
   * not handed to a second dispatcher while the first is still sending it.
   * @default Duration.seconds(30)
   */
  readonly dispatcherTimeout?: Duration;
  /**
   * Deliveries of one message before it moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Most dispatcher instances running at once. SES accounts send a limited number of messages
   * per second; beyond that, waiting in the queue is better than throttling errors.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * The mail bucket: email answers carry the files agents uploaded (read-only, the agent upload
   * folder only). @default - answers carry no files
   */
  readonly mailStorage?: MailStorage;
}

/**
 * Everything that leaves switchboard goes through here: the outbound queue (with its DLQ) and
 * the dispatcher that sends each message on its channel and records the delivery status.
 */
export class Outbound extends Construct implements Monitored {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly dispatcher: SupportFunction;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: OutboundProps) {
    super(scope, id);
    const dispatcherTimeout = props.dispatcherTimeout ?? Duration.seconds(30);

    const work = createWorkQueue(this, {
      id: 'Queue',
      encryption: props.encryption,
      consumerTimeout: dispatcherTimeout,
      maxReceiveCount: props.maxReceiveCount,
    });
    this.queue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // Addresses that bounced or complained are not mailed again, protecting the domain's reputation.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    this.dispatcher = new SupportFunction(this, 'Dispatcher', {
      ...props.functionDefaults,
      entry: handlerEntry('dispatcher'),
      description: 'Sends queued outbound messages and records their delivery status',
      timeout: dispatcherTimeout,
    })
      .bindConversationStore(props.store, 'readWrite', 'dispatcher')
      .bindSupportConfig(props.support)
      .bindEmailSending(props.support.mailDomain, this.configurationSet);
    if (props.mailStorage) this.dispatcher.bindMailStorage(props.mailStorage, { readAgentUploads: true });

    this.dispatcher.consumeQueue(this.queue, { maxConcurrency: props.maxConcurrency ?? 5 });
  }

  /** Alarms on the dispatcher and on sends given up on; the queue's URL as an output. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.alarmOnDeadLetters(
      'Outbound',
      this.deadLetterQueue,
      'An outbound message (acknowledgement, reply or notification) could not be sent after repeated tries.',
    );
    monitoring.watchFunction('Dispatcher', this.dispatcher.lambdaFunction, 'Outbound dispatching');
    stackOutput(this, 'OutboundQueueUrl', { value: this.queue.queueUrl });
  }
}
