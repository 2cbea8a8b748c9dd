import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildKnowledgeBaseData,
  type KnowledgeBase,
  loadKnowledgeBase,
  suggestArticles,
} from '../../../functions/core/knowledge-base/retrieval.ts';
import { readArticles } from '../../../web/help/build/articles.ts';
import { ARTICLES_DIR } from '../../../web/help/build/site.ts';

/** One labelled customer question per file: the article that answers it, or null for none. */
interface LabelledQuestion {
  readonly text: string;
  readonly language: string;
  readonly expected: string | null;
}

const QUESTIONS_DIR = fileURLToPath(new URL('../../fixtures/knowledge-base/questions/', import.meta.url));
const questions = readdirSync(QUESTIONS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({
    name,
    ...(JSON.parse(readFileSync(join(QUESTIONS_DIR, name), 'utf8')) as LabelledQuestion),
  }));

let kb: KnowledgeBase;

beforeAll(() => {
  // The shipped starter articles, indexed as the build does.
  kb = loadKnowledgeBase(buildKnowledgeBaseData(readArticles(ARTICLES_DIR).map((a) => a.record)));
});

describe('retrieval quality on labelled customer questions', () => {
  it('has on-topic and off-topic questions in Turkish and English', () => {
    // Assess
    const onTopic = questions.filter((q) => q.expected !== null);
    expect(onTopic.filter((q) => q.language === 'tr').length).toBeGreaterThanOrEqual(20);
    expect(onTopic.filter((q) => q.language === 'en').length).toBeGreaterThanOrEqual(15);
    expect(questions.filter((q) => q.expected === null).length).toBeGreaterThanOrEqual(10);
  });

  it('answers with the right article first for at least 80% of on-topic questions (precision@1)', () => {
    // Prepare
    const onTopic = questions.filter((q) => q.expected !== null);

    // Act
    const misses = onTopic.flatMap((q) => {
      const [best] = kb.rank(q.text, q.language, 1);
      const answered = best?.confident ? best.slug : null;
      return answered === q.expected ? [] : [`${q.name}: expected ${q.expected}, got ${answered}`];
    });

    // Assess
    const precision = (onTopic.length - misses.length) / onTopic.length;
    expect(precision, misses.join('\n')).toBeGreaterThanOrEqual(0.8);
  });

  it.each(questions.filter((q) => q.expected === null).map((q) => [q.name, q] as const))(
    'answers nothing for the off-topic %s',
    (_name, question) => {
      // Act
      const ranked = kb.rank(question.text, question.language, 3);

      // Assess
      expect(ranked.filter((m) => m.confident)).toEqual([]);
    },
  );

  it('links the translation in the reply language when the question is in another one', () => {
    // Act
    const [best] = kb.rank('siparisim nerde', 'en', 1);

    // Assess
    expect(best).toMatchObject({ slug: 'order-tracking', language: 'en', confident: true });
  });

  it('suggests at most three confident articles with their links for a chat visitor', () => {
    // Act
    const suggestions = suggestArticles(kb, {
      text: 'iade',
      language: 'tr',
      baseUrl: 'https://help.shop.example',
    });
    const none = suggestArticles(kb, {
      text: 'hava nasıl',
      language: 'tr',
      baseUrl: 'https://help.shop.example',
    });

    // Assess
    expect(suggestions.length).toBeGreaterThanOrEqual(1);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    expect(suggestions[0]).toMatchObject({
      slug: 'returns-refunds',
      url: 'https://help.shop.example/tr/returns-refunds',
    });
    expect(none).toEqual([]);
  });
});
