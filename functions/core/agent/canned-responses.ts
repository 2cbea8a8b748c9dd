import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Clock, IdSource } from '../ports/runtime.ts';
import type { Agent } from './agent.ts';
import type { CannedResponse, CannedResponseStore } from './inbox-ports.ts';

/**
 * Canned responses: stored texts an agent picks with `/shortcut`, with variables filled from the
 * customer and their order. `fillCannedResponse` is pure and imports nothing at run time, so the
 * inbox app bundles the very function the tests check.
 */

/** The variables a canned response may hold. */
export const CANNED_VARIABLES = ['customer.name', 'order.id', 'order.status', 'order.trackingUrl'] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

export interface CannedContext {
  readonly customer?: { readonly name?: string };
  readonly order?: {
    readonly id: string;
    readonly status: string;
    /** The shop's own words for the status, when it sent them: they win. */
    readonly statusText?: string;
    readonly trackingUrl?: string;
  };
  /** The customer's language: the order status is said in it. */
  readonly language?: string;
}

export interface FilledCannedResponse {
  /** The text with every known variable that has a value filled; the others stay as written. */
  readonly text: string;
  /** Known variables without a value here (no order, no tracking link): the agent fills them in. */
  readonly missing: readonly CannedVariable[];
  /** `{…}` names that are no variable (a typo): left in the text, never blanked. */
  readonly unknown: readonly string[];
}

/** Order statuses (the event type without `order.`) as a customer reads them. */
const STATUS_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  tr: {
    created: 'alındı',
    confirmed: 'onaylandı',
    shipped: 'kargoya verildi',
    out_for_delivery: 'dağıtımda',
    delivered: 'teslim edildi',
    delayed: 'gecikmeli',
    cancelled: 'iptal edildi',
    refunded: 'iade edildi',
  },
  en: {
    created: 'received',
    confirmed: 'confirmed',
    shipped: 'shipped',
    out_for_delivery: 'out for delivery',
    delivered: 'delivered',
    delayed: 'delayed',
    cancelled: 'cancelled',
    refunded: 'refunded',
  },
};

const VARIABLE = /\{([^{}\s]{1,60})\}/g;

/**
 * Fills `{customer.name}`, `{order.id}`, `{order.status}` and `{order.trackingUrl}`. Nothing is
 * blanked silently: a variable without a value stays in the text and is listed in `missing`, a
 * name that is no variable stays and is listed in `unknown`, so the composer can warn before
 * anything is sent.
 */
export function fillCannedResponse(text: string, context: CannedContext): FilledCannedResponse {
  const missing = new Set<CannedVariable>();
  const unknown = new Set<string>();
  const filled = text.replace(VARIABLE, (whole, name: string) => {
    if (!(CANNED_VARIABLES as readonly string[]).includes(name)) {
      unknown.add(name);
      return whole;
    }
    const value = variableValue(name as CannedVariable, context);
    if (value === undefined || value.trim() === '') {
      missing.add(name as CannedVariable);
      return whole;
    }
    return value;
  });
  return { text: filled, missing: [...missing], unknown: [...unknown] };
}

function variableValue(name: CannedVariable, context: CannedContext): string | undefined {
  const { customer, order } = context;
  switch (name) {
    case 'customer.name':
      return customer?.name;
    case 'order.id':
      return order?.id;
    case 'order.status': {
      if (!order) return undefined;
      if (order.statusText) return order.statusText;
      const status = order.status.replace(/^order\./, '');
      const language = (context.language ?? '').slice(0, 2).toLowerCase();
      return STATUS_WORDS[language]?.[status] ?? STATUS_WORDS.en?.[status] ?? status.replace(/_/g, ' ');
    }
    case 'order.trackingUrl':
      return order?.trackingUrl;
  }
}

/** Rules of a canned response's fields, for the create and update routes. */
export const CANNED_LIMITS = { shortcut: 40, title: 120, text: 5_000 } as const;
const SHORTCUT = /^[a-z0-9][a-z0-9_-]*$/;
const LANGUAGE = /^[a-z]{2}$/;

export interface CannedResponseInput {
  readonly shortcut: string;
  readonly title: string;
  readonly text: string;
  readonly language?: string;
}

export interface CannedResponseDeps {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly cannedResponses: CannedResponseStore;
}

function validated(input: CannedResponseInput): CannedResponseInput {
  const shortcut = input.shortcut.trim().replace(/^\//, '').toLowerCase();
  if (!SHORTCUT.test(shortcut) || shortcut.length > CANNED_LIMITS.shortcut) {
    throw new InvalidInputError(
      `shortcut must be 1–${CANNED_LIMITS.shortcut} lowercase letters, digits, "-" or "_" (what follows "/")`,
      { field: 'shortcut' },
    );
  }
  const title = input.title.normalize('NFC').trim();
  if (title === '' || title.length > CANNED_LIMITS.title) {
    throw new InvalidInputError(`title must be 1–${CANNED_LIMITS.title} characters`, { field: 'title' });
  }
  const text = input.text.normalize('NFC').trim();
  if (text === '' || text.length > CANNED_LIMITS.text) {
    throw new InvalidInputError(`text must be 1–${CANNED_LIMITS.text} characters`, { field: 'text' });
  }
  const unknown = fillCannedResponse(text, {}).unknown;
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `text uses {${unknown.join('}, {')}}, which is no variable; use ${CANNED_VARIABLES.map((v) => `{${v}}`).join(', ')}`,
      { field: 'text' },
    );
  }
  if (input.language !== undefined && !LANGUAGE.test(input.language)) {
    throw new InvalidInputError('language must be a two-letter ISO 639-1 code such as "tr"', {
      field: 'language',
    });
  }
  return { shortcut, title, text, ...(input.language === undefined ? {} : { language: input.language }) };
}

export async function listCannedResponses(
  deps: Pick<CannedResponseDeps, 'cannedResponses'>,
): Promise<CannedResponse[]> {
  return deps.cannedResponses.list();
}

/**
 * Creates a canned response. Its id comes from the client's Idempotency-Key, else from the
 * shortcut and language: creating the same one twice keeps one, and a shortcut is taken once per
 * language (InvalidInputError names the id to update instead).
 */
export async function createCannedResponse(
  deps: CannedResponseDeps,
  input: CannedResponseInput & { readonly agent: Agent; readonly idempotencyKey?: string },
): Promise<{ readonly created: boolean; readonly cannedResponse: CannedResponse }> {
  const fields = validated(input);
  const id = deps.ids.derive(
    'canned-response',
    input.idempotencyKey ?? `${fields.shortcut}\n${fields.language ?? ''}`,
  );
  const at = deps.clock.now().toISOString();
  const result = await deps.cannedResponses.create({
    id,
    ...fields,
    createdAt: at,
    updatedAt: at,
    updatedBy: input.agent.id,
  });
  if (!result.created && !sameFields(result.stored, fields)) {
    throw new InvalidInputError(
      `a canned response /${fields.shortcut}${fields.language ? ` (${fields.language})` : ''} exists already: change it with PUT /canned-responses/${id}`,
      { field: 'shortcut' },
    );
  }
  return { created: result.created, cannedResponse: result.stored };
}

function sameFields(stored: CannedResponse, fields: CannedResponseInput): boolean {
  return (
    stored.shortcut === fields.shortcut &&
    stored.title === fields.title &&
    stored.text === fields.text &&
    stored.language === fields.language
  );
}

export async function updateCannedResponse(
  deps: CannedResponseDeps,
  input: CannedResponseInput & { readonly id: string; readonly agent: Agent },
): Promise<CannedResponse> {
  const fields = validated(input);
  const existing = await deps.cannedResponses.get(input.id);
  if (!existing) throw new NotFoundError(`canned response ${input.id} does not exist`);
  const updated = await deps.cannedResponses.update({
    ...existing,
    ...fields,
    ...(fields.language === undefined ? { language: undefined } : {}),
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: input.agent.id,
  });
  if (!updated) throw new NotFoundError(`canned response ${input.id} does not exist`);
  return updated;
}

/** Marks it deleted (kept in the table); deleting it again is fine. */
export async function deleteCannedResponse(
  deps: CannedResponseDeps,
  input: { readonly id: string; readonly agent: Agent },
): Promise<{ readonly deleted: boolean }> {
  const deleted = await deps.cannedResponses.remove(input.id, deps.clock.now().toISOString(), input.agent.id);
  return { deleted };
}
