import { AGENT_CONNECTIONS_PREFIX } from './agent-connections.ts';
import { CHAT_VISITOR_PREFIX } from './chat-connections.ts';
import {
  AUTO_RESPONSE_BUDGET_PREFIX,
  assigneeIndexKey,
  CANNED_RESPONSE_PREFIX,
  customerIndexKey,
  FEEDBACK_THROTTLE_PREFIX,
  INSIGHTS_PREFIX,
  keys,
  SELF_SERVICE_PREFIX,
  statusIndexKey,
} from './keys.ts';
import { providerMessageKey } from './provider-messages.ts';

/**
 * What IAM sees of an item: the start of the partition key it is read or written by (for a
 * Query on an index, the index's partition key). Each function's role may touch the table only
 * through the prefixes listed for it below (a `dynamodb:LeadingKeys` condition), so a function
 * that is tricked into touching other items is refused by DynamoDB itself.
 */

/** `CUSTOMER#42` → `CUSTOMER#`: every prefix is read off the key builders, never retyped. */
function prefixOf(partitionKey: string): string {
  return partitionKey.slice(0, partitionKey.indexOf('#') + 1);
}

export const ITEM_PREFIX = {
  /** Profiles, consent history, a customer's orders, and the by-customer index (its conversations). */
  customer: prefixOf(keys.customer('-').pk),
  identity: prefixOf(keys.identity({ kind: 'email', value: '-' }).pk),
  /**
   * Conversations, their messages and private notes, escalations, contact tallies, and each
   * agent's read marker (`READ#<agentId>` sort keys under the conversation).
   */
  conversation: prefixOf(keys.conversation('-').pk),
  emailReference: prefixOf(keys.emailReference('-').pk),
  /** The event ledger: inbound deliveries, outbound sends, order and contact events. */
  event: prefixOf(keys.event('-').pk),
  /** Orders and their events. */
  order: prefixOf(keys.order('-').pk),
  reminder: prefixOf(keys.reminder('-').pk),
  voiceContact: prefixOf(keys.voiceContact('-').pk),
  insights: INSIGHTS_PREFIX,
  /** Hourly counters of automatic responses per sender domain and in all (`BUDGET#<hour>#…`). */
  autoResponseBudget: AUTO_RESPONSE_BUDGET_PREFIX,
  /** Help-center counters of a day: articles answered, questions left unanswered, feedback. */
  selfService: SELF_SERVICE_PREFIX,
  /** A chat visitor's open WebSocket connections (`CHATVISITOR#<visitorId>`). */
  chatVisitor: CHAT_VISITOR_PREFIX,
  /** Agents' open WebSocket connections, all in one partition (`AGENTSOCKETS#all`). */
  agentConnection: AGENT_CONNECTIONS_PREFIX,
  /** "Was this helpful?" posts of one client in one window. */
  feedbackThrottle: FEEDBACK_THROTTLE_PREFIX,
  providerMessage: prefixOf(providerMessageKey('sms', '-').pk),
  /** The agent queue index (`STATUS#<status>#<shard>`). */
  statusIndex: prefixOf(statusIndexKey('open', '-')),
  /** One agent's conversations (`ASSIGNEE#<sub>`). */
  assigneeIndex: prefixOf(assigneeIndexKey('-')),
  /** The agents' canned responses (`CANNED#RESPONSES`, one partition). */
  cannedResponse: CANNED_RESPONSE_PREFIX,
} as const;

export type ItemFamily = keyof typeof ITEM_PREFIX;

// The by-customer index is keyed like the profile: one prefix covers both.
if (prefixOf(customerIndexKey('-')) !== ITEM_PREFIX.customer) {
  throw new Error('the by-customer index key no longer starts like the customer profile key');
}

/** Every inbound path: the ledger, who wrote, the thread, "where is my order", the counters. */
const INBOUND: readonly ItemFamily[] = ['event', 'identity', 'customer', 'conversation', 'order', 'insights'];

/**
 * A customer's message, which may be acknowledged: that takes from the hourly budgets, and counts
 * the help-center article it linked (or the question none answered).
 */
const INBOUND_MESSAGE: readonly ItemFamily[] = [...INBOUND, 'autoResponseBudget', 'selfService'];

/**
 * The item families each function reads or writes, one definition: a function's construct grants
 * exactly these (SupportFunction.bindConversationStore), and a new function adds its entry here.
 */
export const FUNCTION_ITEMS = {
  /** Email replies thread by Message-ID (EMAILREF#). */
  inboundEmail: [...INBOUND_MESSAGE, 'emailReference'],
  inboundSms: INBOUND_MESSAGE,
  /** Delivery statuses find their message through PROVIDERMSG#. */
  inboundSocial: [...INBOUND_MESSAGE, 'providerMessage'],
  /** Sends, their references (EMAILREF#, PROVIDERMSG#), due reminders, consent learned from a refusal. */
  dispatcher: [...INBOUND, 'emailReference', 'providerMessage', 'reminder', 'chatVisitor'],
  /** Identity links and merges (which move conversations and orders), the order and its notice. */
  orderEvents: ['event', 'identity', 'customer', 'conversation', 'order'],
  /** The reminder, and the customer it is for (found, linked or merged like an order event's). */
  reminders: ['identity', 'customer', 'conversation', 'order', 'reminder'],
  /**
   * The queue (status and assignee indexes), timelines, customers, notes, labels, snoozes and read
   * markers, canned responses, the channel and self-service reports; the sidebar's orders, and admins'
   * merges (which move identities, conversations, orders).
   */
  agentApi: [
    'conversation',
    'cannedResponse',
    'customer',
    'identity',
    'order',
    'statusIndex',
    'assigneeIndex',
    'insights',
    'selfService',
    'chatVisitor',
  ],
  /** "Was this helpful?": the vote under its day, the article's tally, the client's window. */
  helpFeedback: ['selfService', 'feedbackThrottle'],
  /**
   * A few key lookups of the caller, and the contact record it leaves; its open conversation is
   * read by key once the keys-only by-customer index named it.
   */
  voiceLookup: ['identity', 'customer', 'conversation', 'order', 'voiceContact'],
  voiceEvents: [...INBOUND, 'voiceContact'],
  /**
   * A chat visitor's sockets and messages (read receipts move the message's status, found by
   * PROVIDERMSG#); agents' sockets (their own connect and disconnect, a visitor's typing told to them).
   */
  chatRoutes: [...INBOUND_MESSAGE, 'providerMessage', 'chatVisitor', 'agentConnection'],
  /** The WebSocket routes where no chat is deployed: agents' sockets only. */
  agentSockets: ['agentConnection'],
  /** Writes each stream batch's channel-hour sums (and reads one back on a retried batch). */
  channelCounters: ['insights'],
  /** Reads agents' sockets once per stream batch, removes the ones that are gone. */
  liveUpdates: ['agentConnection'],
  /** The confirmed address and the visitor become one customer (found, linked or merged like an order event's). */
  chatConfirm: ['identity', 'customer', 'conversation', 'order'],
} as const satisfies Record<string, readonly ItemFamily[]>;

export type TableFunction = keyof typeof FUNCTION_ITEMS;

/** The partition-key prefixes `fn` may touch. */
export function itemPrefixesOf(fn: TableFunction): readonly string[] {
  return [...new Set<ItemFamily>(FUNCTION_ITEMS[fn])].map((family) => ITEM_PREFIX[family]);
}
