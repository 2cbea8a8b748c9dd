import * as z from 'zod';
import { faqSchema } from './auto-reply/faq.ts';
import { describeIssues } from './config-check.ts';
import { hasE164Shape } from './customers/phone-shape.ts';

/**
 * What the functions need to know about the shop at run time. The CDK app validates the same
 * schema at synth time and hands it to every function as one JSON environment variable, so a
 * wrong setting fails `cdk synth`, not a customer's message.
 */

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM, for example "09:00"');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD, for example "2026-10-29"')
  .refine(
    (s) => {
      // Date.parse reads "2026-02-30" as 2 March: a real date survives the round trip unchanged.
      const at = Date.parse(`${s}T00:00:00Z`);
      return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === s;
    },
    {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a date: use YYYY-MM-DD, for example "2026-10-29"`,
      when: (payload) => payload.issues.length === 0,
    },
  );

export const timeZone = z.string().refine(
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

const openingInterval = z.object({ open: timeOfDay, close: closingTime }).refine((i) => i.open < i.close, {
  message: 'open must be before close on the same day',
  // Only once both times are valid: a wrong time is one mistake, not two.
  when: (payload) => payload.issues.length === 0,
});

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const businessHoursSchema = z.object({
  /** IANA time zone of the opening hours, e.g. `Europe/Istanbul`. */
  timezone: timeZone,
  /**
   * Opening intervals per weekday (`{"mon":[{"open":"09:00","close":"18:00"}]}`, `close` may be
   * `24:00`); a missing or empty day is closed.
   */
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(openingInterval)),
  /** Whole days off (`YYYY-MM-DD`), in the schedule's time zone. */
  holidays: z.array(isoDate).default([]),
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;

const language = z.string().regex(/^[a-z]{2}$/, 'use a two-letter ISO 639-1 code, for example "tr"');

/**
 * WhatsApp allows free text only within 24 hours of the customer's last message; after that only
 * an approved template. `whatsappTemplate` names one with a single body variable ({{1}}) that
 * carries our text; `languages` maps our language codes to the template's (`en` → `en_US`).
 * Without a template (or for Messenger and Instagram, which have no templates for this), the
 * message goes to the first of `fallbackChannels` the customer has an identity on and has not
 * opted out of.
 */
const socialConfigSchema = z.object({
  /**
   * An approved WhatsApp template (`{"name":"support_reply","languages":{"tr":"tr","en":"en_US"}}`)
   * with one body variable `{{1}}`, used for our text once the 24-hour window is closed. Absent:
   * the fallback.
   */
  whatsappTemplate: z
    .object({
      /** The template's name as approved in WhatsApp Manager. */
      name: z
        .string()
        .regex(/^[a-z0-9_]{1,512}$/, 'use the template name as approved: lowercase, digits, "_"'),
      /** Our language codes to the template's (`en` → `en_US`). */
      languages: z.record(
        z.string().regex(/^[a-z]{2}$/),
        z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'use a WhatsApp language code such as "tr" or "en_US"'),
      ),
    })
    .optional(),
  /**
   * Where a WhatsApp, Messenger or Instagram message goes when the 24-hour window is closed and no
   * template applies: the first of these the customer has an identity on and has not opted out of.
   */
  fallbackChannels: z
    .array(z.enum(['sms', 'email']))
    .max(2)
    .default(['sms', 'email']),
});

const emailAddress = z.email({ message: 'must be an email address' }).transform((s) => s.toLowerCase());

// Shape only: every function loads this schema, and the range check's metadata would cost each
// cold start 190 KiB. The CDK app checks the ranges of the configured numbers at synth time.
const e164 = z.string().refine(hasE164Shape, {
  message: 'use a valid phone number in E.164 form, for example "+905321234567"',
});

/** Texts per language; a language without one gets the default language's, then a built-in. */
const textsPerLanguage = z.partialRecord(
  z.string().regex(/^[a-z]{2}$/, 'use two-letter ISO 639-1 codes as keys'),
  z.string().min(1).max(480),
);

/**
 * The SMS channel (AWS End User Messaging SMS). Present: inbound SMS is answered and the
 * dispatcher sends SMS; absent: the channel is not deployed.
 */
export const smsConfigSchema = z.object({
  /**
   * What we send from: the ARN of a phone number, pool or sender id, or a phone number id
   * (`phone-…`) or pool id (`pool-…`). IAM lets the dispatcher send from exactly this.
   */
  originationIdentity: z
    .string()
    .regex(
      /^(arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number\/phone-[0-9a-f]+|pool\/pool-[0-9a-f]+|sender-id\/[A-Za-z0-9-]{1,11}\/[A-Z]{2})|phone-[0-9a-f]+|pool-[0-9a-f]+)$/,
      'use the ARN of an End User Messaging phone number, pool or sender id, or a phone-… or pool-… id',
    ),
  /** End User Messaging configuration set for delivery events; none: the account default. */
  configurationSetName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, "_" or "-"')
    .optional(),
  /** Our numbers: messages from them are never answered (loop safety across our own numbers). */
  ownNumbers: z.array(e164).min(1),
  /**
   * The answer to HELP per language (`{"tr":"…","en":"…"}`); default: the shop's name, "text this
   * number to reach support, STOP to opt out", in the customer's language.
   */
  helpText: textsPerLanguage.default({}),
  /**
   * Confirm STOP and START ourselves. Turn off when End User Messaging (self-managed opt-outs
   * off) or the carrier already answers the keyword, or the customer gets two confirmations.
   */
  keywordConfirmations: z.boolean().default(true),
  /** The confirmation of STOP (and the other opt-out keywords) per language; default: built-in. */
  optOutConfirmation: textsPerLanguage.default({}),
  /** The confirmation of START (UNSTOP, YES) per language; default: built-in. */
  optInConfirmation: textsPerLanguage.default({}),
  /**
   * Proactive SMS (order status, reminders, surveys, missed-call follow-ups) is not sent between
   * `start` and `end` in the customer's time zone (business-hours time zone if unknown); it waits
   * until `end`. Answers to the customer are not held.
   */
  quietHours: z
    .object({
      /** When quiet hours begin (HH:MM) in the customer's time zone. */
      start: timeOfDay.default('21:00'),
      /** When they end: held sends leave then. */
      end: timeOfDay.default('08:00'),
    })
    .refine((q) => q.start !== q.end, {
      message: 'start and end must differ',
      when: (payload) => payload.issues.length === 0,
    })
    .default({ start: '21:00', end: '08:00' }),
  /**
   * Send Turkish acknowledgements in the GSM-7 spelling (ş→s, ı→i, ğ→g, ç→c) when only that fits
   * one segment.
   */
  fitAcknowledgementToOneSegment: z.boolean().default(true),
});
export type SmsConfig = z.infer<typeof smsConfigSchema>;

const supportShape = z
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
    /** Display name on outgoing mail. */
    fromName: z
      .string()
      .min(1)
      .max(80)
      .refine((s) => !/[\r\n]/.test(s), { message: 'must not contain line breaks' }),
    /** Languages we answer in (templates exist for `tr` and `en`). */
    languages: z.array(language).min(1),
    /** The language of a customer whose own is unknown or not in `languages`; one of `languages`. */
    defaultLanguage: language,
    /**
     * When people answer: acknowledgements promise, and deadlines and missed-call follow-ups are
     * counted, in these hours.
     */
    businessHours: businessHoursSchema,
    /** First-response target in business minutes; the acknowledgement promises this. */
    firstResponseTargetMinutes: z.number().int().positive().max(10_080).default(240),
    /** Resolution target in business minutes, from the first message to the close. */
    resolutionTargetMinutes: z.number().int().positive().max(43_200).default(2_880),
    /** At most one automatic response per customer per this many minutes, across channels. */
    autoReplyWindowMinutes: z.number().int().positive().max(43_200).default(1_440),
    /**
     * Ceilings on automatic responses per UTC hour: per organizational domain of the senders
     * (email) and in total. Over a ceiling nothing automatic is sent and an alarm fires.
     */
    autoResponseBudget: z
      .object({
        /** Automatic responses per UTC hour to the senders of one organizational domain (email). */
        perSenderDomainPerHour: z.number().int().positive().max(100_000).default(100),
        /** Automatic responses per UTC hour in all. */
        perHour: z.number().int().positive().max(1_000_000).default(1_000),
      })
      .default({ perSenderDomainPerHour: 100, perHour: 1_000 }),
    /** SMS and social messages within this many minutes continue the open conversation. */
    conversationWindowMinutes: z.number().int().positive().max(43_200).default(1_440),
    /** Email attachments: larger or extra ones are recorded on the message but not stored. */
    attachments: z
      .object({
        /** Largest attachment stored, in bytes. */
        maxBytesEach: z
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
        /** Most attachments stored per message. */
        maxCount: z.number().int().positive().max(100).default(20),
      })
      .default({ maxBytesEach: 10 * 1024 * 1024, maxCount: 20 }),
    /**
     * Automatic answers to common questions, first matching entry first, e.g.
     * `[{"id":"returns","keywords":["iade","return"],"answers":{"tr":"…","en":"…"}}]`. Without it the
     * built-in Turkish and English FAQ answers, and only while no help center is configured; with
     * one, these entries answer before any article.
     */
    faq: faqSchema.optional(),
    /**
     * Generated answers (Amazon Bedrock): the answer is written from the help center's top
     * passages, with citations, behind a guardrail. Absent: off, the article summary is said.
     */
    assistant: z
      .object({
        /** A Bedrock foundation model id, e.g. `amazon.nova-lite-v1:0`. */
        modelId: z
          .string()
          .regex(/^[a-z0-9-]+\.[a-z0-9.:-]+$/, 'use a Bedrock model id, for example "amazon.nova-lite-v1:0"'),
        /** The guardrail's id (not its ARN), e.g. `a1b2c3d4e5f6`. */
        guardrailId: z.string().regex(/^[a-z0-9]{1,64}$/, 'use the guardrail id, for example "a1b2c3d4e5f6"'),
        /** A published version ("1") or "DRAFT". */
        guardrailVersion: z
          .string()
          .regex(/^([1-9][0-9]{0,7}|DRAFT)$/, 'use a guardrail version number, for example "1", or "DRAFT"'),
        /** Longest generated answer; a longer one fails the check and the article summary is said. */
        maxAnswerCharacters: z.number().int().min(100).max(2_000).default(600),
      })
      .optional(),
    /** Social messaging (WhatsApp, Messenger, Instagram): what to do outside the 24-hour window. */
    social: socialConfigSchema.default({ fallbackChannels: ['sms', 'email'] }),
    /**
     * Satisfaction surveys: one short "1–5" question when a conversation closes, and
     * how long after it a lone 1–5 from the customer counts as the answer. Absent: on, 72 hours.
     */
    surveys: z
      .object({
        /** Send the survey when a conversation closes. */
        enabled: z.boolean().default(true),
        /** How long after the survey a lone 1–5 from the customer counts as its score. */
        answerWindowHours: z.number().int().positive().max(720).default(72),
      })
      .optional(),
  })
  // A description, not a check: omit/extend stay possible (zod refuses them after a refinement).
  .describe('the support settings of the deployment config');

type SupportSettings = z.infer<typeof supportShape>;

/** Checks across settings; they speak only once each setting is valid on its own. */
const supportConsistency = z.superRefine<SupportSettings>(
  (c, ctx) => {
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
  },
  { when: (payload) => payload.issues.length === 0 },
);

/**
 * `support` as the deployment config writes it. Channel sections (`sms`, …) are top-level keys
 * of the deployment config, not part of this; the CDK app merges them into the run-time config.
 */
export const supportSettingsSchema = supportShape.check(supportConsistency);

/** Files a visitor may upload in the widget: a few common types, small enough for an agent to open. */
export const DEFAULT_CHAT_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
];

export const chatAttachmentsSchema = z.object({
  /** Exact MIME types the upload slot accepts (the presigned POST pins the one declared). */
  contentTypes: z
    .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'use a lowercase MIME type such as "image/png"'))
    .min(1)
    .max(20)
    .default(DEFAULT_CHAT_ATTACHMENT_TYPES),
  /** Largest file in bytes; like an email attachment's limit. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .max(25 * 1024 * 1024)
    .default(10 * 1024 * 1024),
});
export type ChatAttachmentLimits = z.infer<typeof chatAttachmentsSchema>;

/** Files an agent may attach to an email answer: the widget's types plus plain text and CSV. */
export const DEFAULT_AGENT_ATTACHMENT_TYPES = [...DEFAULT_CHAT_ATTACHMENT_TYPES, 'text/plain', 'text/csv'];

export const agentAttachmentsSchema = z.object({
  /** Exact MIME types an upload slot accepts (the presigned POST pins the one declared). */
  contentTypes: z
    .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'use a lowercase MIME type such as "application/pdf"'))
    .min(1)
    .max(20)
    .default(DEFAULT_AGENT_ATTACHMENT_TYPES),
  /** Largest file in bytes. SES takes 40 MB per message, base64 included. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .max(10 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** Files per answer. */
  maxCount: z.number().int().min(1).max(10).default(5),
});
export type AgentAttachmentConfig = z.infer<typeof agentAttachmentsSchema>;

/** What the agent API needs of the deployment's `agents` section. */
export const agentSupportSchema = z.object({
  /** Files agents attach to email answers. */
  attachments: agentAttachmentsSchema.default({
    contentTypes: DEFAULT_AGENT_ATTACHMENT_TYPES,
    maxBytes: 10 * 1024 * 1024,
    maxCount: 5,
  }),
});

/** What the chat functions and the dispatcher need of the deployment's `chat` section. */
export const chatSupportSchema = z.object({
  /** An answer a signed-in visitor has not seen in the widget after this many minutes goes to their email too. */
  emailAfterMinutes: z.number().int().min(1).max(1_440).default(10),
  /**
   * The `GET /chat/confirm` URL of your HTTP API, where the link that confirms an address a
   * visitor leaves lands; absent: no linking.
   */
  confirmationUrl: z.url({ message: 'must be the URL of the /chat/confirm route' }).optional(),
  /** Uploads in the widget; absent: off (the deployment has no `chat.allowedOrigins`). */
  attachments: chatAttachmentsSchema.optional(),
});

/** What the functions receive: the support settings plus the sections of the channels deployed. */
export const supportConfigSchema = supportShape
  .extend({
    /** The SMS channel; absent: SMS is not part of this deployment. */
    sms: smsConfigSchema.optional(),
    /** Live chat; absent: chat is not part of this deployment. */
    chat: chatSupportSchema.optional(),
    /** The agent API's run-time settings; absent: the agent API is not part of this deployment. */
    agents: agentSupportSchema.optional(),
  })
  .check(supportConsistency);

export type SupportConfig = z.infer<typeof supportConfigSchema>;
export type ChatSupportConfig = z.infer<typeof chatSupportSchema>;
export type SupportConfigInput = z.input<typeof supportConfigSchema>;

/** Turns zod issues into one line per wrong setting: `path: problem`, in words (`input`: the value checked). */
export function describeConfigIssues(error: z.ZodError, prefix = '', input?: unknown): string {
  return describeIssues(error, input, prefix);
}
