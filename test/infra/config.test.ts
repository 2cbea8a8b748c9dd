import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DeploymentConfigError, parseDeploymentConfig, readDeploymentConfig } from '../../lib/config.ts';
import { exampleConfig } from './synth.ts';

/** The message parseDeploymentConfig fails with, or a test failure if it does not fail. */
function configError(raw: unknown): DeploymentConfigError {
  try {
    parseDeploymentConfig(raw);
  } catch (error) {
    if (error instanceof DeploymentConfigError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('deployment config', () => {
  it('accepts the example of cdk.json and fills in the deploy defaults', () => {
    // Prepare
    const { retainData: _r, logRetentionDays: _l, rawMailRetentionDays: _m, ...minimal } = exampleConfig();

    // Act
    const config = parseDeploymentConfig(minimal);

    // Assess
    expect(config).toMatchObject({
      stackName: 'Switchboard',
      retainData: true,
      logRetentionDays: 90,
      rawMailRetentionDays: 90,
      receiptRuleSetName: 'switchboard-inbound',
      createEmailIdentity: true,
      logLevel: 'INFO',
    });
    expect(config.alarmEmail).toBeUndefined();
    expect(config.support).toMatchObject({
      mailDomain: 'support.example.com',
      supportAddress: 'support@support.example.com',
      languages: ['tr', 'en'],
      defaultLanguage: 'en',
      firstResponseTargetMinutes: 240,
      autoReplyWindowMinutes: 1440,
    });
    expect(config.support.businessHours.weekly.sat).toEqual([{ open: '10:00', close: '14:00' }]);
    expect(config.support.businessHours.holidays).toContain('2026-10-29');
  });

  it('reads the config from the CDK context, also as the JSON string `-c switchboard=...` passes', () => {
    // Prepare
    const app = new App({ context: { switchboard: JSON.stringify(exampleConfig()) } });

    // Act
    const config = readDeploymentConfig(app);

    // Assess
    expect(config.support.mailDomain).toBe('support.example.com');
  });

  it('names every wrong setting, one per line', () => {
    // Prepare
    const config = exampleConfig();
    const { languages: _dropped, ...supportWithoutLanguages } = config.support;
    const wrong = {
      ...config,
      logRetentionDays: 91,
      support: {
        ...supportWithoutLanguages,
        supportAddress: 'help@shop.example.com',
        businessHours: { ...config.support.businessHours, timezone: 'Europe/Atlantis' },
      },
    };

    // Act
    const error = configError(wrong);

    // Assess
    expect(error.message).toMatch(
      /^Invalid switchboard deployment config \(cdk.json context "switchboard"\):\n/,
    );
    const lines = error.issues.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^switchboard\.support\.languages: /),
        expect.stringMatching(/^switchboard\.support\.businessHours\.timezone: use an IANA time zone name/),
        expect.stringMatching(/^switchboard\.logRetentionDays: must be one of .*\b90\b/),
      ]),
    );
  });

  it('rejects a support address that is not on the mail domain', () => {
    // Prepare
    const config = exampleConfig();

    // Act
    const error = configError({
      ...config,
      support: { ...config.support, supportAddress: 'help@shop.example.com' },
    });

    // Assess
    expect(error.issues).toMatch(/^switchboard\.support\.supportAddress: must be an address at mailDomain/m);
  });

  it('rejects an unusable receipt rule set name and alarm address', () => {
    // Prepare
    const config = { ...exampleConfig(), receiptRuleSetName: 'has spaces', alarmEmail: 'not-an-address' };

    // Act
    const error = configError(config);

    // Assess
    expect(error.issues).toMatch(/^switchboard\.receiptRuleSetName: /m);
    expect(error.issues).toMatch(/^switchboard\.alarmEmail: must be an email address/m);
  });

  it('refuses a support config too large for the Lambda environment', () => {
    // Prepare
    const config = exampleConfig();
    const ownAddresses = Array.from({ length: 120 }, (_, i) => `mailbox-${i}@support.example.com`);

    // Act
    const error = configError({ ...config, support: { ...config.support, ownAddresses } });

    // Assess
    expect(error.issues).toMatch(/^switchboard\.support: is \d+ bytes as JSON, more than the 3072/m);
  });

  it('says where the config belongs when it is missing or not JSON', () => {
    // Act / Assess
    expect(configError(undefined).issues).toMatch(
      /switchboard: is missing; add it to the "context" of cdk.json/,
    );
    expect(configError('{not json').issues).toBe('switchboard: is not valid JSON');
  });

  it('makes the CDK app exit 1 with the list of wrong settings and no stack trace', () => {
    // Prepare
    const config = exampleConfig();
    const wrong = {
      ...config,
      support: {
        ...config.support,
        businessHours: { ...config.support.businessHours, timezone: 'Mars/Olympus' },
      },
    };
    const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

    const outdir = mkdtempSync(join(tmpdir(), 'switchboard-bad-config-'));

    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ switchboard: wrong }),
        CDK_OUTDIR: outdir,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    rmSync(outdir, { recursive: true, force: true });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('switchboard.support.businessHours.timezone: use an IANA time zone name');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
