import { DateTime } from 'luxon';
import { ConfigurationError, InvalidInputError } from '../errors.ts';
import type { Channel, Language } from '../model.ts';
import type { Catalog } from './catalog.ts';
import { en } from './en.ts';
import { tr } from './tr.ts';

export type { Catalog } from './catalog.ts';

/** Adding a language: write `xx.ts` exporting a `Catalog`, and list it here. */
const CATALOGS: Readonly<Record<Language, Catalog>> = { en, tr };

/** What we answer in when the requested language has no catalog. */
export const FALLBACK_LANGUAGE: Language = 'en';

export function hasCatalog(language: Language): boolean {
  return Object.hasOwn(CATALOGS, primarySubtag(language));
}

/** The catalog for `language` ("tr", "TR", "tr-TR"), or the fallback language's. */
export function catalogFor(language: Language): Catalog {
  const requested = primarySubtag(language);
  const catalog = Object.hasOwn(CATALOGS, requested) ? CATALOGS[requested] : CATALOGS[FALLBACK_LANGUAGE];
  if (catalog === undefined) throw new ConfigurationError(`no message catalog for "${FALLBACK_LANGUAGE}"`);
  return catalog;
}

/**
 * When we will answer, as the customer reads it in their language and time zone: "today at 14:00",
 * "tomorrow at 10:00", "Monday 10:00" within six days, "Monday, 7 December at 10:00" beyond.
 * Days are calendar days in `timeZone`, so 00:30 tomorrow is "tomorrow" even if it is only an hour
 * away. Always a 24-hour clock: 12-hour times are ambiguous in Turkish and most of Europe.
 */
export function formatResponseDeadline(
  deadline: Date,
  now: Date,
  language: Language,
  timeZone: string,
): string {
  const catalog = catalogFor(language);
  const due = zoned(deadline, timeZone, 'deadline').setLocale(catalog.locale);
  const today = zoned(now, timeZone, 'now').startOf('day');
  // Calendar days, rounded: a day across a DST change is 23 or 25 hours long.
  const daysAhead = Math.round(due.startOf('day').diff(today, 'days').days);
  const time = due.toFormat('HH:mm');

  if (daysAhead === 0) return normalizeText(catalog.deadline.today(time));
  if (daysAhead === 1) return normalizeText(catalog.deadline.tomorrow(time));
  const weekday = due.toFormat('cccc');
  if (daysAhead >= 2 && daysAhead <= 6) return normalizeText(catalog.deadline.thisWeek({ weekday, time }));
  // 'MMMM' is the month name in its date-format form, which some languages inflect ("7 декабря").
  return normalizeText(catalog.deadline.onDate({ weekday, day: due.day, month: due.toFormat('MMMM'), time }));
}

export interface AcknowledgementInput {
  readonly language: Language;
  readonly customerName?: string;
  /** Already formatted, see formatResponseDeadline. */
  readonly responseBy: string;
  /** Short conversation reference shown to the customer ("K7Q2" is shown as "#K7Q2"). */
  readonly reference: string;
  readonly channel: Channel;
  /** An FAQ answer to the customer's question, said before the acknowledgement (see core/auto-reply/faq.ts). */
  readonly faqAnswer?: string;
  /** A help-center article's page, linked after the answer (SMS: the link without the answer). */
  readonly articleUrl?: string;
}

/**
 * The automatic acknowledgement of a customer's message. Email gets the full text with greeting and
 * a subject; every other channel gets one short paragraph (its subject is for the timeline only).
 * Unknown languages get the fallback catalog. Output is NFC, so a composed "ş" from a customer's
 * name and one from our templates compare and count (SMS segments) the same.
 */
export function renderAcknowledgement(input: AcknowledgementInput): {
  subject: string;
  text: string;
  /** SMS with a link: a terser text for when `text` does not fit one segment. */
  shorterText?: string;
} {
  const messages = catalogFor(input.language).acknowledgement;
  const reference = displayedReference(input.reference);
  const responseBy = singleLine(input.responseBy);
  if (responseBy === '') throw new InvalidInputError('responseBy must not be empty', { field: 'responseBy' });

  // Never the customer's own subject: whoever wrote the mail chose it, and the acknowledgement
  // goes out signed with the shop's domain.
  const subject = messages.defaultSubject(reference);

  const faqAnswer = input.faqAnswer?.trim() || undefined;
  // An SMS that already says the order's status has no room left for a link.
  const url =
    input.articleUrl && !(input.channel === 'sms' && faqAnswer) ? singleLine(input.articleUrl) : undefined;
  if (input.channel === 'sms' && url) {
    // A segment has no room for a summary: the link is the answer.
    const short = messages.short({ responseBy, reference });
    return {
      subject: normalizeText(subject),
      text: normalizeText(`${short}\n${url}`),
      shorterText: normalizeText(messages.shortWithLink({ responseBy, reference, url })),
    };
  }
  const answer = [faqAnswer, url ? messages.helpArticle(url) : undefined].filter(Boolean).join('\n');
  if (input.channel !== 'email') {
    const short = messages.short({ responseBy, reference });
    return {
      subject: normalizeText(subject),
      text: normalizeText(answer ? `${answer}\n\n${short}` : short),
    };
  }
  const paragraphs = [
    messages.greeting(customerNameForGreeting(input.customerName)),
    ...(answer ? [answer] : []),
    messages.received(responseBy),
    messages.reference(reference),
    messages.replyToContinue,
    messages.automaticNotice,
  ];
  return { subject: normalizeText(subject), text: normalizeText(`${paragraphs.join('\n\n')}\n`) };
}

function displayedReference(reference: string): string {
  const bare = singleLine(reference).replace(/^#+/, '');
  if (bare === '') throw new InvalidInputError('reference must not be empty', { field: 'reference' });
  return `#${bare}`;
}

/** A display name we can put after "Hello": not an address, not a number, not absurdly long. */
function customerNameForGreeting(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const cleaned = singleLine(name)
    .replace(/^["']+|["']+$/g, '')
    .trim();
  if (cleaned === '' || cleaned.length > 60 || cleaned.includes('@') || !/\p{L}/u.test(cleaned))
    return undefined;
  return cleaned;
}

/** NFC, no control characters (a CR/LF in a subject would be header injection), one line. */
function singleLine(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

function normalizeText(value: string): string {
  return value.normalize('NFC');
}

function zoned(date: Date, timeZone: string, field: string): DateTime {
  if (Number.isNaN(date.getTime())) throw new InvalidInputError(`${field} is not a valid date`, { field });
  const zonedDate = DateTime.fromJSDate(date, { zone: timeZone });
  if (!zonedDate.isValid)
    throw new InvalidInputError(`"${timeZone}" is not an IANA time zone name`, { field: 'timeZone' });
  return zonedDate;
}

function primarySubtag(language: Language): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}
