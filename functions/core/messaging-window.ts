import type { SupportConfig } from './config.ts';
import type { Channel, IdentityKind, OutboundRequest } from './model.ts';
import type { ChannelSender, ConversationStore, CustomerDirectory } from './ports.ts';

/**
 * Meta's messaging windows: WhatsApp's customer-service window and Messenger's and Instagram's
 * standard messaging window both allow free-form messages only within 24 hours of the customer's
 * last message to us. Outside it WhatsApp takes an approved template; Messenger and Instagram
 * would need message tags we do not use, so they (and WhatsApp without a template) fall back to
 * another channel the customer has consented to.
 */
export const MESSAGING_WINDOW_HOURS = 24;

export const WINDOWED_CHANNELS: ReadonlySet<Channel> = new Set(['whatsapp', 'messenger', 'instagram']);

/** Fallback channels and the identity kind that addresses the customer there. */
const FALLBACK_IDENTITY: Readonly<Record<'sms' | 'email', IdentityKind>> = { sms: 'phone', email: 'email' };

export interface MessagingWindowDeps {
  readonly conversations: ConversationStore;
  readonly customers: CustomerDirectory;
  readonly senders: Partial<Record<Channel, ChannelSender>>;
  /** @default free text inside the window only, fallback to SMS then email */
  readonly social?: SupportConfig['social'];
}

export type WindowDecision =
  | { readonly action: 'send'; readonly request: OutboundRequest; readonly via: 'free-text' | 'template' }
  | { readonly action: 'fallback'; readonly request: OutboundRequest; readonly from: Channel }
  | { readonly action: 'suppress'; readonly reason: string };

/**
 * How `request` may go out on a windowed channel at `now`: as it is inside the window; outside it
 * as the configured WhatsApp template, or on a fallback channel, or not at all (with the reason).
 * The window is measured from the last inbound message of the conversation the request answers,
 * or, for a request outside a conversation, of the customer's open conversation on that channel.
 */
export async function applyMessagingWindow(
  deps: MessagingWindowDeps,
  request: OutboundRequest,
  now: Date,
): Promise<WindowDecision> {
  const lastInbound = await lastInboundAt(deps, request);
  const windowMs = MESSAGING_WINDOW_HOURS * 3_600_000;
  if (lastInbound !== undefined && now.getTime() - lastInbound < windowMs) {
    return { action: 'send', request, via: 'free-text' };
  }

  const template = deps.social?.whatsappTemplate;
  if (request.channel === 'whatsapp' && template) {
    const language = template.languages[request.language] ?? Object.values(template.languages)[0] ?? 'en';
    return {
      action: 'send',
      via: 'template',
      // WhatsApp caps a body parameter at 1024 characters.
      request: {
        ...request,
        template: { name: template.name, language, parameters: [clip(request.text, 1024)] },
      },
    };
  }

  const customer = await deps.customers.get(request.customerId);
  for (const channel of deps.social?.fallbackChannels ?? ['sms', 'email']) {
    if (!deps.senders[channel]) continue;
    if (customer?.consent[channel] === 'opted-out') continue;
    const identity = customer?.identities.find((i) => i.kind === FALLBACK_IDENTITY[channel]);
    if (!identity) continue;
    return {
      action: 'fallback',
      from: request.channel,
      request: { ...request, channel, to: identity.value, template: undefined },
    };
  }
  return {
    action: 'suppress',
    reason: `the ${request.channel} ${MESSAGING_WINDOW_HOURS}-hour messaging window is closed and no template or consented fallback channel is available`,
  };
}

async function lastInboundAt(
  deps: MessagingWindowDeps,
  request: OutboundRequest,
): Promise<number | undefined> {
  const answered = request.conversationId ? await deps.conversations.get(request.conversationId) : undefined;
  const conversation =
    answered?.channel === request.channel
      ? answered
      : await deps.conversations.latestOpenConversation(request.customerId, request.channel);
  const at = conversation?.lastInboundAt;
  if (at === undefined) return undefined;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? undefined : ms;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
