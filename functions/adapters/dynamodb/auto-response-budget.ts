import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AutoResponseBudget, AutoResponseBudgetScope } from '../../core/ports/auto-reply.ts';
import { isConditionFailure, keys } from './keys.ts';

/** Counters outlive their hour by a day, for looking back at a flood; then TTL removes them. */
const COUNTER_TTL_SECONDS = 25 * 3_600;

/**
 * Hourly budget counters on the conversation table, one item per scope and UTC hour. Each take
 * is one UpdateItem `ADD count 1` conditioned on the count being under the limit, so concurrent
 * functions never hand out more than the limit, with no read first.
 *
 * Scopes are taken one after another, not in a transaction (the sandbox's store has none): when
 * a later scope is spent, the earlier one keeps its unit. That errs towards sending less.
 */
export class DynamoAutoResponseBudget implements AutoResponseBudget {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(
    scopes: readonly AutoResponseBudgetScope[],
    now: Date,
  ): Promise<AutoResponseBudgetScope['kind'] | undefined> {
    const hour = now.toISOString().slice(0, 13);
    const hourStart = Date.parse(`${hour}:00:00.000Z`);
    for (const scope of scopes) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.autoResponseBudget(hour, scope.kind, scope.key),
            UpdateExpression: 'SET entity = :entity, expiresAt = :expiresAt ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': scope.limit,
              ':entity': 'auto-response-budget',
              ':expiresAt': Math.floor(hourStart / 1000) + COUNTER_TTL_SECONDS,
            },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) return scope.kind;
        throw error;
      }
    }
    return undefined;
  }
}
