import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Conversation } from '../../core/model.ts';
import type { ConversationMerges } from '../../core/ports/conversations.ts';
import { conversationFromItem } from './conversation-store.ts';
import { isConditionFailure, keys, statusIndexKey } from './keys.ts';

/**
 * Conversation merges on the conversation table: one conditional UpdateItem per step, each a
 * no-op when it finds the state it would make (no transactions: dynalite has none).
 */
export class DynamoConversationMerges implements ConversationMerges {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordMergedFrom(targetId: string, sourceIds: readonly string[]): Promise<boolean> {
    const current = await this.get(targetId);
    if (!current) return false;
    const missing = sourceIds.filter((id) => !current.mergedFrom?.includes(id));
    if (missing.length === 0) return true;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(targetId),
          UpdateExpression: 'SET mergedFrom = list_append(if_not_exists(mergedFrom, :empty), :more)',
          // The list as read: a concurrent merge into the same target makes this one read again.
          ConditionExpression: current.mergedFrom
            ? 'attribute_exists(pk) AND size(mergedFrom) = :size'
            : 'attribute_exists(pk) AND attribute_not_exists(mergedFrom)',
          ExpressionAttributeValues: {
            ':empty': [],
            ':more': missing,
            ...(current.mergedFrom ? { ':size': current.mergedFrom.length } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.recordMergedFrom(targetId, sourceIds);
    }
  }

  async markMerged(
    sourceId: string,
    targetId: string,
    change: { readonly at: string; readonly by: string },
  ): Promise<{ readonly conversation: Conversation; readonly changed: boolean } | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(sourceId),
          // Closed and out of the open queue (the status index key moves with the status).
          UpdateExpression:
            'SET mergedInto = :target, mergedAt = :at, mergedBy = :by, #status = :closed, gsi2pk = :index, ' +
            'statusChangedAt = :at, statusChangedBy = :by, closedAt = if_not_exists(closedAt, :at), closedBy = if_not_exists(closedBy, :by)',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(mergedInto)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':target': targetId,
            ':at': change.at,
            ':by': change.by,
            ':closed': 'closed',
            ':index': statusIndexKey('closed', sourceId),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes
        ? { conversation: conversationFromItem(result.Attributes), changed: true }
        : undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.get(sourceId);
      return current?.mergedInto === targetId ? { conversation: current, changed: false } : undefined;
    }
  }

  private async get(conversationId: string): Promise<Conversation | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.conversation(conversationId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? conversationFromItem(result.Item) : undefined;
  }
}
