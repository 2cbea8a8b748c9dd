import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** What an index carries beside its keys: everything, or the table's and its own keys only. */
export type IndexProjection = 'ALL' | 'KEYS_ONLY';

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: IndexProjection;
}

/**
 * The shape of the single conversation table, shared by the CDK construct, the sandbox and the
 * tests so the three can never disagree.
 */
export const conversationTable = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  /** What its change stream carries, where one is on (agents' live updates; the sandbox emulates it). */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  indexes: {
    /**
     * A customer's conversations, newest first: `CUSTOMER#<id>` / `<createdAt>`. Keys only: a
     * message changes neither key, so the conversation update writes nothing here (with every
     * attribute projected it rewrote the entry, 1 write unit, on every message); readers fetch
     * the conversations by key.
     */
    byCustomer: {
      name: 'byCustomerKeys',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      projection: 'KEYS_ONLY',
    },
    /**
     * The agent queue: `STATUS#<status>#<shard>` / `<hour of lastMessageAt>#<id>`, sharded to spread
     * writes; hour-bucketed so a message inside the hour moves no key (readers order a bucket).
     */
    byStatus: { name: 'byStatus', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
    /** One agent's conversations: `ASSIGNEE#<sub>` / the same hour-bucket key; sparse (assigned ones only). */
    byAssignee: { name: 'byAssignee', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'ALL' },
  },
  /**
   * Indexes a table created by an earlier release still has, kept only while it upgrades
   * (docs/operations.md): CloudFormation creates or deletes one index per table update, and a new
   * index is readable only once it has backfilled. Nothing writes their keys differently; the
   * readers fall back to them while the index that replaces them is not yet readable.
   */
  retiredIndexes: {
    /** The by-customer index as it was, every attribute projected, on the same keys. */
    byCustomer: { name: 'byCustomer', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
  },
} as const satisfies {
  readonly indexes: Record<string, IndexDefinition>;
  readonly retiredIndexes: Record<string, IndexDefinition>;
} & Record<string, unknown>;

/** The indexes a table has: the current ones, plus the retired ones where an upgrade keeps them. */
export function tableIndexes(options: { readonly keepRetired?: boolean } = {}): IndexDefinition[] {
  return [
    ...Object.values(conversationTable.indexes),
    ...(options.keepRetired ? Object.values(conversationTable.retiredIndexes) : []),
  ];
}

/**
 * The CreateTable request for local stand-ins (sandbox, tests); the cloud table comes from CDK.
 * `keepRetired` builds a table as an earlier release left it (upgrade tests).
 */
export function conversationTableCreateInput(
  tableName: string,
  options: { readonly keepRetired?: boolean; readonly indexes?: readonly IndexDefinition[] } = {},
): CreateTableCommandInput {
  const { partitionKey, sortKey } = conversationTable;
  const indexes = options.indexes ?? tableIndexes(options);
  const attributes = new Set<string>([partitionKey, sortKey]);
  for (const index of indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}
