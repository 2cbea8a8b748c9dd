import { type KnowledgeBase, suggestArticles } from '../knowledge-base/retrieval.ts';
import type { Language } from '../model.ts';
import type { Clock } from '../ports/runtime.ts';
import type { ChatGateway } from './ports.ts';

/** At most this many articles: more is a search page, not a hint above the composer. */
export const MAX_SUGGESTIONS = 3;

/**
 * How often one connection may ask for suggestions. The widget asks at most every 400 ms while the
 * visitor types; a socket asking faster is not a person typing.
 */
export interface SuggestionRate {
  readonly perConnection: number;
  readonly perMilliseconds: number;
}

export const DEFAULT_SUGGESTION_RATE: SuggestionRate = { perConnection: 20, perMilliseconds: 10_000 };

/**
 * A fixed window per connection, held in memory: asking for suggestions stores nothing, so the
 * count lives with the function instance (API Gateway's stage throttle is the hard limit across
 * instances). Bounded, so a flood of connections cannot grow it.
 */
export class ConnectionThrottle {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly rate: SuggestionRate = DEFAULT_SUGGESTION_RATE,
    private readonly maxConnections = 10_000,
  ) {}

  /** Whether `connectionId` may ask once more at `now` (and counts the ask). */
  take(connectionId: string, now: Date): boolean {
    const at = now.getTime();
    const window = this.windows.get(connectionId);
    if (!window || at - window.startedAt >= this.rate.perMilliseconds) {
      if (!window && this.windows.size >= this.maxConnections) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      this.windows.delete(connectionId);
      this.windows.set(connectionId, { startedAt: at, count: 1 });
      return true;
    }
    if (window.count >= this.rate.perConnection) return false;
    window.count += 1;
    return true;
  }
}

export interface ChatSuggestionDeps {
  readonly clock: Clock;
  readonly gateway: ChatGateway;
  readonly knowledgeBase: KnowledgeBase;
  /** Read per ask (the sandbox learns its port only once it listens). */
  readonly site: { readonly baseUrl: string };
  readonly throttle: ConnectionThrottle;
  /** The shop's language, for a browser language the help center has no articles in. */
  readonly defaultLanguage: Language;
}

export interface SuggestionsResult {
  readonly suggested: number;
  readonly throttled: boolean;
}

/**
 * The help center's confident articles for what a visitor is typing, to the asking connection
 * only. Nothing is stored and no customer is made: the visitor has not written to us yet.
 */
export async function suggestChatArticles(
  deps: ChatSuggestionDeps,
  input: { readonly connectionId: string; readonly text: string; readonly language?: Language },
): Promise<SuggestionsResult> {
  if (!deps.throttle.take(input.connectionId, deps.clock.now())) {
    await deps.gateway.post(input.connectionId, {
      type: 'error',
      reason: 'too many suggestion requests on this connection: wait a few seconds',
    });
    return { suggested: 0, throttled: true };
  }
  const language =
    input.language && deps.knowledgeBase.languages.includes(input.language)
      ? input.language
      : deps.defaultLanguage;
  const articles = suggestArticles(deps.knowledgeBase, {
    text: input.text,
    language,
    baseUrl: deps.site.baseUrl,
    limit: MAX_SUGGESTIONS,
  }).map(({ slug, title, summary, url }) => ({ slug, title, summary, url }));
  await deps.gateway.post(input.connectionId, { type: 'suggestions', articles });
  return { suggested: articles.length, throttled: false };
}
