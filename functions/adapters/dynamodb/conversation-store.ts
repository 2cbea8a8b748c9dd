import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { previewOf } from '../../core/agent/rows.ts';
import { RetryableError } from '../../core/errors.ts';
import type { Channel, Conversation, Message } from '../../core/model.ts';
import type {
  AppendEffect,
  AppendedMessage,
  Continuation,
  ConversationStore,
  EmailReference,
} from '../../core/ports/conversations.ts';
import type { CountMark } from '../../core/service-levels/stream-counts.ts';
import { withoutUndefined } from './customer-directory.ts';
import { conversationItems, customerConversationIds } from './customer-history.ts';
import {
  COUNT_MARK_ATTRIBUTE,
  customerIndexKey,
  isConditionFailure,
  keys,
  MESSAGE_PREFIX,
  queueIndexSortKey,
  statusIndexKey,
  withoutStorageAttributes,
} from './keys.ts';
import { queryItems } from './query-items.ts';

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
 * is sorted by creation, so a message never moves its key there), returned by last activity: the
 * index gives their keys, one BatchGetItem the conversations.
 */
export async function newestConversationsOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  limit: number,
): Promise<Conversation[]> {
  const ids = await customerConversationIds(db, tableName, customerId, limit);
  if (ids.length === 0) return [];
  const conversations = (await conversationItems(db, tableName, ids)).map(conversationFromItem);
  return conversations.sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
}

/** The stored email reference: a reply's In-Reply-To or References lead back to the conversation. */
export function emailReferenceItem(messageId: string, reference: EmailReference): Record<string, unknown> {
  return { ...keys.emailReference(messageId), entity: 'email-reference', ...reference };
}

/** Where a message is stored: an inbound one by its id (its own dedupe), an outbound one in time order. */
function messageKey(message: Message): { pk: string; sk: string } {
  return message.direction === 'inbound'
    ? keys.inboundMessage(message.conversationId, message.id)
    : keys.message(message.conversationId, message.at, message.id);
}

/**
 * What storing a message changes on its conversation: clocks, the queue row's preview, the
 * sender's name, a snooze woken, the contact counted, the status reopened.
 */
function touchExpression(message: Message, effect: AppendEffect) {
  // The queue keys (status, and assignee: without gsi3pk it indexes nothing) name the hour of the
  // last message, so inside an hour they stay put and only the projected lastMessageAt changes.
  // The by-customer key (creation) never moves: a moved index key costs two writes, not one.
  const sets = ['lastMessageAt = :at', 'gsi2sk = :queueKey', 'gsi3sk = :queueKey'];
  const removes: string[] = [];
  const adds: string[] = [];
  const values: Record<string, unknown> = {
    ':at': message.at,
    ':queueKey': queueIndexSortKey(message.at, message.conversationId),
  };
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
  return { sets, removes, adds, values, names, contact };
}

function updateExpression(
  sets: readonly string[],
  removes: readonly string[],
  adds: readonly string[],
): string {
  return [
    `SET ${sets.join(', ')}`,
    ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : []),
    ...(adds.length > 0 ? [`ADD ${adds.join(', ')}`] : []),
  ].join(' ');
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
            gsi2sk: queueIndexSortKey(conversation.lastMessageAt, conversation.id),
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
    const put = await this.storeMessage(message, effect.countAs);
    if (!put) return undefined;
    const touched = await this.touchConversation(message, effect);
    return put.counted ? { ...touched, counted: true } : touched;
  }

  /**
   * Moves the conversation's clocks forward; a message that arrives late never moves them back.
   * The same update writes the queue row's preview, counts the contact for the escalation rule,
   * and a customer's message wakes a snoozed conversation: the inbox's rows and the tally cost no
   * call of their own on this path.
   */
  private async touchConversation(message: Message, effect: AppendEffect): Promise<AppendedMessage> {
    const { sets, removes, adds, values, names, contact } = touchExpression(message, effect);
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(message.conversationId),
          UpdateExpression: updateExpression(sets, removes, adds),
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

  /**
   * The follow-up's one write to its conversation: the same clocks, preview and contact as
   * appendMessage's update, a pending conversation reopened, under a condition that is the
   * threading rule itself (open or pending, active inside the window, nothing newer). The old
   * image on a refusal says which part failed, so a late message costs no read.
   */
  async continueConversation(
    message: Message,
    condition: { readonly windowStart: string },
    effect: Pick<AppendEffect, 'contactKey'> = {},
  ): Promise<Continuation> {
    const { sets, removes, adds, values, names, contact } = touchExpression(message, {
      ...effect,
      reopen: true,
    });
    values[':pending'] = 'pending';
    values[':windowStart'] = condition.windowStart;
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(message.conversationId),
          UpdateExpression: updateExpression(sets, removes, adds),
          ConditionExpression:
            'attribute_exists(pk) AND #status IN (:open, :pending) AND lastMessageAt >= :windowStart AND lastMessageAt <= :at',
          ExpressionAttributeValues: values,
          ExpressionAttributeNames: names,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const item = result.Attributes ?? {};
      return {
        outcome: 'continued',
        conversation: conversationFromItem(item),
        ...(contact ? { unansweredContacts: contactCount(item) } : {}),
      };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // DynamoDB returns the item it refused; a store that does not (dynalite) costs a read.
      const refused = (error as { Item?: Record<string, AttributeValue> }).Item;
      const old = refused
        ? conversationFromItem(unmarshall(refused))
        : await this.getConsistent(message.conversationId);
      if (!old || (old.status !== 'open' && old.status !== 'pending')) return { outcome: 'refused' };
      if (old.lastMessageAt < condition.windowStart) return { outcome: 'refused' };
      return { outcome: 'late', conversation: old };
    }
  }

  async storeMessage(
    message: Message,
    countAs?: CountMark,
  ): Promise<{ readonly counted: boolean } | undefined> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...messageKey(message),
            entity: 'message',
            ...withoutUndefined(message),
            // The stream's counting consumer sums marked inserts (no counter write here).
            ...(countAs ? { [COUNT_MARK_ATTRIBUTE]: countAs } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { counted: countAs !== undefined };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async conversationHolding(
    conversationIds: readonly string[],
    messageId: string,
  ): Promise<string | undefined> {
    const wanted = [...new Set(conversationIds)].slice(0, 100);
    if (wanted.length === 0) return undefined;
    const found = new Set<string>();
    let request: Record<string, unknown>[] | undefined = wanted.map((id) =>
      keys.inboundMessage(id, messageId),
    );
    for (let round = 0; request && request.length > 0 && round < 5; round++) {
      const result: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: request, ProjectionExpression: 'conversationId' } },
        }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) found.add(String(item.conversationId));
      request = result.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    if (request && request.length > 0) {
      throw new RetryableError('DynamoDB left keys unprocessed after 5 rounds; retry later');
    }
    return wanted.find((id) => found.has(id));
  }

  private async getConsistent(conversationId: string): Promise<Conversation | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.conversation(conversationId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? conversationFromItem(result.Item) : undefined;
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
    // Inbound messages are keyed by id, outbound ones by time: the order is the messages' own.
    return messages.sort((a, b) => a.at.localeCompare(b.at));
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
