/**
 * The fair throughput baseline: the same mix of AWS calls an event makes, replayed one after
 * another on the same stand-ins (so at the store's own per-call latency), without the handlers,
 * the core and the sandbox's queue polling. A pipeline that makes fewer calls gets a faster
 * baseline too, so cutting calls can never make the ratio look worse (the old baseline, bare
 * puts only, did exactly that); what the ratio shows is what the code adds around its calls.
 *
 * And the SDK's own CPU per call: a command sent through a real client whose HTTP handler
 * answers at once, so all that is timed is middleware, serialization, signing and parsing.
 */
import { performance } from 'node:perf_hooks';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const REGION = 'eu-central-1';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

export interface CallMixBaseline {
  /** Calls per event of the pipeline, by `Client.Command` (what is replayed). */
  callsPerEvent: Record<string, number>;
  /** Of those, the calls the replay has no stand-in for (not timed, so the baseline is a little fast). */
  unreplayedCallsPerEvent: number;
  /** Replayed milliseconds per event, and per call. */
  msPerEvent: number;
  msPerCall: number;
  eventsPerSecond: number;
  /** Events replayed (a sample of the run: the per-event figure is an average). */
  events: number;
}

/** Endpoints of the stand-ins the pipeline ran on. */
export interface ReplayEndpoints {
  readonly dynamodb: string;
  readonly sqsAndS3: string;
}

const BODY = 'x'.repeat(400);

/**
 * Replays `callsPerEvent` for `events` events on tables, queues and buckets of their own. Items
 * are about the size of a stored message (under 1 KB); reads hit existing items.
 */
export async function replayCallMix(
  endpoints: ReplayEndpoints,
  callsPerEvent: Record<string, number>,
  events: number,
): Promise<CallMixBaseline> {
  const common = { region: REGION, credentials: CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
  const sqs = new SQSClient({ ...common, endpoint: endpoints.sqsAndS3 });
  const s3 = new S3Client({ ...common, endpoint: endpoints.sqsAndS3, forcePathStyle: true });
  const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const TableName = `bench-call-mix-${suffix}`;
  const Bucket = `bench-call-mix-${suffix}`;
  let QueueUrl: string | undefined;
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `bench-call-mix-${suffix}` }))).QueueUrl;
    await s3.send(new CreateBucketCommand({ Bucket }));
    const item = (pk: string, sk = 'ITEM') => ({ pk: { S: pk }, sk: { S: sk }, body: { S: BODY } });
    await dynamo.send(new PutItemCommand({ TableName, Item: item('EXISTING') }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'existing', Body: BODY }));

    let n = 0;
    const fresh = () => `NEW#${n++}`;
    const replays: Record<string, () => Promise<unknown>> = {
      'DynamoDBClient.GetItemCommand': () =>
        dynamo.send(new GetItemCommand({ TableName, Key: { pk: { S: 'EXISTING' }, sk: { S: 'ITEM' } } })),
      'DynamoDBClient.PutItemCommand': () =>
        dynamo.send(
          new PutItemCommand({
            TableName,
            Item: item(fresh()),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      'DynamoDBClient.UpdateItemCommand': () =>
        dynamo.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: { S: 'EXISTING' }, sk: { S: 'ITEM' } },
            UpdateExpression: 'ADD #n :one SET #at = :at',
            ExpressionAttributeNames: { '#n': 'n', '#at': 'at' },
            ExpressionAttributeValues: { ':one': { N: '1' }, ':at': { S: new Date().toISOString() } },
          }),
        ),
      'DynamoDBClient.DeleteItemCommand': () =>
        dynamo.send(new DeleteItemCommand({ TableName, Key: { pk: { S: fresh() }, sk: { S: 'ITEM' } } })),
      'DynamoDBClient.QueryCommand': () =>
        dynamo.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'EXISTING' } },
            Limit: 5,
          }),
        ),
      'DynamoDBClient.BatchGetItemCommand': () =>
        dynamo.send(
          new BatchGetItemCommand({
            RequestItems: {
              [TableName]: {
                Keys: [
                  { pk: { S: 'EXISTING' }, sk: { S: 'ITEM' } },
                  { pk: { S: 'MISSING' }, sk: { S: 'ITEM' } },
                ],
              },
            },
          }),
        ),
      'DynamoDBClient.BatchWriteItemCommand': () =>
        dynamo.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [TableName]: [{ PutRequest: { Item: item(fresh()) } }, { PutRequest: { Item: item(fresh()) } }],
            },
          }),
        ),
      'DynamoDBClient.TransactWriteItemsCommand': () =>
        dynamo.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: { TableName, Item: item(fresh()), ConditionExpression: 'attribute_not_exists(pk)' },
              },
              {
                Put: { TableName, Item: item(fresh()), ConditionExpression: 'attribute_not_exists(pk)' },
              },
            ],
          }),
        ),
      'DynamoDBClient.TransactGetItemsCommand': () =>
        dynamo.send(
          new TransactGetItemsCommand({
            TransactItems: [{ Get: { TableName, Key: { pk: { S: 'EXISTING' }, sk: { S: 'ITEM' } } } }],
          }),
        ),
      'SQSClient.SendMessageCommand': () => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY })),
      'SQSClient.SendMessageBatchCommand': () =>
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: [
              { Id: '1', MessageBody: BODY },
              { Id: '2', MessageBody: BODY },
            ],
          }),
        ),
      'SQSClient.ReceiveMessageCommand': () =>
        sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0, MaxNumberOfMessages: 1 })),
      'S3Client.GetObjectCommand': async () => {
        const object = await s3.send(new GetObjectCommand({ Bucket, Key: 'existing' }));
        await object.Body?.transformToByteArray();
      },
      'S3Client.PutObjectCommand': () => s3.send(new PutObjectCommand({ Bucket, Key: fresh(), Body: BODY })),
    };

    // Whole calls per event: each event replays the integer part, and one more with the
    // probability of the fraction (deterministically spread over the sample).
    const plan = Object.entries(callsPerEvent).filter(([command]) => command in replays);
    const unreplayed = Object.entries(callsPerEvent)
      .filter(([command]) => !(command in replays))
      .reduce((sum, [, count]) => sum + count, 0);
    let calls = 0;
    const started = performance.now();
    for (let event = 0; event < events; event++) {
      for (const [command, perEvent] of plan) {
        const whole = Math.floor(perEvent);
        const extra = Math.floor((event + 1) * (perEvent - whole)) - Math.floor(event * (perEvent - whole));
        const replay = replays[command] as () => Promise<unknown>;
        for (let i = 0; i < whole + extra; i++) {
          await replay();
          calls++;
        }
      }
    }
    const ms = performance.now() - started;
    return {
      callsPerEvent,
      unreplayedCallsPerEvent: round(unreplayed),
      msPerEvent: round(ms / events, 3),
      msPerCall: round(calls === 0 ? 0 : ms / calls, 3),
      eventsPerSecond: round(events / (ms / 1000), 1),
      events,
    };
  } finally {
    await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => undefined);
    if (QueueUrl) await sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined);
    for (const client of [dynamo, sqs, s3]) client.destroy();
  }
}

export interface SdkCpuPerCall {
  /** Microseconds of CPU in the SDK per call (median of batches), with no network at all. */
  dynamoGetItemUs: number;
  dynamoPutItemUs: number;
  sqsSendMessageUs: number;
  calls: number;
}

/** An HTTP handler that answers every request at once with `body`. */
function cannedHandler(body: string, contentType: string) {
  return {
    handle: async () => ({
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': contentType, 'x-amzn-requestid': 'bench' },
        body: Buffer.from(body),
      },
    }),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
}

async function usPerCall(send: () => Promise<unknown>, calls: number): Promise<number> {
  for (let i = 0; i < 200; i++) await send();
  const batches: number[] = [];
  const perBatch = Math.max(1, Math.floor(calls / 5));
  for (let b = 0; b < 5; b++) {
    const started = performance.now();
    for (let i = 0; i < perBatch; i++) await send();
    batches.push(((performance.now() - started) * 1000) / perBatch);
  }
  return round([...batches].sort((a, b) => a - b)[2] ?? 0, 1);
}

/** The SDK's own time per call: signing, middleware, (de)serialization; no network, no store. */
export async function measureSdkCpuPerCall(calls = 2_000): Promise<SdkCpuPerCall> {
  const common = { region: REGION, credentials: CREDENTIALS, endpoint: 'http://127.0.0.1:9' };
  const dynamoGet = new DynamoDBClient({
    ...common,
    requestHandler: cannedHandler(
      JSON.stringify({ Item: { pk: { S: 'A' }, sk: { S: 'B' }, body: { S: BODY } } }),
      'application/x-amz-json-1.0',
    ),
  });
  const dynamoPut = new DynamoDBClient({
    ...common,
    requestHandler: cannedHandler('{}', 'application/x-amz-json-1.0'),
  });
  const sqs = new SQSClient({
    ...common,
    requestHandler: cannedHandler(
      JSON.stringify({ MessageId: 'm', MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e' }),
      'application/x-amz-json-1.0',
    ),
    // The canned answer carries no real checksum of the body.
    md5: false,
  });
  try {
    const Key = { pk: { S: 'A' }, sk: { S: 'B' } };
    return {
      dynamoGetItemUs: await usPerCall(
        () => dynamoGet.send(new GetItemCommand({ TableName: 't', Key })),
        calls,
      ),
      dynamoPutItemUs: await usPerCall(
        () =>
          dynamoPut.send(
            new PutItemCommand({
              TableName: 't',
              Item: { ...Key, body: { S: BODY } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        calls,
      ),
      sqsSendMessageUs: await usPerCall(
        () => sqs.send(new SendMessageCommand({ QueueUrl: 'http://127.0.0.1:9/1/q', MessageBody: BODY })),
        calls,
      ),
      calls,
    };
  } finally {
    for (const client of [dynamoGet, dynamoPut, sqs]) client.destroy();
  }
}
