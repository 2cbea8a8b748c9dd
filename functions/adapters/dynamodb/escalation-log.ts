import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Escalation } from '../../core/model.ts';
import type { EscalationLog } from '../../core/ports/service-levels.ts';
import { withoutUndefined } from './customer-directory.ts';
import { isConditionFailure, keys, withoutStorageAttributes } from './keys.ts';

/** Tallies only matter while a conversation waits for an answer. */
const TALLY_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Escalations under their conversation (`ESCALATION#<event key>`, written with a condition) and
 * an `escalated` flag on the conversation, so the agent queue and the contact flow see it.
 */
export class DynamoEscalationLog implements EscalationLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(escalation: Escalation): Promise<{ created: boolean; stored: Escalation }> {
    const key = keys.escalation(escalation.conversationId, escalation.eventKey);
    let created = true;
    let stored = escalation;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'escalation', ...withoutUndefined(escalation) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      created = false;
      const existing = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
      if (existing.Item) stored = withoutStorageAttributes<Escalation>(existing.Item);
    }
    // Also on a repeat: a first attempt that died between the two writes is finished here.
    await this.flagConversation(escalation);
    return { created, stored };
  }

  async attachTask(conversationId: string, eventKey: string, taskId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.escalation(conversationId, eventKey),
        UpdateExpression: 'SET taskId = if_not_exists(taskId, :taskId)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':taskId': taskId },
      }),
    );
  }

  async countUnansweredContact(conversationId: string, since: string, contactKey: string): Promise<number> {
    // A string set: adding a contact twice (a redelivery) leaves the count as it was.
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.contactTally(conversationId, since),
        UpdateExpression:
          'ADD contactKeys :key SET entity = :entity, expiresAt = if_not_exists(expiresAt, :ttl)',
        ExpressionAttributeValues: {
          ':key': new Set([contactKey]),
          ':entity': 'contact-tally',
          ':ttl': Math.floor(Date.now() / 1000) + TALLY_TTL_SECONDS,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const keysSoFar = result.Attributes?.contactKeys;
    return keysSoFar instanceof Set ? keysSoFar.size : 1;
  }

  private async flagConversation(escalation: Escalation): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(escalation.conversationId),
          UpdateExpression:
            'SET flags = list_append(if_not_exists(flags, :none), :flag), escalatedAt = if_not_exists(escalatedAt, :at)',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(flags, :flagName)',
          ExpressionAttributeValues: {
            ':none': [],
            ':flag': ['escalated'],
            ':flagName': 'escalated',
            ':at': escalation.at,
          },
        }),
      );
    } catch (error) {
      // Flagged already (or no such conversation): nothing to add.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
