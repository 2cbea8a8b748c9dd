import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AgentGateway, AgentSocketDeps } from '../core/agent/live-updates.ts';
import { ConfigurationError } from '../core/errors.ts';
import type { Clock } from '../core/ports.ts';
import {
  ApiGatewayChatGateway,
  chatGatewayClient,
  chatSettingsFromEnvironment,
} from './apigateway/chat-gateway.ts';
import { DynamoAgentConnections } from './dynamodb/agent-connections.ts';
import { documentClient } from './dynamodb/document-client.ts';
import { systemClock } from './ids.ts';

/** Set (to `true`) by the live-updates construct on the functions that keep agents' sockets. */
export const AGENT_SOCKETS_VARIABLE = 'AGENT_SOCKETS_ENABLED';

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
 * From the function's environment (`TABLE_NAME`, `CHAT_CONNECTIONS_ENDPOINT`); undefined where
 * agents' live updates are not deployed. Needs no support configuration: a deployment with the
 * agent API and no chat runs the socket routes with this alone.
 */
export function agentSocketDepsFromEnvironment(
  dynamo: DynamoDBClient,
  env: NodeJS.ProcessEnv = process.env,
): AgentSocketDeps | undefined {
  if (env[AGENT_SOCKETS_VARIABLE] !== 'true') return undefined;
  const tableName = env.TABLE_NAME;
  const client = chatGatewayClient(chatSettingsFromEnvironment(env));
  if (!tableName || !client) {
    throw new ConfigurationError('TABLE_NAME and CHAT_CONNECTIONS_ENDPOINT must be set where agents connect');
  }
  return agentSocketDeps(dynamo, new ApiGatewayChatGateway(client), tableName);
}
