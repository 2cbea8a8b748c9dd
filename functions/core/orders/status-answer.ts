import type { FaqMatch } from '../auto-reply/faq.ts';
import type { Language, Order } from '../model.ts';
import type { OrderStore } from '../ports/orders.ts';
import { orderStatusText } from './notifications.ts';

/**
 * "Where is my order": the stored status of the customer's order, said in the acknowledgement.
 * An order number in the message that names one of *this customer's* orders wins (a number of
 * someone else's order is never answered: that would tell a stranger where a parcel is); else,
 * when the FAQ recognised the order-status question, the customer's latest order.
 */

/** The FAQ entry id that means "where is my order" (core/auto-reply/faq.ts, DEFAULT_FAQ). */
export const ORDER_STATUS_FAQ_ID = 'order-status';

/** Order-number-like words: 4 to 20 characters with at least 4 digits ("100234", "#SP-100234"). */
const CANDIDATE = /[#]?([\p{L}\p{N}][\p{L}\p{N}_-]{2,18}[\p{N}])/gu;

/** At most this many lookups per message: a pasted invoice must not cost dozens of reads. */
const MAX_CANDIDATES = 3;

export function orderNumberCandidates(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const word = match[1];
    if (!word || (word.match(/\p{N}/gu) ?? []).length < 4) continue;
    // A phone number or a date is not an order number we would store with these characters.
    if (!found.includes(word)) found.push(word);
    if (found.length >= MAX_CANDIDATES) break;
  }
  return found;
}

export async function answerOrderQuestion(
  orders: Pick<OrderStore, 'get' | 'latestForCustomer'>,
  input: {
    readonly customerId: string;
    readonly text: string;
    readonly language: Language;
    readonly faq?: FaqMatch;
  },
): Promise<(FaqMatch & { readonly orderStatus: string }) | undefined> {
  let order: Order | undefined;
  for (const candidate of orderNumberCandidates(input.text)) {
    const found = await orders.get(candidate);
    if (found?.customerId === input.customerId) {
      order = found;
      break;
    }
  }
  if (!order && input.faq?.id === ORDER_STATUS_FAQ_ID) {
    order = await orders.latestForCustomer(input.customerId);
  }
  if (!order) return undefined;
  return {
    id: ORDER_STATUS_FAQ_ID,
    answer: orderStatusText(order, input.language),
    language: input.language,
    orderStatus: order.lastEventType,
  };
}
