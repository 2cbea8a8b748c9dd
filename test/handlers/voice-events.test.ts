import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConnectClient, DescribeContactCommand } from '@aws-sdk/client-connect';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { DynamoCustomerDirectory } from '../../functions/adapters/dynamodb/customer-directory.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { DynamoVoiceContacts } from '../../functions/adapters/dynamodb/voice-contacts.ts';
import { voiceEventsDeps } from '../../functions/composition/voice-events.ts';
import { InvalidInputError } from '../../functions/core/errors.ts';
import type { OutboundRequest } from '../../functions/core/model.ts';
import type { ContactEventResult } from '../../functions/core/voice/contact-events.ts';
import { makeVoiceEventsHandler } from '../../functions/handlers/voice-events.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { receiveBodies } from '../../local/queue-polling.ts';
import { settingsFor } from '../support/builders.ts';
import { AYSE_PHONE, knownCaller } from '../support/voice-callers.ts';

// Monday 13:30 in Istanbul: the shop is open, follow-ups go out at once.
const NOW = new Date('2026-11-23T10:30:00.000Z');
const CONTACT_ID = '4a573372-1f28-4e26-b97b-3b5c7d9e1f20';
const INSTANCE_ID = '5a1db0c5-0000-4000-8000-00000000c0de';
let standIns: StandIns;
let events: ReturnType<typeof makeVoiceEventsHandler>;
const connectClient = new ConnectClient({
  region: 'eu-central-1',
  credentials: { accessKeyId: 't', secretAccessKey: 't' },
});
const connect = mockClient(connectClient);

async function fixture(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(`test/fixtures/connect/${name}`, 'utf8')) as Record<string, unknown>;
}

/** The same event for another contact, as a different call would carry. */
function forContact(event: Record<string, unknown>, contactId: string) {
  return { ...event, detail: { ...(event.detail as object), contactId } };
}

const queued = () => receiveBodies<OutboundRequest>(standIns.clients.sqs, standIns.outboundQueueUrl);

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `voice-${randomUUID()}`,
  });
  const settings = {
    ...settingsFor(standIns),
    connect: { instanceId: INSTANCE_ID, vipCustomerIds: new Set<string>() },
  };
  const db = documentClient(standIns.clients.dynamo);
  await new DynamoCustomerDirectory(db, settings.tableName).createWithIdentity(
    knownCaller(NOW.toISOString()),
    { kind: 'phone', value: AYSE_PHONE },
  );
  await new DynamoVoiceContacts(db, settings.tableName).remember({
    contactId: CONTACT_ID,
    customerId: 'cust-ayse',
    phone: '+905321234567',
    firstSeenAt: NOW.toISOString(),
  });
  const deps = {
    ...voiceEventsDeps({ ...standIns.clients, connect: connectClient }, settings, { now: () => NOW }),
    channels: new Set(['email', 'sms'] as const),
  };
  events = makeVoiceEventsHandler(() => deps);
}, 60_000);

afterAll(async () => {
  await standIns.stop();
});

beforeEach(async () => {
  await standIns.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: standIns.outboundQueueUrl }));
});

afterEach(() => {
  connect.reset();
});

describe('the voice-events handler', () => {
  it("records a call on the caller's timeline and queues one missed-call SMS for a call abandoned in the queue", async () => {
    // Act
    const initiated = (await events(
      await fixture('event-initiated.json'),
      lambdaContext('voice-events'),
    )) as ContactEventResult;
    const disconnected = (await events(
      await fixture('event-disconnected-abandoned.json'),
      lambdaContext('voice-events'),
    )) as ContactEventResult;
    const redelivered = (await events(
      await fixture('event-disconnected-abandoned.json'),
      lambdaContext('voice-events'),
    )) as ContactEventResult;

    // Assess
    expect(initiated).toMatchObject({ status: 'recorded', customerId: 'cust-ayse', duplicate: false });
    expect(disconnected.conversationId).toBe(initiated.conversationId);
    expect(redelivered.duplicate).toBe(true);
    const requests = await queued();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      kind: 'missed-call',
      channel: 'sms',
      to: '+905321234567',
      language: 'tr',
    });
  });

  it('asks Connect for the caller of a contact the flow never saw', async () => {
    // Prepare
    connect.on(DescribeContactCommand).resolves({
      Contact: { Id: 'c-new', CustomerEndpoint: { Type: 'TELEPHONE_NUMBER', Address: '+905551112233' } },
    });

    // Act
    const result = (await events(
      forContact(await fixture('event-initiated.json'), 'c-new'),
      lambdaContext('voice-events'),
    )) as ContactEventResult;

    // Assess
    expect(result.status).toBe('recorded');
    expect(connect.commandCalls(DescribeContactCommand)[0]?.args[0].input).toEqual({
      InstanceId: INSTANCE_ID,
      ContactId: 'c-new',
    });
    const caller = await new DynamoCustomerDirectory(
      documentClient(standIns.clients.dynamo),
      standIns.tableName,
    ).findByIdentity({ kind: 'phone', value: '+905551112233' });
    expect(caller?.id).toBe(result.customerId);
  });

  it('throws a malformed event with its reason, so Lambda keeps it in the failed-events queue', async () => {
    // Act
    const attempt = events(await fixture('event-missing-event-type.json'), lambdaContext('voice-events'));

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow(/detail\.eventType/);
  });
});
