import { AsyncLocalStorage } from 'node:async_hooks';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { passesLiveUpdateFilter } from '../../functions/adapters/dynamodb/live-update-items.ts';
import { conversationTable } from '../../functions/adapters/dynamodb/table-definition.ts';
import type { Clock } from '../../functions/core/ports/runtime.ts';
import { dynamoDbStreamRecord } from '../../local/events/dynamodb-stream.ts';

type Key = Record<string, AttributeValue>;

/** The channel counters' consumer, by name (the bench holds it to measure a batch). */
export const CHANNEL_COUNTERS_CONSUMER = 'channel-counters';

/** One consumer of the stream: its event source filter (as Lambda applies it) and its handler. */
export interface StreamConsumer {
  readonly name: string;
  /** Whether a record passes the consumer's event source filter. */
  readonly accepts: (record: DynamoDBRecord) => boolean;
  readonly consume: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
}

interface ConsumerState {
  readonly consumer: StreamConsumer;
  pending: DynamoDBRecord[];
  /** Held: records wait for `release` (the bench measures a batch), and `settled` does not wait for them. */
  held: boolean;
}

/** How many records the stand-in hands over at most in one invocation (the construct's batch size). */
const MAX_BATCH = 100;

/**
 * The table's DynamoDB stream (NEW_AND_OLD_IMAGES) for the sandbox, on whichever DynamoDB-
 * protocol server the sandbox uses (dynalite, or the tests' DynamoDB Local, neither of which has
 * streams): a middleware on the functions' DynamoDB client sees each write request to the table
 * on the wire (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems), reads the
 * item before and after it on a client of its own (so the functions' call counts do not move),
 * and hands each consumer a real-shaped stream event shortly after, in write order, one batch at
 * a time. Only items whose keys some consumer's filter may pass are read, and each consumer gets
 * only the records its filter passes, as Lambda's filtering would; a write that changed nothing,
 * or failed, makes no record. Each consumer has its own queue of records, as each event source
 * mapping has its own position in the stream.
 *
 * Limits: it sees writes made through the sandbox's own client only (not a second process on
 * the same DynamoDB Local), TTL deletions make no record, and the images are read beside the
 * write rather than taken atomically with it (two functions writing one item at the same moment
 * may see the other's write in an image).
 */
export class SandboxTableStream {
  private readonly reader: DynamoDBClient;
  private readonly consumers: ConsumerState[];
  private scheduled = false;
  private delivering: Promise<void> = Promise.resolve();
  /**
   * Stream positions start at this run's start (microseconds), so two sandboxes on one DynamoDB
   * Local table never hand out the same record id (the counters key their sums by it).
   */
  private sequence = Date.now() * 1000;
  private stopped = false;
  /**
   * Runs work in the context the stream was made in: the consumer is another function, so what
   * it calls is not counted as part of the write that caused it (the bench meters calls per event
   * through async context).
   */
  private readonly outsideTheWriter = AsyncLocalStorage.snapshot();

  constructor(
    private readonly options: {
      readonly client: DynamoDBClient;
      /** The same DynamoDB-protocol server, for the stand-in's own reads. */
      readonly endpoint: string;
      readonly tableName: string;
      readonly clock: Clock;
      readonly consumers: readonly StreamConsumer[];
      /** A failed batch: the stream would retry it; the sandbox reports and drops it. */
      readonly onFailure?: (error: unknown) => void;
    },
  ) {
    this.consumers = options.consumers.map((consumer) => ({ consumer, pending: [], held: false }));
    this.reader = new DynamoDBClient({
      endpoint: options.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    });
    options.client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        const target = request.headers?.['x-amz-target'] ?? '';
        const operation = target.slice(target.indexOf('.') + 1);
        const body = safeJson(wireText(request.body));
        const keys = body ? this.writtenKeys(operation, body) : [];
        if (keys.length === 0) return next(args);
        const before = await Promise.all(keys.map((key) => this.read(key)));
        const result = await next(args);
        const after = await Promise.all(keys.map((key) => this.read(key)));
        for (const [index, key] of keys.entries()) this.record(key, before[index], after[index]);
        return result;
      },
      { step: 'build', name: 'sandboxTableStream' },
    );
  }

  /** Resolves once every write made so far has been handed to the consumer. */
  async settled(): Promise<void> {
    while (this.consumers.some((c) => !c.held && c.pending.length > 0) || this.scheduled) {
      await new Promise((resolve) => setImmediate(resolve));
      await this.delivering;
    }
    await this.delivering;
  }

  /** Keeps `name`'s records until `release`: they then arrive in batches, as a busy stream's would. */
  hold(name: string): void {
    for (const state of this.consumers) if (state.consumer.name === name) state.held = true;
  }

  /** How many records wait for `name` (held or not yet delivered). */
  heldRecords(name: string): number {
    return this.consumers
      .filter((state) => state.consumer.name === name)
      .reduce((sum, state) => sum + state.pending.length, 0);
  }

  /** Hands `name` what it was held from, and resolves once it has been delivered. */
  async release(name: string): Promise<void> {
    for (const state of this.consumers) if (state.consumer.name === name) state.held = false;
    this.schedule();
    await this.settled();
  }

  async stop(): Promise<void> {
    for (const state of this.consumers) state.held = false;
    await this.settled();
    this.stopped = true;
    this.reader.destroy();
  }

  /** The keys of this table's items a write request names, that the consumer's filter lets through. */
  private writtenKeys(operation: string, body: Record<string, unknown>): Key[] {
    const { tableName } = this.options;
    const keyOf = (item: Key | undefined): Key | undefined => {
      if (!item) return undefined;
      const { partitionKey, sortKey } = conversationTable;
      const pk = item[partitionKey];
      const sk = item[sortKey];
      return pk && sk ? { [partitionKey]: pk, [sortKey]: sk } : undefined;
    };
    const found: Array<Key | undefined> = [];
    if (operation === 'PutItem' && body.TableName === tableName) found.push(keyOf(body.Item as Key));
    if ((operation === 'UpdateItem' || operation === 'DeleteItem') && body.TableName === tableName) {
      found.push(keyOf(body.Key as Key));
    }
    if (operation === 'BatchWriteItem') {
      const requests = (body.RequestItems as Record<string, unknown[]> | undefined)?.[tableName] ?? [];
      for (const request of requests as Array<{ PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }>) {
        found.push(keyOf(request.PutRequest?.Item ?? request.DeleteRequest?.Key));
      }
    }
    if (operation === 'TransactWriteItems') {
      type Write = { TableName?: string; Item?: Key; Key?: Key };
      for (const item of (body.TransactItems ?? []) as Array<{
        Put?: Write;
        Update?: Write;
        Delete?: Write;
      }>) {
        const write = item.Put ?? item.Update ?? item.Delete;
        if (write?.TableName === tableName) found.push(keyOf(write.Item ?? write.Key));
      }
    }
    // Every record either consumer takes is under a key the live-updates filter passes (a counted
    // message insert is a message item): only those are read.
    return found.filter((key): key is Key => key !== undefined && passesLiveUpdateFilter(key));
  }

  private async read(key: Key): Promise<Key | undefined> {
    const result = await this.reader.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  private record(key: Key, before: Key | undefined, after: Key | undefined): void {
    if (this.stopped) return;
    if (!before && !after) return;
    if (before && after && sameImage(before, after)) return;
    this.sequence += 1;
    const record = dynamoDbStreamRecord({
      tableName: this.options.tableName,
      keys: key,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      sequence: this.sequence,
      at: this.options.clock.now(),
    });
    for (const state of this.consumers) if (state.consumer.accepts(record)) state.pending.push(record);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Shortly after the write, as Lambda's poller would: writes of the same moment share a batch.
    this.outsideTheWriter(() =>
      setImmediate(() => {
        this.scheduled = false;
        this.delivering = this.delivering.then(() => this.deliver());
      }),
    );
  }

  private async deliver(): Promise<void> {
    for (const state of this.consumers) {
      while (!state.held && state.pending.length > 0) {
        const batch = state.pending.splice(0, MAX_BATCH);
        try {
          await state.consumer.consume({ Records: batch });
        } catch (error) {
          this.options.onFailure?.(error);
        }
      }
    }
  }
}

/** The request body as sent: a string, or bytes (the SDK's JSON codec hands a Uint8Array). */
function wireText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return undefined;
}

function safeJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sameImage(a: Key, b: Key): boolean {
  const canonical = (image: Key) =>
    JSON.stringify(Object.entries(image).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}
