import { type AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  CompleteOptions,
  EventClaim,
  EventLedger,
  EventRetention,
} from '../../core/ports/event-ledger.ts';
import { isConditionFailure, keys } from './keys.ts';

/** Every upstream we read redelivers within days; 30 days outlives them all (SNS retries longest). */
export const EVENT_RECORD_TTL_SECONDS = 30 * 24 * 3600;

interface EventRecord {
  state: 'in-progress' | 'done';
  leaseUntil: number;
  outcome?: unknown;
  unfinished?: boolean;
}

/**
 * A completed event as `complete` leaves it, for a write that puts it whole (beside other puts
 * of the same batch): done, with its outcome, kept for the redelivery window.
 */
export function completedEventItem(key: string, outcome: unknown, now: Date): Record<string, unknown> {
  return {
    ...keys.event(key),
    state: 'done',
    outcome,
    completedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + EVENT_RECORD_TTL_SECONDS,
  };
}

/** The event ledger on the conversation table: one conditional write decides who goes first. */
export class DynamoEventLedger implements EventLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim<Outcome>(
    key: string,
    now: Date,
    leaseSeconds: number,
    retention: EventRetention = 'redelivery-window',
  ): Promise<EventClaim<Outcome>> {
    const nowMs = now.getTime();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.event(key),
            state: 'in-progress',
            leaseUntil: nowMs + leaseSeconds * 1000,
            ...(retention === 'forever'
              ? {}
              : { expiresAt: Math.floor(nowMs / 1000) + EVENT_RECORD_TTL_SECONDS }),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :inProgress AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':now': nowMs },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'claimed' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.existing(key, error);
      if (existing?.state === 'done') {
        const outcome = existing.outcome as Outcome;
        return existing.unfinished
          ? { status: 'done', outcome, unfinished: true }
          : { status: 'done', outcome };
      }
      return { status: 'in-progress' };
    }
  }

  async complete<Outcome>(
    key: string,
    outcome: Outcome,
    now: Date,
    options: CompleteOptions = {},
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.event(key),
          UpdateExpression: options.unfinished
            ? 'SET #state = :done, outcome = :outcome, completedAt = :at, unfinished = :unfinished REMOVE leaseUntil'
            : 'SET #state = :done, outcome = :outcome, completedAt = :at REMOVE leaseUntil, unfinished',
          // Never over a record another delivery completed: its outcome stands.
          ConditionExpression: '#state = :inProgress OR attribute_exists(unfinished)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':done': 'done',
            ':inProgress': 'in-progress',
            ':outcome': outcome,
            ':at': now.toISOString(),
            ...(options.unfinished ? { ':unfinished': true } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(key: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.event(key),
          ConditionExpression: '#state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** The record that made the claim fail: from the error when the server returns it, else read. */
  private async existing(key: string, error: unknown): Promise<EventRecord | undefined> {
    const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
    if (returned) return unmarshall(returned) as EventRecord;
    const read = await this.db.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: keys.event(key).pk }, sk: { S: keys.event(key).sk } },
        ConsistentRead: true,
      }),
    );
    return read.Item ? (unmarshall(read.Item) as EventRecord) : undefined;
  }
}
