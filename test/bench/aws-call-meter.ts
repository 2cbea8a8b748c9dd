import { AsyncLocalStorage } from 'node:async_hooks';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';

/** DynamoDB commands that write (and so consume write capacity). */
const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/** DynamoDB commands that read (read capacity, asked for the same way). */
const READ_COMMANDS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);

/** Errors of a write DynamoDB refused on its condition: billed like the write, reported without capacity. */
const CONDITION_REFUSALS = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);

export interface MeterReading {
  /** SDK commands sent. */
  readonly calls: number;
  /** DynamoDB write capacity units reported by the table (ReturnConsumedCapacity TOTAL, indexes included). */
  readonly writeUnits: number;
  /** DynamoDB read capacity units reported the same way. */
  readonly readUnits: number;
  /** Writes refused on their condition: AWS bills them (at least 1 WCU each) but returns no capacity. */
  readonly refusedWrites: number;
  readonly byCommand: Readonly<Record<string, number>>;
  /** DynamoDB item commands by the kind of item they touch (`UpdateItem CONVERSATION#/META`). */
  readonly byItem: Readonly<Record<string, number>>;
}

interface Tally {
  calls: number;
  writeUnits: number;
  readUnits: number;
  refusedWrites: number;
  byCommand: Map<string, number>;
  byItem: Map<string, number>;
}

/** A client whose middleware stack takes one more initialize middleware. */
export interface MeteredClient {
  middlewareStack: { add(middleware: InitializeMiddleware<object, MetadataBearer>, options: object): void };
}

interface ConsumedCapacity {
  CapacityUnits?: number;
}

/**
 * Counts the AWS SDK commands sent through the clients it is attached to, per function (the
 * function a call belongs to is the one `within` is running), and the DynamoDB write capacity
 * they consume: every DynamoDB write is sent with `ReturnConsumedCapacity: 'TOTAL'` (bench only;
 * the functions themselves never ask for it) and the reported units are summed.
 */
export class AwsCallMeter {
  private readonly current = new AsyncLocalStorage<string>();
  private readonly tallies = new Map<string, Tally>();

  /** Adds the counting middleware to each client (once per client). */
  attach(clients: Iterable<MeteredClient | undefined>): void {
    for (const client of clients) {
      if (!client) continue;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const tally = this.tally(this.current.getStore() ?? 'unattributed');
          const command = `${context.clientName ?? ''}.${context.commandName ?? ''}`;
          tally.calls += 1;
          tally.byCommand.set(command, (tally.byCommand.get(command) ?? 0) + 1);
          const item = itemKind(args.input);
          if (item) {
            const name = `${(context.commandName ?? '').replace(/Command$/, '')} ${item}`;
            tally.byItem.set(name, (tally.byItem.get(name) ?? 0) + 1);
          }
          const isDynamo = context.clientName === 'DynamoDBClient';
          const isWrite = isDynamo && WRITE_COMMANDS.has(context.commandName ?? '');
          if (!isWrite && !(isDynamo && READ_COMMANDS.has(context.commandName ?? ''))) return next(args);
          try {
            const output = await next({
              ...args,
              input: { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' },
            });
            const units = capacityUnits(
              (output.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
                .ConsumedCapacity,
            );
            if (isWrite) tally.writeUnits += units;
            else tally.readUnits += units;
            return output;
          } catch (error) {
            if (isWrite && error instanceof Error && CONDITION_REFUSALS.has(error.name)) {
              tally.refusedWrites += 1;
            }
            throw error;
          }
        },
        { step: 'initialize', name: 'benchAwsCallMeter', override: true },
      );
    }
  }

  /** Runs `work` with every call it makes counted for `functionName`. */
  within<T>(functionName: string, work: () => T): T {
    return this.current.run(functionName, work);
  }

  /** What each function has sent so far. */
  snapshot(): Record<string, MeterReading> {
    return Object.fromEntries(
      [...this.tallies.entries()].map(([name, tally]) => [
        name,
        {
          calls: tally.calls,
          writeUnits: tally.writeUnits,
          readUnits: tally.readUnits,
          refusedWrites: tally.refusedWrites,
          byCommand: Object.fromEntries([...tally.byCommand.entries()].sort()),
          byItem: Object.fromEntries([...tally.byItem.entries()].sort()),
        },
      ]),
    );
  }

  private tally(functionName: string): Tally {
    let tally = this.tallies.get(functionName);
    if (!tally) {
      tally = {
        calls: 0,
        writeUnits: 0,
        readUnits: 0,
        refusedWrites: 0,
        byCommand: new Map(),
        byItem: new Map(),
      };
      this.tallies.set(functionName, tally);
    }
    return tally;
  }
}

/** `after - before`, per function, only where something happened. */
export function difference(
  before: Record<string, MeterReading>,
  after: Record<string, MeterReading>,
): Record<string, MeterReading> {
  const result: Record<string, MeterReading> = {};
  for (const [name, reading] of Object.entries(after)) {
    const earlier = before[name];
    const changed = (now: Readonly<Record<string, number>>, then: Readonly<Record<string, number>> = {}) =>
      Object.fromEntries(
        Object.entries(now)
          .map(([name, count]) => [name, count - (then[name] ?? 0)] as const)
          .filter(([, delta]) => delta > 0),
      );
    const byCommand = changed(reading.byCommand, earlier?.byCommand);
    const byItem = changed(reading.byItem, earlier?.byItem);
    const calls = reading.calls - (earlier?.calls ?? 0);
    if (calls === 0) continue;
    result[name] = {
      calls,
      writeUnits: reading.writeUnits - (earlier?.writeUnits ?? 0),
      readUnits: reading.readUnits - (earlier?.readUnits ?? 0),
      refusedWrites: reading.refusedWrites - (earlier?.refusedWrites ?? 0),
      byCommand,
      byItem,
    };
  }
  return result;
}

/**
 * `CONVERSATION#/MESSAGE#` for an item command's key (the key's prefixes only: the values are ids
 * and addresses); undefined for commands without one item key.
 */
function itemKind(input: unknown): string | undefined {
  const { Key, Item } = (input ?? {}) as { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
  const key = Key ?? Item;
  if (!key) return undefined;
  const prefix = (value: unknown) => {
    const text = typeof value === 'string' ? value : ((value as { S?: string } | undefined)?.S ?? '');
    const hash = text.indexOf('#');
    return hash >= 0 ? text.slice(0, hash + 1) : text;
  };
  return `${prefix(key.pk)}/${prefix(key.sk)}`;
}

function capacityUnits(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  if (!consumed) return 0;
  const all = Array.isArray(consumed) ? consumed : [consumed];
  return all.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}
