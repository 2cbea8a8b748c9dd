import { buildKnowledgeBaseData, loadKnowledgeBase } from '../../functions/core/knowledge-base/retrieval.ts';
import type { HelpCenterDeps, SelfServiceLog } from '../../functions/core/knowledge-base/self-service.ts';
import type { Language } from '../../functions/core/model.ts';
import { readArticles } from '../../web/help/build/articles.ts';
import { ARTICLES_DIR } from '../../web/help/build/site.ts';

export const TEST_HELP_BASE_URL = 'https://help.shop.example';

/** The starter articles, indexed as the build indexes them. */
export const starterKnowledgeBase = loadKnowledgeBase(
  buildKnowledgeBaseData(readArticles(ARTICLES_DIR).map((a) => a.record)),
);

export class MemorySelfServiceLog implements SelfServiceLog {
  readonly answers: { slug: string; language: Language; conversationId: string }[] = [];
  readonly unanswered: { question: string; language: Language }[] = [];

  async recordAnswer(input: { slug: string; language: Language; conversationId: string }): Promise<void> {
    this.answers.push({ slug: input.slug, language: input.language, conversationId: input.conversationId });
  }

  async recordUnanswered(input: { question: string; language: Language }): Promise<void> {
    this.unanswered.push({ question: input.question, language: input.language });
  }
}

export function memoryHelpCenter(
  log = new MemorySelfServiceLog(),
): HelpCenterDeps & { log: MemorySelfServiceLog } {
  return { knowledgeBase: starterKnowledgeBase, site: { baseUrl: TEST_HELP_BASE_URL }, log };
}
