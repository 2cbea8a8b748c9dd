import { DateTime } from 'luxon';
import { catalogFor, FALLBACK_LANGUAGE, hasCatalog } from '../i18n/index.ts';
import type { Channel, Customer, IdentityKind, Language, Order } from '../model.ts';
import { countSmsSegments, turkishToGsm7 } from '../sms/segments.ts';

/** Channels a proactive notification can go out on, and the identity that addresses each. */
export const NOTIFICATION_CHANNELS = ['sms', 'email', 'whatsapp'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

const ADDRESS_KIND: Readonly<Record<NotificationChannel, IdentityKind>> = {
  sms: 'phone',
  email: 'email',
  // A WhatsApp user is a phone number; an explicit whatsapp identity wins.
  whatsapp: 'whatsapp',
};

export interface ChannelChoice {
  readonly channel: NotificationChannel;
  readonly to: string;
}

/**
 * Where a proactive message goes: the preferred channel if the customer may be reached there,
 * else the first other channel in `order` that qualifies. A channel qualifies when we can send
 * on it (`available`), have an address for it, and consent allows it: SMS and WhatsApp need an
 * explicit opt-in (marketing-grade channels, TCPA and İYS), email needs only the absence of an
 * opt-out (an order update to the address the order was placed with is transactional mail).
 * Undefined: nowhere (the caller records why).
 */
export function chooseNotificationChannel(
  customer: Pick<Customer, 'consent' | 'identities' | 'preferredChannel'>,
  available: ReadonlySet<Channel>,
  order: readonly NotificationChannel[] = NOTIFICATION_CHANNELS,
  requested?: NotificationChannel,
): ChannelChoice | undefined {
  const preferred = requested ?? customer.preferredChannel;
  const candidates = [
    ...(preferred && (NOTIFICATION_CHANNELS as readonly string[]).includes(preferred)
      ? [preferred as NotificationChannel]
      : []),
    ...order,
  ];
  for (const channel of candidates) {
    if (!available.has(channel)) continue;
    const consent = customer.consent[channel];
    const allowed = channel === 'email' ? consent !== 'opted-out' : consent === 'opted-in';
    if (!allowed) continue;
    const to = addressOn(customer, channel);
    if (to) return { channel, to };
  }
  return undefined;
}

function addressOn(customer: Pick<Customer, 'identities'>, channel: NotificationChannel): string | undefined {
  const exact = customer.identities.find((i) => i.kind === ADDRESS_KIND[channel])?.value;
  if (exact || channel !== 'whatsapp') return exact;
  return customer.identities.find((i) => i.kind === 'phone')?.value;
}

/** The language to notify in: the shop's (or customer's) explicit choice, else detected, else default. */
export function notificationLanguage(
  customer: Pick<Customer, 'language' | 'detectedLanguage'>,
  languages: readonly Language[],
  defaultLanguage: Language,
): Language {
  for (const candidate of [customer.language, customer.detectedLanguage]) {
    if (candidate && languages.includes(candidate) && hasCatalog(candidate)) return candidate;
  }
  return hasCatalog(defaultLanguage) ? defaultLanguage : FALLBACK_LANGUAGE;
}

export interface RenderedNotification {
  readonly subject: string;
  readonly text: string;
}

/**
 * An order notification in `language` for `channel`. Email gets a greeting and a notice; SMS and
 * WhatsApp get the news alone. SMS is sent in the GSM-7 spelling of Turkish when that needs fewer
 * segments (160 characters a segment instead of 70): a tracking link makes every SMS long.
 */
export function renderOrderNotification(
  order: Order,
  input: { readonly language: Language; readonly channel: Channel; readonly customerName?: string },
): RenderedNotification {
  const catalog = catalogFor(input.language);
  const parts = {
    type: order.lastEventType,
    orderId: order.id,
    carrier: order.carrier,
    trackingNumber: order.trackingNumber,
    trackingUrl: order.trackingUrl,
    estimatedDelivery: order.estimatedDelivery
      ? formatDate(order.estimatedDelivery, catalog.locale)
      : undefined,
    refund:
      order.refundAmount !== undefined && order.currency
        ? formatMoney(order.refundAmount, order.currency, catalog.locale)
        : undefined,
  };
  const subject = catalog.orders.subject(parts).normalize('NFC');
  const news = catalog.orders.text(parts).normalize('NFC');
  if (input.channel === 'email') {
    const greeting = catalog.acknowledgement.greeting(greetingName(input.customerName));
    return { subject, text: `${greeting}\n\n${news}\n\n${catalog.notificationNotice}\n`.normalize('NFC') };
  }
  return { subject, text: input.channel === 'sms' ? cheaperSms(news) : news };
}

/** The spelling of `text` that costs fewer SMS segments (Turkish letters force UCS-2). */
export function cheaperSms(text: string): string {
  const gsm = turkishToGsm7(text);
  return countSmsSegments(gsm).segments < countSmsSegments(text).segments ? gsm : text;
}

/** "2026-11-25" → "25 November 2026" / "25 Kasım 2026"; anything else as given. */
export function formatDate(isoDate: string, locale: string): string {
  const date = DateTime.fromISO(isoDate, { zone: 'UTC' });
  return date.isValid ? date.setLocale(locale).toFormat('d MMMM yyyy') : isoDate;
}

export function formatMoney(amount: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function greetingName(name: string | undefined): string | undefined {
  const cleaned = name?.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  return cleaned && cleaned.length <= 60 && !cleaned.includes('@') ? cleaned : undefined;
}

/** The status of `order` as one short text in `language` (the "where is my order" answer). */
export function orderStatusText(order: Order, language: string): string {
  return renderOrderNotification(order, { language, channel: 'whatsapp' }).text;
}
