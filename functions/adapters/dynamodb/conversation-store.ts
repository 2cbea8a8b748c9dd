import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { previewOf } from '../../core/agent/rows.ts';
import type { Channel, Conversation, Message } from '../../core/model.ts';
import type {
  AppendEffect,
  AppendedMessage,
  ConversationStore,
  EmailReference,
} from '../../core/ports/conversations.ts';
import { withoutUndefined } from './customer-directory.ts';
import {
  COUNT_MARK_ATTRIBUTE,
  customerIndexKey,
  isConditionFailure,
  keys,
  MESSAGE_PREFIX,
  statusIndexKey,
  withoutStorageAttributes,
} from './keys.ts';
import { queryItems } from './query-items.ts';
import { conversationTable } from './table-definition.ts';

/** The contact keys since the last answer, on the conversation item (a string set: a redelivery adds nothing). */
const UNANSWERED_CONTACTS = 'unansweredContactKeys';

function contactCount(attributes: Record<string, unknown> | undefined): number | undefined {
  const counted = attributes?.[UNANSWERED_CONTACTS];
  return counted instanceof Set ? counted.size : undefined;
}

export function conversationFromItem(item: Record<string, unknown>): Conversation {
  return withoutStorageAttributes<Conversation>(item);
}

export function messageFromItem(item: Record<string, unknown>): Message {
  const message = withoutStorageAttributes<Message>(item);
  return { ...message, attachments: message.attachments ?? [] };
}

/** How many of a customer's newest conversations are looked at to find the open one. */
export const OPEN_CONVERSATION_LOOKBACK = 10;

/**
 * The customer's `limit` most recently opened conversations, newest first (the by-customer index
 * is sorted by creation, so a message never moves its key there), returned by last activity.
 */
export async function newestConversationsOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  limit: number,
): Promise<Conversation[]> {
  const conversations: Conversation[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: conversationTable.indexes.byCustomer.name,
        KeyConditionExpression: 'gsi1pk = :customer',
        ExpressionAttributeValues: { ':customer': customerIndexKey(customerId) },
        ScanIndexForward: false,
        Limit: limit - conversations.length,
        ExclusiveStartKey: startKey,
      }),
    );
    conversations.push(...(page.Items ?? []).map(conversationFromItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey && conversations.length < limit);
  return conversations.sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
}

/** The stored email reference: a reply's In-Reply-To or References lead back to the conversation. */
export function emailReferenceItem(messageId: string, reference: EmailReference): Record<string, unknown> {
  return { ...keys.emailReference(messageId), entity: 'email-reference', ...reference };
}

export class DynamoConversationStore implements ConversationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(conversationId: string): Promise<Conversation | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.conversation(conversationId) }),
    );
    return result.Item ? conversationFromItem(result.Item) : undefined;
  }

  async create(conversation: Conversation): Promise<Conversation> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.conversation(conversation.id),
            entity: 'conversation',
            ...withoutUndefined(conversation),
            gsi1pk: customerIndexKey(conversation.customerId),
            gsi1sk: conversation.createdAt,
            gsi2pk: statusIndexKey(conversation.status, conversation.id),
            gsi2sk: conversation.lastMessageAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return conversation;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(conversation.id)) ?? conversation;
    }
  }

  async appendMessage(message: Message, effect: AppendEffect = {}): Promise<AppendedMessage | undefined> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.message(message.conversationId, message.at, message.id),
            entity: 'message',
            ...withoutUndefined(message),
            // The stream's counting consumer sums marked inserts (no counter write here).
            ...(effect.countAs ? { [COUNT_MARK_ATTRIBUTE]: effect.countAs } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
    const touched = await this.touchConversation(message, effect);
    return effect.countAs ? { ...touched, counted: true } : touched;
  }

  /**
   * Moves the conversation's clocks forward; a message that arrives late never moves them back.
   * The same update writes the queue row's preview, counts the contact for the escalation rule,
   * and a customer's message wakes a snoozed conversation: the inbox's rows and the tally cost no
   * call of their own on this path.
   */
  private async touchConversation(message: Message, effect: AppendEffect): Promise<AppendedMessage> {
    // gsi3sk keeps the assignee index in order; without gsi3pk (unassigned) it indexes nothing.
    // The by-customer key (creation) never moves: a moved index key costs two writes, not one.
    const sets = ['lastMessageAt = :at', 'gsi2sk = :at', 'gsi3sk = :at'];
    const removes: string[] = [];
    const adds: string[] = [];
    const values: Record<string, unknown> = { ':at': message.at };
    const names: Record<string, string> = {};
    const preview = previewOf(message);
    if (preview) {
      sets.push('preview = :preview');
      values[':preview'] = preview;
    }
    if (message.direction === 'inbound') {
      sets.push('lastInboundAt = :at');
      removes.push('snoozedUntil', 'snoozedAt', 'snoozedBy');
      const senderName = message.fromName?.trim().slice(0, 200);
      if (senderName) {
        sets.push('senderName = :senderName');
        values[':senderName'] = senderName;
      }
    }
    if (message.direction === 'outbound' && message.kind === 'agent-reply') {
      sets.push('firstResponseAt = if_not_exists(firstResponseAt, :at)', 'lastAgentReplyAt = :at');
      // An answer starts the escalation rule's count again.
      removes.push(UNANSWERED_CONTACTS);
    }
    const contact = effect.contactKey === undefined ? undefined : new Set([effect.contactKey]);
    if (contact) {
      adds.push(`${UNANSWERED_CONTACTS} :contact`);
      values[':contact'] = contact;
    }
    if (effect.reopen === true) {
      sets.push('#status = :open', 'gsi2pk = :openKey');
      names['#status'] = 'status';
      values[':open'] = 'open';
      values[':openKey'] = statusIndexKey('open', message.conversationId);
    }
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(message.conversationId),
          UpdateExpression: [
            `SET ${sets.join(', ')}`,
            ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : []),
            ...(adds.length > 0 ? [`ADD ${adds.join(', ')}`] : []),
          ].join(' '),
          ConditionExpression: 'attribute_exists(pk) AND lastMessageAt <= :at',
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ...(contact ? { ReturnValues: 'UPDATED_NEW' as const } : {}),
        }),
      );
      return contact ? { unansweredContacts: contactCount(result.Attributes) } : {};
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // A late message moves no clock, and is still a contact.
    if (!contact) return {};
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(message.conversationId),
          UpdateExpression: `ADD ${UNANSWERED_CONTACTS} :contact`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':contact': contact },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { unansweredContacts: contactCount(result.Attributes) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return {};
    }
  }

  async listMessages(conversationId: string): Promise<Message[]> {
    const messages: Message[] = [];
    for await (const item of queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.conversation(conversationId).pk, ':prefix': MESSAGE_PREFIX },
    })) {
      messages.push(messageFromItem(item));
    }
    return messages;
  }

  async findByEmailReference(messageIds: readonly string[]): Promise<EmailReference | undefined> {
    const wanted = [...new Set(messageIds)].slice(0, 100);
    if (wanted.length === 0) return undefined;
    const found = new Map<string, EmailReference>();
    let request: Record<string, unknown>[] | undefined = wanted.map((id) => keys.emailReference(id));
    // BatchGet may leave keys unprocessed under load; a few more rounds get them.
    for (let round = 0; request && request.length > 0 && round < 5; round++) {
      const result: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: request } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        if (typeof item.conversationId === 'string' && typeof item.customerId === 'string') {
          found.set(String(item.pk), { conversationId: item.conversationId, customerId: item.customerId });
        }
      }
      request = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    for (const id of wanted) {
      const reference = found.get(keys.emailReference(id).pk);
      if (reference) return reference;
    }
    return undefined;
  }

  async recordEmailReference(messageId: string, reference: EmailReference): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: emailReferenceItem(messageId, reference) }),
    );
  }

  async latestOpenConversation(customerId: string, channel: Channel): Promise<Conversation | undefined> {
    const recent = await newestConversationsOf(
      this.db,
      this.tableName,
      customerId,
      OPEN_CONVERSATION_LOOKBACK,
    );
    return recent.find((c) => c.channel === channel && (c.status === 'open' || c.status === 'pending'));
  }
}
