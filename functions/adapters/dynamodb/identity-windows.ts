import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Channel, Identity } from '../../core/model.ts';
import type { IdentityWindows } from '../../core/ports/customers.ts';
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

  async latestInboundAt(identities: readonly Identity[], channel: Channel): Promise<string | undefined> {
    if (identities.length <= 1) {
      const [only] = identities;
      return only ? this.lastInboundAt(only, channel) : undefined;
    }
    const times: string[] = [];
    let keysLeft: Record<string, unknown>[] | undefined = identities.map((identity) =>
      keys.identity(identity),
    );
    // BatchGet may leave keys unprocessed under load; a few more rounds get them.
    for (let round = 0; keysLeft && keysLeft.length > 0 && round < 5; round++) {
      const result: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: keysLeft,
              ProjectionExpression: '#at',
              ExpressionAttributeNames: { '#at': attributeFor(channel) },
            },
          },
        }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const value = item[attributeFor(channel)];
        if (typeof value === 'string') times.push(value);
      }
      keysLeft = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    // Stored times may differ in precision: the latest by time, not by text.
    return times.reduce<string | undefined>(
      (latest, at) => (latest === undefined || Date.parse(at) > Date.parse(latest) ? at : latest),
      undefined,
    );
  }
}
