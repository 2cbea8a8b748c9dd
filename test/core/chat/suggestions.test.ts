import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatGateway, ChatServerFrame } from '../../../functions/core/chat/ports.ts';
import {
  type ChatSuggestionDeps,
  ConnectionThrottle,
  suggestChatArticles,
} from '../../../functions/core/chat/suggestions.ts';
import {
  buildKnowledgeBaseData,
  type KnowledgeBase,
  loadKnowledgeBase,
} from '../../../functions/core/knowledge-base/retrieval.ts';
import { readArticles } from '../../../web/help/build/articles.ts';
import { ARTICLES_DIR } from '../../../web/help/build/site.ts';

const NOW = new Date('2026-11-23T07:00:00Z');

/** The socket writer's port, keeping what each connection was sent. */
class RecordingGateway implements ChatGateway {
  readonly posted: { connectionId: string; frame: ChatServerFrame }[] = [];
  async post(connectionId: string, frame: ChatServerFrame): Promise<'sent'> {
    this.posted.push({ connectionId, frame });
    return 'sent';
  }
}

let kb: KnowledgeBase;

beforeAll(() => {
  kb = loadKnowledgeBase(buildKnowledgeBaseData(readArticles(ARTICLES_DIR).map((a) => a.record)));
});

function depsWith(gateway: ChatGateway, throttle = new ConnectionThrottle()): ChatSuggestionDeps {
  return {
    clock: { now: () => NOW },
    gateway,
    knowledgeBase: kb,
    site: { baseUrl: 'https://help.shop.example/' },
    throttle,
    defaultLanguage: 'tr',
  };
}

describe('suggestChatArticles', () => {
  it('posts the confident articles, at most three, to the asking connection only', async () => {
    // Prepare
    const gateway = new RecordingGateway();

    // Act
    const result = await suggestChatArticles(depsWith(gateway), {
      connectionId: 'conn-1',
      text: 'Siparişimi iptal etmek istiyorum, nasıl yaparım?',
      language: 'tr',
    });

    // Assess
    expect(gateway.posted).toHaveLength(1);
    const [{ connectionId, frame }] = gateway.posted as [{ connectionId: string; frame: ChatServerFrame }];
    expect(connectionId).toBe('conn-1');
    if (frame.type !== 'suggestions') throw new Error(`expected suggestions, got ${frame.type}`);
    expect(frame.articles.length).toBeGreaterThanOrEqual(1);
    expect(frame.articles.length).toBeLessThanOrEqual(3);
    expect(frame.articles[0]).toMatchObject({
      slug: 'cancel-order',
      url: 'https://help.shop.example/tr/cancel-order',
    });
    expect(result).toEqual({ suggested: frame.articles.length, throttled: false });
  });

  it('looks up a language without articles in the shop language', async () => {
    // Prepare
    const gateway = new RecordingGateway();

    // Act
    await suggestChatArticles(depsWith(gateway), {
      connectionId: 'conn-1',
      text: 'iade nasıl yapılır, ürünü geri göndermek istiyorum',
      language: 'de',
    });

    // Assess
    const frame = gateway.posted[0]?.frame;
    expect(frame?.type === 'suggestions' && frame.articles[0]?.url).toBe(
      'https://help.shop.example/tr/returns-refunds',
    );
  });

  it('answers a connection asking too often with an error frame, others still get theirs', async () => {
    // Prepare
    const gateway = new RecordingGateway();
    const deps = depsWith(gateway, new ConnectionThrottle({ perConnection: 2, perMilliseconds: 10_000 }));
    const ask = (connectionId: string) =>
      suggestChatArticles(deps, { connectionId, text: 'kargom nerede', language: 'tr' });

    // Act
    const results = [await ask('busy'), await ask('busy'), await ask('busy'), await ask('calm')];

    // Assess
    expect(results.map((r) => r.throttled)).toEqual([false, false, true, false]);
    expect(gateway.posted.map((p) => `${p.connectionId}:${p.frame.type}`)).toEqual([
      'busy:suggestions',
      'busy:suggestions',
      'busy:error',
      'calm:suggestions',
    ]);
  });
});

describe('ConnectionThrottle', () => {
  it('opens a new window once the last one has passed', () => {
    // Prepare
    const throttle = new ConnectionThrottle({ perConnection: 1, perMilliseconds: 1_000 });

    // Act
    const taken = [
      throttle.take('c', NOW),
      throttle.take('c', new Date(NOW.getTime() + 999)),
      throttle.take('c', new Date(NOW.getTime() + 1_000)),
    ];

    // Assess
    expect(taken).toEqual([true, false, true]);
  });

  it('forgets the oldest connection rather than growing without bound', () => {
    // Prepare
    const throttle = new ConnectionThrottle({ perConnection: 1, perMilliseconds: 60_000 }, 2);
    throttle.take('a', NOW);
    throttle.take('b', NOW);

    // Act
    throttle.take('c', NOW);

    // Assess: `a` was forgotten (a fresh window), `b` is still counted
    expect(throttle.take('a', NOW)).toBe(true);
    expect(throttle.take('c', NOW)).toBe(false);
  });
});
