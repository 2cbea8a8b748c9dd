import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DeploymentConfigError,
  type DeploymentConfigInput,
  parseDeploymentConfig,
} from '../../lib/config.ts';
import { exampleConfig, type SynthesizedSwitchboard, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: Json;
  readonly Condition?: Json;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const SMS = {
  originationIdentity: 'phone-0123456789abcdef0123456789abcdef',
  configurationSetName: 'switchboard-sms',
  ownNumbers: ['+908501234567'],
  helpText: { tr: 'Örnek Mağaza: destek için bu numaraya yazın. Çıkmak için STOP.' },
};

/** The example installation with the SMS channel switched on. */
function withSms(sms: Json = SMS): Partial<DeploymentConfigInput> {
  return { sms: sms as never };
}

function identityStatements(template: Template): Statement[] {
  const documents: { Statement: Statement[] }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    documents.push((policy.Properties as Json).PolicyDocument as { Statement: Statement[] });
  }
  for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
    const inline = ((role.Properties as Json).Policies ?? []) as {
      PolicyDocument: { Statement: Statement[] };
    }[];
    documents.push(...inline.map((p) => p.PolicyDocument));
  }
  return documents.flatMap((d) => d.Statement);
}

function only<T>(values: T[]): T {
  expect(values).toHaveLength(1);
  return values[0] as T;
}

describe('the SMS channel in the stack', () => {
  let synthesized: SynthesizedSwitchboard;
  let template: Template;
  let topicId: string;
  let inboundSmsId: string;
  let failedEventsId: string;

  beforeAll(() => {
    // Prepare / Act: the example installation with sms set
    synthesized = synthesizeSwitchboard({ config: withSms() });
    template = synthesized.template;
    topicId = only(
      Object.keys(
        template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'switchboard inbound SMS' } }),
      ),
    );
    inboundSmsId = only(
      Object.keys(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp('End User Messaging') },
        }),
      ),
    );
    const subscription = only(
      Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'lambda' } })),
    );
    const redrive = (subscription.Properties as Json).RedrivePolicy as {
      deadLetterTargetArn: { 'Fn::GetAtt': string[] };
    };
    failedEventsId = redrive.deadLetterTargetArn['Fn::GetAtt'][0] as string;
  });

  it('leaves the email-only example without any SMS resource', () => {
    // Act
    const { template: emailOnly } = synthesizeSwitchboard();

    // Assess
    expect(
      emailOnly.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'switchboard inbound SMS' } }),
    ).toEqual({});
    // Its schedule group holds response-time deadline checks: no SMS is sent from it.
    expect(
      identityStatements(emailOnly).filter((s) => asArray(s.Action).includes('sms-voice:SendTextMessage')),
    ).toEqual([]);
  });

  it('has an inbound topic encrypted with the stack key that only End User Messaging of this account may publish to, over TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'switchboard inbound SMS',
      KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^EncryptionKey'), 'Arn'] }),
    });
    const policy = only(
      Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((p) =>
        JSON.stringify((p.Properties as Json).Topics).includes(topicId),
      ),
    );
    const statements = ((policy.Properties as Json).PolicyDocument as { Statement: Statement[] }).Statement;
    const publish = only(statements.filter((s) => s.Effect === 'Allow'));
    expect(publish).toMatchObject({
      Action: 'sns:Publish',
      Principal: { Service: 'sms-voice.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(statements.filter((s) => s.Effect === 'Deny')).toEqual([
      expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  it('lets End User Messaging use the key for the topic, only for this account', () => {
    // Assess
    const key = only(Object.values(template.findResources('AWS::KMS::Key')));
    const statements = ((key.Properties as Json).KeyPolicy as { Statement: Statement[] }).Statement;
    const sms = only(
      statements.filter((s) => JSON.stringify(s.Principal).includes('sms-voice.amazonaws.com')),
    );
    expect(asArray(sms.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(sms.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('subscribes the inbound-sms function, which SNS alone (for this topic) may invoke', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [inboundSmsId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'sns.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [inboundSmsId, 'Arn'] },
      SourceArn: { Ref: topicId },
    });
  });

  it('keeps an SMS it could not process: retried twice, then in an encrypted failed-events queue with an alarm', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: inboundSmsId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failedEventsId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failedEventsId, 'QueueName'] } }],
    });
  });

  it('hands the inbound-sms function its table, queue and the validated config including the SMS settings', () => {
    // Assess
    const fn = template.findResources('AWS::Lambda::Function')[inboundSmsId] as { Properties: Json };
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'OUTBOUND_QUEUE_URL', 'SUPPORT_CONFIG']),
    );
    const support = JSON.parse(String(variables.SUPPORT_CONFIG)) as { sms: Json };
    expect(support.sms).toMatchObject({
      ownNumbers: ['+908501234567'],
      quietHours: { start: '21:00', end: '08:00' },
      keywordConfirmations: true,
    });
  });

  it('lets the dispatcher send SMS only from the configured phone number, through the configured configuration set', () => {
    // Assess
    const statement = only(
      identityStatements(template).filter((s) => asArray(s.Action).some((a) => a.startsWith('sms-voice:'))),
    );
    expect(statement.Action).toBe('sms-voice:SendTextMessage');
    const resources = JSON.stringify(statement.Resource);
    expect(resources).toContain(':phone-number/phone-0123456789abcdef0123456789abcdef');
    expect(resources).toContain(':configuration-set/switchboard-sms');
    expect(asArray(statement.Resource)).not.toContain('*');
  });

  it('takes an origination identity ARN (a pool) as it is', () => {
    // Prepare
    const pool = 'arn:aws:sms-voice:eu-central-1:111122223333:pool/pool-0123456789abcdef';

    // Act
    const { template: pooled } = synthesizeSwitchboard({
      config: withSms({ ...SMS, originationIdentity: pool, configurationSetName: undefined }),
    });

    // Assess
    const statement = only(
      identityStatements(pooled).filter((s) => asArray(s.Action).includes('sms-voice:SendTextMessage')),
    );
    expect(statement.Resource).toBe(pool);
  });

  it('defers through one schedule group whose role may only send to the outbound queue', () => {
    // Assess
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    const roles = Object.values(template.findResources('AWS::IAM::Role')).filter((r) =>
      JSON.stringify((r.Properties as Json).AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    const role = only(roles).Properties as Json;
    const trust = only((role.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement);
    expect(trust.Condition).toMatchObject({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
    const statements = (role.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
      (p) => p.PolicyDocument.Statement,
    );
    expect(statements.map((s) => asArray(s.Action).sort().join(','))).toEqual([
      'sqs:SendMessage',
      'kms:Decrypt,kms:GenerateDataKey',
    ]);
    expect(JSON.stringify(statements[0]?.Resource)).toMatch(/OutboundQueue/);
  });

  it('lets the dispatcher create and delete schedules of that group only, and pass the role only to the scheduler', () => {
    // Assess
    const statements = identityStatements(template);
    const scheduling = only(statements.filter((s) => asArray(s.Action).includes('scheduler:CreateSchedule')));
    expect(asArray(scheduling.Action).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
    ]);
    expect(JSON.stringify(scheduling.Resource)).toContain(':schedule/Switchboard-deferred/*');
    const passRole = only(statements.filter((s) => asArray(s.Action).includes('iam:PassRole')));
    expect(passRole.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
  });

  it('names the topic to set as the number’s two-way SMS destination in an output', () => {
    // Assess
    template.hasOutput('InboundSmsTopicArn', { Value: { Ref: topicId } });
  });

  it('passes cdk-nag with each finding acknowledged on its resource', () => {
    // Assess
    const validation = JSON.parse(
      readFileSync(join(synthesized.assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    const report = validation.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(report?.violations).toEqual([]);
    expect(report?.conclusion).toBe('success');
  });

  it('bundles the inbound-sms handler with esbuild', () => {
    // Prepare / Act
    const bundled = synthesizeSwitchboard({ config: withSms(), bundle: true });

    // Assess
    const fn = bundled.template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('End User Messaging') },
    });
    const code = (only(Object.values(fn)).Properties as { Code: { S3Key: string } }).Code;
    const manifest = JSON.parse(
      readFileSync(join(bundled.assemblyDirectory, `${bundled.stack.artifactId}.assets.json`), 'utf8'),
    ) as { files: Record<string, { source: { path: string } }> };
    const bundle = join(
      bundled.assemblyDirectory,
      manifest.files[code.S3Key.replace(/\.zip$/, '')]?.source.path ?? '',
      'index.mjs',
    );
    expect(existsSync(bundle)).toBe(true);
    expect(statSync(bundle).size).toBeLessThan(5 * 1024 * 1024);
  }, 120_000);
});

describe('SMS deployment config', () => {
  it.each([
    [
      { ...SMS, ownNumbers: ['05321112233'] },
      'switchboard.sms.ownNumbers.0: use a valid phone number in E.164 form',
    ],
    // The right shape, but Turkey's 599 range is not in use: only the synth-time check sees it.
    [
      { ...SMS, ownNumbers: ['+905999999999'] },
      'switchboard.sms.ownNumbers.0: use a valid phone number in E.164 form',
    ],
    [{ ...SMS, originationIdentity: '+908501234567' }, 'switchboard.sms.originationIdentity: use the ARN'],
    [
      { ...SMS, quietHours: { start: '9pm', end: '08:00' } },
      'switchboard.sms.quietHours.start: use 24-hour HH:MM',
    ],
    [{ ...SMS, ownNumbers: [] }, 'switchboard.sms.ownNumbers'],
  ])('refuses %j with one line naming the setting', (sms, line) => {
    // Act
    const attempt = () => parseDeploymentConfig({ ...exampleConfig(), ...withSms(sms) });

    // Assess
    expect(attempt).toThrow(DeploymentConfigError);
    expect(attempt).toThrow(line);
  });

  it('fills in the TCPA quiet hours and our own keyword confirmations by default', () => {
    // Act
    const config = parseDeploymentConfig({ ...exampleConfig(), ...withSms() });

    // Assess
    expect(config.support.sms).toMatchObject({
      quietHours: { start: '21:00', end: '08:00' },
      keywordConfirmations: true,
      fitAcknowledgementToOneSegment: true,
    });
  });
});
