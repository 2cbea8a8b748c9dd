import type { SupportConfig } from '../config.ts';
import type { Channel, Customer, Identity, IdentityKind, OutboundRequest } from '../model.ts';
import type { ConversationStore } from '../ports/conversations.ts';
import type { CustomerDirectory, IdentityWindows } from '../ports/customers.ts';
import type { ChannelSender } from '../ports/outbound.ts';

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
  /** Each sender's last inbound per channel; absent: only conversations are looked at. */
  readonly identityWindows?: IdentityWindows;
}

export type WindowDecision =
  | { readonly action: 'send'; readonly request: OutboundRequest; readonly via: 'free-text' | 'template' }
  | {
      readonly action: 'fallback';
      readonly request: OutboundRequest;
      readonly from: Channel;
      readonly reason: string;
    }
  | { readonly action: 'suppress'; readonly reason: string };

/** Kinds that answer the customer inside a conversation they started (transactional). */
const CONVERSATIONAL_KINDS = new Set<OutboundRequest['kind']>(['auto-reply', 'agent-reply']);

/**
 * Whether `channel` may carry a message of `kind` to `customer`. A reply in the customer's own
 * conversation needs only the absence of an opt-out; anything proactive (order notices,
 * reminders, surveys) on SMS needs an explicit opt-in, as when the channel is chosen first.
 */
export function fallbackAllowed(
  customer: Pick<Customer, 'consent'> | undefined,
  channel: 'sms' | 'email',
  kind: OutboundRequest['kind'],
): boolean {
  const consent = customer?.consent[channel];
  if (consent === 'opted-out') return false;
  if (channel === 'email' || CONVERSATIONAL_KINDS.has(kind)) return true;
  return consent === 'opted-in';
}

/**
 * How `request` may go out on a windowed channel at `now`: as it is inside the window; outside it
 * as the configured WhatsApp template, or on a fallback channel, or not at all (with the reason).
 * The window is measured from the last message the addressee sent us on that channel (kept on
 * their identity), or from the conversation the request answers or the customer's open one there,
 * whichever is latest. A fallback goes only where the customer consented to that kind of message.
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
  const reason = `the ${request.channel} ${MESSAGING_WINDOW_HOURS}-hour messaging window is closed${
    lastInbound === undefined ? ' (no message from the customer there)' : ''
  } and there is no template`;
  for (const channel of deps.social?.fallbackChannels ?? ['sms', 'email']) {
    if (!deps.senders[channel]) continue;
    if (!fallbackAllowed(customer, channel, request.kind)) continue;
    const identity = customer?.identities.find((i) => i.kind === FALLBACK_IDENTITY[channel]);
    if (!identity) continue;
    return {
      action: 'fallback',
      from: request.channel,
      reason,
      request: {
        ...request,
        channel,
        to: identity.value,
        template: undefined,
        fallback: { from: request.channel, reason },
      },
    };
  }
  return {
    action: 'suppress',
    reason: `${reason}, and no fallback channel the customer consented to for this message`,
  };
}

async function lastInboundAt(
  deps: MessagingWindowDeps,
  request: OutboundRequest,
): Promise<number | undefined> {
  const answered = request.conversationId ? await deps.conversations.get(request.conversationId) : undefined;
  const conversation =
    answered?.channel === request.channel && answered.lastInboundAt !== undefined
      ? answered
      : await deps.conversations.latestOpenConversation(request.customerId, request.channel);
  const times = [answered?.lastInboundAt, conversation?.lastInboundAt];
  const windows = deps.identityWindows;
  if (windows?.latestInboundAt) {
    times.push(await windows.latestInboundAt(addresseeIdentities(request), request.channel));
  } else if (windows) {
    for (const identity of addresseeIdentities(request)) {
      times.push(await windows.lastInboundAt(identity, request.channel));
    }
  }
  const ms = times
    .filter((at): at is string => at !== undefined)
    .map((at) => Date.parse(at))
    .filter((at) => !Number.isNaN(at));
  return ms.length === 0 ? undefined : Math.max(...ms);
}

/** The identities `request.to` may be stored under: a WhatsApp number is a phone identity when valid. */
function addresseeIdentities(request: OutboundRequest): Identity[] {
  if (request.channel === 'whatsapp') {
    return [
      ...(request.to.startsWith('+') ? [{ kind: 'phone' as const, value: request.to }] : []),
      { kind: 'whatsapp', value: request.to },
    ];
  }
  if (request.channel === 'messenger' || request.channel === 'instagram') {
    return [{ kind: request.channel, value: request.to }];
  }
  return [];
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
