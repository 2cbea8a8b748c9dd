/**
 * A help-center article as the shop writes it: `web/help/articles/<lang>/<slug>.md`, YAML front
 * matter then Markdown. The same slug in two languages is one article and its translation.
 */

/** Help-center categories; pages group articles by them, in this order. */
export const ARTICLE_CATEGORIES = [
  'orders',
  'shipping',
  'returns',
  'payment',
  'products',
  'contact',
] as const;
export type ArticleCategory = (typeof ARTICLE_CATEGORIES)[number];

export const ORDER_STATUSES = [
  'created',
  'confirmed',
  'shipped',
  'out_for_delivery',
  'delivered',
  'delayed',
  'cancelled',
  'refunded',
] as const;

/** What the front matter of an article says (see front-matter.ts for the checks). */
export interface ArticleFrontMatter {
  readonly title: string;
  /** One or two sentences: what automatic answers quote, and the search result's text. */
  readonly summary: string;
  readonly category: ArticleCategory;
  readonly tags: readonly string[];
  /** Phrases customers write for this question, misspellings welcome: they rank first. */
  readonly keywords: readonly string[];
  /** Single words meaning what the article is about, for questions in other words. */
  readonly synonyms: readonly string[];
  /** Order statuses an answer about an order in that status links to this article for. */
  readonly orderStatuses: readonly (typeof ORDER_STATUSES)[number][];
  /** `order-status`: the "where is my order" article, answered with the order's own data. */
  readonly intent?: 'order-status';
  /** YYYY-MM-DD */
  readonly updated: string;
}

/** One article in one language, as the functions and the search index carry it. */
export interface ArticleRecord extends ArticleFrontMatter {
  readonly slug: string;
  readonly language: string;
  /** The body as plain-text paragraphs, for generated answers that quote it. */
  readonly passages: readonly string[];
}

/**
 * What the build ships to the functions: the articles and, per language, the serialized search
 * index (MiniSearch's own JSON form), so a cold start loads instead of indexing.
 */
export interface KnowledgeBaseData {
  readonly version: 1;
  readonly articles: readonly ArticleRecord[];
  readonly indexes: Readonly<Record<string, unknown>>;
}

/** Where the help center is published. */
export interface HelpCenterSite {
  readonly baseUrl: string;
}

/** An article an outbound message links, as the outbox reports it. */
export interface ArticleLink {
  readonly slug: string;
  readonly url: string;
}

/** An article's page: `<base>/<lang>/<slug>`, the route the help center and the sandbox serve. */
export function articleUrl(baseUrl: string, language: string, slug: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${language}/${slug}`;
}
