import type { SupportConfig } from '../config.ts';
import type { Channel, Customer, Identity } from '../model.ts';
import { fallbackAllowed, MESSAGING_WINDOW_HOURS, WINDOWED_CHANNELS } from '../outbound/messaging-window.ts';
import { earliestSendTime, type QuietHoursPolicy, validZone } from '../outbound/quiet-hours.ts';
import type { IdentityWindows } from '../ports/customers.ts';
import { identityAddress } from './addressing.ts';

/**
 * Whether an agent can write to a customer on each channel right now, and if not why, before
 * anyone types: the same rules the dispatcher applies at send time (consent, Meta's 24-hour
 * window with its template or fallback, quiet hours of proactive sends), read from what the
 * sidebar has already loaded.
 */

/** Channels an agent can write on (a call is not written). */
export const WRITABLE_CHANNELS = ['email', 'sms', 'whatsapp', 'messenger', 'instagram', 'chat'] as const;
export type WritableChannel = (typeof WRITABLE_CHANNELS)[number];

export type UnreachableReason = 'opted-out' | 'window-closed' | 'no-address' | 'not-configured';

export interface ChannelReachability {
  readonly channel: WritableChannel;
  readonly address?: string;
  /** A free-text message written now goes out on this channel as written. */
  readonly ok: boolean;
  readonly reason?: UnreachableReason;
  /** WhatsApp, Messenger, Instagram with the window open: when it closes. */
  readonly windowClosesAt?: string;
  /** With the window closed: what a send on this channel would do instead. */
  readonly fallback?: Channel | 'template';
  /** SMS and WhatsApp: proactive sends (not replies) would wait until then (quiet hours). */
  readonly quietHoursUntil?: string;
}

export interface ReachabilityInput {
  readonly customer: Pick<Customer, 'identities' | 'consent' | 'timezone'>;
  readonly now: Date;
  /** The channels this deployment can send on. */
  readonly deployed: ReadonlySet<Channel>;
  /** The customer's latest message per windowed channel (ISO), wherever it was recorded. */
  readonly lastInbound: Partial<Record<Channel, string>>;
  readonly social?: SupportConfig['social'];
  readonly quietHours?: QuietHoursPolicy;
  /** An address that wins over the identities (the one the customer wrote from in a conversation). */
  readonly addresses?: Partial<Record<Channel, string>>;
}

const WINDOW_MS = MESSAGING_WINDOW_HOURS * 3_600_000;

/** Pure: one entry per writable channel, in WRITABLE_CHANNELS order. */
export function reachability(input: ReachabilityInput): ChannelReachability[] {
  return WRITABLE_CHANNELS.map((channel) => channelReachability(input, channel));
}

export function channelReachability(input: ReachabilityInput, channel: WritableChannel): ChannelReachability {
  const address = input.addresses?.[channel] ?? identityAddress(channel, input.customer);
  const base = { channel, ...(address === undefined ? {} : { address }) };
  if (!input.deployed.has(channel)) return { ...base, ok: false, reason: 'not-configured' };
  if (address === undefined) return { ...base, ok: false, reason: 'no-address' };
  if (input.customer.consent[channel] === 'opted-out') return { ...base, ok: false, reason: 'opted-out' };
  const quiet = quietHoursUntil(input, channel);
  const quietPart = quiet === undefined ? {} : { quietHoursUntil: quiet };
  if (!WINDOWED_CHANNELS.has(channel)) return { ...base, ok: true, ...quietPart };
  const last = Date.parse(input.lastInbound[channel] ?? '');
  if (!Number.isNaN(last) && input.now.getTime() - last < WINDOW_MS) {
    return { ...base, ok: true, windowClosesAt: new Date(last + WINDOW_MS).toISOString(), ...quietPart };
  }
  const fallback = windowFallback(input, channel);
  return {
    ...base,
    ok: false,
    reason: 'window-closed',
    ...(fallback === undefined ? {} : { fallback }),
    ...quietPart,
  };
}

/** What the dispatcher does with a free-text send on a closed window (outbound/messaging-window.ts). */
function windowFallback(input: ReachabilityInput, channel: Channel): Channel | 'template' | undefined {
  if (channel === 'whatsapp' && input.social?.whatsappTemplate) return 'template';
  for (const candidate of input.social?.fallbackChannels ?? ['sms', 'email']) {
    if (!input.deployed.has(candidate)) continue;
    if (!fallbackAllowed(input.customer, candidate, 'agent-reply')) continue;
    if (identityAddress(candidate, input.customer) === undefined) continue;
    return candidate;
  }
  return undefined;
}

function quietHoursUntil(input: ReachabilityInput, channel: Channel): string | undefined {
  const policy = input.quietHours;
  const quiet = channel === 'sms' || channel === 'whatsapp' ? policy?.[channel] : undefined;
  if (!policy || !quiet) return undefined;
  const zone = validZone(input.customer.timezone) ?? policy.fallbackTimeZone;
  const until = earliestSendTime(input.now, quiet, zone);
  return until.getTime() > input.now.getTime() ? until.toISOString() : undefined;
}

/**
 * The customer's latest inbound per windowed channel: the per-identity record the inbound paths
 * keep (one GetItem per identity that can carry the channel) and the conversations already read.
 */
export async function lastInboundByChannel(
  deps: { readonly identityWindows?: IdentityWindows },
  customer: Pick<Customer, 'identities'>,
  conversations: readonly { readonly channel: Channel; readonly lastInboundAt?: string }[],
  deployed: ReadonlySet<Channel>,
): Promise<Partial<Record<Channel, string>>> {
  const latest: Partial<Record<Channel, string>> = {};
  const keep = (channel: Channel, at: string | undefined) => {
    if (at === undefined) return;
    const current = latest[channel];
    if (current === undefined || at > current) latest[channel] = at;
  };
  for (const conversation of conversations) {
    if (WINDOWED_CHANNELS.has(conversation.channel)) keep(conversation.channel, conversation.lastInboundAt);
  }
  if (!deps.identityWindows) return latest;
  for (const channel of WINDOWED_CHANNELS) {
    if (!deployed.has(channel)) continue;
    for (const identity of windowIdentities(customer, channel)) {
      keep(channel, await deps.identityWindows.lastInboundAt(identity, channel));
    }
  }
  return latest;
}

/** The identities a channel's window is kept under (a WhatsApp user is a phone number, or a wa_id). */
function windowIdentities(customer: Pick<Customer, 'identities'>, channel: Channel): Identity[] {
  const kinds = channel === 'whatsapp' ? ['whatsapp', 'phone'] : [channel];
  return customer.identities.filter((identity) => kinds.includes(identity.kind)).slice(0, 5);
}
