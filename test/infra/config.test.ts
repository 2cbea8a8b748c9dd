import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DeploymentConfigError, parseDeploymentConfig, readDeploymentConfig } from '../../lib/config.ts';
import { exampleConfig } from './synth.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The "every channel" block of docs/configuration.md: the first JSON block after that phrase. */
function everyChannelBlock(): Record<string, unknown> {
  const page = readFileSync(join(repositoryRoot, 'docs/configuration.md'), 'utf8');
  const after = page.slice(page.indexOf('(**every channel**)'));
  const block = after.match(/```json\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error('docs/configuration.md has no "every channel" block');
  return JSON.parse(block) as Record<string, unknown>;
}

/** `npx cdk synth` in the repository, with `config` as `-c switchboard=<json>` (cdk.json's flags apply). */
function cdkSynth(config: unknown): { status: number | null; stderr: string; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'switchboard-synth-'));
  const run = spawnSync(
    join(repositoryRoot, 'node_modules/.bin/cdk'),
    ['synth', '--quiet', '--output', outdir, '-c', `switchboard=${JSON.stringify(config)}`],
    {
      cwd: repositoryRoot,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      encoding: 'utf8',
      timeout: 170_000,
    },
  );
  return { status: run.status, stderr: run.stderr, outdir };
}

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
      firstResponseTargetMinutes: 120,
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

describe('deployment config mistakes', () => {
  it.each([
    ['agent', { agent: {} }, 'switchboard.agent: "agent" is not a setting here: did you mean agents?'],
    [
      'support.sms',
      { support: { ...exampleConfig().support, sms: { ownNumbers: ['+908501234567'] } } },
      'switchboard.support.sms: "sms" is not a setting here: did you mean switchboard.sms (a top-level section, next to "support")?',
    ],
    [
      'support.buisnessHours',
      { support: { ...exampleConfig().support, buisnessHours: {} } },
      'switchboard.support.buisnessHours: "buisnessHours" is not a setting here: did you mean businessHours?',
    ],
    [
      'support.businessHours.weekly.monday',
      {
        support: {
          ...exampleConfig().support,
          businessHours: {
            timezone: 'Europe/Istanbul',
            weekly: { monday: [{ open: '09:00', close: '18:00' }] },
          },
        },
      },
      'switchboard.support.businessHours.weekly.monday: "monday" is not a setting here: did you mean mon?',
    ],
    [
      'meta.webhookThrotle',
      { meta: { webhookThrotle: { rateLimit: 1, burstLimit: 1 } } },
      'did you mean webhookThrottle?',
    ],
    [
      'colour',
      { colour: 'blue' },
      'switchboard.colour: "colour" is not a setting here; the settings here are stackName, support, sms,',
    ],
  ])('refuses the unknown setting %s with what was meant', (_name, change, line) => {
    // Act
    const error = configError({ ...exampleConfig(), ...change });

    // Assess
    expect(error.issues).toContain(line);
    expect(error.issues.split('\n')).toHaveLength(1);
  });

  it('names a typo in a required setting once, as the typo, not again as missing', () => {
    // Prepare
    const { supportAddress, ...support } = exampleConfig().support;

    // Act
    const error = configError({ ...exampleConfig(), support: { ...support, suportAddress: supportAddress } });

    // Assess
    expect(error.issues).toBe(
      'switchboard.support.suportAddress: "suportAddress" is not a setting here: did you mean supportAddress?',
    );
  });

  it('refuses a calendar date that does not exist', () => {
    // Prepare
    const config = exampleConfig();
    const businessHours = {
      ...config.support.businessHours,
      holidays: ['2026-13-01', '2026-02-30', '2026-10-29'],
    };

    // Act
    const error = configError({ ...config, support: { ...config.support, businessHours } });

    // Assess
    expect(error.issues.split('\n')).toEqual([
      'switchboard.support.businessHours.holidays.0: "2026-13-01" is not a date: use YYYY-MM-DD, for example "2026-10-29"',
      'switchboard.support.businessHours.holidays.1: "2026-02-30" is not a date: use YYYY-MM-DD, for example "2026-10-29"',
    ]);
  });

  it('reports a wrong opening time once, without the knock-on "open must be before close"', () => {
    // Prepare
    const config = exampleConfig();
    const businessHours = {
      ...config.support.businessHours,
      weekly: { mon: [{ open: '9:00', close: '08:00' }] },
    };

    // Act
    const error = configError({ ...config, support: { ...config.support, businessHours } });

    // Assess
    expect(error.issues).toBe(
      'switchboard.support.businessHours.weekly.mon.0.open: use 24-hour HH:MM, for example "09:00"',
    );
  });

  it('still says open must be before close when both times are valid', () => {
    // Prepare
    const config = exampleConfig();
    const businessHours = {
      ...config.support.businessHours,
      weekly: { mon: [{ open: '19:00', close: '08:00' }] },
    };

    // Act / Assess
    expect(configError({ ...config, support: { ...config.support, businessHours } }).issues).toBe(
      'switchboard.support.businessHours.weekly.mon.0: open must be before close on the same day',
    );
  });

  it('says how to turn a section on when it is given as true, and how to turn it off', () => {
    // Act
    const on = configError({ ...exampleConfig(), shop: true });
    const off = configError({ ...exampleConfig(), shop: false });

    // Assess
    expect(on.issues).toBe(
      'switchboard.shop: true does not turn it on: use "shop": {} for the defaults, or list its settings',
    );
    expect(off.issues).toBe('switchboard.shop: to turn it off, leave "shop" out');
  });

  it('says a missing setting is required, in words, and a wrong type in words', () => {
    // Prepare
    const { fromName: _dropped, ...support } = exampleConfig().support;

    // Act
    const error = configError({
      ...exampleConfig(),
      support: { ...support, firstResponseTargetMinutes: '2h' },
    });

    // Assess
    expect(error.issues.split('\n').sort()).toEqual([
      'switchboard.support.firstResponseTargetMinutes: must be a number, not "2h"',
      'switchboard.support.fromName: is required',
    ]);
    expect(error.issues).not.toMatch(/Invalid input|expected string|received/);
  });

  it('accepts the "every channel" block of docs/configuration.md next to support, and refuses sms inside support', () => {
    // Prepare
    const block = everyChannelBlock();
    const { sms, ...rest } = block;

    // Act
    const config = parseDeploymentConfig({ ...exampleConfig(), ...block });
    const misplaced = configError({
      ...exampleConfig(),
      ...rest,
      support: { ...exampleConfig().support, sms },
    });

    // Assess
    expect(Object.keys(block).sort()).toEqual(['agents', 'chat', 'connect', 'help', 'meta', 'shop', 'sms']);
    expect(config.support.sms?.ownNumbers).toEqual(['+908501234567']);
    expect(config.meta?.whatsappPhoneNumberId).toBe('106540352242922');
    expect(misplaced.issues).toMatch(
      /^switchboard\.support\.sms: "sms" is not a setting here: did you mean switchboard\.sms/,
    );
  });

  it('passes `cdk synth` with the "every channel" block of docs/configuration.md, and stops it on sms at the wrong level', () => {
    // Prepare
    const { sms, ...rest } = everyChannelBlock();

    // Act
    const good = cdkSynth({ ...exampleConfig(), sms, ...rest });
    const wrong = cdkSynth({ ...exampleConfig(), ...rest, support: { ...exampleConfig().support, sms } });
    // Assess
    expect(good.status, good.stderr).toBe(0);
    const templates = readdirSync(good.outdir).filter((f) => f.endsWith('.template.json'));
    const template = JSON.parse(readFileSync(join(good.outdir, templates[0] ?? ''), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    rmSync(good.outdir, { recursive: true, force: true });
    rmSync(wrong.outdir, { recursive: true, force: true });

    const types = new Set(Object.values(template.Resources).map((r) => r.Type));
    expect(types).toContain('AWS::SNS::Topic');
    expect(types).toContain('AWS::ApiGatewayV2::Api');
    expect(types).toContain('AWS::Connect::IntegrationAssociation');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(
      'switchboard.support.sms: "sms" is not a setting here: did you mean switchboard.sms (a top-level section, next to "support")?',
    );
  }, 180_000);

  it('deploys email only from the example cdk.json: no Meta API, secrets or SMS topic', () => {
    // Act
    const config = parseDeploymentConfig(exampleConfig());

    // Assess
    expect(config.meta).toBeUndefined();
    expect(config.sms).toBeUndefined();
    expect(config.shop).toBeUndefined();
    expect(config.agents).toBeUndefined();
    expect(config.connect).toBeUndefined();
  });
});

describe('chat uploads in the deployment config', () => {
  it('turns uploads on for the functions only with the shop origins, with the default limits', () => {
    // Act
    const withOrigins = parseDeploymentConfig({
      ...exampleConfig(),
      chat: { allowedOrigins: ['https://shop.example'] },
    });
    const without = parseDeploymentConfig({ ...exampleConfig(), chat: {} });

    // Assess
    expect(withOrigins.support.chat?.attachments).toEqual({
      contentTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'],
      maxBytes: 10 * 1024 * 1024,
    });
    expect(without.support.chat).toBeDefined();
    expect(without.support.chat?.attachments).toBeUndefined();
  });

  it('refuses an origin with a path', () => {
    // Act
    const error = configError({
      ...exampleConfig(),
      chat: { allowedOrigins: ['https://shop.example/checkout'] },
    });

    // Assess
    expect(error.issues).toMatch(/chat\.allowedOrigins.*use an origin/s);
  });
});
