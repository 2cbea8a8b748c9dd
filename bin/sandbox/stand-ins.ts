import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient } from '@aws-sdk/client-connect';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import sesLocalImport from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import {
  conversationTable,
  conversationTableCreateInput,
} from '../../functions/adapters/dynamodb/table-definition.ts';
import type { AwsClients } from '../../functions/composition/shared/clients.ts';
import { carryAstralCharacters } from './astral-sqs.ts';
import { SandboxConnectApi } from './connect-stand-in.ts';

/**
 * The local stand-ins the sandbox runs the real handlers on, all inside this process and bound
 * to loopback: dynalite speaks the DynamoDB protocol, fauxqs speaks SQS and S3, and
 * aws-ses-v2-local takes SESv2 SendEmail and keeps what it was sent.
 */
export interface StandIns {
  /** What the functions use. */
  readonly clients: AwsClients;
  /**
   * What AWS itself does around them (SES storing received mail, Lambda polling a queue), kept
   * on separate clients so counting the functions' calls does not count these.
   */
  readonly platform: { readonly s3: S3Client; readonly sqs: SQSClient };
  readonly tableName: string;
  readonly mailBucket: string;
  readonly outboundQueueUrl: string;
  readonly outboundDlqUrl: string;
  readonly endpoints: { dynamodb: string; sqsAndS3: string; ses: string };
  /** Amazon Connect's API (DescribeContact, StartTaskContact), answered in process. */
  readonly connectApi: SandboxConnectApi;
  stop(): Promise<void>;
}

/** CommonJS interop differs: Node's loader gives module.exports, vite's gives exports.default. */
const startSesLocal = (
  typeof sesLocalImport === 'function' ? sesLocalImport : sesLocalImport.default
) as typeof sesLocalImport.default;

const REGION = 'eu-central-1';
/** The stand-ins take any key; the sandbox's upload route checks presigned POSTs with this one. */
export const SANDBOX_AWS_SECRET_ACCESS_KEY = 'sandbox';
const CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: SANDBOX_AWS_SECRET_ACCESS_KEY };
/** Like the deployed queue: a message that fails this often goes to the DLQ. */
export const SANDBOX_MAX_RECEIVE_COUNT = 3;

/**
 * `dynamoEndpoint` points at a DynamoDB-protocol server that is already running (the tests'
 * DynamoDB Local) instead of starting dynalite; `tableName` then keeps test files apart.
 */
export async function startStandIns(
  options: { dynamoEndpoint?: string; tableName?: string } = {},
): Promise<StandIns> {
  const stops: Array<() => Promise<void>> = [];
  try {
    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      dynamoEndpoint = `http://127.0.0.1:${await listen(dynamoServer)}`;
      stops.push(() => close(dynamoServer));
    }

    const fauxqs: FauxqsServer = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    stops.push(() => fauxqs.stop());

    const sesServer: HttpServer = await startSesLocal({ host: '127.0.0.1', port: 0 });
    stops.push(() => close(sesServer));
    const sesPort = (sesServer.address() as AddressInfo).port;

    const endpoints = {
      dynamodb: dynamoEndpoint,
      sqsAndS3: `http://127.0.0.1:${fauxqs.port}`,
      ses: `http://127.0.0.1:${sesPort}`,
    };
    const common = { region: REGION, credentials: CREDENTIALS };
    const clients: AwsClients = {
      dynamo: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
      s3: new S3Client({ ...common, endpoint: endpoints.sqsAndS3, forcePathStyle: true }),
      sqs: carryAstralCharacters(new SQSClient({ ...common, endpoint: endpoints.sqsAndS3 })),
      ses: new SESv2Client({ ...common, endpoint: endpoints.ses }),
      connect: new ConnectClient(common),
    };
    const connectApi = new SandboxConnectApi();
    if (clients.connect) connectApi.attachTo(clients.connect);

    const platform = {
      s3: new S3Client({ ...common, endpoint: endpoints.sqsAndS3, forcePathStyle: true }),
      sqs: carryAstralCharacters(new SQSClient({ ...common, endpoint: endpoints.sqsAndS3 })),
    };

    const tableName = options.tableName ?? 'switchboard-sandbox';
    await createConversationTable(clients.dynamo, tableName);
    const mailBucket = 'switchboard-sandbox-mail';
    await clients.s3.send(new CreateBucketCommand({ Bucket: mailBucket }));
    const dlq = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'switchboard-outbound-dlq' }));
    const dlqArn = await queueArn(clients.sqs, dlq.QueueUrl);
    const outbound = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: 'switchboard-outbound',
        Attributes: {
          VisibilityTimeout: '30',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: SANDBOX_MAX_RECEIVE_COUNT,
          }),
        },
      }),
    );
    if (!outbound.QueueUrl || !dlq.QueueUrl) throw new Error('the local queue service returned no queue URL');

    return {
      clients,
      platform,
      tableName,
      mailBucket,
      outboundQueueUrl: outbound.QueueUrl,
      outboundDlqUrl: dlq.QueueUrl,
      endpoints,
      connectApi,
      stop: async () => {
        for (const client of [...Object.values(clients), ...Object.values(platform)]) client.destroy();
        await stopAll(stops);
      },
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}

async function createConversationTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  await dynamo.send(new CreateTableCommand(conversationTableCreateInput(tableName)));
  try {
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: conversationTable.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite has no TTL; expiry only matters for storage cost, which a sandbox does not have.
    if (!(error instanceof Error && error.name === 'UnknownOperationException')) throw error;
  }
}

async function queueArn(sqs: SQSClient, queueUrl: string | undefined): Promise<string> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = attributes.Attributes?.QueueArn;
  if (!arn) throw new Error('the local queue service returned no queue ARN');
  return arn;
}

function listen(server: {
  listen: (port: number, host: string, cb: () => void) => unknown;
  address: () => unknown;
}) {
  return new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: { close: (cb: (error?: Error) => void) => unknown }): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
