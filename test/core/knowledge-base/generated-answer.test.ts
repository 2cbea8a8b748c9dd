import { describe, expect, it } from 'vitest';
import { receiveInbound } from '../../../functions/core/conversations/receive-inbound.ts';
import {
  answerProblem,
  composeGroundedAnswer,
  factsIn,
} from '../../../functions/core/knowledge-base/generated-answer.ts';
import { ScriptedComposer } from '../../support/answer-composers.ts';
import { inboundEmail } from '../../support/conversation-builders.ts';
import { memoryHelpCenter, starterKnowledgeBase, TEST_HELP_BASE_URL } from '../../support/help-center.ts';
import { memoryEmailDeps } from '../../support/inbound-deps.ts';

// Monday 23 November 2026, 13:00 in Istanbul: the shop is open.
const NOW = new Date('2026-11-23T10:00:00.000Z');
const RETURN_QUESTION = 'Merhaba, aldığım ceketi iade etmek istiyorum, nasıl yapabilirim?';
const RETURNS_URL = `${TEST_HELP_BASE_URL}/tr/returns-refunds`;
const GROUNDED =
  'Ürünü teslimattan itibaren 14 gün içinde iade edebilirsiniz; iadeyi Siparişlerim sayfasından başlatın [1].';

const email = (text: string, subject?: string) => inboundEmail(text, NOW, subject);

function withComposer(composer: ScriptedComposer, fallbacks: string[] = []) {
  return memoryEmailDeps(NOW, {
    helpCenter: {
      ...memoryHelpCenter(),
      answers: { composer, onFallback: (reason: string) => fallbacks.push(reason) },
    },
  });
}

describe('composeGroundedAnswer', () => {
  it('accepts an answer grounded in the passages and lists the cited articles after it', async () => {
    // Prepare
    const composer = new ScriptedComposer(() => ({ kind: 'answer', text: GROUNDED }));
    const matches = starterKnowledgeBase.rank(RETURN_QUESTION, 'tr', 3);

    // Act
    const answer = await composeGroundedAnswer(
      memoryHelpCenter(),
      { composer },
      { question: RETURN_QUESTION, language: 'tr', matches },
    );

    // Assess
    expect(answer?.text).toBe(`${GROUNDED}\n\n[1] ${RETURNS_URL}`);
    expect(answer?.articles[0]).toEqual({ slug: 'returns-refunds', url: RETURNS_URL });
    expect(composer.requests[0]?.passages[0]).toMatchObject({ number: 1, title: 'İade ve para iadesi' });
    expect(composer.requests[0]?.passages[0]?.text).toContain('14 gün');
  });

  it('never asks the composer when retrieval is not confident', async () => {
    // Prepare
    const composer = new ScriptedComposer(() => ({ kind: 'answer', text: GROUNDED }));
    const matches = starterKnowledgeBase.rank('hava bugün çok güzel, pikniğe gidiyoruz', 'tr', 3);

    // Act
    const answer = await composeGroundedAnswer(
      memoryHelpCenter(),
      { composer },
      { question: 'hava bugün çok güzel', language: 'tr', matches },
    );

    // Assess
    expect(matches.some((m) => m.confident)).toBe(false);
    expect(answer).toBeUndefined();
    expect(composer.requests).toEqual([]);
  });

  it('rejects numbers that are in no passage, unless the stored order has them', () => {
    // Prepare
    const source = {
      passages: [{ number: 1, title: 'İade', text: 'Teslimattan itibaren 14 gün içinde iade edin.' }],
      maxCharacters: 600,
    };
    const invented = 'Siparişiniz #48213 için iade süresi 14 gündür [1].';

    // Act
    const withoutOrder = answerProblem(invented, { ...source, knownFacts: [] });
    const withOrder = answerProblem(invented, { ...source, knownFacts: ['48213'] });

    // Assess
    expect(withoutOrder).toBe('it states a number that is in no passage nor the stored order');
    expect(withOrder).toBeUndefined();
    expect(factsIn('249,90 TL, 12.03.2026, TR1234567 [2]')).toEqual(['249,90', '12.03.2026', 'tr1234567']);
  });

  it('rejects citations of passages not given, links, and answers out of the length bounds', () => {
    // Prepare
    const source = {
      passages: [{ number: 1, title: 'İade', text: 'İadeyi Siparişlerim sayfasından başlatın.' }],
      maxCharacters: 100,
      knownFacts: [],
    };

    // Act
    const problems = [
      answerProblem('İadeyi Siparişlerim sayfasından başlatın [2].', source),
      answerProblem('İadeyi Siparişlerim sayfasından başlatın.', source),
      answerProblem('İadeyi https://evil.example adresinden başlatın [1].', source),
      answerProblem('Evet [1].', source),
      answerProblem(`${'İadeyi Siparişlerim sayfasından başlatın. '.repeat(3)}[1]`, source),
    ];

    // Assess
    expect(problems).toEqual([
      'it cites [2], which was not given',
      'it cites no passage',
      'it contains a link or an address',
      'shorter than 20 characters',
      'longer than 100 characters',
    ]);
  });
});

describe('receiveInbound with generated answers', () => {
  it('says the grounded answer with its reference list and keeps the article link on the request', async () => {
    // Prepare
    const composer = new ScriptedComposer(() => ({ kind: 'answer', text: GROUNDED }));
    const deps = withComposer(composer);

    // Act
    const result = await receiveInbound(deps, { message: email(RETURN_QUESTION), attachments: [] });

    // Assess
    const sent = deps.outbound.sent[0];
    expect(result.autoReply).toMatchObject({ queued: true, article: 'returns-refunds' });
    expect(sent?.text).toContain(`${GROUNDED}\n\n[1] ${RETURNS_URL}`);
    expect(sent?.articles?.[0]).toEqual({ slug: 'returns-refunds', url: RETURNS_URL });
  });

  it('composes once for a redelivered message: the second delivery sends and asks nothing', async () => {
    // Prepare
    const composer = new ScriptedComposer(() => ({ kind: 'answer', text: GROUNDED }));
    const deps = withComposer(composer);
    const message = email(RETURN_QUESTION);

    // Act
    await receiveInbound(deps, { message, attachments: [] });
    const again = await receiveInbound(deps, { message, attachments: [] });

    // Assess
    expect(again.duplicate).toBe(true);
    expect(composer.requests).toHaveLength(1);
    expect(deps.outbound.sent).toHaveLength(1);
  });

  it('falls back to the article summary when the answer invents an order number', async () => {
    // Prepare
    const fallbacks: string[] = [];
    const composer = new ScriptedComposer(() => ({
      kind: 'answer',
      text: 'Siparişiniz SP-90210 iade edildi, 14 gün içinde paranız yatar [1].',
    }));
    const deps = withComposer(composer, fallbacks);

    // Act
    await receiveInbound(deps, { message: email(RETURN_QUESTION), attachments: [] });

    // Assess
    const sent = deps.outbound.sent[0];
    expect(composer.requests).toHaveLength(1);
    expect(sent?.text).not.toContain('SP-90210');
    expect(sent?.text).toContain('14 gün içinde iade edebilirsiniz');
    expect(sent?.articles).toEqual([{ slug: 'returns-refunds', url: RETURNS_URL }]);
    expect(fallbacks).toEqual([
      'the answer was rejected: it states a number that is in no passage nor the stored order',
    ]);
  });

  it('falls back to the article summary when the composer refuses or fails', async () => {
    // Prepare
    const fallbacks: string[] = [];
    const refusing = withComposer(
      new ScriptedComposer(() => ({ kind: 'refused', reason: 'guardrail intervened' })),
      fallbacks,
    );
    const failing = withComposer(
      new ScriptedComposer(() => Promise.reject(new Error('timed out'))),
      fallbacks,
    );

    // Act
    await receiveInbound(refusing, { message: email(RETURN_QUESTION), attachments: [] });
    await receiveInbound(failing, { message: email(RETURN_QUESTION), attachments: [] });

    // Assess
    for (const deps of [refusing, failing]) {
      expect(deps.outbound.sent[0]?.text).toContain('14 gün içinde iade edebilirsiniz');
      expect(deps.outbound.sent[0]?.articles).toEqual([{ slug: 'returns-refunds', url: RETURNS_URL }]);
    }
    expect(fallbacks).toEqual(['the composer refused: guardrail intervened', 'the composer failed']);
  });

  it('never asks the composer for an off-topic message, an SMS, or a where-is-my-order question', async () => {
    // Prepare
    const composer = new ScriptedComposer(() => ({ kind: 'answer', text: GROUNDED }));
    const offTopic = withComposer(composer);
    const orderQuestion = withComposer(composer);
    const sms = withComposer(composer);

    // Act
    await receiveInbound(offTopic, {
      message: email('Hava bugün çok güzel, pikniğe gidiyoruz', 'Selam'),
      attachments: [],
    });
    await receiveInbound(orderQuestion, {
      message: email('Siparişim nerede? Kargom gelmedi'),
      attachments: [],
    });
    await receiveInbound(sms, {
      message: {
        channel: 'sms',
        providerMessageId: 'sms-1',
        from: { kind: 'phone', value: '+905321112233' },
        receivedAt: NOW.toISOString(),
        text: 'iademi nasil yaparim',
        attachments: [],
        sms: { destinationNumber: '+908501234567' },
      },
      attachments: [],
    });

    // Assess
    expect(offTopic.outbound.sent).toHaveLength(1);
    expect(orderQuestion.outbound.sent).toHaveLength(1);
    expect(sms.outbound.sent).toHaveLength(1);
    expect(composer.requests).toEqual([]);
  });
});
