import { BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConverseAnswerComposer,
  REFUSAL,
  SYSTEM_PROMPT,
} from '../../../functions/adapters/bedrock/converse-answer-composer.ts';
import {
  type AnswerRequest,
  composeGroundedAnswer,
} from '../../../functions/core/knowledge-base/generated-answer.ts';
import { memoryHelpCenter, starterKnowledgeBase } from '../../support/help-center.ts';

const client = new BedrockRuntimeClient({
  region: 'eu-central-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const bedrock = mockClient(client);
afterEach(() => {
  bedrock.reset();
});

const SETTINGS = {
  modelId: 'amazon.nova-lite-v1:0',
  guardrailId: 'a1b2c3d4e5f6',
  guardrailVersion: '3',
};
const REQUEST: AnswerRequest = {
  question: 'İade nasıl yapılır?',
  language: 'tr',
  maxCharacters: 600,
  passages: [{ number: 1, title: 'İade ve para iadesi', text: 'Ürünleri 14 gün içinde iade edebilirsiniz.' }],
};

function modelSays(
  text: string,
  stopReason: 'end_turn' | 'guardrail_intervened' | 'max_tokens' = 'end_turn',
) {
  bedrock.on(ConverseCommand).resolves({
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason,
    usage: { inputTokens: 900, outputTokens: 40, totalTokens: 940 },
    metrics: { latencyMs: 700 },
  });
}

describe('ConverseAnswerComposer', () => {
  it('asks the model with the guardrail, the rules, the passages, a low temperature and a token bound', async () => {
    // Prepare
    modelSays('Ürünleri 14 gün içinde iade edebilirsiniz [1].');

    // Act
    const answer = await new ConverseAnswerComposer(client, SETTINGS).compose(REQUEST);

    // Assess
    expect(answer).toEqual({ kind: 'answer', text: 'Ürünleri 14 gün içinde iade edebilirsiniz [1].' });
    const input = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      modelId: 'amazon.nova-lite-v1:0',
      system: [{ text: SYSTEM_PROMPT }],
      guardrailConfig: { guardrailIdentifier: 'a1b2c3d4e5f6', guardrailVersion: '3' },
      inferenceConfig: { maxTokens: 220, temperature: 0.1 },
    });
    const content = input?.messages?.[0]?.content ?? [];
    expect(content[0]?.text).toContain('[1] İade ve para iadesi\nÜrünleri 14 gün içinde iade edebilirsiniz.');
    expect(content[0]?.text).toContain('Answer in Turkish');
    expect(content[1]?.guardContent?.text?.text).toContain('İade nasıl yapılır?');
    expect(SYSTEM_PROMPT).toContain(`reply exactly ${REFUSAL}`);
    expect(SYSTEM_PROMPT).toContain('Never state order numbers');
  });

  it('takes a guardrail intervention, a cut-off answer and the refusal word as refusals', async () => {
    // Prepare
    const composer = new ConverseAnswerComposer(client, SETTINGS);

    // Act
    modelSays('Sorry, the model cannot answer that.', 'guardrail_intervened');
    const intervened = await composer.compose(REQUEST);
    modelSays('Ürünleri 14 gün', 'max_tokens');
    const cutOff = await composer.compose(REQUEST);
    modelSays(REFUSAL);
    const refused = await composer.compose(REQUEST);

    // Assess
    expect(intervened).toEqual({ kind: 'refused', reason: 'the guardrail intervened' });
    expect(cutOff).toEqual({ kind: 'refused', reason: 'the answer was cut off at the token limit' });
    expect(refused).toEqual({ kind: 'refused', reason: 'the passages do not answer the question' });
  });

  it('lets the acknowledgement fall back to the summary when Bedrock fails', async () => {
    // Prepare
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const fallbacks: string[] = [];
    const question = 'Merhaba, aldığım ceketi iade etmek istiyorum, nasıl yapabilirim?';

    // Act
    const answer = await composeGroundedAnswer(
      memoryHelpCenter(),
      {
        composer: new ConverseAnswerComposer(client, SETTINGS),
        onFallback: (reason) => fallbacks.push(reason),
      },
      { question, language: 'tr', matches: starterKnowledgeBase.rank(question, 'tr', 3) },
    );

    // Assess
    expect(answer).toBeUndefined();
    expect(fallbacks).toEqual(['the composer failed']);
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(1);
  });

  it('gives up when Bedrock does not answer within the timeout', async () => {
    // Prepare: a client that answers only when the request is aborted
    const silent = {
      send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => reject(options.abortSignal?.reason));
        }),
    };
    const composer = new ConverseAnswerComposer(silent as never, { ...SETTINGS, timeoutMs: 20 });

    // Act
    const attempt = composer.compose(REQUEST);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
