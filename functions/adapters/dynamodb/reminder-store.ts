import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Reminder } from '../../core/model.ts';
import type { ReminderStore } from '../../core/ports/orders.ts';
import { updateWhenCondition } from './conditional-update.ts';
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
    // Not applied when unknown, cancelled already, or fired: the stored state says which.
    await this.endScheduled(reminderId, 'cancelled', at);
    return this.get(reminderId);
  }

  markFired(reminderId: string, at: string): Promise<boolean> {
    return this.endScheduled(reminderId, 'fired', at);
  }

  /** One conditional update from `scheduled` to `state`, stamped `<state>At`; false when not scheduled. */
  private endScheduled(reminderId: string, state: 'cancelled' | 'fired', at: string): Promise<boolean> {
    return updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.reminder(reminderId),
      UpdateExpression: `SET #state = :state, ${state}At = :at`,
      ConditionExpression: '#state = :scheduled',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':state': state, ':scheduled': 'scheduled', ':at': at },
    });
  }
}
