import * as z from 'zod';
import { InvalidInputError, ThrottledError } from '../errors.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import type { KnowledgeBase } from './retrieval.ts';
import type { SelfServiceStore } from './self-service.ts';

/** "Was this helpful?" as an article page posts it. */
export const articleFeedbackRequestSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]{1,60}$/, 'must be an article slug'),
  language: z.string().regex(/^[a-z]{2}$/, 'must be a two-letter language code'),
  helpful: z.boolean(),
  comment: z.string().max(500, 'must be at most 500 characters').optional(),
});
export type ArticleFeedbackRequest = z.infer<typeof articleFeedbackRequestSchema>;

/** Requests one client may send per window; a person clicks a few times, a script many. */
export const FEEDBACK_LIMIT_PER_WINDOW = 10;
export const FEEDBACK_WINDOW_MS = 60_000;

export interface ArticleFeedbackDeps {
  readonly store: SelfServiceStore;
  readonly knowledgeBase: KnowledgeBase;
  readonly clock: Clock;
  readonly ids: IdSource;
}

/** Too many feedback requests from one client in the current window. */
export class FeedbackThrottledError extends ThrottledError {
  constructor(retryAfterSeconds: number) {
    super(`too many feedback requests; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/**
 * Stores one article feedback: the article must exist in that language, the client (a hash of
 * its address, never the address) gets a few per minute, and the same feedback posted twice
 * (a double click, a retry) is stored once: its id derives from client, article, answer and text.
 */
export async function receiveArticleFeedback(
  deps: ArticleFeedbackDeps,
  input: { readonly request: ArticleFeedbackRequest; readonly client: string },
): Promise<{ readonly id: string }> {
  const { request } = input;
  const article = deps.knowledgeBase.article(request.slug, request.language);
  if (!article || article.language !== request.language) {
    throw new InvalidInputError(`there is no article "${request.slug}" in "${request.language}"`, {
      field: 'slug',
    });
  }
  const now = deps.clock.now();
  const windowStart = new Date(Math.floor(now.getTime() / FEEDBACK_WINDOW_MS) * FEEDBACK_WINDOW_MS);
  if (!(await deps.store.takeFeedbackToken(input.client, windowStart, FEEDBACK_LIMIT_PER_WINDOW))) {
    const retryAfter = Math.ceil((windowStart.getTime() + FEEDBACK_WINDOW_MS - now.getTime()) / 1000);
    throw new FeedbackThrottledError(Math.max(1, retryAfter));
  }
  const comment =
    request.comment
      ?.normalize('NFC')
      .replace(/\p{Cc}+/gu, ' ')
      .trim() || undefined;
  const id = deps.ids.derive(
    'article-feedback',
    input.client,
    windowStart.toISOString(),
    request.language,
    request.slug,
    String(request.helpful),
    comment ?? '',
  );
  await deps.store.recordFeedback({
    id,
    slug: request.slug,
    language: request.language,
    helpful: request.helpful,
    comment,
    at: now.toISOString(),
  });
  return { id };
}
