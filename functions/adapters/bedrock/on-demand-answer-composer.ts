import type {
  AnswerComposer,
  AnswerRequest,
  ComposedAnswer,
} from '../../core/knowledge-base/generated-answer.ts';
import type { ConverseAnswerSettings } from './converse-answer-composer.ts';

/**
 * The Bedrock composer, its SDK package loaded on the first answer: a cold start of a function
 * whose deployment has no assistant, or whose event needs no answer, does not pay for it.
 */
export class OnDemandAnswerComposer implements AnswerComposer {
  private composer?: Promise<AnswerComposer>;

  constructor(private readonly settings: ConverseAnswerSettings) {}

  async compose(request: AnswerRequest): Promise<ComposedAnswer> {
    this.composer ??= this.load();
    return (await this.composer).compose(request);
  }

  private async load(): Promise<AnswerComposer> {
    try {
      const { ConverseAnswerComposer, bedrockRuntimeClient } = await import('./converse-answer-composer.ts');
      return new ConverseAnswerComposer(bedrockRuntimeClient(), this.settings);
    } catch (error) {
      // A failed load is tried again on the next answer, not remembered.
      this.composer = undefined;
      throw error;
    }
  }
}
