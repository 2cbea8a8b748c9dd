import type {
  AnswerComposer,
  AnswerRequest,
  ComposedAnswer,
} from '../../core/knowledge-base/generated-answer.ts';

/**
 * The sandbox's stand-in for a language model: the first sentence of each passage, cited, in the
 * order retrieval ranked them, within the character bound. Deterministic, so replays compare.
 */
export class LocalAnswerComposer implements AnswerComposer {
  async compose(request: AnswerRequest): Promise<ComposedAnswer> {
    const sentences: string[] = [];
    for (const passage of request.passages) {
      const first = firstSentence(passage.text);
      if (first === '') continue;
      const next = [...sentences, `${first} [${passage.number}]`].join(' ');
      if (next.length > request.maxCharacters) break;
      sentences.push(`${first} [${passage.number}]`);
    }
    if (sentences.length === 0) return { kind: 'refused', reason: 'the passages do not answer the question' };
    return { kind: 'answer', text: sentences.join(' ') };
  }
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0]?.trim() ?? '';
  const end = line.search(/[.!?](\s|$)/);
  return (end === -1 ? line : line.slice(0, end + 1)).trim();
}
