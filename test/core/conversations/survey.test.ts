import { beforeEach, describe, expect, it } from 'vitest';
import { supportConfigSchema } from '../../../functions/core/config.ts';
import {
  type ReceiveInboundDeps,
  receiveInbound,
} from '../../../functions/core/conversations/receive-inbound.ts';
import {
  parseSurveyScore,
  queueSurvey,
  renderSurvey,
  type SurveyDeps,
} from '../../../functions/core/conversations/survey.ts';
import type { Conversation, Customer, InboundMessage } from '../../../functions/core/model.ts';
import { dispatchOutbound } from '../../../functions/core/outbound/dispatch.ts';
import type { ChannelInsights, InsightCounters } from '../../../functions/core/ports/service-levels.ts';
import { sandboxSupportConfig } from '../../../local/config.ts';
import { inboundSms } from '../../support/conversation-builders.ts';
import { MemoryAgentConversations } from '../../support/in-memory-agent-ports.ts';
import {
  MemoryCustomers,
  MemoryLedger,
  MemoryQueue,
  MemorySender,
  readableIds,
} from '../../support/in-memory-ports.ts';
import { memorySmsDeps } from '../../support/inbound-deps.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const PHONE = '+905321112233';

class RecordingInsights implements ChannelInsights {
  readonly added: InsightCounters[] = [];
  async add(_channel: Conversation['channel'], _at: Date, counters: InsightCounters) {
    this.added.push(counters);
  }
  async read() {
    return [];
  }
}

describe('parseSurveyScore', () => {
  it.each([
    ['5', 5],
    [' 4 ', 4],
    ['5/5', 5],
    ['3 / 5', 3],
    ['5 ⭐', 5],
    ['⭐⭐⭐⭐', 4],
    ['⭐️⭐️⭐️⭐️⭐️', 5],
    ['2 stars', 2],
    ['5 yıldız', 5],
    ['beş', 5],
    ['Beş!', 5],
    ['dört', 4],
    ['five', 5],
    ['1.', 1],
  ])('reads %j as %i', (text, score) => {
    // Act / Assess
    expect(parseSurveyScore(text)).toBe(score);
  });

  it.each([
    '',
    '0',
    '6',
    '10/10',
    '55',
    'I waited 5 days',
    'Siparişim 5 gündür gelmedi',
    'STOP',
    'ok',
    '12345',
  ])('finds no score in %j', (text) => {
    // Act / Assess
    expect(parseSurveyScore(text)).toBeUndefined();
  });
});

describe('renderSurvey', () => {
  it('asks by email with a 1–5 reply in Turkish, greeting the customer, under the conversation subject', () => {
    // Act
    const survey = renderSurvey({
      language: 'tr',
      channel: 'email',
      reference: 'ABCD1234',
      customerName: 'Ayşe',
      subject: 'Siparişim',
    });

    // Assess
    expect(survey.subject).toBe('Re: Siparişim');
    expect(survey.text).toMatch(/^Merhaba Ayşe,/);
    expect(survey.text).toContain('#ABCD1234');
    expect(survey.text).toContain('1 (hiç memnun değilim) ile 5 (çok memnunum)');
  });

  it('asks by SMS in one short English line', () => {
    // Act
    const survey = renderSurvey({ language: 'en', channel: 'sms', reference: 'ABCD1234' });

    // Assess
    expect(survey.text).toBe('How did we do? Reply with a number from 1 (poor) to 5 (great). Thank you!');
  });
});

function closedConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv-sms',
    customerId: 'cust-1',
    channel: 'sms',
    status: 'closed',
    language: 'tr',
    createdAt: '2026-11-23T08:00:00.000Z',
    lastMessageAt: '2026-11-23T09:00:00.000Z',
    closedAt: '2026-11-23T09:00:00.000Z',
    ...overrides,
  };
}

function customer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'cust-1',
    consent: {},
    identities: [{ kind: 'phone', value: PHONE }],
    createdAt: '2026-11-20T10:00:00.000Z',
    detectedLanguage: 'tr',
    ...overrides,
  };
}

describe('queueSurvey', () => {
  let deps: SurveyDeps & {
    outbound: MemoryQueue;
    conversations: MemoryAgentConversations;
    customers: MemoryCustomers;
  };

  beforeEach(() => {
    const customers = new MemoryCustomers();
    customers.customers.set('cust-1', customer());
    const conversations = new MemoryAgentConversations();
    conversations.conversations.set('conv-sms', closedConversation());
    deps = {
      clock: { now: () => NOW },
      ids: readableIds,
      config: sandboxSupportConfig,
      customers,
      conversations,
      outbound: new MemoryQueue(),
    };
  });

  it('queues one survey with an id derived from the conversation and notes it', async () => {
    // Act
    const outcome = await queueSurvey(deps, closedConversation());

    // Assess
    expect(outcome).toEqual({ queued: true, outboundId: 'survey:conv-sms', channel: 'sms' });
    expect(deps.outbound.sent[0]).toMatchObject({
      kind: 'survey',
      channel: 'sms',
      to: PHONE,
      language: 'tr',
    });
    expect(deps.conversations.conversations.get('conv-sms')?.survey).toEqual({
      queuedAt: NOW.toISOString(),
      outboundId: 'survey:conv-sms',
      channel: 'sms',
    });
  });

  it.each([
    [
      'a conversation that had its survey',
      closedConversation({ survey: { queuedAt: 'x', outboundId: 'y', channel: 'sms' } }),
      {},
      'already-surveyed',
    ],
    ['a voice conversation', closedConversation({ channel: 'voice' }), {}, 'voice'],
    [
      'a customer who opted out of the channel',
      closedConversation(),
      { consent: { sms: 'opted-out' as const } },
      'opted-out',
    ],
    [
      'a customer without an address on the channel',
      closedConversation({ channel: 'messenger' }),
      {},
      'no-address',
    ],
  ])('queues nothing for %s', async (_case, conversation, profile, reason) => {
    // Prepare
    deps.customers.customers.set('cust-1', customer(profile));

    // Act
    const outcome = await queueSurvey(deps, conversation);

    // Assess
    expect(outcome).toEqual({ queued: false, reason });
    expect(deps.outbound.sent).toHaveLength(0);
  });

  it('queues nothing when the shop switched surveys off', async () => {
    // Prepare
    const config = supportConfigSchema.parse({ ...sandboxSupportConfig, surveys: { enabled: false } });

    // Act
    const outcome = await queueSurvey({ ...deps, config }, closedConversation());

    // Assess
    expect(outcome).toEqual({ queued: false, reason: 'disabled' });
  });
});

describe('the dispatcher and surveys', () => {
  it('treats a survey as proactive: never sent to a channel the customer opted out of', async () => {
    // Prepare
    const customers = new MemoryCustomers();
    customers.customers.set('cust-1', customer({ consent: { sms: 'opted-out' } }));
    const conversations = new MemoryAgentConversations();
    conversations.conversations.set('conv-sms', closedConversation());
    const sender = new MemorySender();
    const request = {
      id: 'survey:conv-sms',
      kind: 'survey' as const,
      channel: 'sms' as const,
      customerId: 'cust-1',
      conversationId: 'conv-sms',
      to: PHONE,
      language: 'tr',
      text: 'Nasıl yardımcı olduk?',
      headers: {},
      requestedAt: NOW.toISOString(),
    };

    // Act
    const result = await dispatchOutbound(
      {
        clock: { now: () => NOW },
        ledger: new MemoryLedger(),
        conversations,
        customers,
        senders: { sms: sender },
      },
      request,
    );

    // Assess
    expect(result.status).toBe('suppressed');
    expect(sender.sent).toHaveLength(0);
  });
});

describe('receiveInbound with a survey answer', () => {
  let deps: ReceiveInboundDeps & {
    conversations: MemoryAgentConversations;
    outbound: MemoryQueue;
    customers: MemoryCustomers;
  };
  let insights: RecordingInsights;

  function sms(id: string, text: string, at = NOW): InboundMessage {
    return inboundSms(id, PHONE, text, at);
  }

  beforeEach(() => {
    const customers = new MemoryCustomers();
    customers.customers.set('cust-1', customer());
    customers.identities.set(`phone#${PHONE}`, 'cust-1');
    const conversations = new MemoryAgentConversations();
    conversations.conversations.set(
      'conv-sms',
      closedConversation({
        survey: { queuedAt: '2026-11-23T09:00:00.000Z', outboundId: 'survey:conv-sms', channel: 'sms' },
      }),
    );
    insights = new RecordingInsights();
    deps = memorySmsDeps(NOW, {
      customers,
      conversations,
      surveys: {
        store: conversations,
        insights: { insights, config: sandboxSupportConfig, clock: { now: () => NOW } },
      },
    });
  });

  it('stores a lone "5" as the score of the surveyed conversation, unanswered and still closed', async () => {
    // Act
    const result = await receiveInbound(deps, { message: sms('m-5', '5'), attachments: [] });

    // Assess
    expect(result.conversationId).toBe('conv-sms');
    expect(result.autoReply).toEqual({ queued: false, reasons: ['survey-answer'] });
    const conversation = deps.conversations.conversations.get('conv-sms');
    expect(conversation).toMatchObject({ status: 'closed', csat: { score: 5, messageId: result.messageId } });
    expect(deps.outbound.sent).toHaveLength(0);
    expect(insights.added).toHaveLength(1);
  });

  it('keeps the first answer and counts it once when the customer answers again', async () => {
    // Act
    await receiveInbound(deps, { message: sms('m-5', '5'), attachments: [] });
    await receiveInbound(deps, { message: sms('m-5', '5'), attachments: [] });
    const again = await receiveInbound(deps, { message: sms('m-2', '2'), attachments: [] });

    // Assess
    expect(again.autoReply.reasons).toEqual(['survey-answer']);
    expect(deps.conversations.conversations.get('conv-sms')?.csat?.score).toBe(5);
    expect(insights.added).toHaveLength(1);
  });

  it('treats a "5" after the answer window as an ordinary message', async () => {
    // Prepare: 73 hours after the survey
    const later = new Date('2026-11-26T10:00:00.000Z');
    deps = { ...deps, clock: { now: () => later } };

    // Act
    const result = await receiveInbound(deps, { message: sms('m-late', '5', later), attachments: [] });

    // Assess
    expect(result.conversationId).not.toBe('conv-sms');
    expect(deps.conversations.conversations.get('conv-sms')?.csat).toBeUndefined();
  });

  it('treats a sentence with a number as a new question', async () => {
    // Act
    const result = await receiveInbound(deps, {
      message: sms('m-q', 'Siparişim 5 gündür gelmedi'),
      attachments: [],
    });

    // Assess
    expect(result.conversationId).not.toBe('conv-sms');
    expect(result.autoReply.queued).toBe(true);
    expect(deps.conversations.conversations.get('conv-sms')?.status).toBe('closed');
  });
});
