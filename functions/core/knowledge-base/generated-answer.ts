import type { Language } from '../model.ts';
import { type ArticleLink, articleUrl, type HelpCenterSite } from './article.ts';
import type { ArticleMatch } from './retrieval.ts';

/**
 * Optional generated answers: a model writes the answer from the passages retrieval found
 * confidently, citing them as [1], [2]. The model is not trusted: what it returns is checked
 * here, and anything doubtful falls back to the article summary the acknowledgement says anyway.
 */

/** One passage the composer may use, numbered as the answer cites it. */
export interface AnswerPassage {
  /** 1-based: the answer cites it as `[number]`. */
  readonly number: number;
  readonly title: string;
  readonly text: string;
}

export interface AnswerRequest {
  readonly question: string;
  readonly language: Language;
  readonly passages: readonly AnswerPassage[];
  readonly maxCharacters: number;
}

/** What a composer returns: an answer, or a refusal (the passages do not answer, a guardrail intervened). */
export type ComposedAnswer =
  | { readonly kind: 'answer'; readonly text: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** The port a language model (or the sandbox's stand-in) implements. */
export interface AnswerComposer {
  compose(request: AnswerRequest): Promise<ComposedAnswer>;
}

export interface GeneratedAnswerDeps {
  readonly composer: AnswerComposer;
  /** @default DEFAULT_MAX_ANSWER_CHARACTERS */
  readonly maxCharacters?: number;
  /** Why an answer was not used (refused, failed, rejected); never the text. */
  readonly onFallback?: (reason: string, error?: unknown) => void;
}

export const DEFAULT_MAX_ANSWER_CHARACTERS = 600;
/** An answer shorter than this says nothing the summary would not. */
export const MIN_ANSWER_CHARACTERS = 20;
/** Passages given to the model: the confident articles, best first. */
export const MAX_PASSAGES = 3;
/** Characters of one article given as its passage: the summary and its first paragraphs. */
export const MAX_PASSAGE_CHARACTERS = 1_200;

/** A checked answer: its text with the reference list, and the articles it links, best first. */
export interface GroundedAnswer {
  readonly text: string;
  readonly articles: readonly ArticleLink[];
}

/** The passage of one article: its summary, then paragraphs while they fit. */
export function passageOf(match: ArticleMatch): string {
  let text = match.article.summary;
  for (const paragraph of match.article.passages) {
    const next = `${text}\n${paragraph}`;
    if (next.length > MAX_PASSAGE_CHARACTERS) break;
    text = next;
  }
  return text;
}

/**
 * The answer the acknowledgement says for `question`, composed from `matches` (retrieval's
 * ranking, best first); undefined when the summary must do: the best match is not confident, the
 * composer refused or failed, or its answer did not pass the checks. Never throws.
 */
export async function composeGroundedAnswer(
  help: { readonly site: HelpCenterSite },
  deps: GeneratedAnswerDeps,
  input: {
    readonly question: string;
    readonly language: Language;
    readonly matches: readonly ArticleMatch[];
    /** Values of the customer's stored order the answer may repeat (its number, its carrier's tracking number). */
    readonly knownFacts?: readonly string[];
  },
): Promise<GroundedAnswer | undefined> {
  const confident = input.matches.filter((m) => m.confident).slice(0, MAX_PASSAGES);
  // Only the confident: a weak match is no ground to stand on, and the best must be one.
  if (!input.matches[0]?.confident || confident.length === 0) return undefined;
  // The order-data answer speaks for an order question; a model must not guess a status.
  if (confident[0]?.article.intent === 'order-status') return undefined;
  const maxCharacters = deps.maxCharacters ?? DEFAULT_MAX_ANSWER_CHARACTERS;
  const passages = confident.map((m, index) => ({ number: index + 1, title: m.title, text: passageOf(m) }));

  let composed: ComposedAnswer;
  try {
    composed = await deps.composer.compose({
      question: input.question,
      language: input.language,
      passages,
      maxCharacters,
    });
  } catch (error) {
    deps.onFallback?.('the composer failed', error);
    return undefined;
  }
  if (composed.kind === 'refused') {
    deps.onFallback?.(`the composer refused: ${composed.reason}`);
    return undefined;
  }
  const problem = answerProblem(composed.text, {
    passages,
    maxCharacters,
    knownFacts: input.knownFacts ?? [],
  });
  if (problem) {
    deps.onFallback?.(`the answer was rejected: ${problem}`);
    return undefined;
  }

  const text = composed.text.trim();
  const cited = new Set(citationsIn(text));
  // The best article is always linked (the `articles` of the outbound request), then what was cited.
  const linked = confident.flatMap((m, index) =>
    index === 0 || cited.has(index + 1)
      ? [
          {
            number: index + 1,
            slug: m.slug,
            url: articleUrl(help.site.baseUrl, m.language, m.slug),
          },
        ]
      : [],
  );
  return {
    text: [text, '', ...linked.map((l) => `[${l.number}] ${l.url}`)].join('\n'),
    articles: linked.map(({ slug, url }) => ({ slug, url })),
  };
}

/** `[1]`, `[2]`… in order of appearance. */
export function citationsIn(text: string): number[] {
  return [...text.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1]));
}

/**
 * Numbers in a text as one token each: order and tracking numbers, prices, dates, durations
 * ("14", "249,90", "12.03.2026", "TR12345678"). Citations are not numbers of the text.
 */
export function factsIn(text: string): string[] {
  const withoutCitations = text.replace(/\[\d{1,2}\]/g, ' ');
  return [...withoutCitations.matchAll(/[\p{L}#]*\d+(?:[.,:/-]?[\p{L}\d]+)*/gu)].map((m) =>
    m[0].toLocaleLowerCase('en').replace(/^#/, ''),
  );
}

/** Why `text` may not be sent, or undefined when it is a grounded answer. */
export function answerProblem(
  text: string,
  source: {
    readonly passages: readonly AnswerPassage[];
    readonly maxCharacters: number;
    readonly knownFacts: readonly string[];
  },
): string | undefined {
  const answer = text.trim();
  if (answer.length < MIN_ANSWER_CHARACTERS) return `shorter than ${MIN_ANSWER_CHARACTERS} characters`;
  if (answer.length > source.maxCharacters) return `longer than ${source.maxCharacters} characters`;
  const citations = citationsIn(answer);
  if (citations.length === 0) return 'it cites no passage';
  const unknownCitation = citations.find((n) => n < 1 || n > source.passages.length);
  if (unknownCitation !== undefined) return `it cites [${unknownCitation}], which was not given`;
  // Links and addresses come from the reference list, never from the model.
  if (/https?:\/\/|www\.|\S@\S/i.test(answer)) return 'it contains a link or an address';
  const known = new Set([
    ...source.passages.flatMap((p) => factsIn(`${p.title}\n${p.text}`)),
    ...source.knownFacts.flatMap((f) => factsIn(f)),
  ]);
  const invented = factsIn(answer).find((fact) => !known.has(fact));
  if (invented !== undefined) return 'it states a number that is in no passage nor the stored order';
  return undefined;
}
