import * as z from 'zod';
import type { SupportConfig } from '../config.ts';
import { resolveShopCustomer, type ShopCustomerDeps } from '../customers/merge.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { catalogFor } from '../i18n/index.ts';
import {
  type Channel,
  type Customer,
  type Identity,
  type OutboundRequest,
  REMINDER_KINDS,
  type Reminder,
  type ReminderDue,
} from '../model.ts';
import {
  cheaperSms,
  chooseNotificationChannel,
  formatDate,
  NOTIFICATION_CHANNELS,
  notificationLanguage,
} from '../orders/notifications.ts';
import { shopCustomerSchema } from '../orders/order-events.ts';
import type { DispatchOutboundDeps, DispatchResult } from '../outbound/dispatch.ts';
import { dispatchOutbound } from '../outbound/dispatch.ts';
import type { ReminderStore } from '../ports/orders.ts';
import type { DeferredSends } from '../ports/outbound.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';

/**
 * Reminders the shop schedules: a cart left behind, a subscription about to renew, an
 * appointment, or the shop's own text. Each is a one-time deferred send (an EventBridge Scheduler
 * schedule in the cloud) that puts a `ReminderDue` on the outbound queue at its time; the
 * dispatcher then decides the channel and checks consent and quiet hours, so a STOP between
 * creation and the due time still wins. Cancelling deletes the schedule and marks the reminder
 * cancelled, and a due reminder that finds itself cancelled sends nothing (belt and braces: a
 * schedule may already have fired when the delete arrives).
 */

/**
 * A reminder id goes into a URL path (`DELETE /reminders/{id}`), a schedule name and a table key:
 * no `.` (so never `.` or `..`, which proxies and clients resolve as path segments), no `/`.
 */
export const REMINDER_ID = /^[A-Za-z0-9_-]{1,100}$/;
export const REMINDER_ID_RULE = 'use 1-100 letters, digits, "_" or "-"';

const reminderId = z.string().regex(REMINDER_ID, REMINDER_ID_RULE);

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);

// Pure: the dispatcher fires reminders and never parses a request; unused, the schemas (and the
// phone metadata shopCustomerSchema normalises with) drop out of its bundle.
export const createReminderSchema = /* @__PURE__ */ z
  .object({
    action: z.literal('create'),
    id: reminderId,
    kind: z.enum(REMINDER_KINDS),
    at: z.iso.datetime({ offset: true }),
    customer: shopCustomerSchema,
    channel: z.enum(NOTIFICATION_CHANNELS).optional(),
    data: z
      .object({
        cartUrl: httpUrl.optional(),
        url: httpUrl.optional(),
        /** The appointment or renewal time (ISO date or date-time). */
        when: z.string().max(40).optional(),
        text: z.string().min(1).max(600).optional(),
      })
      .default({}),
  })
  .refine((r) => r.kind !== 'custom' || r.data.text !== undefined, {
    message: 'a custom reminder needs data.text',
    path: ['data', 'text'],
  });

export const cancelReminderSchema = z.object({ action: z.literal('cancel'), id: reminderId });

/** `POST /reminders` (DESIGN §5): create or cancel. */
export const reminderRequestSchema = /* @__PURE__ */ z.union([createReminderSchema, cancelReminderSchema]);
export type ReminderRequest = z.infer<typeof reminderRequestSchema>;
export type CreateReminder = z.infer<typeof createReminderSchema>;

/**
 * What may arrive on the outbound queue for a reminder: a stored reminder that is due (from its
 * schedule), or a whole reminder from an external scheduler (never stored, sent once per id).
 */
export const reminderQueueMessageSchema = z.union([
  z.object({ type: z.literal('reminder'), reminderId }),
  z.object({
    type: z.literal('reminder'),
    reminder: z.object({
      id: reminderId,
      kind: z.enum(REMINDER_KINDS),
      customer: z.object({ email: z.string().optional(), phone: z.string().optional() }),
      channel: z.enum(NOTIFICATION_CHANNELS).optional(),
      data: z
        .object({
          url: httpUrl.optional(),
          cartUrl: httpUrl.optional(),
          when: z.string().max(40).optional(),
          text: z.string().min(1).max(600).optional(),
        })
        .default({}),
    }),
  }),
]);
export type ReminderQueueMessage = z.infer<typeof reminderQueueMessageSchema>;

export interface ReminderDeps extends ShopCustomerDeps {
  readonly clock: Clock;
  readonly reminders: ReminderStore;
  readonly deferredSends: DeferredSends;
}

export interface ReminderAnswer {
  readonly id: string;
  readonly state: Reminder['state'];
  readonly at?: string;
  readonly duplicate?: boolean;
}

export function reminderScheduleId(id: string): string {
  return `reminder#${id}`;
}

export async function createReminder(deps: ReminderDeps, request: CreateReminder): Promise<ReminderAnswer> {
  const now = deps.clock.now();
  const at = new Date(request.at);
  // Looked up before `at` is checked: the shop's retry of a create that was taken answers the
  // same, even once its time has passed (or the reminder has fired).
  const existing = await deps.reminders.get(request.id);
  if (existing) {
    // A retry after a crash between storing and scheduling must still schedule (idempotent).
    if (existing.state === 'scheduled') await scheduleDue(deps, existing);
    return { id: existing.id, state: existing.state, at: existing.at, duplicate: true };
  }
  if (at.getTime() <= now.getTime()) {
    throw new InvalidInputError('at: must be in the future', { field: 'at' });
  }
  const identities: Identity[] = [
    ...(request.customer.email ? [{ kind: 'email' as const, value: request.customer.email }] : []),
    ...(request.customer.phone ? [{ kind: 'phone' as const, value: request.customer.phone }] : []),
  ];
  const customer = await resolveShopCustomer(deps, {
    identities,
    profile: {
      name: request.customer.name,
      language: request.customer.language,
      timezone: request.customer.timezone,
      preferredChannel: request.customer.preferredChannel,
    },
    consent: request.customer.consent,
    eventKey: `reminder#${request.id}`,
    at: now.toISOString(),
  });
  const reminder: Reminder = {
    id: request.id,
    kind: request.kind,
    at: at.toISOString(),
    customerId: customer.customerId,
    ...(request.channel ? { channel: request.channel } : {}),
    data: {
      ...(request.data.cartUrl || request.data.url ? { url: request.data.cartUrl ?? request.data.url } : {}),
      ...(request.data.when ? { when: request.data.when } : {}),
      ...(request.data.text ? { text: request.data.text } : {}),
    },
    state: 'scheduled',
    createdAt: now.toISOString(),
    scheduleId: reminderScheduleId(request.id),
  };
  // Stored first: a schedule must never fire for a reminder that is not there.
  const stored = await deps.reminders.create(reminder);
  if (stored.state === 'scheduled') await scheduleDue(deps, stored);
  return { id: stored.id, state: stored.state, at: stored.at };
}

async function scheduleDue(deps: ReminderDeps, reminder: Reminder): Promise<void> {
  const due: ReminderDue = { type: 'reminder', reminderId: reminder.id };
  await deps.deferredSends.schedule({ id: reminder.scheduleId, at: new Date(reminder.at), request: due });
}

export async function cancelReminder(deps: ReminderDeps, id: string): Promise<ReminderAnswer> {
  const now = deps.clock.now();
  const cancelled = await deps.reminders.cancel(id, now.toISOString());
  if (!cancelled) throw new NotFoundError(`no reminder with id ${id}`);
  // Deleted even when already cancelled: a retry after a crash between the two writes.
  if (cancelled.state === 'cancelled') await deps.deferredSends.cancel(cancelled.scheduleId);
  return { id: cancelled.id, state: cancelled.state, at: cancelled.at };
}

export interface FireReminderDeps extends DispatchOutboundDeps {
  readonly ids: IdSource;
  readonly config: SupportConfig;
  readonly reminders: ReminderStore;
  /** The channels this dispatcher can send on. */
  readonly channels: ReadonlySet<Channel>;
}

export type FireReminderResult =
  | {
      readonly status: 'dispatched';
      readonly reminderId: string;
      readonly channel: Channel;
      readonly delivery: DispatchResult;
    }
  | { readonly status: 'skipped'; readonly reminderId: string; readonly reason: string };

/**
 * A reminder is due: find it (or take the external scheduler's), pick the channel now (consent as
 * it is now), render it in the customer's language and hand it to the dispatcher, which applies
 * consent suppression, quiet hours (deferring) and the once-only ledger.
 */
export async function fireReminder(
  deps: FireReminderDeps,
  message: ReminderQueueMessage,
): Promise<FireReminderResult> {
  const now = deps.clock.now();
  let reminder: Pick<Reminder, 'id' | 'kind' | 'channel' | 'data'>;
  let customer: Customer | undefined;
  if ('reminderId' in message) {
    const stored = await deps.reminders.get(message.reminderId);
    if (!stored) return { status: 'skipped', reminderId: message.reminderId, reason: 'no such reminder' };
    if (stored.state === 'cancelled') {
      return { status: 'skipped', reminderId: stored.id, reason: 'the reminder was cancelled' };
    }
    reminder = stored;
    customer = await deps.customers.get(stored.customerId);
  } else {
    const external = message.reminder;
    reminder = {
      id: external.id,
      kind: external.kind,
      channel: external.channel,
      data: {
        url: external.data.cartUrl ?? external.data.url,
        when: external.data.when,
        text: external.data.text,
      },
    };
    const identity: Identity | undefined = external.customer.email
      ? { kind: 'email', value: external.customer.email.toLowerCase() }
      : external.customer.phone
        ? { kind: 'phone', value: external.customer.phone }
        : undefined;
    customer = identity ? await deps.customers.findByIdentity(identity) : undefined;
  }
  if (!customer) return { status: 'skipped', reminderId: reminder.id, reason: 'the customer is unknown' };
  if (reminder.kind === 'custom' && !reminder.data.text) {
    return { status: 'skipped', reminderId: reminder.id, reason: 'a custom reminder needs data.text' };
  }
  const choice = chooseNotificationChannel(customer, deps.channels, NOTIFICATION_CHANNELS, reminder.channel);
  if (!choice) {
    await deps.reminders.markFired(reminder.id, now.toISOString());
    return { status: 'skipped', reminderId: reminder.id, reason: 'no channel the customer consented to' };
  }
  const language = notificationLanguage(customer, deps.config.languages, deps.config.defaultLanguage);
  const catalog = catalogFor(language);
  const parts = {
    kind: reminder.kind,
    url: reminder.data.url,
    when: reminder.data.when ? formatWhen(reminder.data.when, catalog.locale) : undefined,
    text: reminder.data.text,
  };
  const news = catalog.reminders.text(parts).normalize('NFC');
  const text =
    choice.channel === 'email'
      ? `${catalog.acknowledgement.greeting(customer.name)}\n\n${news}\n\n${catalog.notificationNotice}\n`
      : choice.channel === 'sms'
        ? cheaperSms(news)
        : news;
  const request: OutboundRequest = {
    // Per reminder and channel: the schedule's retries and SQS redeliveries send it once.
    id: deps.ids.derive('reminder', reminder.id, choice.channel),
    kind: 'reminder',
    channel: choice.channel,
    customerId: customer.id,
    to: choice.to,
    language,
    subject: catalog.reminders.subject(parts),
    text,
    headers: choice.channel === 'email' ? { 'Auto-Submitted': 'auto-generated' } : {},
    requestedAt: now.toISOString(),
  };
  const result = await dispatchOutbound(deps, request);
  if (result.status !== 'deferred') await deps.reminders.markFired(reminder.id, now.toISOString());
  return { status: 'dispatched', reminderId: reminder.id, channel: choice.channel, delivery: result };
}

/** "2026-11-24T14:30:00+03:00" → "24 November 2026 14:30" in the catalog's locale; a date alone without time. */
function formatWhen(when: string, locale: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(when)) return formatDate(when, locale);
  const date = new Date(when);
  if (Number.isNaN(date.getTime())) return when;
  return `${formatDate(when.slice(0, 10), locale)} ${when.slice(11, 16)}`;
}

/**
 * The reminder on an outbound queue message, if it is one (`"type": "reminder"`); undefined for
 * an ordinary send. A reminder message that does not match its shape is refused with the reason.
 */
export function reminderQueueMessageOf(body: unknown): ReminderQueueMessage | undefined {
  if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== 'reminder')
    return undefined;
  const parsed = reminderQueueMessageSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidInputError(`the reminder message is malformed: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
