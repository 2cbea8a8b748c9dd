import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AgentConnection, AgentConnections } from '../../core/agent/live-updates.ts';

/**
 * `AGENTSOCKETS#all` / `CONNECTION#<connectionId>`: every agent's sockets in one partition, so
 * the live-updates consumer reads them all with one Query per batch. A support team's few
 * hundred connections are far below a partition's limits (3,000 reads, 1,000 writes a second).
 */
export const AGENT_CONNECTIONS_PREFIX = 'AGENTSOCKETS#';
const AGENT_CONNECTIONS_PARTITION = `${AGENT_CONNECTIONS_PREFIX}all`;
const CONNECTION_PREFIX = 'CONNECTION#';

export function agentConnectionKey(connectionId: string) {
  return { pk: AGENT_CONNECTIONS_PARTITION, sk: `${CONNECTION_PREFIX}${connectionId}` };
}

/** One Query page is at most 1 MB; a connection item is ~150 bytes: thousands per page. */
const MAX_PAGES = 10;

export class DynamoAgentConnections implements AgentConnections {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async open(connection: AgentConnection): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...agentConnectionKey(connection.connectionId),
          entity: 'agent-connection',
          connectionId: connection.connectionId,
          agentId: connection.agentId,
          connectedAt: connection.connectedAt,
          // Epoch seconds: the table's TTL removes sockets whose $disconnect never came.
          expiresAt: Math.floor(Date.parse(connection.expiresAt) / 1000),
        },
      }),
    );
  }

  async close(connectionId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: agentConnectionKey(connectionId) }),
    );
  }

  async all(now: Date): Promise<AgentConnection[]> {
    const connections: AgentConnection[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          // TTL deletes lag by up to days: an expired record is not a socket.
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: {
            ':pk': AGENT_CONNECTIONS_PARTITION,
            ':prefix': CONNECTION_PREFIX,
            ':now': Math.floor(now.getTime() / 1000),
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) {
        connections.push({
          connectionId: String(item.connectionId),
          agentId: String(item.agentId),
          connectedAt: String(item.connectedAt),
          expiresAt: new Date(Number(item.expiresAt) * 1000).toISOString(),
        });
      }
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    return connections;
  }
}
