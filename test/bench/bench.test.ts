import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { conversationTableCreateInput } from '../../functions/adapters/dynamodb/table-definition.ts';
import { AwsCallMeter, difference } from './aws-call-meter.ts';
import { runBench } from './bench.ts';
import { benchmarkMarkdown } from './markdown.ts';

describe('the bench call meter on DynamoDB Local', () => {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const db = DynamoDBDocumentClient.from(client);
  const TableName = `bench-meter-${Date.now()}`;
  const meter = new AwsCallMeter();

  beforeAll(async () => {
    await client.send(new CreateTableCommand(conversationTableCreateInput(TableName)));
    meter.attach([client]);
  });
  afterAll(() => client.destroy());

  it('counts commands per function, write units with their indexes, and refused writes', async () => {
    // Prepare
    const before = meter.snapshot();
    const indexed = {
      pk: 'C#1',
      sk: 'META',
      gsi1pk: 'CUSTOMER#1',
      gsi1sk: 'a',
      gsi2pk: 'S#open',
      gsi2sk: 'a',
    };

    // Act
    await meter.within('inbound-sms', async () => {
      await db.send(new PutCommand({ TableName, Item: indexed }));
      await db.send(new GetCommand({ TableName, Key: { pk: 'C#1', sk: 'META' } }));
      await db
        .send(
          new PutCommand({
            TableName,
            Item: { pk: 'C#1', sk: 'META' },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .catch(() => undefined);
    });
    await meter.within('dispatcher', () =>
      db.send(new GetCommand({ TableName, Key: { pk: 'C#1', sk: 'META' } })),
    );

    // Assess
    const counted = difference(before, meter.snapshot());
    expect(counted['inbound-sms']).toEqual({
      calls: 3,
      // The item and its two index entries.
      writeUnits: 3,
      // One eventually consistent read of a small item.
      readUnits: 0.5,
      refusedWrites: 1,
      byCommand: { 'DynamoDBClient.GetItemCommand': 1, 'DynamoDBClient.PutItemCommand': 2 },
      byItem: { 'GetItem C#/META': 1, 'PutItem C#/META': 2 },
    });
    expect(counted.dispatcher?.calls).toBe(1);
    expect(counted.dispatcher?.writeUnits).toBe(0);
  });
});

describe('the bench on the sandbox engine', () => {
  // One run for both tests: every bench run's sandbox creates the same table in the shared DynamoDB Local.
  let result: Awaited<ReturnType<typeof runBench>>;

  beforeAll(async () => {
    result = await runBench({
      events: 3,
      pathEvents: 2,
      initRuns: 0,
      store: 'dynamodb-local',
      dynamoEndpoint: inject('dynamoEndpoint'),
      channels: ['sms', 'chat'],
    });
  }, 180_000);

  it('measures each path of a channel and the dispatcher in the shape the budgets read', () => {
    // Assess
    const json = JSON.parse(JSON.stringify(result));
    const sms = json.channels.sms;
    for (const path of ['new-customer', 'known-customer', 'duplicate']) {
      expect(sms.paths[path].awsCallsPerEvent).toBeGreaterThan(0);
    }
    expect(sms.paths['new-customer'].writeUnitsPerEvent).toBeGreaterThan(0);
    expect(sms.paths['known-customer'].writeUnitsPerEvent).toBeGreaterThan(0);
    // A redelivered first message is answered by the ledger record read with the sender: no write.
    expect(sms.paths.duplicate.writeUnitsPerEvent).toBe(0);
    // A first message is acknowledged (dispatcher), a redelivery does nothing but find it done.
    expect(sms.paths['new-customer'].byFunction.dispatcher.calls).toBeGreaterThan(0);
    expect(sms.paths['new-customer'].awsCallsPerEvent).toBeGreaterThan(sms.paths.duplicate.awsCallsPerEvent);
    expect(sms.paths.duplicate.autoResponseCallsPerEvent).toBe(0);
    // The counters come from the table's stream: no counter write on the known path, the
    // consumer's calls reported apart, per 100 stored messages.
    expect(
      Object.keys(sms.paths['known-customer'].byItem).filter((item) => item.includes('INSIGHTS#')),
    ).toEqual([]);
    expect(sms.paths['known-customer'].byFunction['channel-counters']).toBeUndefined();
    expect(sms.streamConsumer.function).toBe('channel-counters');
    expect(sms.streamConsumer.messages).toBeGreaterThan(0);
    expect(sms.streamConsumer.awsCallsPer100Messages).toBeGreaterThan(0);
    expect(sms.streamConsumer.awsCallsPer100Messages).toBeLessThan(100);
    for (const figure of ['warmMsP50', 'warmMsP99', 'eventsPerSecond', 'msPerEvent', 'sameCallMixShare']) {
      expect(sms[figure]).toBeGreaterThan(0);
    }
    // The baseline replays the calls the functions made per event, nothing else.
    const replayed = Object.values(sms.sameCallMix.callsPerEvent as Record<string, number>).reduce(
      (a, b) => a + b,
      0,
    );
    expect(replayed).toBeCloseTo(sms.awsCallsPerEvent, 1);
    expect(sms.sameCallMix.msPerCall).toBeGreaterThan(0);
    expect(json.sdkCpuPerCall.dynamoGetItemUs).toBeGreaterThan(0);
    expect(json.autoResponseBudget.perHour).toBeGreaterThanOrEqual(1_000_000);
    expect(json.channels.email).toBeUndefined();
    expect(json.budgets.map((b: { subject: string }) => b.subject)).toContain('sms');
    expect(json.budgetsMissed).toBe(json.budgets.filter((b: { pass: boolean }) => !b.pass).length);
  });

  it('measures the chat channel like the others, and weighs the widget against its budgets', () => {
    // Assess
    const chat = result.channels.chat;
    expect(chat?.paths['new-customer'].byFunction['chat-websocket']?.calls).toBeGreaterThan(0);
    expect(chat?.paths['new-customer'].byFunction.dispatcher?.calls).toBeGreaterThan(0);
    expect(chat?.paths.duplicate.autoResponseCallsPerEvent).toBe(0);
    expect(result.widgetLoaderBytesGzip).toBeGreaterThan(0);
    expect(result.widgetBytesGzip).toBeGreaterThan(result.widgetLoaderBytesGzip);
    const widgetBudgets = result.budgets.filter((b) => b.subject === 'chat widget');
    expect(widgetBudgets.map((b) => b.pass)).toEqual([true, true]);
  });

  it('writes the tables of docs/benchmark.md, with a before/after table against an earlier result', () => {
    // Act
    const markdown = benchmarkMarkdown(result, {
      before: { channels: { sms: { paths: { 'known-customer': { awsCallsPerEvent: 8 } } } } },
    });

    // Assess
    expect(markdown).toContain('## Throughput against the same call mix');
    expect(markdown).toContain('1,000,000 an hour');
    expect(markdown).toMatch(/\| sms \| 8 → \d/);
    expect(markdown).toContain(`${result.budgetsMissed} of ${result.budgets.length} missed.`);
  });
});
