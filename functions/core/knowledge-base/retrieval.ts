import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import type { Language } from '../model.ts';
import { type ArticleRecord, articleUrl, type KnowledgeBaseData } from './article.ts';
import { searchTerm, searchTerms, tokenize } from './normalize.ts';

/**
 * Ranks help-center articles for a customer's message. Pure: the index is data built from the
 * articles at build time (see web/help/build), loaded here once per cold start.
 */

/** Fields indexed, and how much a hit in each counts: phrases customers use count most. */
const FIELDS = ['keywords', 'synonyms', 'title', 'tags', 'summary', 'body'] as const;
const BOOST: Record<(typeof FIELDS)[number], number> = {
  keywords: 4,
  synonyms: 3,
  title: 2.5,
  tags: 2,
  summary: 1,
  body: 0.4,
};

/** The document the index holds per article. */
export interface IndexedArticle {
  readonly id: string;
  readonly keywords: string;
  readonly synonyms: string;
  readonly title: string;
  readonly tags: string;
  readonly summary: string;
  readonly body: string;
}

/** MiniSearch options for the index of one language; the build and every reader share them. */
export function indexOptions(language: Language): Options<IndexedArticle> {
  return {
    fields: [...FIELDS],
    idField: 'id',
    tokenize: (text) => tokenize(text),
    processTerm: (term) => searchTerm(term, language),
    searchOptions: searchOptions(),
  };
}

/** Query options: typos forgiven on longer words, word beginnings match ("kargo" in "kargoya"). */
export function searchOptions(): SearchOptions {
  return {
    boost: BOOST,
    fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
    prefix: (term) => term.length >= 4,
    combineWith: 'OR',
  };
}

export function indexedArticle(article: ArticleRecord): IndexedArticle {
  return {
    id: articleId(article.language, article.slug),
    keywords: article.keywords.join(' . '),
    synonyms: article.synonyms.join(' '),
    title: article.title,
    tags: article.tags.join(' '),
    summary: article.summary,
    body: article.passages.join('\n'),
  };
}

export function articleId(language: Language, slug: string): string {
  return `${language}/${slug}`;
}

/** Builds the per-language indexes for `articles`, in the form KnowledgeBaseData ships them. */
export function buildKnowledgeBaseData(articles: readonly ArticleRecord[]): KnowledgeBaseData {
  const languages = [...new Set(articles.map((a) => a.language))].sort();
  const indexes: Record<string, unknown> = {};
  for (const language of languages) {
    const index = new MiniSearch<IndexedArticle>(indexOptions(language));
    index.addAll(articles.filter((a) => a.language === language).map(indexedArticle));
    indexes[language] = index.toJSON();
  }
  return { version: 1, articles, indexes };
}

/**
 * When a ranking is an answer. The score is BM25 summed over matched terms and field boosts;
 * `coverage` is the share of the question's own terms the article matched, so a long message
 * that mentions "order" once is not answered with an order article. Tuned on the labelled
 * questions in test/fixtures/knowledge-base.
 */
export interface Confidence {
  /** A hit on half the question's terms needs this score… */
  readonly minScore: number;
  /** …a hit on fewer (down to `minCoverage`) needs `strongScore`… */
  readonly strongScore: number;
  readonly minCoverage: number;
  /**
   * …and a long message (an email with greetings and a story) that matches one article far
   * better than any other needs `dominantScore`, `dominantCoverage` and a lead of `dominantLead`
   * times the runner-up's score.
   */
  readonly dominantScore: number;
  readonly dominantCoverage: number;
  readonly dominantLead: number;
}

export const DEFAULT_CONFIDENCE: Confidence = {
  minScore: 15,
  strongScore: 40,
  minCoverage: 0.3,
  dominantScore: 150,
  dominantCoverage: 0.2,
  dominantLead: 1.8,
};

export function isConfident(
  hit: { readonly score: number; readonly coverage: number; readonly runnerUpScore: number },
  confidence: Confidence = DEFAULT_CONFIDENCE,
): boolean {
  const { score, coverage, runnerUpScore } = hit;
  if (coverage >= 0.5) return score >= confidence.minScore;
  if (coverage >= confidence.minCoverage && score >= confidence.strongScore) return true;
  return (
    coverage >= confidence.dominantCoverage &&
    score >= confidence.dominantScore &&
    score >= confidence.dominantLead * runnerUpScore
  );
}

export interface ArticleMatch {
  readonly slug: string;
  /** The language of the article returned (the requested one when it has a translation). */
  readonly language: Language;
  readonly title: string;
  readonly summary: string;
  readonly score: number;
  readonly coverage: number;
  readonly confident: boolean;
  readonly article: ArticleRecord;
}

export interface KnowledgeBase {
  readonly languages: readonly Language[];
  /** The article `slug` in `language`, or in the first language that has it. */
  article(slug: string, language: Language): ArticleRecord | undefined;
  /** Articles for `text`, best first, each marked confident or not. */
  rank(text: string, language: Language, limit?: number): ArticleMatch[];
  /** The article linked to an order in `status` (`shipped`), or the order-status article. */
  forOrderStatus(status: string, language: Language): ArticleRecord | undefined;
}

/** Loads the shipped data once; queries then cost a few hundred microseconds. */
export function loadKnowledgeBase(
  data: KnowledgeBaseData,
  confidence: Confidence = DEFAULT_CONFIDENCE,
): KnowledgeBase {
  const indexes = new Map<Language, MiniSearch<IndexedArticle>>();
  for (const [language, json] of Object.entries(data.indexes)) {
    indexes.set(language, MiniSearch.loadJS(json as never, indexOptions(language)));
  }
  const byId = new Map(data.articles.map((a) => [articleId(a.language, a.slug), a]));
  const languages = [...indexes.keys()];

  const article = (slug: string, language: Language) =>
    byId.get(articleId(language, slug)) ??
    languages.map((l) => byId.get(articleId(l, slug))).find((a) => a !== undefined);

  const rankIn = (text: string, language: Language, limit: number): ArticleMatch[] => {
    const index = indexes.get(language);
    if (!index) return [];
    const terms = new Set(searchTerms(text, language));
    if (terms.size === 0) return [];
    return index
      .search(text)
      .slice(0, Math.max(limit, 2))
      .flatMap((hit) => {
        const found = byId.get(String(hit.id));
        if (!found) return [];
        const coverage = new Set(hit.queryTerms).size / terms.size;
        return [{ found, score: hit.score, coverage }];
      })
      .map(({ found, score, coverage }, rank, all) => {
        const answer = article(found.slug, language) ?? found;
        // The runner-up of the best is the second; of every other, the best.
        const runnerUpScore = (rank === 0 ? all[1]?.score : all[0]?.score) ?? 0;
        return {
          slug: found.slug,
          language: answer.language,
          title: answer.title,
          summary: answer.summary,
          score,
          coverage,
          confident: isConfident({ score, coverage, runnerUpScore }, confidence),
          article: answer,
        };
      })
      .slice(0, limit);
  };

  return {
    languages,
    article,
    rank(text, language, limit = 5) {
      const own = rankIn(text, language, limit);
      if (own[0]?.confident) return own;
      // A question in another language than the reply (a Turkish customer writing English, or
      // a detector's miss): its own language's index finds it, the reply links the translation.
      for (const other of languages) {
        if (other === language) continue;
        const found = rankIn(text, other, limit).map((m) => {
          const translated = article(m.slug, language) ?? m.article;
          return {
            ...m,
            language: translated.language,
            title: translated.title,
            summary: translated.summary,
            article: translated,
          };
        });
        if (found[0]?.confident) return found;
      }
      return own;
    },
    forOrderStatus(status, language) {
      const inLanguage = data.articles.filter((a) => a.language === language);
      const pool = inLanguage.length > 0 ? inLanguage : data.articles;
      const normalized = status.replace(/^order\./, '');
      // A cancelled or refunded order is about that, not about where the parcel is.
      const specific = pool.find(
        (a) => a.intent !== 'order-status' && (a.orderStatuses as readonly string[]).includes(normalized),
      );
      const tracking = pool.find((a) => a.intent === 'order-status');
      return tracking && (tracking.orderStatuses as readonly string[]).includes(normalized)
        ? tracking
        : (specific ?? tracking);
    },
  };
}

/** The article an automatic answer links: the best one, when it is confident. */
export function bestArticle(kb: KnowledgeBase, text: string, language: Language): ArticleMatch | undefined {
  const [best] = kb.rank(text, language, 3);
  return best?.confident ? best : undefined;
}

export interface ArticleSuggestion {
  readonly slug: string;
  readonly language: Language;
  readonly title: string;
  readonly summary: string;
  readonly url: string;
}

/**
 * Up to `limit` articles for what a visitor is typing (the chat widget shows them before the
 * message is sent). Only confident ones: a wrong suggestion is worse than none.
 */
export function suggestArticles(
  kb: KnowledgeBase,
  input: {
    readonly text: string;
    readonly language: Language;
    readonly baseUrl: string;
    readonly limit?: number;
  },
): ArticleSuggestion[] {
  return kb
    .rank(input.text, input.language, input.limit ?? 3)
    .filter((m) => m.confident)
    .slice(0, input.limit ?? 3)
    .map((m) => ({
      slug: m.slug,
      language: m.language,
      title: m.title,
      summary: m.summary,
      url: articleUrl(input.baseUrl, m.language, m.slug),
    }));
}
