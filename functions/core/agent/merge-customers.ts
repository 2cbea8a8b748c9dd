import { changeConsent } from '../customers/consent.ts';
import { mergeCustomers, type ShopCustomerDeps } from '../customers/merge.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { Channel, ConsentState, Customer } from '../model.ts';
import type { Clock } from '../ports/runtime.ts';
import type { Agent } from './agent.ts';

export type MergeCustomersDeps = ShopCustomerDeps & { readonly clock: Clock };

export interface CustomerMergeResult {
  /** The target as it is after the merge (identities, consent and conversations of both). */
  readonly customer: Customer;
  /** False when the source was already fully merged into the target (a repeated request). */
  readonly changed: boolean;
}

/** Profile fields the target takes from the source where it has none of its own. */
const PROFILE_FIELDS = ['name', 'language', 'timezone', 'preferredChannel'] as const;

/**
 * An admin merges a duplicate customer into another: the shop's merge (customers/merge.ts) with the
 * target chosen by a person. The source is marked first (`mergedInto`, so every read follows it at
 * once), then consent moves conservatively (an opt-out on either side wins), then conversations,
 * orders and identities; nothing is deleted. Each step is an idempotent conditional write, so a
 * repeated or retried request finishes an interrupted merge and is otherwise a no-op.
 */
export async function mergeCustomersByAgent(
  deps: MergeCustomersDeps,
  input: { readonly sourceId: string; readonly targetId: string; readonly agent: Agent },
): Promise<CustomerMergeResult> {
  if (input.sourceId === input.targetId) {
    throw new InvalidInputError('sourceId and targetId are the same customer', { field: 'targetId' });
  }
  const [source, target] = await Promise.all([
    deps.links.getProfile(input.sourceId),
    deps.links.getProfile(input.targetId),
  ]);
  if (!source) throw new NotFoundError(`customer ${input.sourceId} does not exist`);
  if (!target) throw new NotFoundError(`customer ${input.targetId} does not exist`);
  if (target.mergedInto !== undefined) {
    throw new ConflictError(
      `customer ${target.id} was itself merged into ${target.mergedInto}: merge into ${target.mergedInto} instead`,
      { field: 'targetId' },
    );
  }
  if (source.mergedInto !== undefined && source.mergedInto !== target.id) {
    throw new ConflictError(
      `customer ${source.id} was already merged into ${source.mergedInto}; a customer is merged once`,
      { field: 'sourceId' },
    );
  }
  const unfinished =
    source.mergedInto === undefined ||
    (await deps.links.conversationIdsOf(source.id)).length > 0 ||
    (await Promise.all(source.identities.map((i) => deps.links.identityOwner(i)))).some(
      (owner) => owner === source.id,
    );
  const at = deps.clock.now().toISOString();
  if (unfinished) {
    const missing = Object.fromEntries(
      PROFILE_FIELDS.flatMap((field) =>
        target[field] === undefined && source[field] !== undefined ? [[field, source[field]]] : [],
      ),
    );
    if (Object.keys(missing).length > 0) await deps.links.updateProfile(target.id, missing, at);
    await mergeCustomers(deps, source.id, target.id, at);
    await keepOptOuts(deps, source, target.id, at, input.agent);
  }
  const merged = await deps.customers.get(target.id);
  if (!merged) throw new NotFoundError(`customer ${input.targetId} does not exist`);
  return { customer: merged, changed: unfinished };
}

/**
 * An opt-out on the source stays an opt-out on the target, whoever recorded either: the shop's
 * merge lets a newer shop opt-in stand over an older shop opt-out, a person's merge does not.
 * Keyed per source and channel, so a retry records it once.
 */
async function keepOptOuts(
  deps: MergeCustomersDeps,
  source: Customer,
  targetId: string,
  at: string,
  agent: Agent,
): Promise<void> {
  const target = await deps.links.getProfile(targetId);
  for (const [channel, state] of Object.entries(source.consent) as Array<[Channel, ConsentState]>) {
    if (state !== 'opted-out' || target?.consent[channel] === 'opted-out') continue;
    await changeConsent(deps, {
      customerId: targetId,
      channel,
      state: 'opted-out',
      source: 'agent',
      at,
      eventKey: `agent-merge#${source.id}#${channel}#${agent.id}`,
    });
  }
}
