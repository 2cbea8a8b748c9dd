import { chooseReplyLanguage } from '../auto-reply/language.ts';
import type { SupportConfig } from '../config.ts';
import { NotFoundError } from '../errors.ts';
import type { Channel, ConsentRecord, ConsentState, Conversation, Customer, Identity } from '../model.ts';
import { orderStatusText } from '../orders/notifications.ts';
import type { QuietHoursPolicy } from '../outbound/quiet-hours.ts';
import type { AgentConversations } from '../ports/conversations.ts';
import type {
  ConsentHistoryEntry,
  ConsentHistoryReader,
  CustomerDirectory,
  IdentityWindows,
} from '../ports/customers.ts';
import type { CustomerOrders } from '../ports/orders.ts';
import type { Clock } from '../ports/runtime.ts';
import { type ChannelReachability, lastInboundByChannel, reachability } from './reachability.ts';

/** The sidebar shows the newest orders and conversations; CSAT is counted over a longer stretch. */
export const PROFILE_ORDERS = 5;
export const PROFILE_CONVERSATIONS = 20;
/** Conversations CSAT is counted over (the newest ones). */
export const PROFILE_CSAT_CONVERSATIONS = 50;
/** Consent changes read (newest first), and kept per channel. */
export const PROFILE_CONSENT_CHANGES = 100;
export const PROFILE_CONSENT_CHANGES_PER_CHANNEL = 10;

/** What the sidebar and the reply channel picker read. */
export interface CustomerProfileDeps {
  readonly clock: Clock;
  readonly config: SupportConfig;
  readonly customers: Pick<CustomerDirectory, 'get'>;
  readonly conversations: Pick<AgentConversations, 'conversationsOf'>;
  readonly consentHistory: ConsentHistoryReader;
  readonly orders: CustomerOrders;
  /** Meta's 24-hour window per sender; absent: measured from conversations only. */
  readonly identityWindows?: IdentityWindows;
  /** The channels this deployment sends on. */
  readonly channels: ReadonlySet<Channel>;
  readonly quietHours?: QuietHoursPolicy;
}

export interface ChannelConsentView {
  readonly state: ConsentState;
  readonly source?: ConsentRecord['source'];
  readonly at?: string;
  /** Oldest first, at most PROFILE_CONSENT_CHANGES_PER_CHANNEL of the newest changes. */
  readonly history: readonly (ConsentRecord & { readonly previous?: ConsentState })[];
}

export interface CustomerProfile {
  readonly customer: {
    readonly id: string;
    readonly name?: string;
    readonly language?: string;
    readonly timezone?: string;
    readonly identities: readonly Identity[];
    readonly consent: Partial<Record<Channel, ChannelConsentView>>;
  };
  readonly orders: readonly {
    readonly id: string;
    readonly status: string;
    readonly statusText: string;
    readonly trackingUrl?: string;
    readonly updatedAt: string;
    readonly total?: number;
    readonly currency?: string;
  }[];
  readonly conversations: readonly {
    readonly id: string;
    readonly channel: Channel;
    readonly status: Conversation['status'];
    readonly subject?: string;
    readonly lastMessageAt: string;
    /** The customer's survey score (1–5). */
    readonly csat?: number;
    readonly mergedInto?: string;
  }[];
  readonly csat: { readonly count: number; readonly average?: number };
  readonly reachable: readonly ChannelReachability[];
}

/**
 * Everything the sidebar shows of one customer in one call: a few key reads and Queries (the
 * profile, its consent history, its order links and orders, its conversations through the
 * by-customer index, one GetItem per messaging identity for the 24-hour window), no scan.
 * A merged-away id answers with the customer it was merged into (its `id` tells the app).
 */
export async function customerProfile(
  deps: CustomerProfileDeps,
  customerId: string,
): Promise<CustomerProfile> {
  const customer = await deps.customers.get(customerId);
  if (!customer) throw new NotFoundError(`customer ${customerId} does not exist`);
  const [history, orders, conversations] = await Promise.all([
    deps.consentHistory.recentHistory(customer.id, PROFILE_CONSENT_CHANGES),
    deps.orders.recentOrders(customer.id, PROFILE_ORDERS),
    deps.conversations.conversationsOf(customer.id, PROFILE_CSAT_CONVERSATIONS),
  ]);
  const language = chooseReplyLanguage(
    { preferred: customer.language, detected: customer.detectedLanguage },
    deps.config,
  );
  const lastInbound = await lastInboundByChannel(deps, customer, conversations, deps.channels);
  const scores = conversations.flatMap((c) => (c.csat ? [c.csat.score] : []));
  return {
    customer: {
      id: customer.id,
      ...(customer.name === undefined ? {} : { name: customer.name }),
      ...((customer.language ?? customer.detectedLanguage)
        ? { language: customer.language ?? customer.detectedLanguage }
        : {}),
      ...(customer.timezone === undefined ? {} : { timezone: customer.timezone }),
      identities: customer.identities,
      consent: consentView(customer, history),
    },
    orders: orders.map((order) => ({
      id: order.id,
      status: order.status,
      statusText: orderStatusText(order, language),
      ...(order.trackingUrl === undefined ? {} : { trackingUrl: order.trackingUrl }),
      updatedAt: order.lastEventAt,
      // The shop's events carry no order total; a refund's amount is the one sum we know.
      ...(order.refundAmount === undefined ? {} : { total: order.refundAmount }),
      ...(order.currency === undefined ? {} : { currency: order.currency }),
    })),
    conversations: conversations.slice(0, PROFILE_CONVERSATIONS).map((c) => ({
      id: c.id,
      channel: c.channel,
      status: c.status,
      ...(c.subject === undefined ? {} : { subject: c.subject }),
      lastMessageAt: c.lastMessageAt,
      ...(c.csat ? { csat: c.csat.score } : {}),
      ...(c.mergedInto === undefined ? {} : { mergedInto: c.mergedInto }),
    })),
    csat: {
      count: scores.length,
      ...(scores.length > 0
        ? { average: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 }
        : {}),
    },
    reachable: reachability({
      customer,
      now: deps.clock.now(),
      deployed: deps.channels,
      lastInbound,
      social: deps.config.social,
      quietHours: deps.quietHours,
    }),
  };
}

/** Each channel's current consent with its source, and its recent changes oldest first. */
function consentView(
  customer: Customer,
  history: readonly ConsentHistoryEntry[],
): Partial<Record<Channel, ChannelConsentView>> {
  const byChannel = new Map<Channel, ConsentHistoryEntry[]>();
  for (const entry of history) {
    const list = byChannel.get(entry.channel) ?? [];
    if (list.length < PROFILE_CONSENT_CHANGES_PER_CHANNEL) list.push(entry);
    byChannel.set(entry.channel, list);
  }
  const view: Partial<Record<Channel, ChannelConsentView>> = {};
  for (const [channel, state] of Object.entries(customer.consent) as Array<[Channel, ConsentState]>) {
    const detail = customer.consentDetail?.[channel];
    view[channel] = {
      state,
      ...(detail ? { source: detail.source, at: detail.at } : {}),
      history: (byChannel.get(channel) ?? [])
        .map(({ customerId: _customer, channel: _channel, ...record }) => record)
        .reverse(),
    };
  }
  return view;
}
