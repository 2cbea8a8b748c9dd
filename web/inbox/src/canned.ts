/**
 * Canned responses in the composer: what the agent typed after `/` picks one, and its variables
 * are filled from the customer and their latest order. Variables with no data stay visible in the
 * text and are listed, so the agent fills them by hand instead of sending a blank.
 */
import { fillCannedResponse } from '../../../functions/core/agent/canned-responses.ts';
import type { CannedResponse, CustomerDetail, OrderSummary } from './types.ts';

export interface CannedContext {
  readonly customer?: CustomerDetail['customer'];
  readonly order?: OrderSummary;
  readonly language?: string;
}

export interface FilledCanned {
  readonly text: string;
  /** Variables left as they were: no data here, or a name that is no variable (a typo). */
  readonly missing: readonly string[];
}

/** The core's filling (the same function the API's tests hold to), shaped for the composer's warning. */
export function fillCanned(text: string, context: CannedContext): FilledCanned {
  const filled = fillCannedResponse(text, {
    ...(context.customer ? { customer: context.customer } : {}),
    ...(context.order ? { order: context.order } : {}),
    ...(context.language ? { language: context.language } : {}),
  });
  return { text: filled.text, missing: [...filled.missing, ...filled.unknown] };
}

/** Responses whose shortcut or title starts with (or contains) what follows the `/`. */
export function matchCanned(
  items: readonly CannedResponse[],
  query: string,
  language: string | undefined,
): CannedResponse[] {
  const q = query.trim().toLocaleLowerCase();
  const matches = items.filter(
    (item) =>
      q === '' ||
      item.shortcut.toLocaleLowerCase().startsWith(q) ||
      item.title.toLocaleLowerCase().includes(q),
  );
  // The customer's language first: the same shortcut often exists in several languages.
  return matches.sort(
    (a, b) =>
      Number(b.language === language) - Number(a.language === language) ||
      a.shortcut.localeCompare(b.shortcut),
  );
}
