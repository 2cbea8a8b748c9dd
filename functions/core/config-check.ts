import type * as z from 'zod';
import { issueProblem } from './validation.ts';

/**
 * Checks a config value against its schema the way a person needs it: one line per root cause,
 * `path: problem`. zod alone drops settings it does not know, so a typo (`"agent"`) or a section
 * at the wrong level (`support.sms`) would be silently ignored; here every object of the schema
 * refuses keys it does not declare and suggests the setting that was probably meant. A section
 * added to the schema is known here at once: nothing else lists the settings.
 */

interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly catchall?: z.ZodType;
  readonly entries?: Record<string, string | number>;
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema that decides a value's shape: optional, default, pipe and the like unwrapped. */
function shapeOf(schema: z.ZodType): SchemaDef {
  let def = defOf(schema);
  for (let depth = 0; depth < 20; depth++) {
    const inner = def.innerType ?? def.in ?? def.getter?.();
    if (!inner || def.type === 'array' || def.type === 'object' || def.type === 'record') return def;
    def = defOf(inner);
  }
  return def;
}

/** An object whose catchall is unknown/any takes any key on purpose. */
function takesAnyKey(def: SchemaDef): boolean {
  const catchall = def.catchall ? defOf(def.catchall).type : undefined;
  return catchall === 'unknown' || catchall === 'any';
}

interface UnknownKey {
  readonly path: readonly (string | number)[];
  readonly key: string;
  /** The keys allowed where it was found. */
  readonly known: readonly string[];
}

function findUnknownKeys(
  schema: z.ZodType,
  value: unknown,
  path: (string | number)[],
  found: UnknownKey[],
): void {
  const def = shapeOf(schema);
  if (value === null || typeof value !== 'object') return;
  if (def.type === 'object' && def.shape && !Array.isArray(value)) {
    const known = Object.keys(def.shape);
    for (const [key, child] of Object.entries(value)) {
      const childSchema = def.shape[key];
      if (childSchema) findUnknownKeys(childSchema, child, [...path, key], found);
      else if (!takesAnyKey(def)) found.push({ path: [...path, key], key, known });
    }
  } else if (def.type === 'array' && def.element && Array.isArray(value)) {
    value.forEach((item, index) => {
      if (def.element) findUnknownKeys(def.element, item, [...path, index], found);
    });
  } else if (def.type === 'record' && def.valueType && !Array.isArray(value)) {
    const keyDef = def.keyType ? shapeOf(def.keyType) : undefined;
    const allowed = keyDef?.type === 'enum' && keyDef.entries ? Object.keys(keyDef.entries) : undefined;
    for (const [key, child] of Object.entries(value)) {
      if (allowed && !allowed.includes(key)) found.push({ path: [...path, key], key, known: allowed });
      else findUnknownKeys(def.valueType, child, [...path, key], found);
    }
  }
}

/** Every setting's path through objects (lists and maps are not followed): `support.faq`, `sms.ownNumbers`. */
function settingPaths(schema: z.ZodType, prefix: string[] = [], out: string[][] = []): string[][] {
  const def = shapeOf(schema);
  if (def.type !== 'object' || !def.shape || prefix.length > 8) return out;
  for (const [key, child] of Object.entries(def.shape)) {
    out.push([...prefix, key]);
    settingPaths(child, [...prefix, key], out);
  }
  return out;
}

/** Optimal string alignment distance: edits, with a swap of two neighbours as one. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** How far a typo may be from the setting meant: one edit for short names, two from five letters on, or a longer spelling of it. */
function closeEnough(typed: string, known: string): number | undefined {
  const [a, b] = [typed.toLowerCase(), known.toLowerCase()];
  const distance = editDistance(a, b);
  if (distance <= (typed.length >= 5 ? 2 : 1)) return distance;
  // A spelled-out name of an abbreviated one: "monday" for "mon".
  return b.length >= 3 && a.startsWith(b) ? distance : undefined;
}

function join(prefix: string, path: readonly (string | number)[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.') || '(root)';
}

function unknownKeyLine(unknown: UnknownKey, paths: readonly string[][], prefix: string): string {
  const where = join(prefix, unknown.path);
  const head = `"${unknown.key}" is not a setting here`;
  const sibling = unknown.known
    .map((name) => ({ name, distance: closeEnough(unknown.key, name) }))
    .filter((c): c is { name: string; distance: number } => c.distance !== undefined)
    .sort((a, b) => a.distance - b.distance)[0];
  if (sibling) return `${where}: ${head}: did you mean ${sibling.name}?`;
  const parent = unknown.path.slice(0, -1).filter((p): p is string => typeof p === 'string');
  const elsewhere = paths
    .map((path) => ({ path, distance: closeEnough(unknown.key, path[path.length - 1] ?? '') }))
    .filter(
      (c): c is { path: string[]; distance: number } =>
        c.distance !== undefined && c.path.join('.') !== [...parent, unknown.key].join('.'),
    )
    .sort((a, b) => a.distance - b.distance || a.path.length - b.path.length)[0];
  if (elsewhere) {
    const top = elsewhere.path.length === 1 ? ' (a top-level section, next to "support")' : '';
    return `${where}: ${head}: did you mean ${join(prefix, elsewhere.path)}${top}?`;
  }
  const list = unknown.known.length > 0 ? `; the settings here are ${unknown.known.join(', ')}` : '';
  return `${where}: ${head}${list}`;
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.length < path.length && prefix.every((segment, i) => path[i] === segment);

export type ConfigCheck<T> = { ok: true; data: T } | { ok: false; issues: string[] };

/**
 * Validates `value` with `schema`; on failure, one line per root cause, each `prefix.path: problem`:
 * an unknown setting with what was probably meant, a missing one as "is required", no
 * cross-field complaint ("open must be before close") about a field that is itself wrong, and no
 * "is required" for the setting a reported typo was meant to be.
 */
export function checkConfig<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix = '',
): ConfigCheck<z.output<T>> {
  const unknown: UnknownKey[] = [];
  findUnknownKeys(schema, value, [], unknown);
  const parsed = schema.safeParse(value);
  if (parsed.success && unknown.length === 0) return { ok: true, data: parsed.data };
  const paths = settingPaths(schema);
  const lines = unknown.map((u) => ({
    path: u.path as readonly PropertyKey[],
    line: unknownKeyLine(u, paths, prefix),
  }));
  const issues = parsed.success ? [] : parsed.error.issues.filter((i) => i.code !== 'unrecognized_keys');
  const meant = new Set(
    lines.flatMap(({ line, path }) => {
      const match = line.match(/did you mean ([^?( ]+)/);
      return match?.[1] ? [match[1], join(prefix, [...path.slice(0, -1).map(String), match[1]])] : [];
    }),
  );
  for (const issue of issues) {
    const where = join(prefix, issue.path as (string | number)[]);
    const problem = issueProblem(issue, value);
    if (problem === 'is required' && meant.has(where)) continue;
    // A check across fields speaks only when nothing inside what it compares is wrong.
    if (
      issue.code === 'custom' &&
      issues.some((other) => other !== issue && startsWith(other.path, issue.path))
    )
      continue;
    if (issue.code === 'custom' && lines.some((other) => startsWith(other.path, issue.path))) continue;
    lines.push({ path: issue.path, line: `${where}: ${problem}` });
  }
  return { ok: false, issues: [...new Set(lines.map((l) => l.line))] };
}

/** `prefix.path: problem` per issue of a failed parse (for a value with no unknown keys to report). */
export function describeIssues(error: z.ZodError, input: unknown, prefix = ''): string {
  return error.issues
    .map((issue) => `${join(prefix, issue.path as (string | number)[])}: ${issueProblem(issue, input)}`)
    .join('\n');
}
