import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSelfServiceLog } from '../../../functions/adapters/dynamodb/self-service-log.ts';
import { createTestTable } from '../../support/dynamo-table.ts';

const AT = new Date('2026-11-23T10:15:00.000Z');

let table: Awaited<ReturnType<typeof createTestTable>>;
let log: DynamoSelfServiceLog;

beforeAll(async () => {
  table = await createTestTable();
  log = new DynamoSelfServiceLog(table.db, table.tableName);
});

describe('DynamoSelfServiceLog on DynamoDB Local', () => {
  it('sums concurrent answers and feedback on one article of one day', async () => {
    // Act
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        log.recordAnswer({
          slug: 'exchange',
          language: 'tr',
          channel: 'email',
          conversationId: `c-${i}`,
          at: AT,
        }),
      ),
    );
    await log.recordFeedback({
      id: 'f-1',
      slug: 'exchange',
      language: 'tr',
      helpful: true,
      at: AT.toISOString(),
    });
    await log.recordFeedback({
      id: 'f-1',
      slug: 'exchange',
      language: 'tr',
      helpful: true,
      at: AT.toISOString(),
    });
    await log.recordFeedback({
      id: 'f-2',
      slug: 'exchange',
      language: 'tr',
      helpful: false,
      comment: 'Eksik',
      at: AT.toISOString(),
    });

    // Assess
    const [day] = await log.readDays(['2026-11-23']);
    expect(day?.articles).toEqual([
      { slug: 'exchange', language: 'tr', answered: 12, humanFollowUps: 0, helpful: 1, notHelpful: 1 },
    ]);
  });

  it('counts the first human reply of an answered conversation once, and none for other conversations', async () => {
    // Prepare
    await log.recordAnswer({
      slug: 'invoices',
      language: 'en',
      channel: 'sms',
      conversationId: 'c-inv',
      at: AT,
    });

    // Act
    await Promise.all([log.recordHumanReply('c-inv', AT), log.recordHumanReply('c-inv', AT)]);
    await log.recordHumanReply('c-never-answered', AT);

    // Assess
    const [day] = await log.readDays(['2026-11-23']);
    expect(day?.articles.find((a) => a.slug === 'invoices')).toMatchObject({
      answered: 1,
      humanFollowUps: 1,
    });
  });

  it('groups unanswered questions by their normalized text', async () => {
    // Act
    await log.recordUnanswered({ question: 'hav istanbul', language: 'tr', at: AT });
    await log.recordUnanswered({ question: 'hav istanbul', language: 'tr', at: AT });

    // Assess
    const [day] = await log.readDays(['2026-11-23']);
    expect(day?.unanswered).toEqual([{ question: 'hav istanbul', language: 'tr', count: 2 }]);
  });

  it('gives a client at most the limit of feedback tokens per window', async () => {
    // Prepare
    const window = new Date('2026-11-23T10:15:00.000Z');

    // Act
    const taken = await Promise.all(
      Array.from({ length: 5 }, () => log.takeFeedbackToken('client-a', window, 3)),
    );
    const otherClient = await log.takeFeedbackToken('client-b', window, 3);

    // Assess
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(otherClient).toBe(true);
  });
});
