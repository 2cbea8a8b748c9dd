import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StandIns, startStandIns } from '../../bin/sandbox/stand-ins.ts';
import { DynamoCustomerDirectory } from '../../functions/adapters/dynamodb/customer-directory.ts';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { DynamoOrderStore } from '../../functions/adapters/dynamodb/order-store.ts';
import { DynamoVoiceContacts } from '../../functions/adapters/dynamodb/voice-contacts.ts';
import { voiceLookupDeps } from '../../functions/composition/voice-lookup.ts';
import { ConfigurationError } from '../../functions/core/errors.ts';
import { makeVoiceLookupHandler } from '../../functions/handlers/voice-lookup.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { settingsFor } from '../support/builders.ts';
import { AYSE_PHONE, knownCaller, shippedOrderOfKnownCaller } from '../support/voice-callers.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const CONTACT_ID = '4a573372-1f28-4e26-b97b-3b5c7d9e1f20';
let standIns: StandIns;
let lookup: ReturnType<typeof makeVoiceLookupHandler>;

async function fixture(name: string): Promise<unknown> {
  return JSON.parse(await readFile(`test/fixtures/connect/${name}`, 'utf8'));
}

beforeAll(async () => {
  standIns = await startStandIns({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `voice-${randomUUID()}`,
  });
  const settings = settingsFor(standIns);
  const db = documentClient(standIns.clients.dynamo);
  await new DynamoCustomerDirectory(db, settings.tableName).createWithIdentity(
    knownCaller(NOW.toISOString()),
    { kind: 'phone', value: AYSE_PHONE },
  );
  await new DynamoOrderStore(db, settings.tableName).apply(shippedOrderOfKnownCaller());
  const deps = voiceLookupDeps(standIns.clients, settings, { now: () => NOW });
  lookup = makeVoiceLookupHandler(() => deps);
}, 60_000);

afterAll(async () => {
  await standIns.stop();
});

describe('the voice-lookup handler', () => {
  it('answers the contact flow with the caller map and leaves the contact record behind', async () => {
    // Act
    const answer = await lookup(await fixture('flow-known-caller.json'), lambdaContext('voice-lookup'));

    // Assess
    expect(answer).toMatchObject({
      known: 'true',
      customerId: 'cust-ayse',
      name: 'Ayşe Yılmaz',
      language: 'tr',
      latestOrderId: '100234',
      latestOrderStatus: 'shipped',
      lookup: 'ok',
    });
    for (const value of Object.values(answer)) expect(typeof value).toBe('string');
    expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThan(32 * 1024);
    const record = await new DynamoVoiceContacts(
      documentClient(standIns.clients.dynamo),
      standIns.tableName,
    ).get(CONTACT_ID);
    expect(record).toMatchObject({ contactId: CONTACT_ID, phone: '+905321234567' });
  });

  it('answers callerVerified "false" unless the flow passes its verification of the caller', async () => {
    // Prepare
    const verifiedEvent = (await fixture('flow-known-caller.json')) as { Details: Record<string, unknown> };
    verifiedEvent.Details.Parameters = { callerVerified: 'true' };

    // Act
    const byNumber = await lookup(await fixture('flow-known-caller.json'), lambdaContext('voice-lookup'));
    const verified = await lookup(verifiedEvent, lambdaContext('voice-lookup'));
    const unknown = await lookup({ Name: 'not a flow event' }, lambdaContext('voice-lookup'));

    // Assess
    expect(byNumber).toMatchObject({ known: 'true', callerVerified: 'false' });
    expect(verified).toMatchObject({ known: 'true', callerVerified: 'true' });
    expect(unknown).toMatchObject({ callerVerified: 'false' });
  });

  it('answers a malformed event with the unknown-caller map instead of an error', async () => {
    // Act
    const answer = await lookup(await fixture('flow-missing-contact-id.json'), lambdaContext('voice-lookup'));

    // Assess
    expect(answer).toMatchObject({
      known: 'false',
      customerId: '',
      name: '',
      lookup: 'invalid-event',
      language: 'en',
    });
  });

  it('answers "failed" when the function cannot even build its dependencies', async () => {
    // Prepare
    const broken = makeVoiceLookupHandler(() => {
      throw new ConfigurationError('TABLE_NAME is not set');
    });

    // Act
    const answer = await broken(await fixture('flow-known-caller.json'), lambdaContext('voice-lookup'));

    // Assess
    expect(answer).toMatchObject({ known: 'false', lookup: 'failed' });
  });
});
