import { Duration } from 'aws-cdk-lib';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { COUNTED_INSERT_FILTER_PATTERN } from '../../functions/adapters/dynamodb/stream-count-items.ts';
import type { ConversationStore } from './conversation-store.ts';
import { createDeadEndQueue } from './dead-end-queue.ts';
import type { Encryption } from './encryption.ts';
import type { Monitored, Monitoring } from './observability.ts';
import { acknowledgeStreamConsumerFindings, QueueOnFailure } from './stream-on-failure.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export interface ChannelCountersProps {
  readonly encryption: Encryption;
  /** Its table must stream its changes (ConversationStoreProps.streamChanges). */
  readonly store: ConversationStore;
  readonly functionDefaults: SupportFunctionDefaults;
  /**
   * Records per invocation at most. A batch writes one item per channel-hour it touches, so a
   * larger batch costs less per message.
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * How long the poller gathers records before invoking: counters are read by reports, so a
   * delay of this much buys fuller batches on a quiet table.
   * @default Duration.seconds(30)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Retries of a failing batch before its position goes to the on-failure queue.
   * @default 10
   */
  readonly retryAttempts?: number;
}

/**
 * The channel-hour counters of stored messages, off the inbound path: each message item is
 * stored marked with what it counts, and this consumer of the table's stream sums a batch of
 * marked inserts per channel and hour into one conditional put each (exactly once per record:
 * core/service-levels/stream-counts.ts). The event source filter lets only marked inserts
 * through, so other writes cost no invocation. Separate from agents' live updates, which exist
 * only where agents' sockets are deployed.
 */
export class ChannelCounters extends Construct implements Monitored {
  readonly consumer: SupportFunction;
  /** Batches the consumer gave up on after its retries (their stream positions, not the items). */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ChannelCountersProps) {
    super(scope, id);
    const table = props.store.table;
    if (!table.tableStreamArn) {
      throw new Error(
        'ChannelCounters needs the conversation table to stream its changes (streamChanges: true)',
      );
    }

    this.consumer = new SupportFunction(this, 'Consumer', {
      ...props.functionDefaults,
      entry: handlerEntry('channel-counters'),
      description: 'Sums stored messages per channel and hour into the report counters (DynamoDB stream)',
      memorySize: 256,
      timeout: Duration.seconds(60),
    }).bindConversationStore(props.store, 'putGet', 'channelCounters');

    this.deadLetterQueue = createDeadEndQueue(this, 'FailedBatches', {
      encryption: props.encryption,
      withoutDeadLetterQueue:
        'The on-failure destination of the counting stream consumer: it holds the stream positions of batches that could not be counted, nothing to retry further.',
      withoutRedrive:
        'A failed batch is counted again by replaying its stream range (docs/operations.md), within the stream retention of 24 hours; an automatic redrive has nothing to resend.',
    });

    this.consumer.lambdaFunction.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 1000,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(30),
        // A retried batch must start at the same record: the sums are keyed by its first record.
        bisectBatchOnError: false,
        reportBatchItemFailures: true,
        retryAttempts: props.retryAttempts ?? 10,
        parallelizationFactor: 1,
        onFailure: new QueueOnFailure(this.deadLetterQueue),
        // Only marked message inserts reach the function (no invocation, no cost for the rest).
        filters: [FilterCriteria.filter(COUNTED_INSERT_FILTER_PATTERN as unknown as Record<string, unknown>)],
      }),
    );
    acknowledgeStreamConsumerFindings(this.consumer);
  }

  /** Alarms on the consumer (errors, throttles) and on batches it gave up on. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('ChannelCounters', this.consumer.lambdaFunction, 'Channel counters', {
      queue: this.deadLetterQueue,
      meaning:
        'A stream batch of stored messages could not be counted after retries: the channel report undercounts its hours until the batch is replayed.',
    });
  }
}
