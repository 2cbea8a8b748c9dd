import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoEventLedger } from '../../../functions/adapters/dynamodb/event-ledger.ts';
import { DynamoProviderMessageIndex } from '../../../functions/adapters/dynamodb/provider-messages.ts';
import { DynamoSentRecordCompletion } from '../../../functions/adapters/dynamodb/sent-record-completion.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let ledger: DynamoEventLedger;
let completion: DynamoSentRecordCompletion;
const now = new Date('2026-11-23T10:00:00.000Z');

beforeAll(async () => {
  table = await createTestTable();
  ledger = new DynamoEventLedger(table.db, table.tableName);
  completion = new DynamoSentRecordCompletion(table.db, table.tableName);
});

describe('DynamoSentRecordCompletion on DynamoDB Local', () => {
  it('writes the email reference and the final outcome in one call: replies thread, a redelivery is a duplicate', async () => {
    // Prepare: a send claimed and marked sent with its record still owed.
    const key = 'outbound#reply-1';
    await ledger.claim(key, now, 60);
    await ledger.complete(key, { status: 'sent', providerMessageId: 'ses-1', accepted: {} }, now, {
      unfinished: true,
    });

    // Act
    await completion.complete({
      ledgerKey: key,
      outcome: { status: 'sent', providerMessageId: 'ses-1' },
      now,
      emailReference: {
        messageId: 'reply-1@support.example.com',
        reference: { conversationId: 'conv-1', customerId: 'cust-1' },
      },
    });

    // Assess
    const store = new DynamoConversationStore(table.db, table.tableName);
    expect(await store.findByEmailReference(['reply-1@support.example.com'])).toEqual({
      conversationId: 'conv-1',
      customerId: 'cust-1',
    });
    expect(await ledger.claim(key, new Date(now.getTime() + 1_000), 60)).toEqual({
      status: 'done',
      outcome: { status: 'sent', providerMessageId: 'ses-1' },
    });
  });

  it('writes the provider reference a delivery status finds its message by, and may be repeated', async () => {
    // Prepare
    const key = 'outbound#sms-1';
    await ledger.claim(key, now, 60);
    const input = {
      ledgerKey: key,
      outcome: { status: 'sent', providerMessageId: 'sms-provider-1' },
      now,
      providerReference: {
        channel: 'sms' as const,
        providerMessageId: 'sms-provider-1',
        reference: { conversationId: 'conv-2', messageId: 'sms-1', at: now.toISOString() },
      },
    };

    // Act
    await completion.complete(input);
    await completion.complete(input);

    // Assess
    const references = new DynamoProviderMessageIndex(table.db, table.tableName);
    expect(await references.find('sms', 'sms-provider-1')).toEqual({
      conversationId: 'conv-2',
      messageId: 'sms-1',
      at: now.toISOString(),
    });
    expect(await ledger.claim(key, now, 60)).toMatchObject({ status: 'done' });
  });
});
