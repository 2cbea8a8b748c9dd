import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ResponseDeadlineDue } from '../../core/model.ts';
import type { ResponseTimes } from '../../core/ports/service-levels.ts';
import { updateWhenCondition } from './conditional-update.ts';
import { keys } from './keys.ts';

const BREACH_ATTRIBUTE: Record<ResponseDeadlineDue['target'], string> = {
  'first-response': 'firstResponseBreachedAt',
  resolution: 'resolutionBreachedAt',
};

/**
 * Response times on the conversation item (`CONVERSATION#<id>` / `META`), each set by one
 * conditional update: the condition, not a read before, decides which delivery counts.
 */
export class DynamoResponseTimes implements ResponseTimes {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  recordFirstResponse(
    conversationId: string,
    record: { readonly at: string; readonly businessMinutes: number },
  ): Promise<boolean> {
    // firstResponseAt may be set already: the timeline write of the reply sets it just before.
    return this.update(conversationId, {
      UpdateExpression:
        'SET firstResponseBusinessMinutes = :minutes, firstResponseAt = if_not_exists(firstResponseAt, :at)',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(firstResponseBusinessMinutes)',
      ExpressionAttributeValues: { ':minutes': record.businessMinutes, ':at': record.at },
    });
  }

  recordResolution(
    conversationId: string,
    record: { readonly at: string; readonly businessMinutes: number },
  ): Promise<boolean> {
    // A conversation closed, reopened and closed again is resolved twice; the same close once.
    return this.update(conversationId, {
      UpdateExpression: 'SET resolvedAt = :at, resolutionBusinessMinutes = :minutes',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(resolvedAt) OR resolvedAt <> :at)',
      ExpressionAttributeValues: { ':minutes': record.businessMinutes, ':at': record.at },
    });
  }

  recordBreach(conversationId: string, target: ResponseDeadlineDue['target'], at: string): Promise<boolean> {
    return this.update(conversationId, {
      UpdateExpression: 'SET #breached = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#breached)',
      ExpressionAttributeNames: { '#breached': BREACH_ATTRIBUTE[target] },
      ExpressionAttributeValues: { ':at': at },
    });
  }

  private async update(
    conversationId: string,
    expression: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, unknown>;
      ExpressionAttributeNames?: Record<string, string>;
    },
  ): Promise<boolean> {
    return updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.conversation(conversationId),
      ...expression,
    });
  }
}
