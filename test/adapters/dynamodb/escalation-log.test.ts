import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConversationStore } from '../../../functions/adapters/dynamodb/conversation-store.ts';
import { DynamoEscalationLog } from '../../../functions/adapters/dynamodb/escalation-log.ts';
import type { Escalation } from '../../../functions/core/model.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let log: DynamoEscalationLog;
let conversations: DynamoConversationStore;

const AT = '2026-11-23T10:00:00.000Z';

beforeAll(async () => {
  table = await createTestTable();
  log = new DynamoEscalationLog(table.db, table.tableName);
  conversations = new DynamoConversationStore(table.db, table.tableName);
});

async function conversation(id: string, flags?: string[]) {
  await conversations.create({
    id,
    customerId: 'cust-1',
    channel: 'email',
    status: 'open',
    createdAt: AT,
    lastMessageAt: AT,
    ...(flags ? { flags } : {}),
  });
}

function escalation(conversationId: string, eventKey: string): Escalation {
  return {
    conversationId,
    customerId: 'cust-1',
    reason: 'sensitive-words',
    detail: 'matched "avukat"',
    eventKey,
    at: AT,
  };
}

describe('DynamoEscalationLog on DynamoDB Local', () => {
  it('records an escalation once per event key and flags its conversation once', async () => {
    // Prepare
    await conversation('conv-1', ['spam']);

    // Act
    const first = await log.record(escalation('conv-1', 'inbound#sms#m1'));
    const again = await log.record(escalation('conv-1', 'inbound#sms#m1'));
    const other = await log.record(escalation('conv-1', 'inbound#sms#m2'));

    // Assess
    expect(first).toEqual({ created: true, stored: escalation('conv-1', 'inbound#sms#m1') });
    expect(again.created).toBe(false);
    expect(other.created).toBe(true);
    const stored = await conversations.get('conv-1');
    expect(stored?.flags).toEqual(['spam', 'escalated']);
  });

  it('keeps the first task id attached to an escalation', async () => {
    // Prepare
    await conversation('conv-2');
    await log.record(escalation('conv-2', 'e1'));

    // Act
    await log.attachTask('conv-2', 'e1', 'task-1');
    await log.attachTask('conv-2', 'e1', 'task-2');
    const { stored } = await log.record(escalation('conv-2', 'e1'));

    // Assess
    expect(stored.taskId).toBe('task-1');
    expect((await conversations.get('conv-2'))?.flags).toEqual(['escalated']);
  });

  it('counts distinct contacts since an answer, a redelivered one once', async () => {
    // Act
    const counts = [
      await log.countUnansweredContact('conv-3', 'unanswered', 'k1'),
      await log.countUnansweredContact('conv-3', 'unanswered', 'k1'),
      await log.countUnansweredContact('conv-3', 'unanswered', 'k2'),
      await log.countUnansweredContact('conv-3', '2026-11-23T11:00:00.000Z', 'k3'),
    ];

    // Assess
    expect(counts).toEqual([1, 1, 2, 1]);
  });
});
