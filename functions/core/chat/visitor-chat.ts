import { chooseReplyLanguage } from '../auto-reply/language.ts';
import type { SupportConfig } from '../config.ts';
import type { ReceiveInboundInput } from '../conversations/receive-inbound.ts';
import {
  type ChatInboundDeps,
  type ReceiveInboundResult,
  receiveInbound,
} from '../conversations/receive-inbound.ts';
import { chatWidgetStrings } from '../i18n/chat-widget.ts';
import { formatResponseDeadline } from '../i18n/index.ts';
import type { DeliveryStatus, Identity, Message, OutboundRequest } from '../model.ts';
import type { AgentConversations } from '../ports/conversations.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { DeferredSends, ProviderMessageIndex } from '../ports/outbound.ts';
import type { Clock } from '../ports/runtime.ts';
import { addBusinessMinutes, isOpenAt } from '../service-levels/business-hours.ts';
import { type ChatConnections, type ChatFrameMessage, type ChatGateway, visitorIdentity } from './ports.ts';

/**
 * The live chat's use cases: the WebSocket handlers call one each. A visitor's messages enter the
 * same `receiveInbound` as every channel (exactly once, one auto-reply policy); what goes back out
 * rides the outbound queue and the dispatcher like any send, and reaches the visitor's open
 * sockets through `deliverChatMessage`.
 */

/** API Gateway closes a WebSocket after two hours at the latest: the record lives no longer. */
export const CHAT_CONNECTION_HOURS = 2;

/** At most this many messages go back on a resync (the newest). */
const MAX_HISTORY_MESSAGES = 200;
/** The visitor's most recent conversations a resync looks into. */
const HISTORY_CONVERSATIONS = 5;

export interface ChatConnectionDeps {
  readonly clock: Clock;
  readonly connections: ChatConnections;
}

export async function openChatConnection(
  deps: ChatConnectionDeps,
  input: { readonly connectionId: string; readonly visitorId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.connections.open({
    connectionId: input.connectionId,
    visitorId: input.visitorId,
    connectedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + CHAT_CONNECTION_HOURS * 3_600_000).toISOString(),
  });
}

export async function closeChatConnection(
  deps: ChatConnectionDeps,
  input: { readonly connectionId: string; readonly visitorId: string },
): Promise<void> {
  await deps.connections.close(input.visitorId, input.connectionId);
}

export interface ChatSendDeps extends ChatInboundDeps {
  readonly gateway: ChatGateway;
}

/**
 * Stores the visitor's message once and tells the sending socket which stored message it became
 * (a resend gets the same id back, marked duplicate, so the widget shows it once).
 */
export async function receiveChatMessage(
  deps: ChatSendDeps,
  input: ReceiveInboundInput & { readonly connectionId: string; readonly clientMessageId: string },
): Promise<ReceiveInboundResult> {
  const result = await receiveInbound(deps, input);
  await deps.gateway.post(input.connectionId, {
    type: 'received',
    clientMessageId: input.clientMessageId,
    messageId: result.messageId,
    duplicate: result.duplicate,
  });
  return result;
}

export interface ChatHistoryDeps {
  readonly clock: Clock;
  readonly config: SupportConfig;
  readonly customers: Pick<CustomerDirectory, 'findByIdentity'>;
  /** The agent's view of the table: a customer's conversations and their messages. */
  readonly history: Pick<AgentConversations, 'conversationsOf' | 'listMessages' | 'get'>;
  readonly gateway: ChatGateway;
  /** Where our messages' delivery states move: what a resync shows counts as delivered. */
  readonly providerMessages?: Pick<ProviderMessageIndex, 'find' | 'updateDeliveryStatus'>;
}

/**
 * After a (re)connect or going back online: the visitor's chat history since `after`, whether the
 * team is in now and when it answers, on the asking socket. Messages sent while no socket was
 * open are delivered this way.
 */
export async function resyncChat(
  deps: ChatHistoryDeps,
  input: {
    readonly connectionId: string;
    readonly visitorId: string;
    readonly identified?: Identity;
    readonly after?: string;
    readonly browserLanguage?: string;
  },
): Promise<{ readonly messages: number }> {
  const now = deps.clock.now();
  const customer = await deps.customers.findByIdentity(visitorIdentity(input.visitorId, input.identified));
  const messages: Message[] = [];
  /** When an agent last read each conversation: the visitor's messages up to then show as read. */
  const readBy = new Map<string, string>();
  if (customer) {
    const conversations = (await deps.history.conversationsOf(customer.id, HISTORY_CONVERSATIONS * 4))
      .filter((c) => c.channel === 'chat')
      .slice(0, HISTORY_CONVERSATIONS);
    for (const conversation of conversations) {
      if (conversation.agentReadAt) readBy.set(conversation.id, conversation.agentReadAt);
      messages.push(...(await deps.history.listMessages(conversation.id)));
    }
  }
  const shown = messages
    .filter((m) => m.channel === 'chat' && (input.after === undefined || m.at > input.after))
    // Private notes are the team's: never on the visitor's screen.
    .filter(
      (m) => m.direction === 'inbound' || (m.direction === 'outbound' && m.deliveryStatus !== 'suppressed'),
    )
    .sort((a, b) => a.at.localeCompare(b.at) || a.direction.localeCompare(b.direction))
    .slice(-MAX_HISTORY_MESSAGES)
    .map((m) => frameMessage(m, readBy.get(m.conversationId)));
  const { config } = deps;
  const language = chooseReplyLanguage(
    { preferred: customer?.language ?? input.browserLanguage, previous: customer?.detectedLanguage },
    config,
  );
  const deadline = addBusinessMinutes(now, config.firstResponseTargetMinutes, config.businessHours);
  await deps.gateway.post(input.connectionId, {
    type: 'history',
    identified: input.identified !== undefined,
    online: isOpenAt(now, config.businessHours),
    answerBy: formatResponseDeadline(
      deadline,
      now,
      language,
      customer?.timezone ?? config.businessHours.timezone,
    ),
    language,
    messages: shown,
    ...(config.chat?.attachments
      ? {
          uploads: {
            contentTypes: config.chat.attachments.contentTypes,
            maxBytes: config.chat.attachments.maxBytes,
          },
        }
      : {}),
  });
  // Shown now: an email copy waiting for these (continuity) is no longer needed.
  const at = now.toISOString();
  for (const message of shown) {
    if (message.direction !== 'outbound' || message.status !== 'sent' || !deps.providerMessages) continue;
    const reference = await deps.providerMessages.find('chat', message.id);
    if (reference) await deps.providerMessages.updateDeliveryStatus(reference, { status: 'delivered', at });
  }
  return { messages: shown.length };
}

/**
 * A stored message as the widget shows it (the visitor's own carry the widget's id, and `read`
 * once an agent read the conversation after it: `agentReadAt`).
 */
export function frameMessage(message: Message, agentReadAt?: string): ChatFrameMessage {
  const slash = message.providerMessageId?.indexOf('/') ?? -1;
  const readByAgent =
    message.direction === 'inbound' && agentReadAt !== undefined && message.at <= agentReadAt;
  return {
    id: message.id,
    direction: message.direction === 'inbound' ? 'inbound' : 'outbound',
    text: message.text,
    at: message.at,
    ...(message.kind ? { kind: message.kind } : {}),
    ...(message.direction === 'inbound' && slash > 0
      ? { clientMessageId: message.providerMessageId?.slice(slash + 1) }
      : {}),
    ...(readByAgent
      ? { status: 'read' as const }
      : message.deliveryStatus
        ? { status: message.deliveryStatus }
        : {}),
    ...(message.attachments.length > 0
      ? {
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            size: a.size,
          })),
        }
      : {}),
  };
}

export interface ChatDeliveryDeps {
  readonly clock: Clock;
  readonly connections: ChatConnections;
  readonly gateway: ChatGateway;
  /** Email copies of answers a signed-in visitor does not see in time; absent: none. */
  readonly continuity?: {
    readonly customers: Pick<CustomerDirectory, 'get'>;
    readonly deferredSends: DeferredSends;
    readonly emailAfterMinutes: number;
  };
}

/**
 * One outbound message to every open socket of the visitor (`request.to`); sockets that are gone
 * (410) are forgotten. None open is no failure: the message is on the timeline and the next
 * resync brings it, and an answer to a visitor known by email goes there too if it is still unseen
 * after the configured delay (the dispatcher checks when the copy is due).
 */
export async function deliverChatMessage(
  deps: ChatDeliveryDeps,
  request: OutboundRequest,
): Promise<{ readonly delivered: number; readonly pruned: number }> {
  const now = deps.clock.now();
  const connections = await deps.connections.ofVisitor(request.to, now);
  let delivered = 0;
  let pruned = 0;
  const message: ChatFrameMessage = {
    id: request.id,
    direction: 'outbound',
    text: request.text,
    at: now.toISOString(),
    kind: request.kind,
    status: 'sent',
  };
  for (const connection of connections) {
    const outcome = await deps.gateway.post(connection.connectionId, { type: 'message', message });
    if (outcome === 'sent') delivered += 1;
    else {
      pruned += 1;
      await deps.connections.close(connection.visitorId, connection.connectionId);
    }
  }
  if (delivered === 0 && deps.continuity && request.kind !== 'auto-reply' && request.conversationId) {
    await scheduleEmailCopy(deps.continuity, request, now);
  }
  return { delivered, pruned };
}

async function scheduleEmailCopy(
  continuity: NonNullable<ChatDeliveryDeps['continuity']>,
  request: OutboundRequest,
  now: Date,
): Promise<void> {
  const customer = await continuity.customers.get(request.customerId);
  const email = customer?.identities.find((identity) => identity.kind === 'email')?.value;
  // An anonymous visitor has no address we know belongs to them.
  if (!email) return;
  const id = `${request.id}-email`;
  await continuity.deferredSends.schedule({
    id,
    at: new Date(now.getTime() + continuity.emailAfterMinutes * 60_000),
    request: {
      ...request,
      id,
      channel: 'email',
      to: email,
      subject: chatWidgetStrings(request.language).emailSubject,
      // The reply token brings an answer by mail back to this conversation.
      email: { references: [], replyToken: request.conversationId },
      headers: {},
      unlessSeenInChat: request.id,
    },
  });
}

export interface ChatReadDeps {
  readonly customers: Pick<CustomerDirectory, 'findByIdentity'>;
  readonly history: Pick<AgentConversations, 'get'>;
  readonly providerMessages: Pick<ProviderMessageIndex, 'find' | 'updateDeliveryStatus'>;
  readonly clock: Clock;
}

/**
 * The widget showed (delivered) or the visitor saw (read) messages of ours. Only messages of
 * the visitor's own conversations move; statuses only move forward (the index decides).
 */
export async function markChatMessages(
  deps: ChatReadDeps,
  input: {
    readonly visitorId: string;
    readonly identified?: Identity;
    readonly messageIds: readonly string[];
    readonly state: Extract<DeliveryStatus, 'delivered' | 'read'>;
  },
): Promise<{ readonly updated: number }> {
  const customer = await deps.customers.findByIdentity(visitorIdentity(input.visitorId, input.identified));
  if (!customer) return { updated: 0 };
  const at = deps.clock.now().toISOString();
  let updated = 0;
  for (const messageId of new Set(input.messageIds)) {
    const reference = await deps.providerMessages.find('chat', messageId);
    if (!reference) continue;
    const conversation = await deps.history.get(reference.conversationId);
    if (conversation?.customerId !== customer.id) continue;
    if (await deps.providerMessages.updateDeliveryStatus(reference, { status: input.state, at }))
      updated += 1;
  }
  return { updated };
}
