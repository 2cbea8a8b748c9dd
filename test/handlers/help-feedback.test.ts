import { describe, expect, it } from 'vitest';
import type {
  ArticleFeedback,
  SelfServiceDay,
  SelfServiceStore,
} from '../../functions/core/knowledge-base/self-service.ts';
import { makeHelpFeedbackHandler } from '../../functions/handlers/help-feedback.ts';
import { apiGatewayV2Event } from '../../local/events/api-gateway.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { starterKnowledgeBase } from '../support/help-center.ts';
import { readableIds } from '../support/in-memory-ports.ts';

class MemoryFeedbackStore implements SelfServiceStore {
  readonly feedback = new Map<string, ArticleFeedback>();
  readonly taken = new Map<string, number>();
  async recordAnswer(): Promise<void> {}
  async recordUnanswered(): Promise<void> {}
  async recordHumanReply(): Promise<void> {}
  async readDays(): Promise<SelfServiceDay[]> {
    return [];
  }
  async recordFeedback(feedback: ArticleFeedback): Promise<void> {
    this.feedback.set(feedback.id, feedback);
  }
  async takeFeedbackToken(client: string, windowStart: Date, limit: number): Promise<boolean> {
    const key = `${client}#${windowStart.toISOString()}`;
    const count = (this.taken.get(key) ?? 0) + 1;
    this.taken.set(key, count);
    return count <= limit;
  }
}

function setUp() {
  const store = new MemoryFeedbackStore();
  const handler = makeHelpFeedbackHandler(() => ({
    store,
    knowledgeBase: starterKnowledgeBase,
    clock: { now: () => new Date('2026-11-23T10:00:30Z') },
    ids: readableIds,
  }));
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    handler(
      apiGatewayV2Event({ method: 'POST', path: '/help/feedback', headers, body }),
      lambdaContext('help-feedback'),
    );
  return { store, post };
}

describe('POST /help/feedback', () => {
  it('stores a JSON "yes" with its comment once, however often it is posted', async () => {
    // Prepare
    const { store, post } = setUp();
    const body = JSON.stringify({ slug: 'exchange', language: 'en', helpful: true, comment: 'Clear' });

    // Act
    const first = await post(body);
    const again = await post(body);

    // Assess
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect([...store.feedback.values()]).toEqual([
      expect.objectContaining({ slug: 'exchange', language: 'en', helpful: true, comment: 'Clear' }),
    ]);
  });

  it('takes the plain form a page posts without its script', async () => {
    // Prepare
    const { store, post } = setUp();

    // Act
    const response = await post('slug=returns-refunds&language=tr&helpful=no&comment=', {
      'content-type': 'application/x-www-form-urlencoded',
    });

    // Assess
    expect(response.statusCode).toBe(200);
    expect([...store.feedback.values()]).toEqual([
      expect.objectContaining({ slug: 'returns-refunds', helpful: false }),
    ]);
  });

  it.each([
    [
      'an unknown article',
      JSON.stringify({ slug: 'no-such-article', language: 'en', helpful: true }),
      'slug',
    ],
    ['no answer', JSON.stringify({ slug: 'exchange', language: 'en' }), 'helpful'],
    [
      'a long comment',
      JSON.stringify({ slug: 'exchange', language: 'en', helpful: false, comment: 'x'.repeat(501) }),
      'comment',
    ],
    ['not JSON', '{', 'body'],
  ])('refuses %s with 400 and the field', async (_case, body, field) => {
    // Prepare
    const { store, post } = setUp();

    // Act
    const response = await post(body);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ error: 'invalid-input', field });
    expect(store.feedback.size).toBe(0);
  });

  it('answers 429 with Retry-After once one client sent too many in a minute', async () => {
    // Prepare
    const { post } = setUp();
    const statuses: number[] = [];

    // Act
    for (let i = 0; i < 11; i += 1) {
      const response = await post(
        JSON.stringify({ slug: 'exchange', language: 'en', helpful: i % 2 === 0, comment: `n${i}` }),
      );
      statuses.push(response.statusCode ?? 0);
    }

    // Assess
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
