/** Times as an agent reads them: short ages, business-hour countdowns, local date and time. */
import type { UiLanguage } from './i18n.ts';
import type { ConversationRow, RowDeadline } from './types.ts';

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "5 min", "3 h", "2 d" since `iso`. */
export function age(language: UiLanguage, iso: string, now: number): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms || unit === 'minute') {
      return new Intl.NumberFormat(language, {
        style: 'unit',
        unit,
        unitDisplay: 'short',
      }).format(Math.floor(elapsed / ms));
    }
  }
  return '';
}

/** Business minutes as "1 h 20 min". */
export function businessDuration(language: UiLanguage, minutes: number): string {
  const whole = Math.max(0, Math.round(Math.abs(minutes)));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);
  if (hours === 0) return unit(rest, 'minute');
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
}

/**
 * The countdown a row shows: the server's business minutes left, less the minutes since the
 * row was fetched (an approximation between refreshes: the next refetch is exact again).
 */
export function deadlineLeft(deadline: RowDeadline, fetchedAt: number, now: number): number {
  return deadline.businessMinutesLeft - Math.floor((now - fetchedAt) / 60_000);
}

export function dateTime(language: UiLanguage, iso: string, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(language, {
      dateStyle: 'medium',
      timeStyle: 'short',
      ...(timeZone ? { timeZone } : {}),
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

export function displayName(row: Pick<ConversationRow, 'customer' | 'customerId'>): string {
  return row.customer?.name?.trim() || row.customerId;
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
