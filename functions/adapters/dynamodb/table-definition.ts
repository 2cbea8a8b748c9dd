/**
 * The shape of the single conversation table, shared by the CDK construct, the sandbox and the
 * tests so the three can never disagree.
 */
export const conversationTable = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** A customer's conversations, newest activity first: `CUSTOMER#<id>` / `<lastMessageAt>`. */
    byCustomer: { name: 'byCustomer', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** The agent queue: `STATUS#<status>#<shard>` / `<lastMessageAt>`, sharded to spread writes. */
    byStatus: { name: 'byStatus', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  },
} as const;
