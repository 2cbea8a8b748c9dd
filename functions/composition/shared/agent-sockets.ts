import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ApiGatewayChatGateway, chatGatewayClient } from '../../adapters/apigateway/chat-gateway.ts';
import { DynamoAgentConnections } from '../../adapters/dynamodb/agent-connections.ts';
import { documentClient } from '../../adapters/dynamodb/document-client.ts';
import { systemClock } from '../../adapters/ids.ts';
import type { AgentGateway, AgentSocketDeps } from '../../core/agent/live-updates.ts';
import type { Clock } from '../../core/ports/runtime.ts';

/** Agents' sockets on the table and the WebSocket API's PostToConnection. */
export function agentSocketDeps(
  dynamo: DynamoDBClient,
  gateway: AgentGateway,
  tableName: string,
  clock: Clock = systemClock,
): AgentSocketDeps {
  return {
    clock,
    agentConnections: new DynamoAgentConnections(documentClient(dynamo), tableName),
    agentGateway: gateway,
  };
}

/**
 * Where agents' live updates are deployed (AGENT_SOCKETS_ENABLED): their sockets, from TABLE_NAME
 * and CHAT_CONNECTIONS_ENDPOINT alone (no support configuration: a deployment with the agent API
 * and no chat runs the socket routes with this); undefined elsewhere.
 */
export function agentSocketDepsFrom(
  dynamo: DynamoDBClient,
  env: {
    readonly TABLE_NAME: string;
    readonly CHAT_CONNECTIONS_ENDPOINT: string;
    readonly AGENT_SOCKETS_ENABLED?: string;
  },
): AgentSocketDeps | undefined {
  if (env.AGENT_SOCKETS_ENABLED !== 'true') return undefined;
  const client = chatGatewayClient({ connectionsEndpoint: env.CHAT_CONNECTIONS_ENDPOINT });
  if (!client) return undefined;
  return agentSocketDeps(dynamo, new ApiGatewayChatGateway(client), env.TABLE_NAME);
}
