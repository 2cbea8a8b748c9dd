import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer, Identity } from '../../core/model.ts';
import type { CustomerLinks } from '../../core/ports/customers.ts';
import { updateWhenCondition } from './conditional-update.ts';
import { customerFromItem } from './customer-directory.ts';
import { customerConversationIds } from './customer-history.ts';
import { customerIndexKey, isConditionFailure, keys } from './keys.ts';

/**
 * Identity links and customer merges on the conversation table. No transactions (dynalite has
 * none, and a merge touches more items than one transaction may): each write is conditional on
 * the state it expects and a no-op when it finds the state it would make.
 */
export class DynamoCustomerLinks implements CustomerLinks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async identityOwner(identity: Identity): Promise<string | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.identity(identity), ConsistentRead: true }),
    );
    const owner = result.Item?.customerId;
    return typeof owner === 'string' ? owner : undefined;
  }

  async getProfile(customerId: string): Promise<Customer | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.customer(customerId), ConsistentRead: true }),
    );
    return result.Item ? customerFromItem(result.Item) : undefined;
  }

  async linkIdentity(identity: Identity, customerId: string, at: string): Promise<string> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.identity(identity), entity: 'identity', customerId, linkedAt: at },
          ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customerId',
          ExpressionAttributeValues: { ':customerId': customerId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.identityOwner(identity)) ?? customerId;
    }
    await this.listOnProfile(customerId, identity);
    return customerId;
  }

  async moveIdentity(identity: Identity, from: string, to: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.identity(identity),
          UpdateExpression: 'SET customerId = :to, linkedAt = :at, movedFrom = :from',
          ConditionExpression: 'customerId = :from',
          ExpressionAttributeValues: { ':from': from, ':to': to, ':at': at },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    if ((await this.identityOwner(identity)) === to) await this.listOnProfile(to, identity);
  }

  async updateProfile(
    customerId: string,
    fields: Partial<Pick<Customer, 'name' | 'language' | 'timezone' | 'preferredChannel'>>,
    at: string,
  ): Promise<void> {
    // One conditional write per field: each field keeps the time its value was given
    // (`profileAt_<field>`), and only a later event moves it.
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      await updateWhenCondition(this.db, {
        TableName: this.tableName,
        Key: keys.customer(customerId),
        UpdateExpression: 'SET #field = :value, #at = :at',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#at) OR #at < :at)',
        ExpressionAttributeNames: { '#field': name, '#at': `profileAt_${name}` },
        ExpressionAttributeValues: { ':value': value, ':at': at },
      });
    }
  }

  async markMerged(aliasId: string, survivorId: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.customer(aliasId),
          UpdateExpression: 'SET mergedInto = :survivor, mergedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(mergedInto)',
          ExpressionAttributeValues: { ':survivor': survivorId, ':at': at },
        }),
      );
    } catch (error) {
      // Already an alias (of this survivor, on a retry): nothing to do.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async conversationIdsOf(customerId: string): Promise<string[]> {
    return customerConversationIds(this.db, this.tableName, customerId);
  }

  async moveConversation(conversationId: string, from: string, to: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(conversationId),
          UpdateExpression: 'SET customerId = :to, gsi1pk = :index, movedFrom = :from',
          ConditionExpression: 'customerId = :from',
          ExpressionAttributeValues: { ':from': from, ':to': to, ':index': customerIndexKey(to) },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Keeps the profile's `identities` list in step with the identity items (a set union). */
  private async listOnProfile(customerId: string, identity: Identity): Promise<void> {
    const profile = await this.getProfile(customerId);
    if (!profile) return;
    if (profile.identities.some((i) => i.kind === identity.kind && i.value === identity.value)) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.customer(customerId),
        UpdateExpression: 'SET identities = list_append(if_not_exists(identities, :empty), :one)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':empty': [], ':one': [identity] },
      }),
    );
  }
}
