import { answerAddress, answerSubject, answerThreading } from '../agent/addressing.ts';
import { chooseReplyLanguage } from '../auto-reply/language.ts';
import type { SupportConfig } from '../config.ts';
import { catalogFor } from '../i18n/index.ts';
import type { Conversation, Customer, InboundMessage, Message, OutboundRequest } from '../model.ts';
import type { AgentConversations, SurveyAnswers } from '../ports/conversations.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { OutboundQueue } from '../ports/outbound.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import { type InsightsDeps, recordCsat } from '../service-levels/counters.ts';

/**
 * Satisfaction surveys: one short "how did we do, 1–5" on the conversation's channel
 * when it closes, never twice for one conversation, never where the customer opted out (the
 * dispatcher checks consent and quiet hours again when it sends, as for every proactive kind);
 * and the answer: a lone 1–5 from the customer on that channel within the answer window.
 */

export const DEFAULT_SURVEY_ANSWER_WINDOW_HOURS = 72;

export interface SurveyDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly customers: Pick<CustomerDirectory, 'get'>;
  readonly conversations: Pick<AgentConversations, 'listMessages' | 'markSurveyQueued'>;
  readonly outbound: OutboundQueue;
}

export type SurveyOutcome =
  | { readonly queued: true; readonly outboundId: string; readonly channel: Conversation['channel'] }
  | {
      readonly queued: false;
      readonly reason: 'already-surveyed' | 'disabled' | 'voice' | 'opted-out' | 'no-address' | 'no-customer';
    };

/**
 * Queues the survey of a closed conversation unless it had one. The request's id is derived from
 * the conversation, so two closes racing (or a retried one) queue the same send, which the
 * dispatcher sends once; the conversation notes it afterwards, so later closes skip it.
 */
export async function queueSurvey(deps: SurveyDeps, conversation: Conversation): Promise<SurveyOutcome> {
  if (conversation.survey) return { queued: false, reason: 'already-surveyed' };
  if (deps.config.surveys?.enabled === false) return { queued: false, reason: 'disabled' };
  if (conversation.channel === 'voice') return { queued: false, reason: 'voice' };
  const customer = await deps.customers.get(conversation.customerId);
  if (!customer) return { queued: false, reason: 'no-customer' };
  // The dispatcher would suppress it too; not queueing keeps the timeline free of a refused send.
  if (customer.consent[conversation.channel] === 'opted-out') return { queued: false, reason: 'opted-out' };
  const messages = await deps.conversations.listMessages(conversation.id);
  const to = answerAddress(conversation, customer, messages);
  if (!to) return { queued: false, reason: 'no-address' };

  const now = deps.clock.now();
  const request = surveyRequest(deps, { conversation, customer, messages, to, now });
  await deps.outbound.enqueue(request);
  await deps.conversations.markSurveyQueued(conversation.id, {
    queuedAt: now.toISOString(),
    outboundId: request.id,
    channel: conversation.channel,
  });
  return { queued: true, outboundId: request.id, channel: conversation.channel };
}

function surveyRequest(
  deps: SurveyDeps,
  input: {
    conversation: Conversation;
    customer: Customer;
    messages: readonly Message[];
    to: string;
    now: Date;
  },
): OutboundRequest {
  const { conversation, customer, messages, to, now } = input;
  const language = chooseReplyLanguage(
    { preferred: customer.language, detected: conversation.language, previous: customer.detectedLanguage },
    deps.config,
  );
  const content = renderSurvey({
    language,
    channel: conversation.channel,
    // As the acknowledgement shows it (receive-inbound's conversationReference).
    reference: conversation.id.slice(0, 8).toUpperCase(),
    customerName: customer.name,
    subject: conversation.subject,
  });
  return {
    id: deps.ids.derive('survey', conversation.id),
    kind: 'survey',
    channel: conversation.channel,
    customerId: customer.id,
    conversationId: conversation.id,
    to,
    language,
    subject: content.subject,
    text: content.text,
    email: answerThreading(conversation, messages),
    // Generated, not a reply (RFC 3834): out-of-office responders leave it alone.
    headers: conversation.channel === 'email' ? { 'Auto-Submitted': 'auto-generated' } : {},
    requestedAt: now.toISOString(),
  };
}

/** The survey's words on `channel` in `language` (the fallback catalog for unknown languages). */
export function renderSurvey(input: {
  readonly language: string;
  readonly channel: Conversation['channel'];
  readonly reference: string;
  readonly customerName?: string;
  readonly subject?: string;
}): { subject: string; text: string } {
  const catalog = catalogFor(input.language);
  const reference = `#${input.reference}`;
  const subject = answerSubject(input.subject, catalog.survey.subject(reference));
  if (input.channel !== 'email') {
    return {
      subject: catalog.survey.subject(reference).normalize('NFC'),
      text: catalog.survey.short.normalize('NFC'),
    };
  }
  const name = input.customerName?.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  const greeting = catalog.acknowledgement.greeting(
    name && name.length <= 60 && !name.includes('@') ? name : undefined,
  );
  return {
    subject: subject.normalize('NFC'),
    text: `${greeting}\n\n${catalog.survey.email(reference)}\n`.normalize('NFC'),
  };
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  bir: 1,
  iki: 2,
  üç: 3,
  uc: 3,
  dört: 4,
  dort: 4,
  beş: 5,
  bes: 5,
};

/**
 * The score in a survey answer, or undefined when the text is anything more than a score: "5",
 * "5/5", "4 / 5", "5 ⭐", "⭐⭐⭐⭐", "5 stars", "5 yıldız", "beş", "puanım 4"… A number inside a
 * sentence ("I waited 5 days") is a message, not an answer.
 */
export function parseSurveyScore(text: string): number | undefined {
  const cleaned = text
    .normalize('NFC')
    .toLocaleLowerCase('tr')
    .replace(/[\uFE0F\u200D]/gu, '')
    .replace(/[.!,;:)(\s]+/gu, ' ')
    .trim();
  if (cleaned === '' || cleaned.length > 40) return undefined;
  const stars = cleaned.replace(/\s/g, '');
  if (/^[⭐★🌟]{1,5}$/u.test(stars)) return [...stars].length;
  const match = cleaned.match(
    /^(?:(?:puan(?:ım)?|score|rating|notum)\s*)?([1-5]|[a-zçğıöşü]+)(?:\s*(?:\/\s*5|out of 5|üzerinden|[⭐★🌟]+|stars?|yıldız|puan))?$/u,
  );
  const value = match?.[1];
  if (value === undefined) return undefined;
  if (/^[1-5]$/.test(value)) return Number(value);
  return NUMBER_WORDS[value];
}

/** What the inbound path needs to recognise answers and count them. */
export interface SurveyAnswerDeps {
  readonly store: SurveyAnswers;
  /** Where a recognised score is counted (channel insights). */
  readonly insights: InsightsDeps;
}

export interface SurveyAnswer {
  readonly conversation: Conversation;
  readonly score: number;
}

/**
 * The surveyed conversation an inbound message answers: the message is a lone 1–5 on the channel
 * of a conversation of this customer whose survey went out within the answer window. Such a
 * message joins that conversation, gets no acknowledgement and does not reopen it.
 */
export async function findSurveyAnswer(
  deps: { readonly surveys: SurveyAnswerDeps; readonly config: SupportConfig },
  message: InboundMessage,
  customerId: string,
  now: Date,
): Promise<SurveyAnswer | undefined> {
  if (message.channel === 'voice' || message.sms?.keyword) return undefined;
  const score = parseSurveyScore(message.text);
  if (score === undefined) return undefined;
  const hours = deps.config.surveys?.answerWindowHours ?? DEFAULT_SURVEY_ANSWER_WINDOW_HOURS;
  const since = new Date(now.getTime() - hours * 3_600_000);
  const conversation = await deps.surveys.store.surveyedConversation(customerId, message.channel, since);
  return conversation ? { conversation, score } : undefined;
}

/**
 * Keeps the first answer on the conversation and counts it once; a later score (or this one
 * redelivered) changes nothing. Returns whether this message's score is the stored one.
 */
export async function recordSurveyAnswer(
  deps: { readonly surveys: SurveyAnswerDeps },
  answer: SurveyAnswer,
  message: { readonly id: string; readonly at: string },
): Promise<boolean> {
  if (answer.conversation.csat && answer.conversation.csat.messageId !== message.id) return false;
  const stored = await deps.surveys.store.recordCsat(answer.conversation.id, {
    score: answer.score,
    at: message.at,
    messageId: message.id,
  });
  // Counted once, when the score is first stored: a redelivery finds `csat` set and counts nothing
  // (a crash between the two writes loses one count rather than counting twice).
  if (stored && !answer.conversation.csat) {
    await recordCsat(deps.surveys.insights, answer.conversation, answer.score, new Date(message.at));
  }
  return stored;
}
