import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Conversation } from '../model.ts';
import type { Agent } from './agent.ts';
import type { InboxDeps } from './rows.ts';

/** A conversation carries at most this many labels: more is a tagging scheme, not a queue filter. */
export const MAX_LABELS = 20;
export const MAX_LABEL_CHARACTERS = 32;

/** Letters (any script) and digits, then also `-`, `_` and `:`; stored lowercase. */
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N}_:-]*$/u;

/**
 * The label as stored: NFC, lowercase (Turkish dotted İ becomes i, I stays i).
 * InvalidInputError (field `field`) for anything that is not a label.
 */
export function normalizeLabel(raw: string, field = 'label'): string {
  // Not the Turkish locale's rules (I → ı would make "VIP" "vıp"): only its dotted İ is mapped.
  const label = raw.normalize('NFC').trim().replace(/İ/g, 'i').toLowerCase().normalize('NFC');
  if (label === '' || label.length > MAX_LABEL_CHARACTERS || !LABEL.test(label)) {
    throw new InvalidInputError(
      `"${raw.slice(0, 40)}" is not a label: 1–${MAX_LABEL_CHARACTERS} letters or digits, then also "-", "_" or ":"`,
      { field },
    );
  }
  return label;
}

/**
 * Adds and removes labels in one change (removals first, so `{add:[x], remove:[x]}` keeps x),
 * kept in the order they were added. More than MAX_LABELS is refused, naming the limit.
 */
export async function changeLabels(
  deps: Pick<InboxDeps, 'inbox'>,
  input: {
    readonly conversationId: string;
    readonly add?: readonly string[];
    readonly remove?: readonly string[];
    readonly agent: Agent;
  },
): Promise<Conversation> {
  const add = (input.add ?? []).map((l, i) => normalizeLabel(l, `add.${i}`));
  const remove = new Set((input.remove ?? []).map((l, i) => normalizeLabel(l, `remove.${i}`)));
  if (add.length === 0 && remove.size === 0) {
    throw new InvalidInputError('name labels to add or remove', { field: 'add' });
  }
  const updated = await deps.inbox.updateLabels(input.conversationId, (current) => {
    const next = current.filter((label) => !remove.has(label));
    for (const label of add) if (!next.includes(label)) next.push(label);
    if (next.length > MAX_LABELS) {
      throw new InvalidInputError(
        `a conversation carries at most ${MAX_LABELS} labels; remove some first (it has ${current.length})`,
        { field: 'add' },
      );
    }
    return next;
  });
  if (!updated) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  return updated;
}
