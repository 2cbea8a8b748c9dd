import { Duration } from 'aws-cdk-lib';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AGENT_SOCKET_ROUTES } from '../../functions/adapters/apigateway/agent-socket-context.ts';
import { LIVE_UPDATE_FILTER_PATTERN } from '../../functions/adapters/dynamodb/live-update-items.ts';
import type { ConversationStore } from './conversation-store.ts';
import { createDeadEndQueue } from './dead-end-queue.ts';
import type { Encryption } from './encryption.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { acknowledgeStreamConsumerFindings, QueueOnFailure } from './stream-on-failure.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';
import type { SupportWebSocketApi } from './websocket-api.ts';

export interface LiveUpdatesProps {
  readonly encryption: Encryption;
  /** Its table must stream NEW_AND_OLD_IMAGES (ConversationStoreProps.streamChanges). */
  readonly store: ConversationStore;
  readonly functionDefaults: SupportFunctionDefaults;
  readonly webSocketApi: SupportWebSocketApi;
}

/**
 * Agents' live updates: the table's change stream feeds a consumer that turns each written
 * conversation, message, note or read marker into `conversation.changed` notices on every
 * agent's open socket of the WebSocket API (agents' connects, disconnects and `agent.ping` are
 * served by the API's routes function). Writes come from every function, so every channel and
 * every agent action is covered with nothing added to their paths.
 */
export class LiveUpdates extends Construct implements Monitored {
  readonly consumer: SupportFunction;
  /** Batches the consumer failed on after its retries (their stream positions, not the items). */
  readonly deadLetterQueue: Queue;
  readonly #webSocketUrl: string;

  constructor(scope: Construct, id: string, props: LiveUpdatesProps) {
    super(scope, id);
    this.#webSocketUrl = props.webSocketApi.url;
    const table = props.store.table;
    if (!table.tableStreamArn) {
      throw new Error('LiveUpdates needs the conversation table to stream its changes (streamChanges: true)');
    }

    this.consumer = new SupportFunction(this, 'Consumer', {
      ...props.functionDefaults,
      entry: handlerEntry('live-updates'),
      description: "Tells agents' open inboxes which conversations changed (DynamoDB stream to WebSocket)",
      memorySize: 256,
      timeout: Duration.seconds(30),
    }).bindConversationStore(props.store, 'readWrite', 'liveUpdates');
    this.consumer.setEnvironment('AGENT_SOCKETS_ENABLED', 'true');
    props.webSocketApi.routes.setEnvironment('AGENT_SOCKETS_ENABLED', 'true');
    props.webSocketApi.grantPostToConnections(this.consumer);
    props.webSocketApi.addRoutes(AGENT_SOCKET_ROUTES);

    this.deadLetterQueue = createDeadEndQueue(this, 'FailedBatches', {
      encryption: props.encryption,
      withoutDeadLetterQueue:
        'The on-failure destination of the live-updates stream: it holds stream positions of notices that could not be sent, nothing to retry further.',
      withoutRedrive:
        'A notice that failed is stale by the time anyone looks: the inbox refetches on focus; the queue only shows that notices were lost (alarmed).',
    });

    this.consumer.lambdaFunction.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        // Notices should arrive within a second: no batching window beyond the stream's own polling.
        maxBatchingWindow: Duration.seconds(0),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 3,
        // A notice older than this tells an inbox nothing its refetch on focus would not.
        maxRecordAge: Duration.minutes(15),
        onFailure: new QueueOnFailure(this.deadLetterQueue),
        // Only conversation items reach the function (no invocation, no cost for the rest).
        filters: [FilterCriteria.filter(LIVE_UPDATE_FILTER_PATTERN as unknown as Record<string, unknown>)],
      }),
    );
    acknowledgeStreamConsumerFindings(this.consumer);
  }

  /** Alarms on the consumer and on batches it gave up on; the agents' socket URL as an output. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('LiveUpdates', this.consumer.lambdaFunction, "Agents' live updates", {
      queue: this.deadLetterQueue,
      meaning:
        "Agents' live-update notices of a stream batch could not be posted after retries; inboxes catch up when they refetch.",
    });
    stackOutput(this, 'AgentWebSocketUrl', {
      value: this.#webSocketUrl,
      description:
        "Agents' inboxes connect here with ?agentToken=<JWT> (webSocketUrl in the inbox's config.json)",
    });
  }
}
