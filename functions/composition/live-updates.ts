import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readEnvironment } from '../adapters/environment.ts';
import type { AgentSocketDeps } from '../core/agent/live-updates.ts';
import { ConfigurationError } from '../core/errors.ts';
import { makeLiveUpdatesHandler } from '../handlers/live-updates.ts';
import { agentSocketDepsFrom } from './shared/agent-sockets.ts';
import { once } from './shared/clients.ts';

/** The table's stream consumer: the table (agents' connections) and the WebSocket API. */
export function liveUpdatesClients() {
  return { dynamo: new DynamoDBClient({}) };
}

/** Agents' sockets: TABLE_NAME, CHAT_CONNECTIONS_ENDPOINT and AGENT_SOCKETS_ENABLED=true. */
export function liveUpdatesDeps(
  clients: ReturnType<typeof liveUpdatesClients>,
  environment: NodeJS.ProcessEnv = process.env,
): AgentSocketDeps {
  const deps = agentSocketDepsFrom(clients.dynamo, readEnvironment('live-updates', environment));
  if (!deps) throw new ConfigurationError('AGENT_SOCKETS_ENABLED is not set on the live-updates function');
  return deps;
}

export const handler = makeLiveUpdatesHandler(once(() => liveUpdatesDeps(liveUpdatesClients())));
