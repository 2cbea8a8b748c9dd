import { foldForMatching } from '../auto-reply/faq.ts';
import type { Conversation, EscalationReason, InboundMessage } from '../model.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import type { AgentTasks, EscalationLog } from '../ports/service-levels.ts';

export type { Escalation, EscalationReason } from '../model.ts';

/** What raising an escalation needs; `agentTasks` is present only when a Connect task flow is configured. */
export interface EscalationDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly escalations: EscalationLog;
  /** Amazon Connect tasks (StartTaskContact); absent: escalations are only recorded. */
  readonly agentTasks?: AgentTasks;
  readonly config?: EscalationRules;
}

/** The escalation rule's settings; every field has a default. */
export interface EscalationRules {
  /** Inbound contacts on one conversation without an answer that escalate it. @default 3 */
  readonly repeatedContacts?: number;
  /** Words per language that escalate a message at once. @default SENSITIVE_WORDS */
  readonly sensitiveWords?: Readonly<Record<string, readonly string[]>>;
}

const DEFAULT_REPEATED_CONTACTS = 3;

/**
 * Words that mean a customer is about to go to a lawyer, a bank or an authority: a person should
 * look now, not when the queue gets there. Turkish entries match as the start of a word (Turkish
 * adds suffixes: "avukatım", "şikayetçiyim", "davacı"); the others as a whole word, plural and
 * possessive included. Matching folds case and accents, so "ŞİKÂYET" and "sikayet" both hit.
 */
export const SENSITIVE_WORDS: Readonly<Record<string, readonly string[]>> = {
  tr: [
    'avukat',
    'şikayet',
    'dava',
    'mahkeme',
    'tüketici hakem',
    'tüketici mahkemesi',
    'savcılık',
    'suç duyurusu',
    'ihtarname',
    'noter',
    'dolandır',
  ],
  en: [
    'lawyer',
    'attorney',
    'solicitor',
    'lawsuit',
    'sue',
    'legal action',
    'chargeback',
    'dispute the charge',
    'fraud',
    'scam',
    'complaint',
    'ombudsman',
    'trading standards',
  ],
};

/** Languages whose words take suffixes: a term matches the start of a word there. */
const SUFFIXING_LANGUAGES = new Set(['tr']);

/**
 * The first sensitive term in `text`, or undefined. A Turkish term must start a word and may be
 * followed by suffixes ("davayı"; but not "davet", which does not start with "dava"); an English
 * term must be a whole word, optionally with "s", "es" or "'s" ("lawyers", but not "issue" for
 * "sue"). Multi-word terms match the same way on each word in sequence.
 */
export function findSensitiveTerm(
  text: string,
  words: Readonly<Record<string, readonly string[]>> = SENSITIVE_WORDS,
): string | undefined {
  const tokens = foldForMatching(text).split(' ').filter(Boolean);
  if (tokens.length === 0) return undefined;
  for (const [language, terms] of Object.entries(words)) {
    const suffixing = SUFFIXING_LANGUAGES.has(language);
    for (const term of terms) {
      const parts = foldForMatching(term).split(' ').filter(Boolean);
      if (parts.length === 0) continue;
      for (let start = 0; start + parts.length <= tokens.length; start++) {
        const hit = parts.every((part, offset) => {
          const token = tokens[start + offset] ?? '';
          const last = offset === parts.length - 1;
          if (suffixing) return last ? token.startsWith(part) : token === part || token.startsWith(part);
          return (
            token === part || (last && /^(s|es)$/.test(token.slice(part.length)) && token.startsWith(part))
          );
        });
        if (hit) return term;
      }
    }
  }
  return undefined;
}

/**
 * Records the escalation on the conversation (idempotent on eventKey) and, when a Connect task
 * flow is configured, creates one agent task. Returns false when this eventKey already escalated.
 */
export async function raiseEscalation(
  deps: EscalationDeps,
  input: {
    readonly conversation: Conversation;
    readonly reason: EscalationReason;
    readonly detail?: string;
    readonly eventKey: string;
  },
): Promise<boolean> {
  const { conversation, reason, eventKey } = input;
  const { created, stored } = await deps.escalations.record({
    conversationId: conversation.id,
    customerId: conversation.customerId,
    reason,
    ...(input.detail ? { detail: input.detail } : {}),
    eventKey,
    at: deps.clock.now().toISOString(),
  });
  // Recorded first, task second: a crash in between leaves a record without a task, which the
  // retry finishes (the client token keeps Connect at one task).
  if (deps.agentTasks && stored.taskId === undefined) {
    const { taskId } = await deps.agentTasks.create({
      clientToken: deps.ids.derive('escalation-task', conversation.id, eventKey),
      name: taskName(stored.reason, conversation),
      description: taskDescription(stored.reason, stored.detail, conversation),
      conversationId: conversation.id,
      customerId: conversation.customerId,
    });
    await deps.escalations.attachTask(conversation.id, eventKey, taskId);
  }
  return created;
}

/** Connect limits a task name to 512 characters and shows it in the agent's queue. */
function taskName(reason: EscalationReason, conversation: Conversation): string {
  const label: Record<EscalationReason, string> = {
    'repeated-contacts': 'Repeated contacts',
    'sensitive-words': 'Sensitive words',
    'first-response-breach': 'First response overdue',
    'resolution-breach': 'Resolution overdue',
  };
  return `${label[reason]}: ${conversation.channel} conversation ${conversation.id.slice(0, 8).toUpperCase()}`.slice(
    0,
    512,
  );
}

/** No customer text in the task: it is read in the conversation, behind the agent's sign-in. */
function taskDescription(
  reason: EscalationReason,
  detail: string | undefined,
  conversation: Conversation,
): string {
  return [
    `Escalated: ${reason}${detail ? ` (${detail})` : ''}.`,
    `Conversation ${conversation.id} on ${conversation.channel}, customer ${conversation.customerId}.`,
  ]
    .join(' ')
    .slice(0, 4096);
}

/** Spam, quarantined and reaction-only messages are not contacts: the rule neither counts nor escalates them. */
function isContact(
  conversation: Pick<Conversation, 'status'>,
  message: Pick<InboundMessage, 'flags' | 'email'>,
): boolean {
  if (conversation.status === 'quarantined') return false;
  if (message.email && (message.email.verdicts.spam === 'FAIL' || message.email.verdicts.virus === 'FAIL')) {
    return false;
  }
  return !message.flags?.includes('reaction');
}

/**
 * Whether the rule would count this message among the contacts since the last answer: a contact
 * without sensitive words (those escalate at once, uncounted). The conversation store can count it
 * in the write that stores the message (`AppendEffect.contactKey`).
 */
export function countsTowardsRepeatedContacts(
  deps: Pick<EscalationDeps, 'config'>,
  conversation: Pick<Conversation, 'status'>,
  message: Pick<InboundMessage, 'text' | 'subject' | 'flags' | 'email'>,
): boolean {
  return isContact(conversation, message) && sensitiveTermOf(deps, message) === undefined;
}

function sensitiveTermOf(
  deps: Pick<EscalationDeps, 'config'>,
  message: Pick<InboundMessage, 'text' | 'subject'>,
): string | undefined {
  return findSensitiveTerm(
    `${message.subject ?? ''} ${message.text}`,
    deps.config?.sensitiveWords ?? SENSITIVE_WORDS,
  );
}

/**
 * The escalation rule for one inbound contact: sensitive words in it escalate at once; otherwise
 * the contact is counted, and the Nth contact without an answer escalates. Spam, quarantined and
 * reaction-only messages are not contacts. Returns the reason that escalated, if any.
 *
 * `unansweredContacts`: the count the conversation store took while storing the message; absent,
 * the escalation log counts it (one write of its own).
 */
export async function escalateInbound(
  deps: EscalationDeps,
  input: {
    readonly conversation: Conversation;
    readonly message: Pick<InboundMessage, 'text' | 'subject' | 'flags' | 'email'>;
    readonly inboundKey: string;
    readonly unansweredContacts?: number;
  },
): Promise<EscalationReason | undefined> {
  const { conversation, message, inboundKey } = input;
  if (!isContact(conversation, message)) return undefined;

  const term = sensitiveTermOf(deps, message);
  if (term) {
    await raiseEscalation(deps, {
      conversation,
      reason: 'sensitive-words',
      detail: `matched "${term}"`,
      eventKey: inboundKey,
    });
    return 'sensitive-words';
  }

  const threshold = deps.config?.repeatedContacts ?? DEFAULT_REPEATED_CONTACTS;
  // Counted since the last answer a person gave, so every answer starts the count again
  // (conversations answered before lastAgentReplyAt was recorded count from their first answer).
  const since = conversation.lastAgentReplyAt ?? conversation.firstResponseAt ?? 'unanswered';
  const count =
    input.unansweredContacts ??
    (await deps.escalations.countUnansweredContact(conversation.id, since, inboundKey));
  if (count < threshold) return undefined;
  await raiseEscalation(deps, {
    conversation,
    reason: 'repeated-contacts',
    detail: `${count} contacts without an answer`,
    // One escalation per unanswered streak, however many more contacts follow.
    eventKey: `repeated-contacts#${since}`,
  });
  return 'repeated-contacts';
}
