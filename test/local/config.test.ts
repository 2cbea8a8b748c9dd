import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentConfigError } from '../../lib/config.ts';
import {
  projectDeploymentConfig,
  SANDBOX_SMS_STAND_IN,
  sandboxSupportConfig,
  sandboxSupportConfigFrom,
} from '../../local/config.ts';
import { cdkJson, exampleConfig } from '../infra/synth.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A cdk.json like the project's with `switchboard` replaced. */
function cdkJsonWith(switchboard: unknown): string {
  const folder = mkdtempSync(join(tmpdir(), 'switchboard-cdk-json-'));
  folders.push(folder);
  const file = join(folder, 'cdk.json');
  writeFileSync(file, JSON.stringify({ ...cdkJson, context: { ...cdkJson.context, switchboard } }));
  return file;
}

describe('the sandbox shop', () => {
  it("is the project cdk.json's: hours, holidays, targets, languages", () => {
    // Prepare
    const example = exampleConfig();

    // Assess
    expect(sandboxSupportConfig.businessHours).toEqual(example.support.businessHours);
    expect(sandboxSupportConfig.firstResponseTargetMinutes).toBe(example.support.firstResponseTargetMinutes);
    expect(sandboxSupportConfig.languages).toEqual(example.support.languages);
  });

  it('follows a changed cdk.json, with a stand-in SMS channel when it has none', () => {
    // Prepare
    const example = exampleConfig();
    const file = cdkJsonWith({
      ...example,
      support: {
        ...example.support,
        firstResponseTargetMinutes: 30,
        faq: [{ id: 'gift-wrap', keywords: ['hediye paketi'], answers: { tr: 'Evet, hediye paketi var.' } }],
      },
    });

    // Act
    const config = sandboxSupportConfigFrom(projectDeploymentConfig(file));

    // Assess
    expect(config.firstResponseTargetMinutes).toBe(30);
    expect(config.faq?.map((entry) => entry.id)).toEqual(['gift-wrap']);
    expect(config.sms).toEqual(SANDBOX_SMS_STAND_IN);
  });

  it("keeps the shop's own SMS settings when cdk.json has an sms section", () => {
    // Prepare
    const file = cdkJsonWith({
      ...exampleConfig(),
      sms: {
        originationIdentity: 'pool-0123456789abcdef0123456789abcdef',
        ownNumbers: ['+908509876543'],
        quietHours: { start: '22:00', end: '09:00' },
      },
    });

    // Act
    const config = sandboxSupportConfigFrom(projectDeploymentConfig(file));

    // Assess
    expect(config.sms).toMatchObject({
      ownNumbers: ['+908509876543'],
      quietHours: { start: '22:00', end: '09:00' },
    });
  });

  it('refuses a cdk.json that cdk synth would refuse, with the same lines', () => {
    // Prepare
    const file = cdkJsonWith({ ...exampleConfig(), agent: {} });

    // Act / Assess
    expect(() => projectDeploymentConfig(file)).toThrow(DeploymentConfigError);
    expect(() => projectDeploymentConfig(file)).toThrow('did you mean agents?');
  });
});
