import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

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
    /** A customer's conversations, newest first: `CUSTOMER#<id>` / `<createdAt>` (a message moves no key here). */
    byCustomer: { name: 'byCustomer', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /**
     * The agent queue: `STATUS#<status>#<shard>` / `<hour of lastMessageAt>#<id>`, sharded to spread
     * writes; hour-bucketed so a message inside the hour moves no key (readers order a bucket).
     */
    byStatus: { name: 'byStatus', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** One agent's conversations: `ASSIGNEE#<sub>` / the same hour-bucket key; sparse (assigned ones only). */
    byAssignee: { name: 'byAssignee', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  },
} as const;

/** The CreateTable request for local stand-ins (sandbox, tests); the cloud table comes from CDK. */
export function conversationTableCreateInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, indexes } = conversationTable;
  const attributes = new Set<string>([partitionKey, sortKey]);
  for (const index of Object.values(indexes)) {
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
    GlobalSecondaryIndexes: Object.values(indexes).map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
