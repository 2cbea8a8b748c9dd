import { DateTime } from 'luxon';
import { ConfigurationError, InvalidInputError } from '../errors.ts';
import type { OutboundRequest } from '../model.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { DeferredSends } from '../ports/outbound.ts';

/** A daily span of local time when proactive messages wait; `start` > `end` crosses midnight. */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

/**
 * When a proactive message may go out: `now` itself if it is outside the quiet hours, else the
 * end of the quiet hours in `timeZone`. Local wall-clock times, so the quiet hours keep their
 * meaning across DST changes (a 08:00 end is 08:00 local on both sides of the change; an end that
 * falls into a spring-forward gap moves to the first time that exists).
 */
export function earliestSendTime(now: Date, quiet: QuietHours, timeZone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid)
    throw new InvalidInputError(`"${timeZone}" is not an IANA time zone name`, { field: 'timeZone' });
  const minuteOfDay = local.hour * 60 + local.minute;
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const crossesMidnight = start > end;
  const quietNow = crossesMidnight
    ? minuteOfDay >= start || minuteOfDay < end
    : minuteOfDay >= start && minuteOfDay < end;
  if (!quietNow) return now;
  // Past midnight the end is today; before midnight (or in a same-day span) it is today or tomorrow.
  const endsTomorrow = crossesMidnight && minuteOfDay >= start;
  const day = endsTomorrow ? local.plus({ days: 1 }) : local;
  const [hour, minute] = quiet.end.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}

function minutes(time: string): number {
  const [hour, minute] = time.split(':').map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
}

/** Kinds the shop starts (as opposed to answers to the customer): these respect quiet hours. */
export const PROACTIVE_KINDS: ReadonlySet<OutboundRequest['kind']> = new Set([
  'order-status',
  'reminder',
  'survey',
  'missed-call',
]);

export interface QuietHoursPolicy {
  /** Quiet hours of SMS (TCPA: 08:00–21:00 local). */
  readonly sms?: QuietHours;
  /** Proactive WhatsApp (order status, reminders) waits the same way. */
  readonly whatsapp?: QuietHours;
  /** When the customer's time zone is unknown: the shop's business-hours zone. */
  readonly fallbackTimeZone: string;
}

export interface QuietHoursDeps {
  readonly customers: Pick<CustomerDirectory, 'get'>;
  readonly quietHours?: QuietHoursPolicy;
  readonly deferredSends?: DeferredSends;
}

/**
 * Parks a proactive send that would arrive in the customer's quiet hours until they end, and says
 * when; `undefined` means send now. Deferred, never dropped: the schedule puts the same request
 * back on the outbound queue, where it passes the consent check again at that time.
 */
export async function deferForQuietHours(
  deps: QuietHoursDeps,
  request: OutboundRequest,
  now: Date,
): Promise<{ readonly until: Date } | undefined> {
  const quiet =
    request.channel === 'sms' || request.channel === 'whatsapp'
      ? deps.quietHours?.[request.channel]
      : undefined;
  if (!quiet || !deps.quietHours || !PROACTIVE_KINDS.has(request.kind)) return undefined;
  const customer = await deps.customers.get(request.customerId);
  const timeZone = validZone(customer?.timezone) ?? deps.quietHours.fallbackTimeZone;
  const until = earliestSendTime(now, quiet, timeZone);
  if (until.getTime() <= now.getTime()) return undefined;
  if (!deps.deferredSends) {
    throw new ConfigurationError(
      'a send falls into quiet hours but the dispatcher has no deferred-send scheduler',
    );
  }
  await deps.deferredSends.schedule({ id: `${request.id}@${until.toISOString()}`, at: until, request });
  return { until };
}

/** A stored time zone that is no longer valid must not block the customer's messages. */
export function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  return DateTime.local().setZone(zone).isValid ? zone : undefined;
}
