import { z } from 'zod';

/**
 * What the functions need to know about the shop at run time. The CDK app validates the same
 * schema at synth time and hands it to every function as one JSON environment variable, so a
 * wrong setting fails `cdk synth`, not a customer's message.
 */

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM, for example "09:00"');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD, for example "2026-10-29"');

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'use an IANA time zone name, for example "Europe/Istanbul"' },
);

/** A closing time may be 24:00, the following midnight, for shops open until the end of the day. */
const closingTime = z
  .string()
  .regex(
    /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/,
    'use 24-hour HH:MM (or 24:00 for midnight), for example "18:00"',
  );

const openingInterval = z
  .object({ open: timeOfDay, close: closingTime })
  .refine((i) => i.open < i.close, { message: 'open must be before close on the same day' });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const businessHoursSchema = z.object({
  timezone: timeZone,
  /** Opening intervals per weekday; a missing or empty day is closed. */
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(openingInterval)),
  /** Whole days off, in the schedule's time zone. */
  holidays: z.array(isoDate).default([]),
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;

const language = z.string().regex(/^[a-z]{2}$/, 'use a two-letter ISO 639-1 code, for example "tr"');

const emailAddress = z.email({ message: 'must be an email address' }).transform((s) => s.toLowerCase());

export const supportConfigSchema = z
  .object({
    /** The domain SES receives mail for, e.g. `support.shop.example`. */
    mailDomain: z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i,
        'must be a domain name like support.shop.example',
      )
      .transform((s) => s.toLowerCase()),
    /** The address customers write to and that acknowledgements come from. */
    supportAddress: emailAddress,
    /** Every other address of ours: mail from them is never answered (loop safety). */
    ownAddresses: z.array(emailAddress).default([]),
    fromName: z
      .string()
      .min(1)
      .max(80)
      .refine((s) => !/[\r\n]/.test(s), { message: 'must not contain line breaks' }),
    languages: z.array(language).min(1),
    defaultLanguage: language,
    businessHours: businessHoursSchema,
    /** First-response target in business minutes; the acknowledgement promises this. */
    firstResponseTargetMinutes: z.number().int().positive().max(10_080).default(240),
    /** At most one automatic response per customer per this many minutes, across channels. */
    autoReplyWindowMinutes: z.number().int().positive().max(43_200).default(1_440),
    /** SMS and social messages within this many minutes continue the open conversation. */
    conversationWindowMinutes: z.number().int().positive().max(43_200).default(1_440),
    attachments: z
      .object({
        maxBytesEach: z
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
        maxCount: z.number().int().positive().max(100).default(20),
      })
      .default({ maxBytesEach: 10 * 1024 * 1024, maxCount: 20 }),
  })
  .superRefine((c, ctx) => {
    if (!c.languages.includes(c.defaultLanguage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultLanguage'],
        message: `must be one of languages (${c.languages.join(', ')})`,
      });
    }
    if (!c.supportAddress.endsWith(`@${c.mailDomain}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['supportAddress'],
        message: `must be an address at mailDomain (${c.mailDomain}) so replies reach SES`,
      });
    }
  });

export type SupportConfig = z.infer<typeof supportConfigSchema>;
export type SupportConfigInput = z.input<typeof supportConfigSchema>;

/** Turns zod issues into one line per wrong setting: `path: message`. */
export function describeConfigIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`)
    .join('\n');
}
