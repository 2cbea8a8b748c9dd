import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Acknowledgement, acknowledgementsIn, synthesizeSwitchboard } from './synth.ts';

interface SuppressedViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly acknowledgedId: string;
  readonly acknowledgedAt: string;
  readonly reason: string;
}

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: 'success' | 'failure';
  readonly violations: readonly { readonly ruleName: string; readonly severity: string }[];
  readonly suppressedViolations?: readonly SuppressedViolation[];
}

/** The cdk-nag packs bin/app.ts checks the app against, by validation plugin name. */
const PACKS = ['AwsSolutions', 'Serverless'] as const;

describe('cdk-nag AwsSolutions and Serverless checks', () => {
  let reports: Map<string, PluginReport | undefined>;
  let acknowledgements: Acknowledgement[];
  let stackPath: string;

  beforeAll(() => {
    // Prepare / Act: synthesize as `cdk synth` does; the validation report is what the CLI prints
    const { app, stack, assemblyDirectory } = synthesizeSwitchboard();
    const validation = JSON.parse(
      readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: PluginReport[];
    };
    reports = new Map(
      PACKS.map((pack) => [pack, validation.pluginReports.find((plugin) => plugin.pluginName === pack)]),
    );
    acknowledgements = acknowledgementsIn(app);
    stackPath = stack.node.path;
  });

  it.each(PACKS)('ran the %s pack over the stack', (pack) => {
    // Assess
    expect(reports.get(pack)).toBeDefined();
    expect(reports.get(pack)?.suppressedViolations?.length).toBeGreaterThan(0);
  });

  it.each(PACKS)('leaves no unacknowledged %s error or warning', (pack) => {
    // Assess
    expect(reports.get(pack)?.violations).toEqual([]);
    expect(reports.get(pack)?.conclusion).toBe('success');
  });

  it('acknowledges each finding on the resource it concerns, with a concrete reason', () => {
    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      expect(acknowledgement.reason.trim().length, acknowledgement.id).toBeGreaterThan(40);
      expect(acknowledgement.path, acknowledgement.id).not.toBe(stackPath);
      expect(acknowledgement.path, acknowledgement.id).not.toBe('');
    }
  });

  it('has no stale acknowledgement: each one suppresses a finding cdk-nag really reports', () => {
    // Assess
    const used = new Set(
      [...reports.values()].flatMap(
        (report) => report?.suppressedViolations?.map((v) => `${v.acknowledgedAt} ${v.acknowledgedId}`) ?? [],
      ),
    );
    for (const acknowledgement of acknowledgements) {
      expect(used, acknowledgement.id).toContain(`${acknowledgement.path} ${acknowledgement.id}`);
    }
  });
});
