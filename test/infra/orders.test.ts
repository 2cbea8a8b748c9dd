import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleConfig, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;
type Statement = { Action: string | string[]; Resource: unknown; Condition?: Json };

function onlyId(template: Template, type: string, properties: Json): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(properties) }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

function roleOf(template: Template, functionId: string): string {
  const fn = template.findResources('AWS::Lambda::Function')[functionId] as {
    Properties: { Role: { 'Fn::GetAtt': string[] } };
  };
  return fn.Properties.Role['Fn::GetAtt'][0] as string;
}

function statementsOf(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => (p as { Properties: Json }).Properties)
    .filter((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('shop API infrastructure (order events, reminders)', () => {
  let template: Template;
  let assemblyDirectory: string;
  let ordersId: string;
  let remindersId: string;

  beforeAll(() => {
    // Prepare / Act: the example config with the shop API switched on
    ({ template, assemblyDirectory } = synthesizeSwitchboard({ config: { ...exampleConfig(), shop: {} } }));
    ordersId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('order events'),
    });
    remindersId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('reminders'),
    });
  });

  it('routes POST /orders/events, POST /reminders and DELETE /reminders/{id} on the one HTTP API', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    for (const routeKey of ['POST /orders/events', 'POST /reminders', 'DELETE /reminders/{id}']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
    }
  });

  it('keeps the shop secret under the stack key and lets only the two shop functions read it', () => {
    // Prepare
    const secretId = onlyId(template, 'AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('signs order events'),
    });
    const keyId = onlyId(template, 'AWS::KMS::Key', {});

    // Assess
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('signs order events'),
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    const readers = Object.keys(template.findResources('AWS::Lambda::Function')).filter((fn) =>
      statementsOf(template, roleOf(template, fn)).some(
        (s) =>
          actions(s).includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(s.Resource).includes(secretId),
      ),
    );
    expect(readers.sort()).toEqual([ordersId, remindersId].sort());
  });

  it('schedules reminders in their own group, through a role that may only send to the outbound queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Switchboard-reminders' });
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, r]) =>
      JSON.stringify((r.Properties as Json).AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    const reminderRole = roles.find(([id]) => id.startsWith('Reminders'));
    expect(reminderRole).toBeDefined();
    const policies = (
      (reminderRole as [string, { Properties: unknown }])[1].Properties as {
        Policies: { PolicyDocument: { Statement: Statement[] } }[];
      }
    ).Policies;
    const sqs = policies
      .flatMap((p) => p.PolicyDocument.Statement)
      .filter((s) => actions(s).some((a) => a.startsWith('sqs:')));
    expect(sqs.flatMap(actions)).toEqual(['sqs:SendMessage']);
    const fnStatements = statementsOf(template, roleOf(template, remindersId));
    const scheduling = fnStatements.find((s) => actions(s).includes('scheduler:CreateSchedule'));
    expect(actions(scheduling as Statement).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
    ]);
    expect(JSON.stringify(scheduling?.Resource)).toContain('Switchboard-reminders');
  });

  it('gives the order-events function no scheduler and no send rights beyond the outbound queue', () => {
    // Assess
    const all = statementsOf(template, roleOf(template, ordersId)).flatMap(actions);
    expect(all.some((a) => a.startsWith('scheduler:'))).toBe(false);
    expect(all.filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
    expect(all).not.toContain('dynamodb:Scan');
  });

  it('accepts only timestamped signatures unless legacyBodySignature is set, then on both functions', () => {
    // Prepare
    const envOf = (t: Template, id: string) =>
      (
        t.findResources('AWS::Lambda::Function')[id] as {
          Properties: { Environment?: { Variables?: Record<string, unknown> } };
        }
      ).Properties.Environment?.Variables ?? {};
    const legacy = synthesizeSwitchboard({
      config: { ...exampleConfig(), shop: { legacyBodySignature: true } },
    }).template;

    // Assess
    expect(envOf(template, ordersId)).not.toHaveProperty('SHOP_LEGACY_BODY_SIGNATURE');
    expect(envOf(template, remindersId)).not.toHaveProperty('SHOP_LEGACY_BODY_SIGNATURE');
    expect(envOf(legacy, ordersId)).toMatchObject({ SHOP_LEGACY_BODY_SIGNATURE: 'true' });
    expect(envOf(legacy, remindersId)).toMatchObject({ SHOP_LEGACY_BODY_SIGNATURE: 'true' });
  });

  it('passes cdk-nag with the shop API on', () => {
    // Prepare
    const validation = JSON.parse(
      readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };

    // Assess
    const nag = validation.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
    expect(nag?.conclusion).toBe('success');
  });
});
