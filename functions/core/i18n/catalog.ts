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
    /** Email subject when the customer's message had none. `reference` is shown as is ("#K7Q2"). */
    readonly defaultSubject: (reference: string) => string;
    readonly greeting: (customerName: string | undefined) => string;
    /** Thanks, confirms receipt and promises an answer by `responseBy` (already formatted). */
    readonly received: (responseBy: string) => string;
    readonly reference: (reference: string) => string;
    readonly replyToContinue: string;
    readonly automaticNotice: string;
    /** Everything in one short paragraph for SMS and messaging apps. */
    readonly short: (parts: { readonly responseBy: string; readonly reference: string }) => string;
  };
}
