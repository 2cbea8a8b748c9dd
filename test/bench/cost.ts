import type { BenchPath } from './channel-events.ts';
import type { ChannelFigures, PathFigures } from './measure.ts';

/**
 * AWS list prices (on-demand, no free tier) the estimate uses, USD. Lambda is arm64 (the
 * construct's architecture); DynamoDB on-demand after the November 2024 price cut; SQS standard
 * queues; SES outbound mail and inbound receiving (per mail and per 256 KB chunk); S3 Standard;
 * API Gateway HTTP APIs (the Meta webhook route) and WebSocket APIs (chat: per message, each way).
 */
export const PRICES = {
  'us-east-1': {
    lambdaRequest: 0.2 / 1e6,
    lambdaGbSecond: 0.0000133334,
    dynamoWriteUnit: 0.625 / 1e6,
    dynamoReadUnit: 0.125 / 1e6,
    sqsRequest: 0.4 / 1e6,
    sesOutboundMail: 0.1 / 1000,
    sesInboundMail: 0.1 / 1000,
    sesInboundChunk: 0.09 / 1000,
    s3Put: 0.005 / 1000,
    s3Get: 0.0004 / 1000,
    httpApiRequest: 1.0 / 1e6,
    webSocketMessage: 1.0 / 1e6,
  },
  'eu-central-1': {
    lambdaRequest: 0.2 / 1e6,
    lambdaGbSecond: 0.0000133334,
    dynamoWriteUnit: 0.7625 / 1e6,
    dynamoReadUnit: 0.1525 / 1e6,
    sqsRequest: 0.4 / 1e6,
    sesOutboundMail: 0.1 / 1000,
    sesInboundMail: 0.1 / 1000,
    sesInboundChunk: 0.09 / 1000,
    s3Put: 0.0054 / 1000,
    s3Get: 0.00043 / 1000,
    httpApiRequest: 1.2 / 1e6,
    webSocketMessage: 1.14 / 1e6,
  },
} as const;

export type Region = keyof typeof PRICES;

/** Lambda memory of every function (SupportFunction's default), in GB. */
const FUNCTION_GB = 0.5;

/** The share of each path in a "typical" 100,000 messages: first contacts, follow-ups, redeliveries. */
export const TYPICAL_MIX: Record<BenchPath, number> = {
  'new-customer': 0.4,
  'known-customer': 0.55,
  duplicate: 0.05,
};

export interface CostEstimate {
  /** USD per 100,000 inbound messages, per path and for the typical mix, per region. */
  readonly perPath: Record<BenchPath, Record<Region, number>>;
  readonly typical: Record<Region, number>;
  /** USD per 100,000 of the typical mix by service, us-east-1. */
  readonly typicalByService: Record<string, number>;
}

const PER = 100_000;
const round = (n: number) => Number(n.toFixed(2));

/**
 * Cost of 100,000 events of each path from the calls and units the bench counted: Lambda requests
 * and GB-seconds (warm handler time at p50 per function invoked), DynamoDB write and read units,
 * SQS requests (the functions' own, plus receive and delete by Lambda's poller for every message
 * they queue: an upper bound, batches of one), SES mails, S3 requests (for email, also SES's own
 * PUT of the raw mail and the mail's receipt), the HTTP API request of a Meta webhook delivery.
 */
export function estimateCost(
  channel: string,
  figures: ChannelFigures,
  dispatcherWarmMs: number,
): CostEstimate {
  const byService = (path: PathFigures): Record<string, number> => {
    const count = (fn: string | undefined, command: string) =>
      Object.entries(path.byCommand)
        .filter(([name]) => name.endsWith(command) && (fn === undefined || name.startsWith(`${fn} `)))
        .reduce((sum, [, n]) => sum + n, 0);
    const functions = Object.keys(path.byFunction);
    // The channel's handler time covers all of its own functions together; the dispatcher's is
    // added where it sent something for the event (the acknowledgement).
    const ownMs = figures.warmFunctions.some((fn) => functions.includes(fn)) ? figures.warmMsP50 : 0;
    const dispatcherMs =
      functions.includes('dispatcher') && !figures.warmFunctions.includes('dispatcher')
        ? dispatcherWarmMs
        : 0;
    const seconds = (ownMs + dispatcherMs) / 1000;
    const queued =
      count(undefined, 'SQSClient.SendMessageCommand') +
      count(undefined, 'SQSClient.SendMessageBatchCommand');
    const sqsOwn = Object.entries(path.byCommand)
      .filter(([name]) => name.includes('SQSClient.'))
      .reduce((sum, [, n]) => sum + n, 0);
    const isEmail = channel === 'email';
    const isMeta = channel === 'whatsapp' || channel === 'messenger';
    return {
      // A stream consumer is invoked once per batch of many messages, not once per message.
      lambdaRequests: functions.filter((fn) => fn !== 'unattributed' && fn !== 'live-updates').length,
      lambdaGbSeconds: seconds * FUNCTION_GB,
      dynamoWriteUnits: path.writeUnitsPerEvent,
      dynamoReadUnits: path.readUnitsPerEvent,
      sqsRequests: sqsOwn + 2 * queued,
      sesOutboundMails: count(undefined, 'SESv2Client.SendEmailCommand'),
      sesInboundMails: isEmail ? 1 : 0,
      s3Puts: count(undefined, 'S3Client.PutObjectCommand') + (isEmail ? 1 : 0),
      s3Gets: count(undefined, 'S3Client.GetObjectCommand'),
      httpApiRequests: isMeta ? 1 : 0,
      // The visitor's frame in, and every frame posted back (PostToConnection).
      webSocketMessages:
        (channel === 'chat' ? 1 : 0) +
        count(undefined, 'ApiGatewayManagementApiClient.PostToConnectionCommand'),
    };
  };
  const price = (usage: Record<string, number>, region: Region) => {
    const p = PRICES[region];
    return (
      PER *
      ((usage.lambdaRequests ?? 0) * p.lambdaRequest +
        (usage.lambdaGbSeconds ?? 0) * p.lambdaGbSecond +
        (usage.dynamoWriteUnits ?? 0) * p.dynamoWriteUnit +
        (usage.dynamoReadUnits ?? 0) * p.dynamoReadUnit +
        (usage.sqsRequests ?? 0) * p.sqsRequest +
        (usage.sesOutboundMails ?? 0) * p.sesOutboundMail +
        (usage.sesInboundMails ?? 0) * (p.sesInboundMail + p.sesInboundChunk) +
        (usage.s3Puts ?? 0) * p.s3Put +
        (usage.s3Gets ?? 0) * p.s3Get +
        (usage.httpApiRequests ?? 0) * p.httpApiRequest +
        (usage.webSocketMessages ?? 0) * p.webSocketMessage)
    );
  };
  const regions = Object.keys(PRICES) as Region[];
  const paths = Object.keys(TYPICAL_MIX) as BenchPath[];
  const usage = Object.fromEntries(paths.map((path) => [path, byService(figures.paths[path])])) as Record<
    BenchPath,
    Record<string, number>
  >;
  const perPath = Object.fromEntries(
    paths.map((path) => [path, Object.fromEntries(regions.map((r) => [r, round(price(usage[path], r))]))]),
  ) as CostEstimate['perPath'];
  const typical = Object.fromEntries(
    regions.map((r) => [
      r,
      round(paths.reduce((sum, path) => sum + TYPICAL_MIX[path] * price(usage[path], r), 0)),
    ]),
  ) as Record<Region, number>;
  const services: Record<string, number> = {};
  const p = PRICES['us-east-1'];
  const serviceOf: Record<string, (u: Record<string, number>) => number> = {
    lambda: (u) => (u.lambdaRequests ?? 0) * p.lambdaRequest + (u.lambdaGbSeconds ?? 0) * p.lambdaGbSecond,
    dynamodb: (u) =>
      (u.dynamoWriteUnits ?? 0) * p.dynamoWriteUnit + (u.dynamoReadUnits ?? 0) * p.dynamoReadUnit,
    sqs: (u) => (u.sqsRequests ?? 0) * p.sqsRequest,
    ses: (u) =>
      (u.sesOutboundMails ?? 0) * p.sesOutboundMail +
      (u.sesInboundMails ?? 0) * (p.sesInboundMail + p.sesInboundChunk),
    s3: (u) => (u.s3Puts ?? 0) * p.s3Put + (u.s3Gets ?? 0) * p.s3Get,
    apiGateway: (u) =>
      (u.httpApiRequests ?? 0) * p.httpApiRequest + (u.webSocketMessages ?? 0) * p.webSocketMessage,
  };
  for (const [service, of] of Object.entries(serviceOf)) {
    services[service] = round(
      paths.reduce((sum, path) => sum + TYPICAL_MIX[path] * PER * of(usage[path]), 0),
    );
  }
  return { perPath, typical, typicalByService: services };
}
