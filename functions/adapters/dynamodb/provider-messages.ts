import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, DeliveryStatus } from '../../core/model.ts';
import { statusesBefore } from '../../core/outbound/delivery-status.ts';
import type { ProviderMessageIndex, ProviderMessageReference } from '../../core/ports/outbound.ts';
import { isConditionFailure, keys } from './keys.ts';

/** `PROVIDERMSG#<channel>#<provider id>`: where a delivery status finds our message (like EMAILREF for mail). */
export function providerMessageKey(channel: Channel, providerMessageId: string) {
  return { pk: `PROVIDERMSG#${channel}#${providerMessageId}`, sk: 'PROVIDERMSG' };
}

/** Statuses come for weeks at most (a read receipt days later); the reference then expires. */
const REFERENCE_TTL_SECONDS = 90 * 24 * 3600;

/** The stored reference: where a delivery status of `providerMessageId` finds its message. */
export function providerMessageItem(
  channel: Channel,
  providerMessageId: string,
  reference: ProviderMessageReference,
): Record<string, unknown> {
  return {
    ...providerMessageKey(channel, providerMessageId),
    entity: 'provider-message',
    conversationId: reference.conversationId,
    messageId: reference.messageId,
    at: reference.at,
    expiresAt: Math.floor(Date.parse(reference.at) / 1000) + REFERENCE_TTL_SECONDS,
  };
}

export class DynamoProviderMessageIndex implements ProviderMessageIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(
    channel: Channel,
    providerMessageId: string,
    reference: ProviderMessageReference,
  ): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: providerMessageItem(channel, providerMessageId, reference),
      }),
    );
  }

  async find(channel: Channel, providerMessageId: string): Promise<ProviderMessageReference | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: providerMessageKey(channel, providerMessageId) }),
    );
    const item = result.Item;
    if (
      typeof item?.conversationId !== 'string' ||
      typeof item.messageId !== 'string' ||
      typeof item.at !== 'string'
    ) {
      return undefined;
    }
    return { conversationId: item.conversationId, messageId: item.messageId, at: item.at };
  }

  async updateDeliveryStatus(
    reference: ProviderMessageReference,
    update: { readonly status: DeliveryStatus; readonly at: string; readonly reason?: string },
  ): Promise<boolean> {
    const before = statusesBefore(update.status);
    if (before.length === 0) return false;
    const allowed = Object.fromEntries(before.map((status, i) => [`:before${i}`, status]));
    const sets = ['deliveryStatus = :status', 'deliveryStatusAt = :at'];
    const values: Record<string, unknown> = { ':status': update.status, ':at': update.at, ...allowed };
    if (update.reason) {
      sets.push('flags = list_append(if_not_exists(flags, :none), :reason)');
      values[':none'] = [];
      values[':reason'] = [update.reason];
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(reference.conversationId, reference.at, reference.messageId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          // Forward only, and never onto a message that is not there (no half-made items).
          ConditionExpression: `attribute_exists(pk) AND deliveryStatus IN (${Object.keys(allowed).join(', ')})`,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
