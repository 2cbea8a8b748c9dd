import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { customerIndexKey, keys } from './keys.ts';
import { conversationTable } from './table-definition.ts';

/** BatchGetItem takes at most this many keys per call. */
const BATCH_GET_KEYS = 100;
/** Rounds for the keys BatchGetItem leaves unprocessed under load, with a growing pause between. */
const UNPROCESSED_ROUNDS = 6;

export interface BatchGetOptions {
  /** Waits before another round for unprocessed keys (injected by tests that must not sleep). */
  readonly pause?: (round: number) => Promise<void>;
}

const backOff = (round: number) => new Promise<void>((resolve) => setTimeout(resolve, 20 * 2 ** round));

/**
 * A read of an index that is not readable yet: absent (a table from before it), or still
 * backfilling after an upgrade added it. DynamoDB says both with a ValidationException naming
 * the index.
 */
function isIndexNotReadable(error: unknown, indexName: string): boolean {
  return error instanceof Error && error.name === 'ValidationException' && error.message.includes(indexName);
}

/**
 * The ids of a customer's conversations from the by-customer index, most recently opened first,
 * at most `limit` (all without it). The index holds keys only; while an upgrade's new index is
 * still backfilling the retired one (every attribute projected, same keys) answers instead.
 */
export async function customerConversationIds(
  db: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  limit?: number,
): Promise<string[]> {
  const current = conversationTable.indexes.byCustomer.name;
  try {
    return await conversationIdsFrom(db, tableName, current, customerId, limit);
  } catch (error) {
    if (!isIndexNotReadable(error, current)) throw error;
    return conversationIdsFrom(
      db,
      tableName,
      conversationTable.retiredIndexes.byCustomer.name,
      customerId,
      limit,
    );
  }
}

async function conversationIdsFrom(
  db: DynamoDBDocumentClient,
  tableName: string,
  indexName: string,
  customerId: string,
  limit: number | undefined,
): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: 'gsi1pk = :customer',
        ExpressionAttributeValues: { ':customer': customerIndexKey(customerId) },
        // The table's keys are all a keys-only index has; the retired index is asked for no more.
        ProjectionExpression: 'pk',
        ScanIndexForward: false,
        ...(limit === undefined ? {} : { Limit: limit - ids.length }),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.pk).replace(/^CONVERSATION#/, ''));
    startKey = page.LastEvaluatedKey;
  } while (startKey && (limit === undefined || ids.length < limit));
  return ids;
}

/**
 * The items under these keys, by BatchGetItem (100 keys a call), the unprocessed ones asked for
 * again; keys without an item are left out. Throws when keys stay unprocessed after every round,
 * so a caller never mistakes a throttled read for a missing item.
 */
export async function batchGetItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  itemKeys: readonly Record<string, unknown>[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const pause = options.pause ?? backOff;
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < itemKeys.length; start += BATCH_GET_KEYS) {
    let request: Record<string, unknown>[] = itemKeys.slice(start, start + BATCH_GET_KEYS);
    for (let round = 0; request.length > 0; round++) {
      if (round === UNPROCESSED_ROUNDS) {
        throw new Error(
          `${request.length} keys stayed unprocessed after ${UNPROCESSED_ROUNDS} BatchGetItem rounds`,
        );
      }
      if (round > 0) await pause(round);
      const result: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: request } } }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      request = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}

/** The conversation items of these ids, in no particular order; ids without one are left out. */
export async function conversationItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  conversationIds: readonly string[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const unique = [...new Set(conversationIds)];
  return batchGetItems(
    db,
    tableName,
    unique.map((id) => keys.conversation(id)),
    options,
  );
}
