/**
 * Canned responses in the composer: what the agent typed after `/` picks one, and its variables
 * are filled from the customer and their latest order. Variables with no data stay visible in the
 * text and are listed, so the agent fills them by hand instead of sending a blank.
 */
import type { CannedResponse, CustomerDetail, OrderSummary } from './types.ts';

export interface CannedContext {
  readonly customer?: CustomerDetail['customer'];
  readonly order?: OrderSummary;
  readonly language?: string;
}

export interface FilledCanned {
  readonly text: string;
  /** Variables left as they were: no data, or a name the inbox does not know. */
  readonly missing: readonly string[];
}

export function fillCanned(text: string, context: CannedContext): FilledCanned {
  const values: Record<string, string | undefined> = {
    'customer.name': context.customer?.name,
    'order.id': context.order?.id,
    'order.status': context.order?.statusText ?? context.order?.status,
    'order.trackingUrl': context.order?.trackingUrl,
  };
  const missing = new Set<string>();
  const filled = text.replace(/\{([a-zA-Z]+\.[a-zA-Z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text: filled, missing: [...missing] };
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
