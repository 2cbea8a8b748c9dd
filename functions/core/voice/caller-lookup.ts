import type { SupportConfig } from '../config.ts';
import { toE164 } from '../customers/phone.ts';
import type { Customer } from '../model.ts';
import type { CustomerDirectory } from '../ports/customers.ts';
import type { OrderStore } from '../ports/orders.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import type { VoiceContacts } from '../ports/voice.ts';

export interface CallerLookupDeps {
  readonly clock: Clock;
  /** Derives the id a number's first contact gives its customer, to read that customer ahead. */
  readonly ids: IdSource;
  readonly config: Pick<SupportConfig, 'languages' | 'defaultLanguage'>;
  readonly customers: Pick<CustomerDirectory, 'findByIdentity'>;
  readonly orders: Pick<OrderStore, 'latestForCustomer'>;
  readonly contacts: Pick<VoiceContacts, 'remember' | 'openConversation'>;
  /** Customers the shop treats as VIPs (`connect.vipCustomerIds`). */
  readonly vipCustomerIds?: ReadonlySet<string>;
}

export interface CallerLookupInput {
  readonly contactId: string;
  /** `Details.ContactData.CustomerEndpoint.Address` as Connect sent it; may be absent or withheld. */
  readonly callerAddress?: string;
  /**
   * The flow verified the caller (a PIN, a one-time code, a voice ID match) and says so with the
   * `callerVerified` parameter or contact attribute set to "true". A caller id alone is not
   * verification: it can be spoofed.
   */
  readonly callerVerified?: boolean;
}

/**
 * The contact flow's answer. Connect takes a flat map of strings only; every key is always
 * present, so a flow can branch on `known` and read the rest without "attribute not found".
 */
export type CallerAttributes = Readonly<Record<CallerAttributeName, string>>;

export const CALLER_ATTRIBUTE_NAMES = [
  'known',
  'customerId',
  'name',
  'language',
  'openConversationId',
  'openConversationChannel',
  'latestOrderId',
  'latestOrderStatus',
  'vip',
  'priority',
  'callerVerified',
] as const;
export type CallerAttributeName = (typeof CALLER_ATTRIBUTE_NAMES)[number];

/** Connect shows names in prompts and the agent's screen; a long name is cut, not refused. */
const MAX_NAME_LENGTH = 64;

/** Order states a caller is likely ringing about: route them ahead. */
const TROUBLED_ORDER_STATUSES = new Set(['delayed', 'cancelled', 'refunded']);

/**
 * The answer for a caller we do not know (or cannot tell): nothing of any customer, the shop's
 * default language for the prompts.
 */
export function unknownCaller(config: Pick<SupportConfig, 'defaultLanguage'>): CallerAttributes {
  return {
    known: 'false',
    customerId: '',
    name: '',
    language: config.defaultLanguage,
    openConversationId: '',
    openConversationChannel: '',
    latestOrderId: '',
    latestOrderStatus: '',
    vip: 'false',
    priority: 'normal',
    callerVerified: 'false',
  };
}

/**
 * Looks the caller up by number for the contact flow, in one round of requests side by side: the
 * customer (the directory reads the identity and the profile it most likely leads to together),
 * the open conversation and the latest order of that likely customer, and the contact record (the
 * caller's number, which the contact events resolve to the customer). Only a number that leads
 * to another customer (linked by an order, merged) costs a second round for that customer's
 * conversation and order. Every request has ended when this returns, failed or not: Lambda
 * freezes the process after the response, so a write still in flight might never land.
 */
export async function lookUpCaller(
  deps: CallerLookupDeps,
  input: CallerLookupInput,
): Promise<CallerAttributes> {
  const phone = input.callerAddress ? toE164(input.callerAddress) : undefined;
  const remembered = deps.contacts.remember({
    contactId: input.contactId,
    ...(phone ? { phone } : {}),
    firstSeenAt: deps.clock.now().toISOString(),
  });
  if (!phone) {
    await remembered;
    return unknownCaller(deps.config);
  }
  // The id a first contact from this number gives its customer (as receive-inbound derives it).
  const likelyId = deps.ids.derive('customer', 'phone', phone);
  const [customer, likelyOpen, likelyOrder, record] = await Promise.allSettled([
    deps.customers.findByIdentity({ kind: 'phone', value: phone }),
    deps.contacts.openConversation(likelyId),
    deps.orders.latestForCustomer(likelyId),
    remembered,
  ]);
  const found = settledValue(customer);
  settledValue(record);
  if (!found) return unknownCaller(deps.config);
  const [open, order] =
    found.id === likelyId
      ? [settledValue(likelyOpen), settledValue(likelyOrder)]
      : await Promise.all([
          deps.contacts.openConversation(found.id),
          deps.orders.latestForCustomer(found.id),
        ]);
  const escalated = open?.flags?.includes('escalated') ?? false;
  const troubled = order ? TROUBLED_ORDER_STATUSES.has(order.status) : false;
  const vip = deps.vipCustomerIds?.has(found.id) ?? false;
  return {
    known: 'true',
    customerId: found.id,
    name: (found.name ?? '').slice(0, MAX_NAME_LENGTH),
    language: callerLanguage(found, deps.config),
    openConversationId: open?.id ?? '',
    openConversationChannel: open?.channel ?? '',
    latestOrderId: order?.id ?? '',
    latestOrderStatus: order?.status ?? '',
    vip: String(vip),
    priority: vip || escalated || troubled ? 'high' : 'normal',
    // The number matched a customer, which a spoofed caller id does too: only the flow's own
    // check makes the caller that customer. Flows read order details only when this is "true".
    callerVerified: String(input.callerVerified === true),
  };
}

/** The value of a settled request, or its error thrown (the handler answers a failed lookup). */
function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function callerLanguage(
  customer: Pick<Customer, 'language' | 'detectedLanguage'>,
  config: Pick<SupportConfig, 'languages' | 'defaultLanguage'>,
): string {
  for (const candidate of [customer.language, customer.detectedLanguage]) {
    if (candidate && config.languages.includes(candidate)) return candidate;
  }
  return config.defaultLanguage;
}
