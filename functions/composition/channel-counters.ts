import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoChannelBatchCounts } from '../adapters/dynamodb/channel-insights.ts';
import { documentClient } from '../adapters/dynamodb/document-client.ts';
import { readEnvironment } from '../adapters/environment.ts';
import type { StreamCountsDeps } from '../core/service-levels/stream-counts.ts';
import { makeChannelCountersHandler } from '../handlers/channel-counters.ts';
import { type ClientsFor, once } from './shared/clients.ts';

/** The table's counting stream consumer: the table only. */
export function channelCountersClients() {
  return { dynamo: new DynamoDBClient({}) };
}

/** The channel-hour sums of stream batches, on TABLE_NAME. */
export function channelCountersDeps(
  clients: ClientsFor<'dynamo'>,
  environment: NodeJS.ProcessEnv = process.env,
): StreamCountsDeps {
  const { TABLE_NAME } = readEnvironment('channel-counters', environment);
  return { counts: new DynamoChannelBatchCounts(documentClient(clients.dynamo), TABLE_NAME) };
}

export const handler = makeChannelCountersHandler(once(() => channelCountersDeps(channelCountersClients())));
