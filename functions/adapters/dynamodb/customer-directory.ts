import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer, Identity, Language } from '../../core/model.ts';
import type { CustomerDirectory } from '../../core/ports.ts';
import { isConditionFailure, keys, withoutStorageAttributes } from './keys.ts';

export function customerFromItem(item: Record<string, unknown>): Customer {
  const customer = withoutStorageAttributes<Customer>(item);
  return { ...customer, consent: customer.consent ?? {}, identities: customer.identities ?? [] };
}

const MAX_ALIAS_HOPS = 5;

/** Customers and the identities that lead to them (email, phone, platform ids). */
export class DynamoCustomerDirectory implements CustomerDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findByIdentity(identity: Identity): Promise<Customer | undefined> {
    const link = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.identity(identity) }),
    );
    const customerId = link.Item?.customerId;
    return typeof customerId === 'string' ? this.get(customerId) : undefined;
  }

  async get(customerId: string): Promise<Customer | undefined> {
    // A merged profile is an alias: follow it to the customer it was merged into (a chain is
    // short; the bound only guards against a cycle written by hand).
    let id = customerId;
    for (let hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
      const result = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.customer(id) }),
      );
      if (!result.Item) return undefined;
      const customer = customerFromItem(result.Item);
      if (!customer.mergedInto) return customer;
      id = customer.mergedInto;
    }
    return undefined;
  }

  async createWithIdentity(customer: Customer, identity: Identity): Promise<Customer> {
    // The profile first: an identity must never point at a profile that is not there yet.
    // Its id is derived from the identity, so a racing twin writes the same profile.
    let profileExisted = false;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.customer(customer.id), entity: 'customer', ...withoutUndefined(customer) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      profileExisted = true;
    }
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.identity(identity),
            entity: 'identity',
            customerId: customer.id,
            linkedAt: customer.createdAt,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR customerId = :customerId',
          ExpressionAttributeValues: { ':customerId': customer.id },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const owner = await this.findByIdentity(identity);
      if (owner) return owner;
      throw error;
    }
    if (!profileExisted) return customer;
    return (await this.get(customer.id)) ?? customer;
  }

  async recordDetectedLanguage(customerId: string, language: Language): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.customer(customerId),
        UpdateExpression: 'SET detectedLanguage = :language',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':language': language },
      }),
    );
  }

  async claimAutoReplySlot(
    customerId: string,
    now: Date,
    windowMinutes: number,
    claimKey: string,
  ): Promise<boolean> {
    const windowStart = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.customer(customerId),
          UpdateExpression: 'SET lastAutoReplyAt = :now, lastAutoReplyKey = :key',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastAutoReplyAt) OR lastAutoReplyAt <= :windowStart)',
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':windowStart': windowStart,
            ':key': claimKey,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A retry of the event that took the slot keeps it, without moving the window.
      const holder = (error as { Item?: Record<string, AttributeValue> }).Item?.lastAutoReplyKey?.S;
      if (holder !== undefined) return holder === claimKey;
      return (await this.get(customerId))?.lastAutoReplyKey === claimKey;
    }
  }
}

export function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
