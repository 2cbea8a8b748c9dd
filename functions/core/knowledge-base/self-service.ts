import type { Channel, Language } from '../model.ts';
import { type ArticleLink, type ArticleRecord, articleUrl, type HelpCenterSite } from './article.ts';
import type { GeneratedAnswerDeps } from './generated-answer.ts';
import { type ArticleMatch, bestArticle, type KnowledgeBase } from './retrieval.ts';

/**
 * What the automatic answers need from the help center: the articles to search, where their
 * pages are, and where to count what was answered and what was not (the self-service report).
 */

/** Self-service counters (counter items, one ADD per event; see adapters/dynamodb/self-service-log.ts). */
export interface SelfServiceLog {
  /** An automatic answer linked `slug`. */
  recordAnswer(input: {
    readonly slug: string;
    readonly language: Language;
    readonly channel: Channel;
    readonly conversationId: string;
    readonly at: Date;
  }): Promise<void>;
  /** A first message no article answered confidently, as its normalized text. */
  recordUnanswered(input: {
    readonly question: string;
    readonly language: Language;
    readonly at: Date;
  }): Promise<void>;
}

/** One "was this helpful?" answer from an article page. */
export interface ArticleFeedback {
  readonly id: string;
  readonly slug: string;
  readonly language: Language;
  readonly helpful: boolean;
  readonly comment?: string;
  readonly at: string;
}

/** One day's self-service counters, as the report reads them. */
export interface SelfServiceDay {
  readonly articles: readonly {
    readonly slug: string;
    readonly language: Language;
    readonly answered: number;
    readonly humanFollowUps: number;
    readonly helpful: number;
    readonly notHelpful: number;
  }[];
  readonly unanswered: readonly {
    readonly question: string;
    readonly language: Language;
    readonly count: number;
  }[];
}

/** The feedback endpoint's and the report's side of the self-service counters. */
export interface SelfServiceStore extends SelfServiceLog {
  /** Stores the feedback once per id and counts it on its article. */
  recordFeedback(feedback: ArticleFeedback): Promise<void>;
  /** Counts one request of `client` in the window starting at `windowStart`; false once over `limit`. */
  takeFeedbackToken(client: string, windowStart: Date, limit: number): Promise<boolean>;
  /** A person answered `conversationId`: its automatic article answer (if any) did not deflect it. */
  recordHumanReply(conversationId: string, at: Date): Promise<void>;
  readDays(days: readonly string[]): Promise<SelfServiceDay[]>;
}

export interface HelpCenterDeps {
  readonly knowledgeBase: KnowledgeBase;
  /** Read when an answer is composed (the sandbox learns its port only once it listens). */
  readonly site: HelpCenterSite;
  readonly log?: SelfServiceLog;
  /** A counter that failed to update; the answer goes out regardless. */
  readonly onFailure?: (error: unknown) => void;
  /** Generated answers from the top passages (`support.assistant`); absent: the summary is said. */
  readonly answers?: GeneratedAnswerDeps;
}

export interface LinkedArticle extends ArticleLink {
  readonly language: Language;
  readonly title: string;
  readonly summary: string;
  readonly intent?: ArticleRecord['intent'];
}

export function linkArticle(deps: HelpCenterDeps, article: ArticleRecord): LinkedArticle {
  return {
    slug: article.slug,
    url: articleUrl(deps.site.baseUrl, article.language, article.slug),
    language: article.language,
    title: article.title,
    summary: article.summary,
    intent: article.intent,
  };
}

/** The confident best article for `question` in `language`, linked; none when unsure. */
export function answerFromHelpCenter(
  deps: HelpCenterDeps,
  question: string,
  language: Language,
): { readonly article?: LinkedArticle; readonly match?: ArticleMatch } {
  const match = bestArticle(deps.knowledgeBase, question, language);
  return match ? { article: linkArticle(deps, match.article), match } : {};
}

/** The article an order-status answer links: the one for the order's status, else order tracking. */
export function articleForOrderStatus(
  deps: HelpCenterDeps,
  orderStatus: string,
  language: Language,
): LinkedArticle | undefined {
  const article = deps.knowledgeBase.forOrderStatus(orderStatus, language);
  return article ? linkArticle(deps, article) : undefined;
}
