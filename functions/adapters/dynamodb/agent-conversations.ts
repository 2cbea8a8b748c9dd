import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mergeNewestFirst, type Positioned, type SortedPartition } from '../../core/agent/paging.ts';
import { withWholeBody } from '../../core/conversations/long-body.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Channel, Conversation, ConversationStatus, Message } from '../../core/model.ts';
import type {
  AgentConversations,
  ConversationQuery,
  ListPosition,
  MessageBodyReader,
  SurveyAnswers,
} from '../../core/ports/conversations.ts';
import { updateWhenCondition } from './conditional-update.ts';
import {
  conversationFromItem,
  DynamoConversationStore,
  newestConversationsOf,
} from './conversation-store.ts';
import {
  assigneeIndexKey,
  isConditionFailure,
  keys,
  queueBucketOf,
  STATUS_SHARDS,
  statusIndexKey,
} from './keys.ts';
import { conversationTable } from './table-definition.ts';

/**
 * Query calls one listing may make: enough for a full page from every shard plus a few rounds of
 * a narrowing filter, few enough that a rare channel cannot make one request read the whole queue.
 */
const MAX_READS_PER_PAGE = 12;

/** How many of a customer's newest conversations are looked at for a survey an answer may belong to. */
const SURVEY_LOOKBACK = 10;

type IndexName = 'byStatus' | 'byAssignee';

/** Long bodies read back in parallel when a conversation is opened. */
const BODY_READS_AT_ONCE = 8;

interface IndexFilter {
  readonly expressions: readonly string[];
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * The query's narrowing as a FilterExpression on the index read: the page stays an index Query
 * (bounded by MAX_READS_PER_PAGE), however few conversations match.
 */
function filterOf(query: ConversationQuery): IndexFilter {
  const expressions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.channel) {
    expressions.push('#channel = :channel');
    names['#channel'] = 'channel';
    values[':channel'] = query.channel;
  }
  // The assignee index holds every status; the status index is one status already.
  if (query.assignee !== undefined && query.status) {
    expressions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = query.status;
  }
  if (query.unassigned) expressions.push('attribute_not_exists(assignee)');
  if (query.label !== undefined) {
    expressions.push('contains(labels, :label)');
    values[':label'] = query.label;
  }
  if (query.snooze) {
    expressions.push(
      query.snooze.show === 'snoozed'
        ? 'snoozedUntil > :now'
        : '(attribute_not_exists(snoozedUntil) OR snoozedUntil <= :now)',
    );
    values[':now'] = query.snooze.now;
  }
  return { expressions, names, values };
}

/** Newest bucket first, then newest activity, then the larger id (the order of every listing). */
function newestFirst(a: Positioned<Conversation>, b: Positioned<Conversation>): number {
  return (
    (b.bucket ?? '').localeCompare(a.bucket ?? '') || b.at.localeCompare(a.at) || b.id.localeCompare(a.id)
  );
}

/** Whether `item` comes after `position` in that order, inside the position's bucket. */
function isAfter(
  item: Positioned<Conversation>,
  position: { readonly at: string; readonly id: string },
): boolean {
  return item.at < position.at || (item.at === position.at && item.id < position.id);
}

/**
 * The agent API's reads and writes on the conversation table: listings from the status index
 * (sharded, merged newest first) or the assignee index, a customer's conversations from the
 * by-customer index, and one conditional update per agent action.
 */
export class DynamoAgentConversations implements AgentConversations, SurveyAnswers {
  private readonly store: DynamoConversationStore;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Where long bodies kept beside their items are read back; without it they stay their beginning. */
    private readonly bodies?: MessageBodyReader,
  ) {
    this.store = new DynamoConversationStore(db, tableName);
  }

  get(conversationId: string): Promise<Conversation | undefined> {
    return this.store.get(conversationId);
  }

  async listMessages(
    conversationId: string,
    options: { readonly wholeBodies?: boolean } = {},
  ): Promise<Message[]> {
    const messages = await this.store.listMessages(conversationId);
    const bodies = this.bodies;
    if (!options.wholeBodies || !bodies) return messages;
    const whole: Message[] = [];
    // A few at a time: a long thread of long mails must not open dozens of reads at once.
    for (let start = 0; start < messages.length; start += BODY_READS_AT_ONCE) {
      const batch = messages.slice(start, start + BODY_READS_AT_ONCE);
      whole.push(...(await Promise.all(batch.map((message) => withWholeBody(bodies, message)))));
    }
    return whole;
  }

  async list(
    query: ConversationQuery,
    page: { readonly limit: number; readonly after?: readonly ListPosition[] },
  ): Promise<{ readonly items: readonly Conversation[]; readonly next?: readonly ListPosition[] }> {
    const partitions = this.partitionsFor(query);
    if (page.after && page.after.length !== partitions.length) {
      throw new InvalidInputError('nextToken does not fit this listing', { field: 'nextToken' });
    }
    const starts = page.after ?? partitions.map((): ListPosition => 'start');
    return mergeNewestFirst(partitions, starts, page.limit, MAX_READS_PER_PAGE);
  }

  private partitionsFor(query: ConversationQuery): SortedPartition<Conversation>[] {
    const filter = filterOf(query);
    if (query.assignee !== undefined) {
      return [this.partition('byAssignee', assigneeIndexKey(query.assignee), filter)];
    }
    const status: ConversationStatus = query.status ?? 'open';
    // statusIndexKey spreads conversations over STATUS_SHARDS partitions by id; one per shard.
    return Array.from({ length: STATUS_SHARDS }, (_, shard) =>
      this.partition('byStatus', `STATUS#${status}#${shard}`, filter),
    );
  }

  /**
   * One partition of a queue index, newest activity first. The sort key is the hour bucket plus
   * the id (keys.ts queueIndexSortKey), so a Query returns the buckets newest first but each one in
   * id order: a bucket is always read to its end and ordered by `lastMessageAt` before any of it is
   * handed out, and a position inside a bucket reads that bucket again and keeps what is older.
   */
  private partition(
    index: IndexName,
    partitionKey: string,
    filter: IndexFilter,
  ): SortedPartition<Conversation> {
    const { name, partitionKey: pkName, sortKey: skName } = conversationTable.indexes[index];
    const query = async (
      keyCondition: { readonly expression: string; readonly values: Record<string, unknown> },
      limit: number | undefined,
      startKey: Record<string, unknown> | undefined,
    ) =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: name,
          KeyConditionExpression: `#pk = :pk${keyCondition.expression}`,
          ScanIndexForward: false,
          ...(limit === undefined ? {} : { Limit: limit }),
          ...(filter.expressions.length > 0 ? { FilterExpression: filter.expressions.join(' AND ') } : {}),
          ExpressionAttributeNames: {
            '#pk': pkName,
            ...(keyCondition.expression === '' ? {} : { '#sk': skName }),
            ...filter.names,
          },
          ExpressionAttributeValues: { ':pk': partitionKey, ...keyCondition.values, ...filter.values },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
    const positioned = (item: Record<string, unknown>): Positioned<Conversation> => {
      const conversation = conversationFromItem(item);
      return {
        item: conversation,
        at: conversation.lastMessageAt,
        id: conversation.id,
        bucket: queueBucketOf(String(item[skName])),
      };
    };
    /** The rest of one bucket from `startKey` on (every page of it: a bucket is one hour of one shard). */
    const restOfBucket = async (bucket: string, startKey: Record<string, unknown> | undefined) => {
      const items: Positioned<Conversation>[] = [];
      let next = startKey;
      do {
        const result = await query(
          { expression: ' AND begins_with(#sk, :bucket)', values: { ':bucket': bucket } },
          undefined,
          next,
        );
        items.push(...(result.Items ?? []).map(positioned));
        next = result.LastEvaluatedKey;
      } while (next);
      return items;
    };
    return {
      read: async (after, limit) => {
        if (after === 'end') return { items: [] };
        if (after !== 'start' && after.at !== '') {
          // Inside a bucket: the bucket again, what comes after the position, then the older buckets.
          const bucket = after.bucket ?? queueBucketOf(after.at);
          const rest = (await restOfBucket(bucket, undefined)).filter((p) => isAfter(p, after));
          return { items: rest.sort(newestFirst), next: { bucket, at: '', id: '' } };
        }
        // From the top, or below a bucket read to its end: `limit` items, and the last bucket
        // they reach read to its end so that every bucket handed out is whole.
        const first = await query(
          after === 'start' || after.bucket === undefined
            ? { expression: '', values: {} }
            : { expression: ' AND #sk < :bucket', values: { ':bucket': after.bucket } },
          limit,
          undefined,
        );
        const items = (first.Items ?? []).map(positioned);
        const stopped = first.LastEvaluatedKey;
        if (!stopped) return { items: items.sort(newestFirst) };
        const open = queueBucketOf(String(stopped[skName]));
        items.push(...(await restOfBucket(open, stopped)));
        return { items: items.sort(newestFirst), next: { bucket: open, at: '', id: '' } };
      },
    };
  }

  async conversationsOf(customerId: string, limit: number): Promise<Conversation[]> {
    return newestConversationsOf(this.db, this.tableName, customerId, limit);
  }

  async assign(
    conversationId: string,
    change: { readonly assignee?: string; readonly at: string; readonly by: string },
  ): Promise<Conversation | undefined> {
    const assigning = change.assignee !== undefined;
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(conversationId),
          // The assignee index has the status index's hour-bucket key (both kept by touchConversation).
          UpdateExpression: assigning
            ? 'SET assignee = :assignee, assignedAt = :at, assignedBy = :by, gsi3pk = :index, gsi3sk = gsi2sk'
            : 'SET assignedAt = :at, assignedBy = :by REMOVE assignee, gsi3pk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':at': change.at,
            ':by': change.by,
            ...(assigning
              ? { ':assignee': change.assignee, ':index': assigneeIndexKey(change.assignee ?? '') }
              : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? conversationFromItem(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async changeStatus(
    conversationId: string,
    change: { readonly status: ConversationStatus; readonly at: string; readonly by: string },
  ): Promise<{ readonly conversation: Conversation; readonly changed: boolean } | undefined> {
    const closing = change.status === 'closed';
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(conversationId),
          // Closing also ends a snooze: a closed conversation waits for nothing.
          UpdateExpression: `SET #status = :status, gsi2pk = :index, statusChangedAt = :at, statusChangedBy = :by${
            closing ? ', closedAt = :at, closedBy = :by REMOVE snoozedUntil, snoozedAt, snoozedBy' : ''
          }`,
          ConditionExpression: 'attribute_exists(pk) AND #status <> :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': change.status,
            ':index': statusIndexKey(change.status, conversationId),
            ':at': change.at,
            ':by': change.by,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return result.Attributes
        ? { conversation: conversationFromItem(result.Attributes), changed: true }
        : undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // It already has that status (or does not exist): DynamoDB returns the item with the failure,
      // dynalite does not, so it is read then.
      const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
      const current = returned ? conversationFromItem(unmarshall(returned)) : await this.get(conversationId);
      return current ? { conversation: current, changed: false } : undefined;
    }
  }

  async markSurveyQueued(
    conversationId: string,
    survey: NonNullable<Conversation['survey']>,
  ): Promise<boolean> {
    return updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.conversation(conversationId),
      UpdateExpression: 'SET survey = :survey',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(survey)',
      ExpressionAttributeValues: { ':survey': survey },
    });
  }

  async surveyedConversation(
    customerId: string,
    channel: Channel,
    since: Date,
  ): Promise<Conversation | undefined> {
    // The survey is the last thing sent in its conversation, so the conversation is among the
    // customer's most recently active ones.
    const recent = await this.conversationsOf(customerId, SURVEY_LOOKBACK);
    const sinceIso = since.toISOString();
    return recent.find(
      (c) => c.channel === channel && c.survey !== undefined && c.survey.queuedAt >= sinceIso,
    );
  }

  async recordCsat(conversationId: string, csat: NonNullable<Conversation['csat']>): Promise<boolean> {
    return updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.conversation(conversationId),
      UpdateExpression: 'SET csat = :csat',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(csat) OR csat.messageId = :messageId)',
      ExpressionAttributeValues: { ':csat': csat, ':messageId': csat.messageId },
    });
  }
}
