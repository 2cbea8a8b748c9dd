import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Conversation } from '../../core/model.ts';
import type { VoiceContactRecord, VoiceContacts } from '../../core/ports/voice.ts';
import { updateWhenCondition } from './conditional-update.ts';
import { newestConversationsOf, OPEN_CONVERSATION_LOOKBACK } from './conversation-store.ts';
import { isConditionFailure, keys, withoutStorageAttributes } from './keys.ts';

/** Contact events keep coming for a while after a call (after-contact work); then the record goes. */
const CONTACT_TTL_SECONDS = 90 * 24 * 3600;

/** `CONTACT#<contactId>` / `CONTACT`: who called, and the conversation the call's events go to. */
export class DynamoVoiceContacts implements VoiceContacts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One UpdateItem: each field is set only where it is still missing, so the first writer wins. */
  async remember(contact: VoiceContactRecord): Promise<VoiceContactRecord> {
    const fields: Record<string, string> = { firstSeenAt: contact.firstSeenAt };
    if (contact.customerId) fields.customerId = contact.customerId;
    if (contact.phone) fields.phone = contact.phone;
    if (contact.conversationId) fields.conversationId = contact.conversationId;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':entity': 'voice-contact',
      ':contactId': contact.contactId,
      ':expiresAt': Math.floor(Date.parse(contact.firstSeenAt) / 1000) + CONTACT_TTL_SECONDS,
    };
    const sets = [
      'entity = :entity',
      'contactId = :contactId',
      'expiresAt = if_not_exists(expiresAt, :expiresAt)',
    ];
    for (const [name, value] of Object.entries(fields)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = if_not_exists(#${name}, :${name})`);
    }
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.voiceContact(contact.contactId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return recordFromItem(result.Attributes ?? {});
  }

  async get(contactId: string): Promise<VoiceContactRecord | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.voiceContact(contactId) }),
    );
    return result.Item ? recordFromItem(result.Item) : undefined;
  }

  async bindConversation(contactId: string, conversationId: string): Promise<string> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.voiceContact(contactId),
          UpdateExpression: 'SET conversationId = :conversationId, entity = :entity, contactId = :contactId',
          ConditionExpression: 'attribute_not_exists(conversationId) OR conversationId = :conversationId',
          ExpressionAttributeValues: {
            ':conversationId': conversationId,
            ':entity': 'voice-contact',
            ':contactId': contactId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return String(result.Attributes?.conversationId ?? conversationId);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.get(contactId);
      return stored?.conversationId ?? conversationId;
    }
  }

  /** One conditional UpdateItem: whoever sets countedAt first counts the call. */
  async markCounted(contactId: string, at: string): Promise<boolean> {
    return updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.voiceContact(contactId),
      UpdateExpression: 'SET countedAt = :at, entity = :entity, contactId = :contactId',
      ConditionExpression: 'attribute_not_exists(countedAt)',
      ExpressionAttributeValues: { ':at': at, ':entity': 'voice-contact', ':contactId': contactId },
    });
  }

  async openConversation(customerId: string): Promise<Conversation | undefined> {
    const recent = await newestConversationsOf(
      this.db,
      this.tableName,
      customerId,
      OPEN_CONVERSATION_LOOKBACK,
    );
    // Order-notification conversations are created closed, so they are skipped here.
    return recent.find((c) => c.status === 'open' || c.status === 'pending');
  }
}

function recordFromItem(item: Record<string, unknown>): VoiceContactRecord {
  const { entity: _entity, ...rest } = withoutStorageAttributes<VoiceContactRecord & { entity?: string }>(
    item,
  );
  return rest;
}
