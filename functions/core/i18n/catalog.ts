/**
 * Everything the core says to a customer, in one language. Each language is one file exporting a
 * `Catalog`, so a language that lacks a message does not type-check. Messages are functions where
 * grammar depends on the inserted value (Turkish attaches case suffixes to times), so no template
 * mini-language is needed and a translator can write whatever sentence is natural.
 */
export interface Catalog {
  /** BCP 47 locale for weekday and month names (Intl / luxon). */
  readonly locale: string;
  readonly deadline: {
    /** `time` is a 24-hour "HH:MM". */
    readonly today: (time: string) => string;
    readonly tomorrow: (time: string) => string;
    /** 2 to 6 days ahead: the weekday alone is unambiguous. */
    readonly thisWeek: (parts: { readonly weekday: string; readonly time: string }) => string;
    /** Further ahead (or, should it happen, in the past): the full date. */
    readonly onDate: (parts: {
      readonly weekday: string;
      readonly day: number;
      readonly month: string;
      readonly time: string;
    }) => string;
  };
  readonly acknowledgement: {
    /** The acknowledgement's subject (neutral: never the customer's). `reference` is shown as is ("#K7Q2"). */
    readonly defaultSubject: (reference: string) => string;
    readonly greeting: (customerName: string | undefined) => string;
    /** Thanks, confirms receipt and promises an answer by `responseBy` (already formatted). */
    readonly received: (responseBy: string) => string;
    readonly reference: (reference: string) => string;
    readonly replyToContinue: string;
    readonly automaticNotice: string;
    /** Everything in one short paragraph for SMS and messaging apps. */
    readonly short: (parts: { readonly responseBy: string; readonly reference: string }) => string;
    /** The line that links a help-center article after its summary (email, social, chat). */
    readonly helpArticle: (url: string) => string;
    /** SMS with an article link when `short` and the link do not fit one segment together. */
    readonly shortWithLink: (parts: {
      readonly responseBy: string;
      readonly reference: string;
      readonly url: string;
    }) => string;
  };
  /** Order-status notifications, one message per event type (see core/orders/notifications.ts). */
  readonly orders: {
    readonly subject: (parts: OrderMessageParts) => string;
    /** The news itself, short enough for an SMS; email wraps it in a greeting and a notice. */
    readonly text: (parts: OrderMessageParts) => string;
  };
  /** Reminders the shop schedules (see core/reminders/reminders.ts). */
  readonly reminders: {
    readonly subject: (parts: ReminderMessageParts) => string;
    readonly text: (parts: ReminderMessageParts) => string;
  };
  /** Said to the customer in email notifications that nobody should answer to. */
  readonly notificationNotice: string;
  /** The satisfaction survey after a conversation closes (see core/conversations/survey.ts); answered with a lone 1–5. */
  readonly survey: {
    /** Email subject when the conversation had none; `reference` is shown as is ("#K7Q2"). */
    readonly subject: (reference: string) => string;
    /** The email body after the greeting. */
    readonly email: (reference: string) => string;
    /** SMS and messaging apps: one short line. */
    readonly short: string;
  };
  /** The follow-up to a call that hung up in the queue (see core/voice/missed-call.ts). */
  readonly missedCall: {
    readonly subject: string;
    /** Short enough for one or two SMS segments; `reference` is the conversation reference. */
    readonly text: (parts: { readonly customerName?: string; readonly reference: string }) => string;
  };
}

/** What an order notification can say; dates and amounts come already formatted for the locale. */
export interface OrderMessageParts {
  readonly type: import('../model.ts').OrderEventType;
  readonly orderId: string;
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly trackingUrl?: string;
  readonly estimatedDelivery?: string;
  readonly refund?: string;
}

export interface ReminderMessageParts {
  readonly kind: 'cart-abandoned' | 'subscription-renewal' | 'appointment' | 'custom';
  /** A link to the cart, the subscription or the appointment, when the shop gave one. */
  readonly url?: string;
  /** Already formatted (appointment time, renewal date). */
  readonly when?: string;
  /** The shop's own text (`custom`). */
  readonly text?: string;
}
