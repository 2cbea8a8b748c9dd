import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../bin/docs/configuration.ts';
import {
  describeFunctions,
  renderEnvironmentPage,
  renderFunctionsText,
  type SynthesizedFunctions,
} from '../../../bin/docs/functions.ts';
import { type EnvironmentVariable, FUNCTION_ENVIRONMENT } from '../../../functions/adapters/environment.ts';

const catalogue = FUNCTION_ENVIRONMENT as Record<string, EnvironmentVariable>;
let synthesized: SynthesizedFunctions;

beforeAll(() => {
  synthesized = describeFunctions();
}, 120_000);

describe('npm run -s functions', () => {
  it("lists each function's environment exactly as the synthesized template sets it", () => {
    // Act
    const { functions, templateEnvironment } = synthesized;

    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(14);
    for (const fn of functions) {
      expect(templateEnvironment.get(fn.logicalId), fn.name).toEqual(fn.environment);
    }
    expect(new Set(functions.map((fn) => fn.entry)).size).toBe(functions.length);
  });

  it('has a meaning for every variable a construct sets, and no meaning for one nothing sets', () => {
    // Prepare
    const set = new Set(synthesized.functions.flatMap((fn) => fn.environment));

    // Act
    const unexplained = [...set].filter((name) => !catalogue[name]);
    const unused = Object.entries(catalogue)
      .filter(([name, v]) => !v.localOnly && !set.has(name))
      .map(([name]) => name);

    // Assess
    expect(unexplained, 'add these to functions/adapters/environment.ts').toEqual([]);
    expect(unused, 'no construct sets these: remove them or mark them localOnly').toEqual([]);
  });

  it("names the ports each handler's dependencies use", () => {
    // Act
    const ports = new Map(synthesized.functions.map((fn) => [fn.name, fn.ports]));

    // Assess
    expect(ports.get('meta-webhook')).toEqual(['MetaSecrets', 'WebhookQueue']);
    expect(ports.get('voice-lookup')).toEqual([
      'Clock',
      'CustomerDirectory (findByIdentity)',
      'IdSource',
      'OrderStore (latestForCustomer)',
      'VoiceContacts (openConversation, remember)',
    ]);
    expect(ports.get('inbound-sms')).toEqual(expect.arrayContaining(['EventLedger', 'OutboundQueue']));
    for (const [name, list] of ports) expect(list.length, name).toBeGreaterThan(0);
  });

  it('prints one block per function: entry, variables with their meaning, ports', () => {
    // Act
    const text = renderFunctionsText(synthesized.functions);

    // Assess
    expect(text).toMatch(/^inbound-email {2}functions\/composition\/inbound-email\.ts/m);
    expect(text).toMatch(/^ {2}env {3}TABLE_NAME +required +The conversation table/m);
    expect(text).toMatch(/^ {2}env {3}META_GRAPH_BASE_URL +optional, local only +Graph API base URL/m);
    expect(text).toMatch(/^ {2}ports Clock, /m);
    expect(text).not.toContain('(not in functions/adapters/environment.ts)');
  });

  it('docs/environment.md is what `npm run docs` generates', () => {
    // Prepare
    const committed = readFileSync(join(PROJECT_ROOT, 'docs/environment.md'), 'utf8');

    // Act
    const generated = renderEnvironmentPage(synthesized.functions);

    // Assess
    expect(committed, 'docs/environment.md is stale: run `npm run docs` and commit it').toBe(generated);
  });
});
