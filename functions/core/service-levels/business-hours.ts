import { DateTime } from 'luxon';
import type { BusinessHours } from '../config.ts';
import { WEEKDAYS } from '../config.ts';
import { ConfigurationError, InvalidInputError } from '../errors.ts';

/**
 * Business-hours arithmetic in the shop's time zone.
 *
 * How DST is handled: opening times are wall-clock times ("09:00" in Europe/Berlin), so every
 * interval is resolved to an absolute instant per calendar day, in the schedule's zone, with
 * luxon. Business minutes are then measured between instants, i.e. in real elapsed time: a day
 * that is open 00:00–23:59 has one hour less business time on the spring-forward Sunday and one
 * hour more on the fall-back Sunday, exactly as a clock on the shop's wall would show. An opening
 * time that does not exist on a spring-forward day (02:30) moves forward past the gap (03:30); an
 * ambiguous one on a fall-back day resolves as luxon does (to one of the two instants).
 */

/**
 * A schedule whose next opening is more than this many days away is treated as broken: a shop
 * that is closed for more than a year (no open weekday, or every day a holiday) cannot promise a
 * response time, and an unbounded search would never end.
 */
const MAX_CLOSED_DAYS = 366;

const MINUTE_MS = 60_000;

interface OpenInterval {
  readonly start: number;
  readonly end: number;
}

/** Whether the shop is open at `at`: open from `open` (inclusive) to `close` (exclusive). */
export function isOpenAt(at: Date, hours: BusinessHours): boolean {
  const instant = instantOf(at, 'at');
  return openIntervalsOn(localDayOf(instant, hours), hours).some(
    (i) => i.start <= instant && instant < i.end,
  );
}

/** The first moment at or after `at` when the shop is open: `at` itself when it is open. */
export function nextOpeningAt(at: Date, hours: BusinessHours): Date {
  const instant = instantOf(at, 'at');
  for (const interval of openIntervalsFrom(instant, hours)) {
    if (interval.end > instant) return new Date(Math.max(interval.start, instant));
  }
  // openIntervalsFrom throws before it runs out, so this line only satisfies the type checker.
  throw new ConfigurationError('business hours: no opening found');
}

/**
 * The moment when `minutes` of open time have elapsed after `from` (closed nights, closed days and
 * holidays do not count). The result can be a closing time: 60 minutes after 17:00 with a close at
 * 18:00 is 18:00 the same day, not the next morning. Zero minutes is `from` itself.
 */
export function addBusinessMinutes(from: Date, minutes: number, hours: BusinessHours): Date {
  const start = instantOf(from, 'from');
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new InvalidInputError(`business minutes must be a finite number >= 0, got ${minutes}`, {
      field: 'minutes',
    });
  }
  let remainingMs = minutes * MINUTE_MS;
  if (remainingMs === 0) return new Date(start);

  for (const interval of openIntervalsFrom(start, hours)) {
    if (interval.end <= start) continue;
    const countedFrom = Math.max(interval.start, start);
    const availableMs = interval.end - countedFrom;
    if (remainingMs <= availableMs) return new Date(countedFrom + remainingMs);
    remainingMs -= availableMs;
  }
  throw new ConfigurationError('business hours: no opening found');
}

/**
 * How many minutes of open time lie between `from` and `to` (fractional, real elapsed time);
 * 0 when `to` is not after `from`, so clock skew never yields a negative response time.
 */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours): number {
  const start = instantOf(from, 'from');
  const end = instantOf(to, 'to');
  if (end <= start) return 0;

  let openMs = 0;
  const lastDay = localDayOf(end, hours).toMillis();
  for (let day = localDayOf(start, hours); day.toMillis() <= lastDay; day = day.plus({ days: 1 })) {
    for (const interval of openIntervalsOn(day, hours)) {
      const overlap = Math.min(interval.end, end) - Math.max(interval.start, start);
      if (overlap > 0) openMs += overlap;
    }
  }
  return openMs / MINUTE_MS;
}

/**
 * Open intervals from the local day of `instant` on, day after day. Throws a ConfigurationError
 * after MAX_CLOSED_DAYS consecutive days without any opening, which is what bounds every loop here.
 */
function* openIntervalsFrom(instant: number, hours: BusinessHours): Generator<OpenInterval> {
  let closedDays = 0;
  for (let day = localDayOf(instant, hours); ; day = day.plus({ days: 1 })) {
    const intervals = openIntervalsOn(day, hours);
    if (intervals.length === 0) {
      closedDays += 1;
      if (closedDays > MAX_CLOSED_DAYS) {
        throw new ConfigurationError(
          `business hours: no opening within ${MAX_CLOSED_DAYS} days after ${new Date(instant).toISOString()}; ` +
            'check that businessHours.weekly has at least one open day that is not a holiday',
        );
      }
      continue;
    }
    closedDays = 0;
    yield* intervals;
  }
}

/** The opening intervals of one local calendar day as instants, sorted, overlaps merged. */
function openIntervalsOn(day: DateTime, hours: BusinessHours): OpenInterval[] {
  const isoDate = day.toISODate();
  if (isoDate === null || hours.holidays.includes(isoDate)) return [];
  const weekday = WEEKDAYS[day.weekday - 1];
  const configured = weekday === undefined ? undefined : hours.weekly[weekday];
  if (configured === undefined || configured.length === 0) return [];

  const intervals = configured
    .map((i) => ({ start: wallClockInstant(day, i.open, hours), end: wallClockInstant(day, i.close, hours) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);

  // Overlapping or touching intervals (a config typo, or 09:00–12:00 plus 12:00–18:00) would
  // otherwise count the shared time twice.
  const merged: { start: number; end: number }[] = [];
  for (const interval of intervals) {
    const previous = merged.at(-1);
    if (previous !== undefined && interval.start <= previous.end) {
      previous.end = Math.max(previous.end, interval.end);
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

/** "HH:MM" on `day` in the schedule's zone, as epoch milliseconds; "24:00" is the next midnight. */
function wallClockInstant(day: DateTime, timeOfDay: string, hours: BusinessHours): number {
  const match = /^(\d{2}):(\d{2})$/.exec(timeOfDay);
  if (match === null) {
    throw new ConfigurationError(`business hours: "${timeOfDay}" is not a 24-hour HH:MM time`);
  }
  const moment = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Number(match[1]), minute: Number(match[2]) },
    { zone: hours.timezone },
  );
  if (!moment.isValid) {
    throw new ConfigurationError(`business hours: "${timeOfDay}" is not a valid time of day`);
  }
  return moment.toMillis();
}

function localDayOf(instant: number, hours: BusinessHours): DateTime {
  const local = DateTime.fromMillis(instant, { zone: hours.timezone });
  if (!local.isValid) {
    throw new ConfigurationError(`business hours: "${hours.timezone}" is not an IANA time zone name`);
  }
  return local.startOf('day');
}

function instantOf(date: Date, field: string): number {
  const instant = date.getTime();
  if (Number.isNaN(instant)) throw new InvalidInputError(`${field} is not a valid date`, { field });
  return instant;
}
