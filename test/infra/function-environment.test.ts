import { beforeAll, describe, expect, it } from 'vitest';
import { describeFunctions, everyOptionConfig, type SynthesizedFunctions } from '../../bin/docs/functions.ts';
import { FUNCTION_ENVIRONMENT, type Requirement } from '../../functions/adapters/environment.ts';
import { exampleConfig } from './synth.ts';

const localOnly = (name: string) =>
  (FUNCTION_ENVIRONMENT as Record<string, { localOnly?: true } | undefined>)[name]?.localOnly === true;

const withRequirement = (schema: object, requirement: Requirement) =>
  Object.entries(schema)
    .filter(([, r]) => r === requirement)
    .map(([name]) => name);

let everyOption: SynthesizedFunctions;
let example: SynthesizedFunctions;

beforeAll(() => {
  everyOption = describeFunctions(everyOptionConfig());
  example = describeFunctions(exampleConfig());
}, 240_000);

describe("each function's synthesized environment and its schema (FUNCTION_SCHEMAS)", () => {
  it('sets every variable of the schema, and no other, with every channel and option on', () => {
    // Act
    const differences = everyOption.functions.map((fn) => ({
      name: fn.name,
      unset: Object.keys(fn.schema).filter((name) => !fn.environment.includes(name) && !localOnly(name)),
      unread: fn.environment.filter((name) => !(name in fn.schema)),
    }));

    // Assess
    expect(everyOption.functions.length).toBeGreaterThanOrEqual(15);
    expect(differences).toEqual(
      everyOption.functions.map((fn) => ({ name: fn.name, unset: [], unread: [] })),
    );
  });

  it('sets each required variable in the example deployment, whose functions would not start without it', () => {
    // Act
    const missing = example.functions.map((fn) => ({
      name: fn.name,
      missing: withRequirement(fn.schema, 'required').filter((name) => !fn.environment.includes(name)),
      unread: fn.environment.filter((name) => !(name in fn.schema)),
    }));

    // Assess
    expect(example.functions.length).toBeGreaterThan(0);
    expect(missing).toEqual(example.functions.map((fn) => ({ name: fn.name, missing: [], unread: [] })));
  });
});
