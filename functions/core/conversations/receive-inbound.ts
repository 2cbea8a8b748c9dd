import { DEFAULT_FAQ, type FaqMatch, matchFaq } from '../auto-reply/faq.ts';
import { chooseReplyLanguage, detectLanguage } from '../auto-reply/language.ts';
import {
  type AutoReplySuppression,
  autoReplySuppressions,
  isUnauthenticatedMail,
} from '../auto-reply/policy.ts';
import type { SupportConfig } from '../config.ts';
import { domainOf } from '../customers/mail-authentication.ts';
import { DEFAULT_LEASE_SECONDS } from '../event-lease.ts';
import { handleOnce } from '../exactly-once.ts';
import { formatResponseDeadline, renderAcknowledgement } from '../i18n/index.ts';
import { composeGroundedAnswer, type GroundedAnswer } from '../knowledge-base/generated-answer.ts';
import { normalizedQuestion } from '../knowledge-base/normalize.ts';
import {
  answerFromHelpCenter,
  articleForOrderStatus,
  type HelpCenterDeps,
  type LinkedArticle,
} from '../knowledge-base/self-service.ts';
import type {
  AttachmentRef,
  Conversation,
  Customer,
  InboundMessage,
  Language,
  Message,
  OutboundRequest,
} from '../model.ts';
import { SENDER_NOT_NORMALISED, SPECIAL_RATE_SENDER } from '../model.ts';
import { answerOrderQuestion, ORDER_STATUS_FAQ_ID } from '../orders/status-answer.ts';
import { WINDOWED_CHANNELS } from '../outbound/messaging-window.ts';
import type { AutoResponseBudget, AutoResponseBudgetScope } from '../ports/auto-reply.ts';
import type { AppendedMessage, AttachmentStore, ConversationStore } from '../ports/conversations.ts';
import type { ConsentLedger, CustomerDirectory, IdentityWindows } from '../ports/customers.ts';
import type { EventLedger, InboundOutcome } from '../ports/event-ledger.ts';
import type { OrderStore } from '../ports/orders.ts';
import type { OutboundQueue } from '../ports/outbound.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import { addBusinessMinutes } from '../service-levels/business-hours.ts';
import { type InsightsDeps, recordInbound } from '../service-levels/counters.ts';
import { answerSmsKeyword } from '../sms/keyword.ts';
import { countSmsSegments, fitOneSegment } from '../sms/segments.ts';
import { countsTowardsRepeatedContacts, type EscalationDeps, escalateInbound } from './escalation.ts';
import {
  continueOpenConversation,
  continuesByPointer,
  conversationStoredIn,
  inboundFlags,
  inboundMessageRecord,
  pointOpenConversation,
} from './open-conversation.ts';
import { findSurveyAnswer, recordSurveyAnswer, type SurveyAnswerDeps } from './survey.ts';
import { threadInbound } from './threading.ts';

/**
 * What the inbound path of every channel touches. Whether a shop escalates, surveys, answers
 * orders or links a help center is its config's and its settings' say, never a missing port.
 */
export interface InboundDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly ledger: EventLedger;
  readonly customers: CustomerDirectory;
  readonly conversations: ConversationStore;
  readonly outbound: OutboundQueue;
  /** Stored orders: "where is my order" is answered with the order's status when one is stored. */
  readonly orders: Pick<OrderStore, 'get' | 'latestForCustomer'>;
  /** The escalation rule (sensitive words, repeated contacts), by its rules. */
  readonly escalation: EscalationDeps;
  /** Satisfaction survey answers (a lone 1–5 after a survey). */
  readonly surveys: SurveyAnswerDeps;
  /** Channel counters and response-time deadlines. */
  readonly insights: InsightsDeps;
  /** How long one attempt holds an event's claim: its function's lease (event-lease.ts). @default DEFAULT_LEASE_SECONDS */
  readonly leaseSeconds?: number;
  /** Hourly ceilings on automatic responses (`config.autoResponseBudget`). */
  readonly autoResponseBudget: AutoResponseBudget;
  /**
   * The help center: acknowledgements link its best article for the question (the summary with
   * the link; SMS the link only). `support.faq` entries still answer first. Undefined where the
   * deployment configures no help center (`help`): the FAQ alone.
   */
  readonly helpCenter: HelpCenterDeps | undefined;
}

/** Inbound email: the files a mail carries are kept in the attachment store. */
export interface EmailInboundDeps extends InboundDeps {
  readonly inboundPath: 'email';
  readonly attachments: AttachmentStore;
}

/** Inbound SMS: STOP and START change the consent ledger. */
export interface SmsInboundDeps extends InboundDeps {
  readonly inboundPath: 'sms';
  readonly consent: ConsentLedger;
}

/** WhatsApp, Messenger and Instagram: each sender's last message opens Meta's 24-hour window. */
export interface MetaInboundDeps extends InboundDeps {
  readonly inboundPath: 'meta';
  readonly identityWindows: IdentityWindows;
}

/** Live chat: uploads are stored by the chat itself, so nothing beyond every channel's ports. */
export interface ChatInboundDeps extends InboundDeps {
  readonly inboundPath: 'chat';
}

/** One inbound function's dependencies: its path names the channel and so the ports it has. */
export type ReceiveInboundDeps = EmailInboundDeps | SmsInboundDeps | MetaInboundDeps | ChatInboundDeps;

/** Attachment content as the channel parsed it; the core decides what is kept. */
export interface InboundAttachmentContent {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly content: Uint8Array;
}

export interface ReceiveInboundInput {
  readonly message: InboundMessage;
  readonly attachments: readonly InboundAttachmentContent[];
  /** The channel cut an overlong text; the message says so, so an agent knows to look at the original. */
  readonly truncated?: boolean;
}

/** Why an inbound message got no acknowledgement, beside the loop-safety reasons. */
export type AutoReplySkip =
  | AutoReplySuppression
  | 'follow-up'
  | 'window'
  | 'no-channel-address'
  /** A reaction (an emoji on one of our messages) is not a question: nothing to acknowledge. */
  | 'reaction'
  /** STOP, START, HELP…: answered by its confirmation or help text, not an acknowledgement. */
  | 'sms-keyword'
  /** The customer opted out of this channel; only a keyword answer goes back on it. */
  | 'opted-out'
  /** A lone 1–5 answering a satisfaction survey: stored as the score, not acknowledged. */
  | 'survey-answer'
  /** The hourly ceiling of automatic responses (per sender domain or in total) is reached. */
  | 'over-budget'
  /** An SMS from a premium-rate or unnormalisable number: an answer would cost or go nowhere. */
  | 'unanswerable-sender';

export interface ReceiveInboundResult extends InboundOutcome {
  readonly duplicate: boolean;
}

/**
 * Stores one inbound contact exactly once, threads it into the right conversation of the right
 * customer, and queues at most one acknowledgement under the auto-reply policy.
 */
export async function receiveInbound(
  deps: ReceiveInboundDeps,
  input: ReceiveInboundInput,
): Promise<ReceiveInboundResult> {
  const { message } = input;
  const now = deps.clock.now();
  const inboundKey = `inbound#${message.channel}#${message.providerMessageId}`;
  const claim = {
    key: inboundKey,
    now,
    leaseSeconds: deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    what: 'this event',
  };

  if (!continuesByPointer(input)) {
    return handleOnce(deps.ledger, claim, () => storeAndAcknowledge(deps, input, inboundKey, now));
  }
  // A follow-up's message is its own dedupe record (open-conversation.ts); only when the pointer
  // leads nowhere does the event take the ledger's path, with the sender already read.
  const read = await deps.customers.findByIdentityWithEvent?.(senderIdentity(message), inboundKey);
  if (read?.completed) return { ...(read.completed.outcome as InboundOutcome), duplicate: true };
  const sender = await identifySender(deps, message, now, read);
  const followed = await continueFollowUp(deps, input, sender, inboundKey, now);
  if (followed) return followed;
  return handleOnce(deps.ledger, claim, () => storeAndAcknowledge(deps, input, inboundKey, now, sender));
}

/** The follow-up through the pointer, or a redelivery found stored; undefined: the ledger's path. */
async function continueFollowUp(
  deps: ReceiveInboundDeps,
  input: ReceiveInboundInput,
  sender: Sender,
  inboundKey: string,
  now: Date,
): Promise<ReceiveInboundResult | undefined> {
  const { message } = input;
  const followed = await continueOpenConversation(deps, input, sender, inboundKey, now);
  if (followed.outcome === 'not-continued') {
    const storedIn = await conversationStoredIn(deps, sender.customer, message.channel, inboundKey);
    if (storedIn === undefined) return undefined;
    return {
      customerId: sender.customer.id,
      conversationId: storedIn,
      messageId: deps.ids.derive('message', inboundKey),
      autoReply: { queued: false, reasons: ['follow-up'] },
      duplicate: true,
    };
  }
  const placed: Placed = {
    conversation: followed.conversation,
    isNew: false,
    stored: followed.stored,
    surveyAnswer: undefined,
    appended: undefined,
  };
  // No keyword on this path, so this only names the reasons: nothing is sent.
  const reasons = await autoReplySkips(deps, message, sender, placed, inboundKey, now);
  return {
    customerId: sender.customer.id,
    conversationId: followed.conversation.id,
    messageId: followed.stored.id,
    autoReply: { queued: false, reasons },
    duplicate: followed.outcome === 'duplicate',
  };
}

/**
 * The steps of one inbound event, in the order a retry relies on: every step before the
 * acknowledgement is idempotent (ids derived from the event key), so a redelivery after a crash
 * finishes what the first delivery could not.
 */
async function storeAndAcknowledge(
  deps: ReceiveInboundDeps,
  input: ReceiveInboundInput,
  inboundKey: string,
  now: Date,
  identified?: Sender,
): Promise<InboundOutcome> {
  const sender = identified ?? (await identifySender(deps, input.message, now));
  const placed = await storeInConversation(deps, input, sender, inboundKey, now);
  await recordAroundMessage(deps, input.message, sender, placed);
  const reasons = await autoReplySkips(deps, input.message, sender, placed, inboundKey, now);
  const reply =
    reasons.length === 0
      ? await acknowledge(deps, input.message, sender, placed, inboundKey, now)
      : undefined;
  if (reply?.skipped) reasons.push(reply.skipped);
  // Last, so trouble creating a Connect task never holds the acknowledgement back; a retry finds
  // everything before it done (ids are derived) and finishes the escalation. A survey score is
  // not a contact.
  if (!placed.surveyAnswer) {
    await escalateInbound(deps.escalation, {
      conversation: placed.conversation,
      message: input.message,
      inboundKey,
      ...(placed.appended?.unansweredContacts === undefined
        ? {}
        : { unansweredContacts: placed.appended.unansweredContacts }),
    });
  }
  return {
    customerId: sender.customer.id,
    conversationId: placed.conversation.id,
    messageId: placed.stored.id,
    autoReply: {
      queued: reply?.queued === true,
      reasons,
      ...(reply?.faq ? { faq: reply.faq.id } : {}),
      ...(reply?.article ? { article: reply.article.slug } : {}),
    },
  };
}

/** Who wrote: the customer, the language they wrote in, and whether the mail may be forged. */
interface Sender {
  readonly customer: Customer;
  readonly detected: Language | undefined;
  readonly unauthenticated: boolean;
}

async function identifySender(
  deps: ReceiveInboundDeps,
  message: InboundMessage,
  now: Date,
  /** The identity's customer as a read with the event's record found it (undefined: unknown). */
  read?: { readonly customer: Customer | undefined },
): Promise<Sender> {
  // A keyword ("STOP") says nothing about the language the customer reads.
  const detected = message.sms?.keyword
    ? undefined
    : await detectLanguage(message.text || message.subject || '', deps.config.languages);
  // A From that may be forged names the customer by address alone: the mail is kept, flagged,
  // in a conversation of its own, and changes nothing about the customer it claims to be.
  const unauthenticated = isUnauthenticatedMail(message);
  const customer = await resolveCustomer(deps, message, now.toISOString(), detected, read);
  return { customer, detected, unauthenticated };
}

/** Where the message went and what storing it did. */
interface Placed {
  readonly conversation: Conversation;
  readonly isNew: boolean;
  readonly stored: Message;
  readonly surveyAnswer: Awaited<ReturnType<typeof findSurveyAnswer>>;
  /** Undefined when a delivery before this one stored the message already. */
  readonly appended: AppendedMessage | undefined;
}

/** Threads the message, keeps its attachments, creates the conversation if new, stores the message, counts it. */
async function storeInConversation(
  deps: ReceiveInboundDeps,
  input: ReceiveInboundInput,
  sender: Sender,
  inboundKey: string,
  now: Date,
): Promise<Placed> {
  const { message } = input;
  const { config } = deps;
  const { customer, detected, unauthenticated } = sender;
  const newConversationId = deps.ids.derive('conversation', inboundKey);
  // A survey answer joins its (closed) conversation before threading could start a new one.
  const surveyAnswer = unauthenticated ? undefined : await findSurveyAnswer(deps, message, customer.id, now);
  const thread = surveyAnswer
    ? { conversation: surveyAnswer.conversation, isNew: false }
    : unauthenticated
      ? { isNew: true }
      : await threadInbound(
          deps.conversations,
          message,
          customer.id,
          config.conversationWindowMinutes,
          now,
          newConversationId,
        );

  const quarantined = message.email?.verdicts.virus === 'FAIL';
  const own = messageFlags(message);
  if (unauthenticated) own.push('unauthenticated');
  const flags = inboundFlags(input, own);
  const conversationId = thread.conversation?.id ?? newConversationId;
  const messageId = deps.ids.derive('message', inboundKey);

  const kept = await keepAttachments(deps, input.attachments, {
    conversationId,
    messageId,
    quarantined,
  });
  // Media a platform holds for us (WhatsApp media ids, Messenger URLs) have no content here:
  // their references are stored as they came, and so is what a channel could not read…
  const attachments = [
    ...kept,
    // … and files the sender stored themselves (a chat upload, checked by the channel).
    ...message.attachments.filter(
      (a) => a.media !== undefined || a.skippedReason !== undefined || a.objectKey !== undefined,
    ),
  ];

  const base: Conversation = thread.conversation ?? {
    id: conversationId,
    customerId: customer.id,
    channel: message.channel,
    status: quarantined ? 'quarantined' : 'open',
    subject: message.subject,
    language: detected,
    createdAt: message.receivedAt,
    lastMessageAt: message.receivedAt,
    flags,
  };
  const conversation = thread.conversation ? base : await deps.conversations.create(base);
  await pointFollowUps(deps, input, sender, thread, conversation, now);

  const stored = inboundMessageRecord(message, {
    id: messageId,
    conversationId,
    attachments,
    language: detected,
    flags,
  });
  const reopen =
    (conversation.status === 'closed' || conversation.status === 'pending') && surveyAnswer === undefined;
  // The escalation rule's tally rides on the conversation update that stores the message. A
  // survey score is not a contact.
  const countedContact =
    surveyAnswer === undefined && countsTowardsRepeatedContacts(deps.escalation, conversation, message);
  const appended = await deps.conversations.appendMessage(stored, {
    reopen: reopen && !quarantined,
    ...(countedContact ? { contactKey: inboundKey } : {}),
    // The stored item names what it counts: the table's stream counts it off this path.
    countAs: thread.isNew ? ('inbound-opening' as const) : ('inbound' as const),
  });
  // Counted once: a retry finds the message stored and counts nothing, so a failed count is
  // reported rather than thrown (a retry could not make up for it).
  if (appended) {
    await recordInbound(deps.insights, {
      message: stored,
      conversation,
      isNew: thread.isNew,
      counted: appended.counted === true,
    }).catch((error: unknown) => deps.insights.onFailure?.(error));
  }
  return { conversation, isNew: thread.isNew, stored, surveyAnswer, appended };
}

/**
 * Makes the conversation this message opened (or continued another way than through the pointer)
 * the one its channel's follow-ups continue. Before the message is stored, so a retry after a crash
 * points it still; only where follow-ups use the pointer, and never for a mail that may be forged.
 */
async function pointFollowUps(
  deps: ReceiveInboundDeps,
  input: ReceiveInboundInput,
  sender: Sender,
  thread: { readonly isNew: boolean; readonly via?: string },
  conversation: Conversation,
  now: Date,
): Promise<void> {
  if (!continuesByPointer(input) || sender.unauthenticated) return;
  if (!thread.isNew && thread.via !== 'open-conversation') return;
  if (conversation.status !== 'open' && conversation.status !== 'pending') return;
  const since = thread.isNew ? conversation.createdAt : now.toISOString();
  await pointOpenConversation(deps, sender.customer, input.message.channel, conversation.id, since);
}

/** What the message changes beside its conversation: the survey score, the messaging window, threading references, the customer's language. */
async function recordAroundMessage(
  deps: ReceiveInboundDeps,
  message: InboundMessage,
  sender: Sender,
  placed: Placed,
): Promise<void> {
  const { customer, detected, unauthenticated } = sender;
  const { surveyAnswer, stored } = placed;
  const conversationId = placed.conversation.id;
  if (surveyAnswer) await recordSurveyAnswer(deps, surveyAnswer, stored);
  if (deps.inboundPath === 'meta' && WINDOWED_CHANNELS.has(message.channel)) {
    // The window opens for the sender, whatever conversation the message landed on.
    await deps.identityWindows.recordInbound(message.from, message.channel, message.receivedAt);
  }

  const ownMessageId = message.email?.threading.messageId;
  if (ownMessageId) {
    await deps.conversations.recordEmailReference(ownMessageId, { conversationId, customerId: customer.id });
  }
  if (detected && detected !== customer.detectedLanguage && !unauthenticated) {
    await deps.customers.recordDetectedLanguage(customer.id, detected);
  }
}

/** Why this message gets no acknowledgement (empty: it may get one); answers an SMS keyword on the way. */
async function autoReplySkips(
  deps: ReceiveInboundDeps,
  message: InboundMessage,
  sender: Sender,
  placed: Placed,
  inboundKey: string,
  now: Date,
): Promise<AutoReplySkip[]> {
  const { config } = deps;
  const { customer } = sender;
  const { surveyAnswer } = placed;
  const conversationId = placed.conversation.id;
  const thread = { isNew: placed.isNew };
  const reasons: AutoReplySkip[] = [
    ...autoReplySuppressions({ from: message.from, email: message.email }, [
      config.supportAddress,
      ...config.ownAddresses,
      ...(config.sms?.ownNumbers ?? []),
    ]),
  ];
  if (surveyAnswer) reasons.push('survey-answer');
  else if (!thread.isNew) reasons.push('follow-up');
  if (message.flags?.includes('reaction')) reasons.push('reaction');
  // WhatsApp answers the id Meta gave, valid number or not; a mail or SMS sender that did not
  // normalise has no address to answer, and a premium-rate number would bill the shop.
  const unanswerable =
    message.flags?.includes(SPECIAL_RATE_SENDER) ||
    (message.channel !== 'whatsapp' && message.flags?.includes(SENDER_NOT_NORMALISED));
  if (unanswerable) {
    reasons.push('unanswerable-sender');
  } else if (deps.inboundPath === 'sms' && message.sms?.keyword && !reasons.includes('own-address')) {
    reasons.push('sms-keyword');
    await answerSmsKeyword(deps, { message, customer, conversationId, inboundKey, now });
  } else if (message.channel === 'sms' && customer.consent.sms === 'opted-out') {
    // After STOP, carriers allow one confirmation and nothing else until START; other channels'
    // opt-outs are about marketing and do not silence an acknowledgement.
    reasons.push('opted-out');
  }

  return reasons;
}

/** The acknowledgement, once the customer's window slot and the hourly budget allow it. */
async function acknowledge(
  deps: ReceiveInboundDeps,
  message: InboundMessage,
  sender: Sender,
  placed: Placed,
  inboundKey: string,
  now: Date,
): Promise<{ queued: boolean; skipped?: AutoReplySkip; faq?: FaqMatch; article?: LinkedArticle }> {
  const { config } = deps;
  const { customer, detected } = sender;
  const { conversation } = placed;
  const conversationId = conversation.id;
  const slot = await deps.customers.claimAutoReplySlot(
    customer.id,
    now,
    config.autoReplyWindowMinutes,
    inboundKey,
  );
  // The budget is taken after the customer's slot, so one customer writing often spends none
  // of it; a slot taken while over budget stays taken, which errs towards sending less.
  if (!slot) return { queued: false, skipped: 'window' };
  if (await deps.autoResponseBudget.take(budgetScopes(message, config), now)) {
    return { queued: false, skipped: 'over-budget' };
  }
  const language = chooseReplyLanguage(
    {
      preferred: customer.language ?? message.chat?.browserLanguage,
      detected,
      previous: customer.detectedLanguage ?? message.languageHint,
    },
    config,
  );
  // Not by SMS: an FAQ answer is several segments (UCS-2 for Turkish), and a shop pays per
  // segment for every first message; the SMS acknowledgement stays one segment where it can.
  const question = `${message.subject ?? ''} ${message.text}`;
  const help = deps.helpCenter;
  // The shop's own FAQ answers first; the built-in one only stands in without a help center.
  const asked = help
    ? config.faq && matchFaq(question, language, config.faq)
    : matchFaq(question, language, config.faq ?? DEFAULT_FAQ);
  const found = help && !asked ? answerFromHelpCenter(help, question, language) : {};
  let article = found.article;
  let faq = message.channel === 'sms' ? undefined : asked || undefined;
  // An anonymous chat visitor proved nothing about who they are: no order is named to them.
  const mayHearOrders = message.channel !== 'chat' || message.chat?.identified !== undefined;
  if (mayHearOrders) {
    // The stored status of the customer's order beats the generic answer, on every channel
    // (SMS included: the status is what the customer texted for).
    const orderQuestion =
      article?.intent === 'order-status'
        ? { id: ORDER_STATUS_FAQ_ID, answer: article.summary, language }
        : asked || undefined;
    const status = await answerOrderQuestion(deps.orders, {
      customerId: customer.id,
      text: question,
      language,
      faq: orderQuestion,
    });
    if (status) {
      faq = status;
      // The order's own data is the answer; the article explains the status around it.
      if (help && (!article || article.intent === 'order-status')) {
        article = articleForOrderStatus(help, status.orderStatus, language);
      }
    }
  }
  // A generated answer stands in for the summary only where the summary would be said.
  let generated: GroundedAnswer | undefined;
  if (help?.answers && article && !faq && message.channel !== 'sms') {
    generated = await composeGroundedAnswer(help, help.answers, {
      question,
      language,
      matches: help.knowledgeBase.rank(question, language, 3),
    });
  }
  if (help)
    await countSelfService(help, {
      article,
      answered: faq !== undefined,
      question,
      language,
      message,
      conversationId,
      now,
    });
  await deps.outbound.enqueue(
    acknowledgement(deps, {
      message,
      conversation,
      customer,
      language,
      inboundKey,
      now,
      faq,
      article,
      generated,
    }),
  );
  return { queued: true, ...(faq ? { faq } : {}), ...(article ? { article } : {}) };
}

async function resolveCustomer(
  deps: ReceiveInboundDeps,
  message: InboundMessage,
  nowIso: string,
  detectedLanguage: Language | undefined,
  read?: { readonly customer: Customer | undefined },
) {
  const identity = senderIdentity(message);
  const known = read ? read.customer : await deps.customers.findByIdentity(identity);
  if (known) return known;
  const fresh: Customer = {
    // Derived from the identity, so two racing first messages propose the same customer.
    id: deps.ids.derive('customer', identity.kind, identity.value),
    // A mail's display name is whatever its writer typed, forged From or not, and the name goes
    // into messages signed with the shop's domain: email customers get theirs from the shop.
    name: message.channel === 'email' ? undefined : message.fromName,
    detectedLanguage,
    consent: {},
    identities: [identity],
    createdAt: nowIso,
  };
  return deps.customers.createWithIdentity(fresh, identity);
}

/**
 * Who the message is from for the customer directory. A chat visitor the shop signed for is that
 * email's (or phone's) customer; answers still go to the widget (`from`).
 */
function senderIdentity(message: InboundMessage) {
  return message.chat?.identified ?? message.from;
}

function messageFlags(message: InboundMessage): string[] {
  const verdicts = message.email?.verdicts;
  if (!verdicts) return [];
  const flags: string[] = [];
  if (verdicts.virus === 'FAIL') flags.push('virus');
  if (verdicts.spam === 'FAIL') flags.push('spam');
  if (verdicts.dmarc === 'FAIL') flags.push('dmarc-fail');
  return flags;
}

async function keepAttachments(
  deps: ReceiveInboundDeps,
  contents: readonly InboundAttachmentContent[],
  where: { conversationId: string; messageId: string; quarantined: boolean },
): Promise<AttachmentRef[]> {
  const limits = deps.config.attachments;
  const kept: AttachmentRef[] = [];
  // One at a time: attachments can be large and a Lambda has little memory to spare.
  for (const [index, attachment] of contents.entries()) {
    const meta = {
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.size,
    };
    if (where.quarantined) {
      kept.push({ ...meta, skippedReason: 'not stored: the virus scan of this mail failed' });
    } else if (index >= limits.maxCount) {
      kept.push({ ...meta, skippedReason: `not stored: more than ${limits.maxCount} attachments` });
    } else if (attachment.size > limits.maxBytesEach) {
      kept.push({ ...meta, skippedReason: `not stored: larger than ${limits.maxBytesEach} bytes` });
    } else if (deps.inboundPath !== 'email') {
      // Only mail carries files to keep: other channels' media are references, stored as they came.
      kept.push({ ...meta, skippedReason: 'not stored: this channel keeps no files' });
    } else {
      const key = `${where.conversationId}/${where.messageId}/${index}-${attachment.filename}`;
      const objectKey = await deps.attachments.put(key, attachment.content, attachment.contentType);
      kept.push({ ...meta, objectKey });
    }
  }
  return kept;
}

function acknowledgement(
  deps: ReceiveInboundDeps,
  input: {
    message: InboundMessage;
    conversation: Conversation;
    customer: Customer;
    language: Language;
    inboundKey: string;
    now: Date;
    faq?: FaqMatch;
    article?: LinkedArticle;
    /** Said instead of the article's summary, with its own reference list of links. */
    generated?: GroundedAnswer;
  },
): OutboundRequest {
  const { message, conversation, customer, language, now, article } = input;
  const { config } = deps;
  const timeZone = customer.timezone ?? config.businessHours.timezone;
  const deadline = addBusinessMinutes(now, config.firstResponseTargetMinutes, config.businessHours);
  const sms = message.channel === 'sms';
  const content = renderAcknowledgement({
    language,
    customerName: customer.name,
    responseBy: formatResponseDeadline(deadline, now, language, timeZone),
    reference: conversationReference(conversation.id),
    channel: message.channel,
    // An FAQ or order-status answer is said as written; an article speaks through its summary.
    faqAnswer: input.faq?.answer ?? input.generated?.text ?? (sms ? undefined : article?.summary),
    articleUrl: input.generated ? undefined : article?.url,
  });
  const text = sms ? smsText(content, config.sms?.fitAcknowledgementToOneSegment ?? false) : content.text;
  // The link is reported only where the text kept it (an SMS may have had to drop it).
  const candidates = input.generated?.articles ?? (article ? [{ slug: article.slug, url: article.url }] : []);
  const kept = candidates.filter((a) => text.includes(a.url));
  const linked = kept.length > 0 ? kept : undefined;
  const threading = message.email?.threading;
  return {
    id: deps.ids.derive('auto-reply', input.inboundKey),
    kind: 'auto-reply',
    channel: message.channel,
    customerId: customer.id,
    conversationId: conversation.id,
    to: message.from.value,
    language,
    subject: content.subject,
    text,
    ...(linked ? { articles: linked } : {}),
    email: threading
      ? {
          inReplyTo: threading.messageId,
          references: [...threading.references, ...(threading.messageId ? [threading.messageId] : [])],
          replyToken: conversation.id,
        }
      : undefined,
    // RFC 3834: mark the answer as automatic; Exchange honours the suppress header.
    headers:
      message.channel === 'email'
        ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
        : {},
    requestedAt: now.toISOString(),
  };
}

/**
 * What one automatic response is counted against: the sender's organizational domain (email;
 * subdomains cannot spread a flood), then the deployment's total.
 */
function budgetScopes(message: InboundMessage, config: SupportConfig): AutoResponseBudgetScope[] {
  const { perSenderDomainPerHour, perHour } = config.autoResponseBudget;
  const scopes: AutoResponseBudgetScope[] = [];
  const senderDomain =
    message.channel === 'email'
      ? (message.email?.authentication?.fromDomain ?? domainOf(message.from.value))
      : undefined;
  if (senderDomain !== undefined) {
    scopes.push({
      kind: 'sender-domain',
      key: senderDomain,
      limit: perSenderDomainPerHour,
    });
  }
  scopes.push({ kind: 'global', key: 'all', limit: perHour });
  return scopes;
}

/**
 * The SMS acknowledgement: one SMS segment where the GSM-7 spelling of Turkish gets it there (a
 * third of the cost). With a help-center link: the full text with the link if that fits one
 * segment, else the terser text with the link, else the acknowledgement without the link.
 */
function smsText(content: { text: string; shorterText?: string }, fitOne: boolean): string {
  const segmentFit = (text: string) => (fitOne ? fitOneSegment(text) : text);
  if (content.shorterText === undefined) return segmentFit(content.text);
  for (const candidate of [content.text, content.shorterText]) {
    const fitted = segmentFit(candidate);
    if (countSmsSegments(fitted).segments === 1) return fitted;
  }
  const withoutLink = content.text.slice(0, content.text.lastIndexOf('\n'));
  return segmentFit(withoutLink);
}

async function countSelfService(
  help: HelpCenterDeps,
  input: {
    article?: LinkedArticle;
    answered: boolean;
    question: string;
    language: Language;
    message: InboundMessage;
    conversationId: string;
    now: Date;
  },
): Promise<void> {
  try {
    if (input.article) {
      await help.log?.recordAnswer({
        slug: input.article.slug,
        language: input.article.language,
        channel: input.message.channel,
        conversationId: input.conversationId,
        at: input.now,
      });
    } else if (!input.answered) {
      const question = normalizedQuestion(input.question, input.language);
      if (question !== '')
        await help.log?.recordUnanswered({ question, language: input.language, at: input.now });
    }
  } catch (error) {
    // A counter is not worth a second acknowledgement: the retry would send nothing new.
    help.onFailure?.(error);
  }
}

/** The short reference a customer sees and can quote: the first characters of the id. */
export function conversationReference(conversationId: string): string {
  return conversationId.slice(0, 8).toUpperCase();
}
