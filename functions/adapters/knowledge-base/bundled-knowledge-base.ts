import type { KnowledgeBaseData } from '../../core/knowledge-base/article.ts';
import { type KnowledgeBase, loadKnowledgeBase } from '../../core/knowledge-base/retrieval.ts';
// Written by `npm run build:help` from web/help/articles (npm runs it on install); esbuild puts
// it into each bundle that answers customers, so a function needs no file or bucket read.
import data from './help-articles.generated.json' with { type: 'json' };

let loaded: KnowledgeBase | undefined;

/** The help-center articles this build shipped, indexed; loaded on first use. */
export function bundledKnowledgeBase(): KnowledgeBase {
  loaded ??= loadKnowledgeBase(data as unknown as KnowledgeBaseData);
  return loaded;
}
