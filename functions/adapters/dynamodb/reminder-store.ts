import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Reminder } from '../../core/model.ts';
import type { ReminderStore } from '../../core/ports.ts';
import { withoutUndefined } from './customer-directory.ts';
import { isConditionFailure, keys, withoutStorageAttributes } from './keys.ts';

/** Reminders on the conversation table (`REMINDER#<id>` / `REMINDER`); state changes are conditional. */
export class DynamoReminderStore implements ReminderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(reminderId: string): Promise<Reminder | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.reminder(reminderId), ConsistentRead: true }),
    );
    return result.Item ? withoutStorageAttributes<Reminder>(result.Item) : undefined;
  }

  async create(reminder: Reminder): Promise<Reminder> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.reminder(reminder.id), entity: 'reminder', ...withoutUndefined(reminder) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return reminder;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(reminder.id)) ?? reminder;
    }
  }

  async cancel(reminderId: string, at: string): Promise<Reminder | undefined> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.reminder(reminderId),
          UpdateExpression: 'SET #state = :cancelled, cancelledAt = :at',
          ConditionExpression: '#state = :scheduled',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':scheduled': 'scheduled', ':at': at },
        }),
      );
    } catch (error) {
      // Unknown, cancelled already, or fired: the stored state says which.
      if (!isConditionFailure(error)) throw error;
    }
    return this.get(reminderId);
  }

  async markFired(reminderId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.reminder(reminderId),
          UpdateExpression: 'SET #state = :fired, firedAt = :at',
          ConditionExpression: '#state = :scheduled',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':fired': 'fired', ':scheduled': 'scheduled', ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
