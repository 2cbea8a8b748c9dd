import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { RetryableError } from '../../core/errors.ts';
import type { Channel, Customer, Identity, Language, OpenConversationPointer } from '../../core/model.ts';
import type { CustomerDirectory, SenderAndEvent } from '../../core/ports/customers.ts';
import { derivedIds } from '../ids.ts';
import { isConditionFailure, keys, withoutStorageAttributes } from './keys.ts';

/**
 * Each channel's open-conversation pointer is an attribute of its own on the profile, so pointers
 * of two channels written at once never overwrite each other (one map attribute would).
 */
const OPEN_CONVERSATION_ATTRIBUTE = 'openConversation#';

export const openConversationAttribute = (channel: Channel) => `${OPEN_CONVERSATION_ATTRIBUTE}${channel}`;

export function customerFromItem(item: Record<string, unknown>): Customer {
  const stored: Record<string, unknown> = {};
  const pointers: Partial<Record<Channel, OpenConversationPointer>> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(OPEN_CONVERSATION_ATTRIBUTE)) {
      pointers[name.slice(OPEN_CONVERSATION_ATTRIBUTE.length) as Channel] = value as OpenConversationPointer;
    } else stored[name] = value;
  }
  const customer = withoutStorageAttributes<Customer>(stored);
  return {
    ...customer,
    consent: customer.consent ?? {},
    identities: customer.identities ?? [],
    ...(Object.keys(pointers).length > 0 ? { openConversations: pointers } : {}),
  };
}

const MAX_ALIAS_HOPS = 5;

/**
 * The id receiveInbound gives the customer an identity creates (core/conversations/receive-inbound.ts derives
 * it from the identity): most identities lead to exactly that customer.
 */
export const customerIdCreatedBy = (identity: Identity): string =>
  derivedIds.derive('customer', identity.kind, identity.value);

/** Customers and the identities that lead to them (email, phone, platform ids). */
export class DynamoCustomerDirectory implements CustomerDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly likelyCustomerId: (identity: Identity) => string = customerIdCreatedBy,
  ) {}

  /**
   * One round trip for most messages: the identity and the profile it most likely leads to (the
   * one it created) are read together; only an identity linked to another customer (an order
   * event joined them, a merge) or a merged profile costs a second read.
   */
  async findByIdentity(identity: Identity): Promise<Customer | undefined> {
    const likely = this.likelyCustomerId(identity);
    const identityKey = keys.identity(identity);
    const items = await this.batchGet([identityKey, keys.customer(likely)]);
    return this.customerOf(identity, items);
  }

  async findByIdentityWithEvent(identity: Identity, eventKey: string): Promise<SenderAndEvent> {
    const likely = this.likelyCustomerId(identity);
    const eventItemKey = keys.event(eventKey);
    const items = await this.batchGet([keys.identity(identity), keys.customer(likely), eventItemKey]);
    const event = items.get(eventItemKey.pk);
    // Only a completed record answers here; one in progress is left to the claim (its lease).
    const completed = event?.state === 'done' ? { outcome: event.outcome } : undefined;
    const customer = await this.customerOf(identity, items);
    return completed ? { customer, completed } : { customer };
  }

  private async customerOf(
    identity: Identity,
    items: Map<string, Record<string, unknown>>,
  ): Promise<Customer | undefined> {
    const likely = this.likelyCustomerId(identity);
    const customerId = items.get(keys.identity(identity).pk)?.customerId;
    if (typeof customerId !== 'string') return undefined;
    const profile = customerId === likely ? items.get(keys.customer(likely).pk) : undefined;
    if (!profile) return this.get(customerId);
    const customer = customerFromItem(profile);
    return customer.mergedInto ? this.get(customer.mergedInto) : customer;
  }

  /** Items by pk (every key here has its own pk); BatchGet may leave keys for another round. */
  private async batchGet(
    wanted: Array<{ pk: string; sk: string }>,
  ): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    let request: Record<string, unknown>[] | undefined = wanted;
    for (let round = 0; request && request.length > 0 && round < 5; round++) {
      const result: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: request } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) found.set(String(item.pk), item);
      request = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    if (request && request.length > 0) {
      throw new RetryableError('DynamoDB left keys unprocessed after 5 rounds; retry later');
    }
    return found;
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

  async pointOpenConversation(
    customerId: string,
    channel: Channel,
    pointer: OpenConversationPointer,
    expected: string | undefined,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.customer(customerId),
          UpdateExpression: 'SET #pointer = :pointer',
          ConditionExpression:
            expected === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(#pointer)'
              : 'attribute_exists(pk) AND #pointer.conversationId = :expected',
          ExpressionAttributeNames: { '#pointer': openConversationAttribute(channel) },
          ExpressionAttributeValues: {
            ':pointer': { ...pointer, previous: [...pointer.previous] },
            ...(expected === undefined ? {} : { ':expected': expected }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }
}

export function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
