import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChatConnection, ChatConnections, ChatReceipts } from '../../core/chat/ports.ts';
import { keys } from './keys.ts';
import { providerMessageKey } from './provider-messages.ts';

/** `CHATVISITOR#<visitorId>` / `CONNECTION#<connectionId>`: a visitor's sockets are one Query. */
export const CHAT_VISITOR_PREFIX = 'CHATVISITOR#';
const CONNECTION_PREFIX = 'CONNECTION#';

export function chatConnectionKey(visitorId: string, connectionId: string) {
  return { pk: `${CHAT_VISITOR_PREFIX}${visitorId}`, sk: `${CONNECTION_PREFIX}${connectionId}` };
}

/** A visitor has a few tabs open at most; more is not a person. */
const MAX_CONNECTIONS_READ = 20;

export class DynamoChatConnections implements ChatConnections {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async open(connection: ChatConnection): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...chatConnectionKey(connection.visitorId, connection.connectionId),
          entity: 'chat-connection',
          connectionId: connection.connectionId,
          visitorId: connection.visitorId,
          connectedAt: connection.connectedAt,
          // Epoch seconds: the table's TTL removes sockets whose $disconnect never came.
          expiresAt: Math.floor(Date.parse(connection.expiresAt) / 1000),
        },
      }),
    );
  }

  async close(visitorId: string, connectionId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: chatConnectionKey(visitorId, connectionId) }),
    );
  }

  async ofVisitor(visitorId: string, now: Date): Promise<ChatConnection[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        // TTL deletes lag by up to days: an expired record is not a socket.
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: {
          ':pk': `${CHAT_VISITOR_PREFIX}${visitorId}`,
          ':prefix': CONNECTION_PREFIX,
          ':now': Math.floor(now.getTime() / 1000),
        },
        Limit: MAX_CONNECTIONS_READ,
      }),
    );
    return (result.Items ?? [])
      .map((item) => ({
        connectionId: String(item.connectionId),
        visitorId: String(item.visitorId),
        connectedAt: String(item.connectedAt),
        expiresAt: new Date(Number(item.expiresAt) * 1000).toISOString(),
      }))
      .sort((a, b) => b.connectedAt.localeCompare(a.connectedAt));
  }
}

/** A chat message of ours counts as seen once the widget showed it (delivered) or the visitor read it. */
export class DynamoChatReceipts implements ChatReceipts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async seen(messageId: string): Promise<boolean> {
    const reference = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: providerMessageKey('chat', messageId) }),
    );
    const item = reference.Item;
    if (typeof item?.conversationId !== 'string' || typeof item.at !== 'string') return false;
    const message = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.message(item.conversationId, item.at, String(item.messageId)),
        ProjectionExpression: 'deliveryStatus',
      }),
    );
    const status = message.Item?.deliveryStatus;
    return status === 'delivered' || status === 'read';
  }
}
