import * as z from 'zod';
import { isoDate, type SupportConfig, timeZone } from '../config.ts';
import { resolveShopCustomer } from '../customers/merge.ts';
import { toE164 } from '../customers/phone.ts';
import { DEFAULT_LEASE_SECONDS } from '../event-lease.ts';
import { handleOnce } from '../exactly-once.ts';
import type { Channel, Identity, Order, OutboundRequest } from '../model.ts';
import { ORDER_EVENT_TYPES } from '../model.ts';
import type { ConversationStore } from '../ports/conversations.ts';
import type { ConsentLedger, CustomerDirectory, CustomerLinks } from '../ports/customers.ts';
import type { EventLedger } from '../ports/event-ledger.ts';
import type { OrderStore } from '../ports/orders.ts';
import type { OutboundQueue } from '../ports/outbound.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import {
  chooseNotificationChannel,
  NOTIFICATION_CHANNELS,
  notificationLanguage,
  renderOrderNotification,
} from './notifications.ts';

const notificationChannel = z.enum(NOTIFICATION_CHANNELS);

/**
 * The shop's customer as an order or reminder names it (DESIGN §5). Pure, like orderEventSchema:
 * a function that loads this module for something else (the dispatcher firing reminders) drops
 * the schemas, and with them the phone metadata they normalise with.
 */
export const shopCustomerSchema = /* @__PURE__ */ z
  .object({
    email: z
      .email({ message: 'must be an email address' })
      .max(320)
      .transform((s) => s.toLowerCase())
      .optional(),
    phone: z
      .string()
      .max(32)
      .transform((raw, ctx) => {
        const e164 = toE164(raw);
        if (!e164) {
          ctx.addIssue({ code: 'custom', message: 'must be a valid phone number in E.164 form' });
          return z.NEVER;
        }
        return e164;
      })
      .optional(),
    name: z.string().min(1).max(120).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'use a two-letter ISO 639-1 code')
      .optional(),
    timezone: timeZone.optional(),
    preferredChannel: notificationChannel.optional(),
    consent: z.partialRecord(notificationChannel, z.boolean()).optional(),
  })
  .refine((c) => c.email !== undefined || c.phone !== undefined, {
    message: 'needs an email or a phone',
    path: ['email'],
  });
export type ShopCustomer = z.infer<typeof shopCustomerSchema>;

/**
 * `POST /orders/events` (DESIGN §5). Unknown fields are allowed: shops send more than we read.
 * Built inside a pure arrow: esbuild drops an unused pure call only when its arguments have no
 * side effects, and the field schemas are calls.
 */
export const orderEventSchema = /* @__PURE__ */ (() =>
  z.object({
    eventId: z.string().min(1).max(200),
    type: z.enum(ORDER_EVENT_TYPES),
    occurredAt: z.iso.datetime({ offset: true }),
    order: z.object({
      id: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[\p{L}\p{N}._\-/#]+$/u, 'use letters, digits and . _ - / #'),
      status: z.string().min(1).max(40).optional(),
      carrier: z.string().min(1).max(80).optional(),
      trackingNumber: z.string().min(1).max(80).optional(),
      trackingUrl: z
        .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
        .max(2000)
        .optional(),
      estimatedDelivery: isoDate.optional(),
      refundAmount: z.number().nonnegative().max(1e9).optional(),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as "TRY"')
        .optional(),
    }),
    customer: shopCustomerSchema,
  }))();
export type OrderEvent = z.infer<typeof orderEventSchema>;

export interface OrderEventDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly ledger: EventLedger;
  readonly customers: CustomerDirectory;
  readonly links: CustomerLinks;
  readonly consent: ConsentLedger;
  readonly orders: OrderStore;
  readonly outbound: OutboundQueue;
  /** The channels the dispatcher can send on in this deployment. */
  readonly channels: ReadonlySet<Channel>;
  /** Where notifications go on the customer's timeline (one closed conversation per order). */
  readonly conversations: Pick<ConversationStore, 'create'>;
  /** How long one attempt holds an event's claim: its function's lease (event-lease.ts). @default DEFAULT_LEASE_SECONDS */
  readonly leaseSeconds?: number;
}

export interface OrderEventOutcome {
  readonly orderId: string;
  readonly customerId: string;
  /** False: a newer event of this order was stored first; the status did not move back. */
  readonly applied: boolean;
  readonly merged: readonly string[];
  readonly notification: {
    readonly queued: boolean;
    readonly channel?: Channel;
    readonly outboundId?: string;
    readonly reason?: string;
  };
}

export interface OrderEventResult extends OrderEventOutcome {
  readonly duplicate: boolean;
}

/**
 * One order event, exactly once: the customer it names is found, linked or merged; the order's
 * state moves forward only (an event older than the stored one is recorded in the ledger as not
 * applied, and does not notify: telling a customer "shipped" after "delivered" is worse than
 * silence); and the notification is queued with an id derived from the event and channel, so a
 * redelivered event sends nothing twice.
 */
export async function receiveOrderEvent(deps: OrderEventDeps, event: OrderEvent): Promise<OrderEventResult> {
  const key = `order-event#${event.eventId}`;
  const now = deps.clock.now();
  return handleOnce(
    deps.ledger,
    // Kept as long as orders are: a months-old event sent again is still a duplicate.
    {
      key,
      now,
      leaseSeconds: deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
      what: 'this order event',
      retention: 'forever',
    },
    () => apply(deps, event, key, now),
  );
}

async function apply(
  deps: OrderEventDeps,
  event: OrderEvent,
  key: string,
  now: Date,
): Promise<OrderEventOutcome> {
  const occurredAt = new Date(event.occurredAt).toISOString();
  const identities: Identity[] = [
    ...(event.customer.email ? [{ kind: 'email' as const, value: event.customer.email }] : []),
    ...(event.customer.phone ? [{ kind: 'phone' as const, value: event.customer.phone }] : []),
  ];
  const resolved = await resolveShopCustomer(deps, {
    identities,
    profile: {
      name: event.customer.name,
      language: event.customer.language,
      timezone: event.customer.timezone,
      preferredChannel: event.customer.preferredChannel,
    },
    consent: event.customer.consent,
    eventKey: key,
    at: occurredAt,
  });

  const known = await deps.orders.get(event.order.id);
  const order: Order = {
    id: event.order.id,
    customerId: resolved.customerId,
    lastEventType: event.type,
    status: event.order.status ?? event.type.slice('order.'.length),
    // Details a later event leaves out (a delivered event without the tracking number) are kept.
    carrier: event.order.carrier ?? known?.carrier,
    trackingNumber: event.order.trackingNumber ?? known?.trackingNumber,
    trackingUrl: event.order.trackingUrl ?? known?.trackingUrl,
    estimatedDelivery: event.order.estimatedDelivery ?? known?.estimatedDelivery,
    refundAmount: event.order.refundAmount ?? known?.refundAmount,
    currency: event.order.currency ?? known?.currency,
    lastEventAt: occurredAt,
    lastEventId: event.eventId,
    firstEventAt: known && known.firstEventAt < occurredAt ? known.firstEventAt : occurredAt,
  };
  const applied = await deps.orders.apply(order);
  await deps.orders.recordEvent(order.id, { eventId: event.eventId, type: event.type, occurredAt, applied });
  const base = { orderId: order.id, customerId: resolved.customerId, applied, merged: resolved.merged };
  if (!applied) {
    return {
      ...base,
      notification: { queued: false, reason: 'a newer event of this order is already stored' },
    };
  }
  return { ...base, notification: await notify(deps, order, event, now) };
}

async function notify(
  deps: OrderEventDeps,
  order: Order,
  event: OrderEvent,
  now: Date,
): Promise<OrderEventOutcome['notification']> {
  const customer = await deps.customers.get(order.customerId);
  if (!customer) return { queued: false, reason: 'the customer profile is missing' };
  const choice = chooseNotificationChannel(customer, deps.channels);
  if (!choice) {
    return { queued: false, reason: 'the customer has no channel we may notify on (consent or address)' };
  }
  const language = notificationLanguage(customer, deps.config.languages, deps.config.defaultLanguage);
  const content = renderOrderNotification(order, {
    language,
    channel: choice.channel,
    customerName: customer.name,
  });
  // The agent sees what the customer was told: every notice of one order goes on one conversation,
  // created closed (nothing for an agent to do) and reopened by a reply, which threads into it.
  const conversationId = deps.ids.derive('order-conversation', order.id);
  await deps.conversations.create({
    id: conversationId,
    customerId: customer.id,
    channel: choice.channel,
    status: 'closed',
    subject: content.subject,
    language,
    createdAt: now.toISOString(),
    lastMessageAt: now.toISOString(),
    flags: ['order-notifications'],
  });
  const request: OutboundRequest = {
    id: deps.ids.derive('order-status', event.eventId, choice.channel),
    kind: 'order-status',
    channel: choice.channel,
    customerId: customer.id,
    conversationId,
    to: choice.to,
    language,
    subject: content.subject,
    text: content.text,
    // A reply to the notice (Reply-To token) lands on the order's conversation.
    ...(choice.channel === 'email' ? { email: { references: [], replyToken: conversationId } } : {}),
    // RFC 3834: a notification is auto-generated (not a reply); mail robots must not answer it.
    headers: choice.channel === 'email' ? { 'Auto-Submitted': 'auto-generated' } : {},
    requestedAt: now.toISOString(),
  };
  await deps.outbound.enqueue(request);
  return { queued: true, channel: choice.channel, outboundId: request.id };
}
