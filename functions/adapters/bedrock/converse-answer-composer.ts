import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import type {
  AnswerComposer,
  AnswerRequest,
  ComposedAnswer,
} from '../../core/knowledge-base/generated-answer.ts';

/**
 * Generated answers on Amazon Bedrock's Converse API, behind a guardrail. Loaded on the first
 * answer only (on-demand-answer-composer.ts): functions without the assistant never load it.
 */

export interface ConverseAnswerSettings {
  readonly modelId: string;
  readonly guardrailId: string;
  readonly guardrailVersion: string;
  /** The acknowledgement waits this long at most, then says the summary. @default 4000 */
  readonly timeoutMs?: number;
}

/** What the model answers when the passages do not answer the question. */
export const REFUSAL = 'NO_ANSWER';

const LANGUAGE_NAMES: Readonly<Record<string, string>> = { tr: 'Turkish', en: 'English' };

/** The rules the model answers under; kept short, it is paid for on every answer. */
export const SYSTEM_PROMPT = [
  "You answer an online shop's customer using ONLY the numbered help-center passages given.",
  'Rules:',
  '- Every sentence states only what a passage says, and ends with its citation, e.g. [1] or [2].',
  '- Never state order numbers, tracking numbers, prices, dates, deadlines or policies that are not in the passages.',
  '- Never say anything about the status of the customer\u2019s own order, payment or refund.',
  '- Never promise exceptions, compensation or anything a passage does not promise.',
  '- No links, e-mail addresses or phone numbers: the links are added after your answer.',
  `- If the passages do not answer the question, reply exactly ${REFUSAL} and nothing else.`,
  '- Answer in the language asked for, in at most 3 short sentences, plain text without Markdown.',
].join('\n');

/** The Converse request for one answer: the customer's question is what the guardrail checks. */
export function converseInput(
  request: AnswerRequest,
  settings: ConverseAnswerSettings,
): ConverseCommandInput {
  const passages = request.passages.map((p) => `[${p.number}] ${p.title}\n${p.text}`).join('\n\n');
  const language = LANGUAGE_NAMES[request.language] ?? request.language;
  const content: ContentBlock[] = [
    {
      text: `Passages:\n${passages}\n\nAnswer in ${language}, in at most ${request.maxCharacters} characters.`,
    },
    // Only the question is the customer's: the guardrail checks it (and the answer), not our passages.
    { guardContent: { text: { text: `Customer's question:\n${request.question}` } } },
  ];
  return {
    modelId: settings.modelId,
    system: [{ text: SYSTEM_PROMPT }],
    messages: [{ role: 'user', content }],
    inferenceConfig: {
      // Roughly three characters a token in Turkish: room for the answer, no more.
      maxTokens: Math.ceil(request.maxCharacters / 3) + 20,
      temperature: 0.1,
      topP: 0.9,
    },
    guardrailConfig: {
      guardrailIdentifier: settings.guardrailId,
      guardrailVersion: settings.guardrailVersion,
      trace: 'disabled',
    },
  };
}

export class ConverseAnswerComposer implements AnswerComposer {
  constructor(
    private readonly client: Pick<BedrockRuntimeClient, 'send'>,
    private readonly settings: ConverseAnswerSettings,
  ) {}

  async compose(request: AnswerRequest): Promise<ComposedAnswer> {
    const output = await this.client.send(new ConverseCommand(converseInput(request, this.settings)), {
      abortSignal: AbortSignal.timeout(this.settings.timeoutMs ?? 4_000),
    });
    switch (output.stopReason) {
      case 'end_turn':
      case 'stop_sequence':
        break;
      case 'guardrail_intervened':
        return { kind: 'refused', reason: 'the guardrail intervened' };
      case 'max_tokens':
        return { kind: 'refused', reason: 'the answer was cut off at the token limit' };
      default:
        return { kind: 'refused', reason: `the model stopped: ${output.stopReason ?? 'no reason given'}` };
    }
    const text = (output.output?.message?.content ?? [])
      .map((block) => block.text ?? '')
      .join('')
      .trim();
    if (text === '' || text.includes(REFUSAL)) {
      return { kind: 'refused', reason: 'the passages do not answer the question' };
    }
    return { kind: 'answer', text };
  }
}

/** The client in the function's own region; the SDK's retries are bounded by the timeout. */
export function bedrockRuntimeClient(): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ maxAttempts: 2 });
}
