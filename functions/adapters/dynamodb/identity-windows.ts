import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, Identity } from '../../core/model.ts';
import type { IdentityWindows } from '../../core/ports.ts';
import { updateWhenCondition } from './conditional-update.ts';
import { keys } from './keys.ts';

/** The attribute of the identity item that holds the last inbound time on `channel`. */
const attributeFor = (channel: Channel) => `lastInboundAt_${channel}`;

/** The last inbound per channel on the identity item (`IDENTITY#<kind>#<value>`). */
export class DynamoIdentityWindows implements IdentityWindows {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordInbound(identity: Identity, channel: Channel, at: string): Promise<void> {
    // Only forward, and only on an identity that exists (the inbound path creates it first).
    await updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.identity(identity),
      UpdateExpression: 'SET #at = :at',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#at) OR #at < :at)',
      ExpressionAttributeNames: { '#at': attributeFor(channel) },
      ExpressionAttributeValues: { ':at': at },
    });
  }

  async lastInboundAt(identity: Identity, channel: Channel): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.identity(identity),
        ProjectionExpression: '#at',
        ExpressionAttributeNames: { '#at': attributeFor(channel) },
      }),
    );
    const value = Item?.[attributeFor(channel)];
    return typeof value === 'string' ? value : undefined;
  }
}
