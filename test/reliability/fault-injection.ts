import {
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';

/** One HTTP attempt the SDK makes (each retry is another attempt of the same call). */
export interface DynamoAttempt {
  /** `PutItem`, `UpdateItem`, `Query`, … */
  readonly operation: string;
  /** 1 for the first try of a call, 2 and 3 for the SDK's retries. */
  readonly attempt: number;
  /** The JSON request body (keys and values of the item). */
  readonly body: string;
}

/**
 * Throttling (retried by the SDK with a long backoff), a server error (retried with a short one),
 * or a missing table (not retried: a deployment fault).
 */
export type DynamoFault =
  | 'throttling'
  | 'throughput-exceeded'
  | 'internal-error'
  | 'resource-not-found'
  | undefined;

export interface FaultyDynamo {
  readonly client: DynamoDBClient;
  readonly stats: { attempts: number; faults: number; retries: number };
}

/**
 * A real DynamoDB client on the run's DynamoDB Local with a middleware below the SDK's retry
 * middleware: every attempt (first try and retries alike) passes it, and `decide` may fail it
 * with the exception DynamoDB itself sends when it throttles. The SDK's own retry policy
 * (standard mode, 3 attempts, backoff) handles it as it would in the cloud.
 */
export function dynamoWithFaults(
  endpoint: string,
  decide: (attempt: DynamoAttempt) => DynamoFault,
): FaultyDynamo {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stats = { attempts: 0, faults: 0, retries: 0 };
  const injectFaults: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => async (args) => {
    const request = args.request as { headers: Record<string, string>; body?: unknown };
    const attempt = Number(/attempt=(\d+)/.exec(request.headers['amz-sdk-request'] ?? '')?.[1] ?? 1);
    const operation = (request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    stats.attempts += 1;
    if (attempt > 1) stats.retries += 1;
    const body =
      typeof request.body === 'string'
        ? request.body
        : request.body instanceof Uint8Array
          ? new TextDecoder().decode(request.body)
          : '';
    const fault = decide({ operation, attempt, body });
    if (fault) {
      stats.faults += 1;
      throw faultError(fault, {
        httpStatusCode: fault === 'internal-error' ? 500 : 400,
        attempts: attempt,
      });
    }
    return next(args);
  };
  client.middlewareStack.addRelativeTo(injectFaults, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'injectDynamoFaults',
  });
  return { client, stats };
}

function faultError(
  fault: Exclude<DynamoFault, undefined>,
  $metadata: { httpStatusCode: number; attempts: number },
) {
  switch (fault) {
    case 'throttling':
      return new ThrottlingException({
        message: 'Rate of requests exceeds the allowed throughput.',
        $metadata,
      });
    case 'throughput-exceeded':
      return new ProvisionedThroughputExceededException({
        message:
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        $metadata,
      });
    case 'internal-error':
      return new InternalServerError({ message: 'Internal server error', $metadata });
    case 'resource-not-found':
      return new ResourceNotFoundException({ message: 'Requested resource not found', $metadata });
  }
}
