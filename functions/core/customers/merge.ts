import { MAX_PREVIOUS_CONVERSATIONS } from '../conversations/open-conversation.ts';
import type { Channel, ConsentState, Customer, Identity, OpenConversationPointer } from '../model.ts';
import type { ConsentLedger, CustomerDirectory, CustomerLinks } from '../ports/customers.ts';
import type { OrderStore } from '../ports/orders.ts';
import type { IdSource } from '../ports/runtime.ts';
import { changeConsent } from './consent.ts';

/**
 * The shop as a trusted identity source. An order event that names an email and a phone says
 * they are one person: both identities end up on one customer. When they already belong to two
 * customers, the two are merged into the older one (deterministic, so a retry or a racing twin
 * picks the same survivor): its identities, conversations, orders and consent move over, and the
 * other profile stays as an alias (`mergedInto`) that every read follows. Nothing is deleted.
 *
 * No transactions (the sandbox's DynamoDB has none): every step is an idempotent conditional
 * write, and the alias is marked first, so reads follow it at once and a retry that finds an
 * identity still naming the alias finishes the merge.
 */

export interface ShopCustomerDeps {
  readonly ids: IdSource;
  readonly customers: CustomerDirectory;
  readonly links: CustomerLinks;
  readonly consent: ConsentLedger;
  readonly orders?: Pick<OrderStore, 'moveOrders'>;
}

export interface ShopCustomerInput {
  /** At least one; normalized (lowercased email, E.164 phone). */
  readonly identities: readonly Identity[];
  readonly profile: Partial<Pick<Customer, 'name' | 'language' | 'timezone' | 'preferredChannel'>>;
  /** What the shop's systems know of the customer's consent; the customer's own opt-out still wins. */
  readonly consent?: Partial<Record<Channel, boolean>>;
  /** The event that says all this: consent changes and retries are keyed by it. */
  readonly eventKey: string;
  readonly at: string;
}

export interface ShopCustomerResult {
  readonly customerId: string;
  /** Customers that became aliases of `customerId` in this call (or finished becoming one). */
  readonly merged: readonly string[];
  readonly created: boolean;
}

export async function resolveShopCustomer(
  deps: ShopCustomerDeps,
  input: ShopCustomerInput,
): Promise<ShopCustomerResult> {
  const [first] = input.identities;
  if (!first) throw new Error('resolveShopCustomer needs at least one identity');

  // Who each identity leads to now, and whether it still names an alias (an unfinished merge).
  const owners: Customer[] = [];
  const unfinished: Array<{ alias: string; survivor: string }> = [];
  for (const identity of input.identities) {
    const raw = await deps.links.identityOwner(identity);
    if (raw === undefined) continue;
    const resolved = await deps.customers.get(raw);
    if (!resolved) continue;
    if (resolved.id !== raw) unfinished.push({ alias: raw, survivor: resolved.id });
    if (!owners.some((c) => c.id === resolved.id)) owners.push(resolved);
  }

  let created = false;
  let survivor = olderFirst(owners)[0];
  if (!survivor) {
    // Same derivation as a first SMS or mail from that identity, so a racing inbound message and
    // this event propose the same customer.
    const fresh: Customer = {
      id: deps.ids.derive('customer', first.kind, first.value),
      ...definedOnly(input.profile),
      consent: {},
      identities: [first],
      createdAt: input.at,
    };
    survivor = await deps.customers.createWithIdentity(fresh, first);
    created = survivor.id === fresh.id;
  }

  const merged: string[] = [];
  for (const other of owners) {
    if (other.id === survivor.id) continue;
    await mergeCustomers(deps, other.id, survivor.id, input.at);
    merged.push(other.id);
  }
  for (const { alias, survivor: target } of unfinished) {
    if (target !== survivor.id || merged.includes(alias)) continue;
    await mergeCustomers(deps, alias, survivor.id, input.at);
    merged.push(alias);
  }

  for (const identity of input.identities) {
    const holder = await deps.links.linkIdentity(identity, survivor.id, input.at);
    if (holder !== survivor.id) {
      // Taken between our read and our write (a first message from that identity just arrived):
      // the same rule applies, the older customer stays.
      const holderProfile = await deps.customers.get(holder);
      if (holderProfile && holderProfile.id !== survivor.id) {
        const [keep, drop] = olderFirst([survivor, holderProfile]) as [Customer, Customer];
        await mergeCustomers(deps, drop.id, keep.id, input.at);
        merged.push(drop.id);
        survivor = keep;
      }
    }
  }

  // Each field and each channel's consent moves only for an event newer than the one that set it:
  // a late or replayed order event changes nothing the customer's newer data says.
  const profile = definedOnly(input.profile);
  if (Object.keys(profile).length > 0) await deps.links.updateProfile(survivor.id, profile, input.at);

  for (const [channel, consented] of Object.entries(input.consent ?? {}) as Array<[Channel, boolean]>) {
    // changeConsent refuses a shop opt-in over the customer's own STOP, and records every change.
    await changeConsent(deps, {
      customerId: survivor.id,
      channel,
      state: consented ? 'opted-in' : 'opted-out',
      source: 'shop',
      at: input.at,
      eventKey: input.eventKey,
    });
  }
  return { customerId: survivor.id, merged, created };
}

/**
 * Merges `aliasId` into `survivorId`. Each step is safe to repeat; the alias mark comes first so
 * reads follow it while the rest moves.
 */
export async function mergeCustomers(
  deps: ShopCustomerDeps,
  aliasId: string,
  survivorId: string,
  at: string,
): Promise<void> {
  if (aliasId === survivorId) return;
  const alias = await deps.links.getProfile(aliasId);
  if (!alias) return;
  await deps.links.markMerged(aliasId, survivorId, at);

  // Consent: an opt-out on either side wins; an opt-in moves over where the survivor has none.
  const survivor = await deps.links.getProfile(survivorId);
  for (const [channel, state] of Object.entries(alias.consent) as Array<[Channel, ConsentState]>) {
    const current = survivor?.consent[channel];
    if (current === state || current === 'opted-out') continue;
    if (state === 'opted-in' && current !== undefined) continue;
    const record = alias.consentDetail?.[channel];
    await changeConsent(deps, {
      customerId: survivorId,
      channel,
      state,
      // The alias's own source travels with it: a customer's STOP stays the customer's STOP.
      source: record?.source ?? 'sms-keyword',
      at: record?.at ?? at,
      eventKey: `merge#${aliasId}#${channel}`,
      ...(record?.keyword ? { keyword: record.keyword } : {}),
    });
  }

  for (const conversationId of await deps.links.conversationIdsOf(aliasId)) {
    await deps.links.moveConversation(conversationId, aliasId, survivorId);
  }
  await mergeOpenConversationPointers(deps, alias, survivorId, at);
  await deps.orders?.moveOrders(aliasId, survivorId);
  // Identities last: while one still names the alias, a retry sees the merge as unfinished.
  for (const identity of alias.identities) {
    await deps.links.moveIdentity(identity, aliasId, survivorId, at);
  }
}

/**
 * The alias's follow-ups now reach the survivor's profile: where the survivor has no conversation
 * on a channel, the alias's becomes it; where it has one, that one stays and the alias's join its
 * earlier conversations. Either way only messages from the merge on continue directly, so a late
 * redelivery of a message stored under the alias is found where it is, not stored twice.
 */
async function mergeOpenConversationPointers(
  deps: ShopCustomerDeps,
  alias: Customer,
  survivorId: string,
  at: string,
): Promise<void> {
  const moved = Object.entries(alias.openConversations ?? {}) as Array<[Channel, OpenConversationPointer]>;
  for (const [channel, aliasPointer] of moved) {
    for (let round = 0; round < 2; round++) {
      const current = (await deps.links.getProfile(survivorId))?.openConversations?.[channel];
      const earlier = [aliasPointer.conversationId, ...aliasPointer.previous];
      const next: OpenConversationPointer = current
        ? {
            conversationId: current.conversationId,
            since: current.since > at ? current.since : at,
            previous: [...new Set([...earlier, ...current.previous])]
              .filter((id) => id !== current.conversationId)
              .slice(0, MAX_PREVIOUS_CONVERSATIONS),
          }
        : { conversationId: aliasPointer.conversationId, since: at, previous: aliasPointer.previous };
      if (current && earlier.every((id) => id === current.conversationId || current.previous.includes(id)))
        break;
      if (await deps.customers.pointOpenConversation(survivorId, channel, next, current?.conversationId))
        break;
    }
  }
}

/** Oldest customer first; the id breaks ties so every caller picks the same one. */
function olderFirst(customers: readonly Customer[]): Customer[] {
  return [...customers].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
