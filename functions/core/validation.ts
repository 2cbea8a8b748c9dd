import type * as z from 'zod';

/**
 * zod's own messages ("Invalid input: expected string, received undefined") describe the
 * validator, not the mistake. These turn an issue into a sentence about the named field, so an
 * API answer or a config error says what to change. A schema's own message (a regex's "use
 * HH:MM") is kept: it was written for the person reading it.
 */

/** The value at `path` inside `root`, or undefined where the path leaves the value. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** What a value is, in words: `"abc"`, `42`, `true`, `a list`, `an object`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
  return String(value);
}

const KIND: Readonly<Record<string, string>> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object ({…})',
  date: 'a date',
};

const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key|Expected)/;

function plural(count: number | bigint, one: string, many: string): string {
  return `${count} ${Number(count) === 1 ? one : many}`;
}

/**
 * What is wrong with one issue's value, without the field: "is required", "must be one of
 * "open", "pending", "closed"", or the schema's own message. `input` is the whole value that was
 * validated: it tells a missing field from a wrong one.
 */
export function issueProblem(issue: z.core.$ZodIssue, input: unknown): string {
  const given = valueAt(input, issue.path);
  const owner = valueAt(input, issue.path.slice(0, -1));
  const name = String(issue.path[issue.path.length - 1] ?? 'it');
  const missing =
    given === undefined &&
    (issue.path.length === 0 || (owner !== null && typeof owner === 'object' && !Object.hasOwn(owner, name)));
  if (issue.code === 'invalid_type') {
    if (missing) return 'is required';
    if (issue.expected === 'object' && given === true) {
      return `true does not turn it on: use "${name}": {} for the defaults, or list its settings`;
    }
    if (issue.expected === 'object' && given === false) return `to turn it off, leave "${name}" out`;
  }
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${KIND[issue.expected] ?? issue.expected}, not ${describeValue(given)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${describeValue(issue.values[0])}`
        : `must be one of ${issue.values.map(describeValue).join(', ')}, not ${describeValue(given)}`;
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `must list at least ${plural(issue.minimum, 'item', 'items')}`;
      }
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${plural(issue.minimum, 'character', 'characters')} long`;
      }
      return issue.inclusive === false
        ? `must be more than ${issue.minimum}`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `must list at most ${plural(issue.maximum, 'item', 'items')}`;
      }
      if (issue.origin === 'string') {
        return `must be at most ${plural(issue.maximum, 'character', 'characters')} long`;
      }
      return issue.inclusive === false
        ? `must be less than ${issue.maximum}`
        : `must be at most ${issue.maximum}`;
    case 'invalid_format':
      return `must be ${issue.format === 'email' ? 'an email address' : `a valid ${issue.format}`}, not ${describeValue(given)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has settings that do not exist: ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_union':
      return 'does not match any of the accepted forms';
    case 'invalid_element':
      return 'has an element that is not allowed';
    default:
      return issue.message;
  }
}

/** `text is required`, `status must be one of …`; a schema's own message after a colon (`time: use HH:MM`). */
export function issueSentence(issue: z.core.$ZodIssue, input: unknown, field: string): string {
  const problem = issueProblem(issue, input);
  return /^(is|must|has|does) /.test(problem) ? `${field} ${problem}` : `${field}: ${problem}`;
}

/** The first issue of a failed parse as a sentence, and the field it names (`prefix` for the value itself). */
export function firstIssue(
  error: z.ZodError,
  input: unknown,
  prefix = '',
): { field: string; reason: string } {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.') || 'body';
  return { field, reason: issue ? issueSentence(issue, input, field) : `${field} is invalid` };
}
