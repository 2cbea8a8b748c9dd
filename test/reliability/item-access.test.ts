import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { itemPrefixesOf, type TableFunction } from '../../functions/adapters/dynamodb/key-prefixes.ts';
import { agentApiDeps } from '../../functions/composition/agent-api.ts';
import { makeAgentApiHandler } from '../../functions/handlers/agent-api.ts';
import { apiGatewayV2Event, withJwtClaims } from '../../local/events/api-gateway.ts';
import { sqsEventOfBodies } from '../../local/events/sqs.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { settingsFor } from '../support/builders.ts';
import { CHANNEL_CASES, NOW, type Rig, startRig, stopRig } from './channel-cases.ts';
import { type DynamoAttempt, dynamoWithFaults } from './fault-injection.ts';

/**
 * The other half of the least-privilege check (test/infra/item-access.test.ts asserts the
 * template): every partition key the real handlers send to DynamoDB while they take in every
 * fixture of every channel, and send what that queued, starts with a prefix their function
 * declares. A prefix missing from FUNCTION_ITEMS would be an AccessDenied in the cloud.
 */

type Marshalled = Record<string, { S?: string }>;
interface Request {
  Key?: Marshalled;
  Item?: Marshalled;
  RequestItems?: Record<
    string,
    | { Keys?: Marshalled[] }
    | Array<{ PutRequest?: { Item: Marshalled }; DeleteRequest?: { Key: Marshalled } }>
  >;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Marshalled;
}

/** The partition keys IAM's dynamodb:LeadingKeys holds for one request (the index's for an index Query). */
function leadingKeysOf({ operation, body }: DynamoAttempt): string[] {
  const request = JSON.parse(body || '{}') as Request;
  const pk = (item: Marshalled | undefined) => (item?.pk?.S === undefined ? [] : [item.pk.S]);
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return pk(request.Key);
    case 'PutItem':
      return pk(request.Item);
    case 'BatchGetItem':
      return Object.values(request.RequestItems ?? {}).flatMap((table) =>
        Array.isArray(table) ? [] : (table.Keys ?? []).flatMap(pk),
      );
    case 'BatchWriteItem':
      return Object.values(request.RequestItems ?? {}).flatMap((table) =>
        Array.isArray(table)
          ? table.flatMap((w) => [...pk(w.PutRequest?.Item), ...pk(w.DeleteRequest?.Key)])
          : [],
      );
    case 'Query': {
      // The partition key equality comes first in every key condition of ours.
      const match = /^\s*(#?\w+)\s*=\s*(:\w+)/.exec(request.KeyConditionExpression ?? '');
      const value = match?.[2] ? request.ExpressionAttributeValues?.[match[2]]?.S : undefined;
      return value === undefined ? ['<unreadable key condition>'] : [value];
    }
    default:
      return [`<${operation}: no item key>`];
  }
}

let standIns: StandIns;
let rig: Rig;
let agentApi: ReturnType<typeof makeAgentApiHandler>;
/** The function whose handler is running now (the rig runs one handler at a time here). */
let running: TableFunction | undefined;
const seen = new Map<TableFunction, Set<string>>();

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `item-access-${randomUUID()}`,
  });
  const recording = dynamoWithFaults(inject('dynamoEndpoint'), (attempt) => {
    if (running && attempt.attempt === 1) {
      const keys = seen.get(running) ?? new Set<string>();
      for (const key of leadingKeysOf(attempt)) keys.add(key);
      seen.set(running, keys);
    }
    return undefined;
  });
  rig = await startRig(standIns, `item-access-${randomUUID()}`, { dynamo: recording.client });
  const settings = { ...settingsFor(standIns), tableName: rig.tableName };
  const agentDeps = agentApiDeps({ ...standIns.clients, dynamo: recording.client }, settings, {
    now: () => NOW,
  });
  agentApi = makeAgentApiHandler(() => ({
    ...agentDeps,
    agent: { ...agentDeps.agent, outbound: rig.outbound },
  }));
}, 60_000);

afterAll(async () => {
  if (rig) await stopRig(standIns, rig);
  await standIns?.stop();
});

/** `handler`, with every call counted as `fn`'s. */
function as<Args extends unknown[], Result>(fn: TableFunction, handler: (...args: Args) => Promise<Result>) {
  return async (...args: Args): Promise<Result> => {
    running = fn;
    try {
      return await handler(...args);
    } finally {
      running = undefined;
    }
  };
}

/** An agent's request, as the JWT authorizer passes it on. */
async function asAgent(
  method: string,
  path: string,
  options: { body?: unknown; query?: Record<string, string> } = {},
) {
  const event = apiGatewayV2Event({
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    query: options.query,
  });
  const response = await as('agentApi', agentApi)(
    withJwtClaims(event, { sub: 'agent-7' }),
    lambdaContext('switchboard-agent-api'),
  );
  expect(response.statusCode, `${method} ${path}: ${response.body}`).toBeLessThan(300);
  return JSON.parse(response.body ?? '{}') as Record<string, unknown>;
}

/** Every route of the agent API on the conversations the channels left. */
async function everyAgentRoute(): Promise<void> {
  const listed = await asAgent('GET', '/conversations', { query: { status: 'open' } });
  const items = (listed.items ?? []) as Array<{ id: string; customerId: string; channel: string }>;
  const first = items.find((conversation) => conversation.channel === 'email');
  if (!first) throw new Error('the channels left no open email conversation');
  await asAgent('GET', `/conversations/${first.id}`);
  await asAgent('GET', `/customers/${first.customerId}/timeline`);
  await asAgent('POST', `/conversations/${first.id}/assign`, { body: { assignee: 'agent-7' } });
  await asAgent('GET', '/conversations', { query: { assignee: 'agent-7' } });
  await asAgent('POST', `/conversations/${first.id}/replies`, {
    body: { text: 'Kargonuz yarın teslim edilecek.' },
  });
  await asAgent('POST', `/conversations/${first.id}/status`, { body: { status: 'pending' } });
  await asAgent('POST', `/conversations/${first.id}/close`);
  await asAgent('GET', '/reports/channels', { query: { from: '2026-11-22', to: '2026-11-23' } });
}

describe('the keys the handlers really touch', () => {
  it('stay within the prefixes each function declares', async () => {
    // Prepare
    const tracked: Rig = {
      ...rig,
      email: as('inboundEmail', rig.email) as unknown as Rig['email'],
      sms: as('inboundSms', rig.sms) as unknown as Rig['sms'],
      social: as('inboundSocial', rig.social) as unknown as Rig['social'],
      orders: as('orderEvents', rig.orders) as unknown as Rig['orders'],
      reminders: as('reminders', rig.reminders) as unknown as Rig['reminders'],
      dispatcher: as('dispatcher', rig.dispatcher) as unknown as Rig['dispatcher'],
      voiceLookup: as('voiceLookup', rig.voiceLookup) as unknown as Rig['voiceLookup'],
      voiceEvents: as('voiceEvents', rig.voiceEvents) as unknown as Rig['voiceEvents'],
    };

    // Act: every fixture of every channel, then every send that queued.
    for (const channelCase of CHANNEL_CASES) {
      for (const fixture of channelCase.fixtures) await channelCase.deliver(tracked, fixture);
    }
    const queued = rig.outbound.sent.map((request) => JSON.stringify(request));
    for (const body of queued) {
      await tracked.dispatcher(sqsEventOfBodies([body]), lambdaContext('switchboard-dispatcher'));
    }

    await everyAgentRoute();

    // Assess
    expect([...seen.keys()].sort()).toEqual(
      [
        'agentApi',
        'dispatcher',
        'inboundEmail',
        'inboundSms',
        'inboundSocial',
        'orderEvents',
        'reminders',
        'voiceEvents',
        'voiceLookup',
      ].sort(),
    );
    for (const [fn, keys] of seen) {
      const prefixes = itemPrefixesOf(fn);
      const outside = [...keys].filter((key) => !prefixes.some((prefix) => key.startsWith(prefix)));
      expect(outside, `${fn} touched keys outside ${prefixes.join(' ')}`).toEqual([]);
    }
  }, 120_000);
});
