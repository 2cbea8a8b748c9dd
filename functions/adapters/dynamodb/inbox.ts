import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  CannedResponse,
  CannedResponseStore,
  CustomerNames,
  InboxConversations,
  ReadMarkers,
} from '../../core/agent/inbox-ports.ts';
import { RetryableError } from '../../core/errors.ts';
import type { Conversation, Message } from '../../core/model.ts';
import { updateWhenCondition } from './conditional-update.ts';
import { conversationFromItem, messageFromItem } from './conversation-store.ts';
import { withoutUndefined } from './customer-directory.ts';
import { isConditionFailure, keys } from './keys.ts';
import { queryItems } from './query-items.ts';

/**
 * The inbox's items: per-agent read markers and private notes under their conversation, labels,
 * snoozes and the chat read time on the conversation's META, canned responses in one partition.
 * Every write is an UpdateItem (the agent API's role has no PutItem or DeleteItem): a create is
 * an update with a condition, a delete a mark.
 */

type Key = { readonly pk: string; readonly sk: string };

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_KEYS = 100;
/** Rounds for the keys BatchGet leaves unprocessed under load. */
const BATCH_GET_ROUNDS = 5;
/** Tries of an optimistic labels update before the caller is told to retry. */
const LABEL_UPDATE_TRIES = 3;

/** The items with these keys, by `pk` + `sk`; one call per 100 keys. */
async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  wanted: readonly Key[],
  /** Only these attributes (besides the keys): a page of names needs no whole profiles. */
  projection?: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const attributes = projection ? ['pk', 'sk', ...projection] : undefined;
  const found = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < wanted.length; start += BATCH_GET_KEYS) {
    let request: Record<string, unknown>[] | undefined = wanted.slice(start, start + BATCH_GET_KEYS);
    for (let round = 0; request && request.length > 0 && round < BATCH_GET_ROUNDS; round++) {
      const result: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: request,
              ...(attributes
                ? {
                    ProjectionExpression: attributes.map((_a, i) => `#p${i}`).join(', '),
                    ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#p${i}`, a])),
                  }
                : {}),
            },
          },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? []) {
        found.set(`${String(item.pk)}\n${String(item.sk)}`, item);
      }
      request = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}

const keyOf = (key: Key) => `${key.pk}\n${key.sk}`;

/** `SET #f0 = :f0, …` for every defined field of `fields`. */
function setAll(fields: Record<string, unknown>): {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const entries = Object.entries(withoutUndefined(fields));
  return {
    expression: entries.map((_entry, i) => `#f${i} = :f${i}`).join(', '),
    names: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
    values: Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
  };
}

export class DynamoCustomerNames implements CustomerNames {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async namesOf(customerIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const unique = [...new Set(customerIds)];
    const items = await batchGet(
      this.db,
      this.tableName,
      unique.map((id) => keys.customer(id)),
      ['name'],
    );
    const names = new Map<string, string>();
    for (const id of unique) {
      const name = items.get(keyOf(keys.customer(id)))?.name;
      if (typeof name === 'string' && name !== '') names.set(id, name);
    }
    return names;
  }
}

export class DynamoReadMarkers implements ReadMarkers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readAtOf(agentId: string, conversationIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const unique = [...new Set(conversationIds)];
    if (unique.length === 0) return new Map();
    const items = await batchGet(
      this.db,
      this.tableName,
      unique.map((id) => keys.readMarker(id, agentId)),
    );
    const reads = new Map<string, string>();
    for (const id of unique) {
      const readAt = items.get(keyOf(keys.readMarker(id, agentId)))?.readAt;
      if (typeof readAt === 'string') reads.set(id, readAt);
    }
    return reads;
  }

  async markRead(agentId: string, conversationId: string, at: string): Promise<void> {
    // Only forward: a slow request that read earlier never moves the mark back.
    await updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.readMarker(conversationId, agentId),
      UpdateExpression:
        'SET readAt = :at, entity = :entity, agentId = :agent, conversationId = :conversation',
      ConditionExpression: 'attribute_not_exists(readAt) OR readAt < :at',
      ExpressionAttributeValues: {
        ':at': at,
        ':entity': 'read-marker',
        ':agent': agentId,
        ':conversation': conversationId,
      },
    });
  }
}

export class DynamoInboxConversations implements InboxConversations {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async appendNote(note: Message): Promise<Message> {
    // The guard fixes the note's time the first time: a retried POST writes the same message key.
    const guard = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.noteGuard(note.conversationId, note.id),
        UpdateExpression: 'SET #at = if_not_exists(#at, :at), entity = if_not_exists(entity, :entity)',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': note.at, ':entity': 'note-guard' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const at = String(guard.Attributes?.at ?? note.at);
    const stored: Message = { ...note, at };
    const set = setAll({ ...stored, entity: 'message' });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(note.conversationId, at, note.id),
          UpdateExpression: `SET ${set.expression}`,
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeNames: set.names,
          ExpressionAttributeValues: set.values,
        }),
      );
      return stored;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.message(note.conversationId, at, note.id) }),
      );
      return existing.Item ? messageFromItem(existing.Item) : stored;
    }
  }

  async updateLabels(
    conversationId: string,
    change: (current: readonly string[]) => readonly string[],
  ): Promise<Conversation | undefined> {
    for (let attempt = 0; attempt < LABEL_UPDATE_TRIES; attempt++) {
      const current = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.conversation(conversationId) }),
      );
      if (!current.Item) return undefined;
      const labels = Array.isArray(current.Item.labels) ? current.Item.labels.map(String) : [];
      const version = typeof current.Item.labelsVersion === 'number' ? current.Item.labelsVersion : 0;
      const next = change(labels);
      try {
        const result = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.conversation(conversationId),
            UpdateExpression: 'SET labels = :labels, labelsVersion = :next',
            ConditionExpression:
              version === 0
                ? 'attribute_exists(pk) AND attribute_not_exists(labelsVersion)'
                : 'attribute_exists(pk) AND labelsVersion = :version',
            ExpressionAttributeValues: {
              ':labels': [...next],
              ':next': version + 1,
              ...(version === 0 ? {} : { ':version': version }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return result.Attributes ? conversationFromItem(result.Attributes) : undefined;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Another agent changed the labels in between: apply the change to theirs.
      }
    }
    throw new RetryableError('the labels are being changed by someone else right now; try again');
  }

  async snooze(
    conversationId: string,
    snooze: { readonly until: string | undefined; readonly at: string; readonly by: string },
  ): Promise<Conversation | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.conversation(conversationId),
          UpdateExpression:
            snooze.until === undefined
              ? 'REMOVE snoozedUntil, snoozedAt, snoozedBy'
              : 'SET snoozedUntil = :until, snoozedAt = :at, snoozedBy = :by',
          ConditionExpression: 'attribute_exists(pk)',
          ...(snooze.until === undefined
            ? {}
            : { ExpressionAttributeValues: { ':until': snooze.until, ':at': snooze.at, ':by': snooze.by } }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? conversationFromItem(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async recordAgentRead(conversationId: string, at: string): Promise<void> {
    await updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.conversation(conversationId),
      UpdateExpression: 'SET agentReadAt = :at',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(agentReadAt) OR agentReadAt < :at)',
      ExpressionAttributeValues: { ':at': at },
    });
  }
}

function cannedFromItem(item: Record<string, unknown>): CannedResponse | undefined {
  if (typeof item.deletedAt === 'string') return undefined;
  return {
    id: String(item.id),
    shortcut: String(item.shortcut),
    title: String(item.title),
    text: String(item.text),
    ...(typeof item.language === 'string' ? { language: item.language } : {}),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    updatedBy: String(item.updatedBy),
  };
}

/** At most this many canned responses are listed (far more than a team keeps). */
const MAX_CANNED_RESPONSES = 500;

export class DynamoCannedResponses implements CannedResponseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<CannedResponse[]> {
    const found: CannedResponse[] = [];
    const { pk } = keys.cannedResponse('-');
    for await (const item of queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_not_exists(deletedAt)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': 'RESPONSE#' },
    })) {
      const response = cannedFromItem(item);
      if (response) found.push(response);
      if (found.length >= MAX_CANNED_RESPONSES) break;
    }
    return found.sort(
      (a, b) => a.shortcut.localeCompare(b.shortcut) || (a.language ?? '').localeCompare(b.language ?? ''),
    );
  }

  async get(id: string): Promise<CannedResponse | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.cannedResponse(id) }),
    );
    return result.Item ? cannedFromItem(result.Item) : undefined;
  }

  async create(
    response: CannedResponse,
  ): Promise<{ readonly created: boolean; readonly stored: CannedResponse }> {
    const set = setAll({ ...response, entity: 'canned-response' });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.cannedResponse(response.id),
          UpdateExpression: `SET ${set.expression} REMOVE deletedAt, deletedBy${response.language === undefined ? ', #language' : ''}`,
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(deletedAt)',
          ExpressionAttributeNames: {
            ...set.names,
            ...(response.language === undefined ? { '#language': 'language' } : {}),
          },
          ExpressionAttributeValues: set.values,
        }),
      );
      return { created: true, stored: response };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.get(response.id);
      return { created: false, stored: stored ?? response };
    }
  }

  async update(response: CannedResponse): Promise<CannedResponse | undefined> {
    const { createdAt: _kept, ...fields } = response;
    const set = setAll(fields);
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.cannedResponse(response.id),
          UpdateExpression: `SET ${set.expression}${response.language === undefined ? ' REMOVE #language' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
          ExpressionAttributeNames: {
            ...set.names,
            ...(response.language === undefined ? { '#language': 'language' } : {}),
          },
          ExpressionAttributeValues: set.values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? cannedFromItem(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async remove(id: string, at: string, by: string): Promise<boolean> {
    return updateWhenCondition(this.db, {
      TableName: this.tableName,
      Key: keys.cannedResponse(id),
      UpdateExpression: 'SET deletedAt = :at, deletedBy = :by',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
      ExpressionAttributeValues: { ':at': at, ':by': by },
    });
  }
}
