import type {
  AnswerComposer,
  AnswerRequest,
  ComposedAnswer,
} from '../../functions/core/knowledge-base/generated-answer.ts';

/** A composer that answers what the test tells it to, and remembers what it was asked. */
export class ScriptedComposer implements AnswerComposer {
  readonly requests: AnswerRequest[] = [];
  constructor(private readonly reply: (request: AnswerRequest) => ComposedAnswer | Promise<ComposedAnswer>) {}

  async compose(request: AnswerRequest): Promise<ComposedAnswer> {
    this.requests.push(request);
    return this.reply(request);
  }
}
