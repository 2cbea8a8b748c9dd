import type { SupportConfig } from '../config.ts';
import {
  countsTowardsRepeatedContacts,
  type EscalationDeps,
  escalateInbound,
} from '../conversations/escalation.ts';
import { DEFAULT_LEASE_SECONDS } from '../event-lease.ts';
import { handleOnce } from '../exactly-once.ts';
import type { Channel, Conversation, Customer, Message } from '../model.ts';
import type { ConversationStore } from '../ports/conversations.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { EventLedger } from '../ports/event-ledger.ts';
import type { DeferredSends, OutboundQueue } from '../ports/outbound.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import type { ConnectContacts, VoiceContactRecord, VoiceContacts } from '../ports/voice.ts';
import { type InsightsDeps, recordInbound } from '../service-levels/counters.ts';
import { followUpMissedCall, type MissedCallOutcome } from './missed-call.ts';

/** One Amazon Connect contact event, as functions/channels/connect normalizes it. */
export interface ContactEvent {
  readonly contactId: string;
  /** INITIATED, QUEUED, CONNECTED_TO_AGENT, DISCONNECTED, …; new types are recorded as they come. */
  readonly eventType: string;
  /** VOICE, CHAT, TASK, EMAIL (upper case). */
  readonly channel: string;
  readonly initiationMethod?: string;
  /** When this event happened (its own timestamp in the detail, else the EventBridge time). */
  readonly at: string;
  readonly initiatedAt?: string;
  readonly queue?: { readonly name?: string; readonly arn?: string; readonly enqueuedAt?: string };
  readonly agent?: { readonly arn?: string; readonly connectedAt?: string };
  readonly disconnectedAt?: string;
  readonly disconnectReason?: string;
}

export interface ContactEventDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly ledger: EventLedger;
  readonly customers: CustomerDirectory;
  readonly conversations: ConversationStore;
  readonly contacts: VoiceContacts;
  /** The Connect API (DescribeContact), for contacts the flow never saw. */
  readonly connect?: ConnectContacts;
  readonly outbound: OutboundQueue;
  readonly deferredSends?: DeferredSends;
  /** The channels this deployment can send on (the missed-call follow-up picks from them). */
  readonly channels: ReadonlySet<Channel>;
  /** The escalation rule: the third unanswered call on an issue escalates it. */
  readonly escalation: EscalationDeps;
  /** Channel insights: each inbound call counts once, under voice. */
  readonly insights: InsightsDeps;
  /** How long one attempt holds an event's claim: its function's lease (event-lease.ts). @default DEFAULT_LEASE_SECONDS */
  readonly leaseSeconds?: number;
}

export interface ContactEventOutcome {
  readonly status: 'recorded' | 'ignored' | 'no-caller';
  readonly reason?: string;
  readonly customerId?: string;
  readonly conversationId?: string;
  readonly messageId?: string;
  readonly missedCall?: MissedCallOutcome;
}

export interface ContactEventResult extends ContactEventOutcome {
  readonly duplicate: boolean;
}

/**
 * Puts one contact event on the caller's timeline, once per contact and event type: the call's
 * voice conversation (the caller's open one within the conversation window, else a new one per
 * call) gets an entry with its times, queue, agent and disconnect reason. A call that hung up in
 * the queue gets one missed-call follow-up.
 */
export async function recordContactEvent(
  deps: ContactEventDeps,
  event: ContactEvent,
): Promise<ContactEventResult> {
  if (event.channel !== 'VOICE') {
    // Chats and tasks (our own escalation tasks among them) are not calls.
    return { status: 'ignored', reason: `not a call (${event.channel})`, duplicate: false };
  }
  const key = `voice#${event.contactId}#${event.eventType}`;
  const now = deps.clock.now();
  return handleOnce(
    deps.ledger,
    { key, now, leaseSeconds: deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS, what: 'this contact event' },
    () => record(deps, event, key, now),
  );
}

async function record(
  deps: ContactEventDeps,
  event: ContactEvent,
  key: string,
  now: Date,
): Promise<ContactEventOutcome> {
  const known = await deps.contacts.get(event.contactId);
  const customer = await resolveCaller(deps, event, known, now);
  if (!customer) return { status: 'no-caller', reason: 'the caller withheld their number' };

  const conversation = await callConversation(deps, event, customer, known, now);
  const missed = isAbandoned(event);
  const message: Message = {
    id: deps.ids.derive('voice-event', event.contactId, event.eventType),
    conversationId: conversation.id,
    direction: event.initiationMethod === 'OUTBOUND' ? 'outbound' : 'inbound',
    channel: 'voice',
    at: event.at,
    text: describe(event, missed),
    attachments: [],
    providerMessageId: event.contactId,
    flags: [`call-${event.eventType.toLowerCase().replace(/_/g, '-')}`, ...(missed ? ['missed-call'] : [])],
  };
  const reopen = conversation.status === 'closed' || conversation.status === 'pending';
  // A call is a contact too: the third unanswered one on an issue escalates it. It is counted in
  // the write that stores it, as a written message is.
  const contact = { text: '', flags: message.flags };
  const escalating = event.eventType === 'INITIATED' && message.direction === 'inbound';
  const counted = escalating && countsTowardsRepeatedContacts(deps.escalation, conversation, contact);
  const appended = await deps.conversations.appendMessage(message, {
    reopen,
    ...(counted ? { contactKey: key } : {}),
  });
  if (appended) await countCall(deps, event, message, conversation, known);

  if (escalating) {
    await escalateInbound(deps.escalation, {
      conversation,
      message: contact,
      inboundKey: key,
      ...(appended?.unansweredContacts === undefined
        ? {}
        : { unansweredContacts: appended.unansweredContacts }),
    });
  }

  const missedCall = missed
    ? await followUpMissedCall(deps, { contactId: event.contactId, customer, conversation, now })
    : undefined;
  return {
    status: 'recorded',
    customerId: customer.id,
    conversationId: conversation.id,
    messageId: message.id,
    ...(missedCall ? { missedCall } : {}),
  };
}

/**
 * The caller: from the contact record (the customer an event fixed, or the number the flow
 * wrote), else from Connect itself; a number we do not know becomes a customer, so no call is
 * missing from anyone's history.
 */
async function resolveCaller(
  deps: ContactEventDeps,
  event: ContactEvent,
  known: VoiceContactRecord | undefined,
  now: Date,
): Promise<Customer | undefined> {
  if (known?.customerId) {
    const customer = await deps.customers.get(known.customerId);
    if (customer) return customer;
  }
  let phone = known?.phone;
  if (!phone && deps.connect) {
    const described = await deps.connect.describe(event.contactId);
    // The phone metadata only on this path (a caller the lookup never saw), not on every cold start.
    const { toE164 } = await import('../customers/phone.ts');
    phone = described?.customerPhone ? toE164(described.customerPhone) : undefined;
  }
  if (!phone) return undefined;
  const identity = { kind: 'phone' as const, value: phone };
  const customer =
    (await deps.customers.findByIdentity(identity)) ??
    (await deps.customers.createWithIdentity(
      {
        // Derived from the identity, as for a first SMS: both paths propose the same customer.
        id: deps.ids.derive('customer', identity.kind, identity.value),
        consent: {},
        identities: [identity],
        createdAt: now.toISOString(),
      },
      identity,
    ));
  // A number on the record already leads the next event to the customer the same way; only a
  // number Connect told us is worth writing down (it saves the next event a DescribeContact).
  if (!known?.phone) {
    await deps.contacts.remember({
      contactId: event.contactId,
      customerId: customer.id,
      phone,
      firstSeenAt: now.toISOString(),
    });
  }
  return customer;
}

/** One conversation per call at most: the first event to need one fixes it on the contact record. */
async function callConversation(
  deps: ContactEventDeps,
  event: ContactEvent,
  customer: Customer,
  known: VoiceContactRecord | undefined,
  now: Date,
): Promise<Conversation> {
  if (known?.conversationId) {
    const bound = await deps.conversations.get(known.conversationId);
    if (bound) return bound;
  }
  const open = await deps.conversations.latestOpenConversation(customer.id, 'voice');
  const windowStart = now.getTime() - deps.config.conversationWindowMinutes * 60_000;
  const candidate: Conversation =
    open && Date.parse(open.lastMessageAt) >= windowStart
      ? open
      : {
          id: ownConversationId(deps, event.contactId),
          customerId: customer.id,
          channel: 'voice',
          status: 'open',
          subject: 'Phone call',
          createdAt: event.initiatedAt ?? event.at,
          lastMessageAt: event.initiatedAt ?? event.at,
        };
  const bound = await deps.contacts.bindConversation(event.contactId, candidate.id);
  if (bound === candidate.id) {
    return candidate === open ? candidate : deps.conversations.create(candidate);
  }
  // Another event of this call fixed its conversation first.
  return (await deps.conversations.get(bound)) ?? deps.conversations.create({ ...candidate, id: bound });
}

/** The conversation a call opens when the caller has no open voice conversation to join. */
function ownConversationId(deps: Pick<ContactEventDeps, 'ids'>, contactId: string): string {
  return deps.ids.derive('conversation', 'voice', contactId);
}

/**
 * One inbound call is one inbound contact in the insights, counted by whichever of its entries is
 * stored first (events arrive in any order, and not every call sends every event type). Like an
 * inbound message, it is counted at most once: a failed count is reported, not retried. A call
 * gets no response-time deadlines: it is answered on the phone, and no agent reply would ever
 * mark it answered.
 */
async function countCall(
  deps: ContactEventDeps,
  event: ContactEvent,
  message: Message,
  conversation: Conversation,
  known: VoiceContactRecord | undefined,
): Promise<void> {
  const insights = deps.insights;
  if (message.direction !== 'inbound' || known?.countedAt) return;
  try {
    if (!(await deps.contacts.markCounted(event.contactId, deps.clock.now().toISOString()))) return;
    await recordInbound(
      { ...insights, deadlines: undefined },
      {
        message,
        conversation,
        // The call opened a conversation of its own (not the caller's open one).
        isNew: conversation.id === ownConversationId(deps, event.contactId),
      },
    );
  } catch (error) {
    insights.onFailure?.(error);
  }
}

/**
 * Hung up while waiting: the call was queued and no agent took it. Decided from the DISCONNECTED
 * event alone, which carries the contact's queue and agent info: events arrive in any order.
 */
export function isAbandoned(event: ContactEvent): boolean {
  return (
    event.eventType === 'DISCONNECTED' &&
    (event.initiationMethod === undefined || event.initiationMethod === 'INBOUND') &&
    event.queue?.enqueuedAt !== undefined &&
    event.agent?.connectedAt === undefined
  );
}

/** The agent-facing line on the timeline; ids and times only, nothing the caller said. */
function describe(event: ContactEvent, missed: boolean): string {
  const queue = event.queue?.name ?? lastSegment(event.queue?.arn);
  const agent = lastSegment(event.agent?.arn);
  switch (event.eventType) {
    case 'INITIATED':
      return `Call started (${(event.initiationMethod ?? 'INBOUND').toLowerCase()}) at ${event.at}`;
    case 'QUEUED':
      return `Call queued${queue ? ` in ${queue}` : ''} at ${event.at}`;
    case 'CONNECTED_TO_AGENT': {
      const waited = seconds(event.queue?.enqueuedAt, event.agent?.connectedAt ?? event.at);
      return `Call answered${agent ? ` by agent ${agent}` : ''}${queue ? ` from ${queue}` : ''} at ${event.at}${waited !== undefined ? ` after ${waited} s in the queue` : ''}`;
    }
    case 'DISCONNECTED': {
      const reason = event.disconnectReason ? ` (${event.disconnectReason})` : '';
      const length = seconds(event.initiatedAt, event.disconnectedAt ?? event.at);
      if (missed) {
        const waited = seconds(event.queue?.enqueuedAt, event.disconnectedAt ?? event.at);
        return `Missed call: hung up${queue ? ` in ${queue}` : ''}${waited !== undefined ? ` after ${waited} s in the queue` : ''} at ${event.at}${reason}`;
      }
      return `Call ended at ${event.at}${length !== undefined ? ` after ${length} s` : ''}${agent ? `, agent ${agent}` : ''}${reason}`;
    }
    default:
      return `Call event ${event.eventType} at ${event.at}`;
  }
}

function lastSegment(arn: string | undefined): string | undefined {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
}

function seconds(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const span = Math.round((Date.parse(to) - Date.parse(from)) / 1000);
  return Number.isFinite(span) && span >= 0 ? span : undefined;
}
