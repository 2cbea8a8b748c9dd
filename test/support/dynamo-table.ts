import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { conversationTableCreateInput } from '../../functions/adapters/dynamodb/table-definition.ts';

/** A fresh conversation table in the run's DynamoDB Local, so test files never share state. */
export async function createTestTable() {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableName = `test-${randomUUID()}`;
  await client.send(new CreateTableCommand(conversationTableCreateInput(tableName)));
  return { client, db: documentClient(client), tableName };
}
