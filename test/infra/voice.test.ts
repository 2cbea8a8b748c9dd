import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DeploymentConfigInput, parseDeploymentConfig } from '../../lib/config.ts';
import { exampleConfig, type SynthesizedSwitchboard, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de';
const TASK_FLOW_ID = '7a5cf10e-0000-4000-8000-00000000a5c0';

function withConnect(connect: Json = { instanceArn: INSTANCE_ARN, taskContactFlowId: TASK_FLOW_ID }) {
  return { connect: connect as DeploymentConfigInput['connect'] };
}

function functionId(template: Template, description: RegExp): string {
  const ids = Object.keys(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(description.source) },
    }),
  );
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** Every statement of the role's policies (inline and attached default policy). */
function statementsOfRoleOf(template: Template, lambdaId: string): Statement[] {
  const fn = template.findResources('AWS::Lambda::Function')[lambdaId] as { Properties: Json };
  const roleRef = ((fn.Properties.Role as Json)['Fn::GetAtt'] as string[])[0];
  const statements: Statement[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const properties = policy.Properties as Json;
    const roles = (properties.Roles as Json[]).map((r) => r.Ref);
    if (roles.includes(roleRef))
      statements.push(...((properties.PolicyDocument as Json).Statement as Statement[]));
  }
  return statements;
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

describe('the voice channel in the stack', () => {
  let synthesized: SynthesizedSwitchboard;
  let template: Template;
  let lookupId: string;
  let eventsId: string;

  beforeAll(() => {
    // Prepare / Act: the example installation with an Amazon Connect instance and a task flow
    synthesized = synthesizeSwitchboard({ config: withConnect() });
    template = synthesized.template;
    lookupId = functionId(template, /Amazon Connect contact flow/);
    eventsId = functionId(template, /Amazon Connect contact events/);
  });

  it("routes the instance's call events to the voice-events function, with a DLQ and a retry policy", () => {
    // Assess
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (r) => ((r.Properties as Json).EventPattern as Json | undefined)?.source !== undefined,
    );
    const rule = rules.find((r) =>
      JSON.stringify((r.Properties as Json).EventPattern).includes('aws.connect'),
    );
    expect(rule).toBeDefined();
    const properties = rule?.Properties as Json;
    expect(properties.EventPattern).toEqual({
      source: ['aws.connect'],
      'detail-type': ['Amazon Connect Contact Event'],
      detail: { instanceArn: [INSTANCE_ARN], channel: ['VOICE'] },
    });
    const [target] = properties.Targets as Json[];
    expect(target?.Arn).toEqual({ 'Fn::GetAtt': [eventsId, 'Arn'] });
    expect(target?.DeadLetterConfig).toMatchObject({ Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
    expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 });
  });

  it('lets only the configured instance invoke the lookup, and associates the function with it', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [lookupId, 'Arn'] },
      Principal: 'connect.amazonaws.com',
      SourceArn: INSTANCE_ARN,
    });
    template.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
      InstanceId: INSTANCE_ARN,
      IntegrationType: 'LAMBDA_FUNCTION',
      IntegrationArn: { 'Fn::GetAtt': [lookupId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 8,
      Environment: {
        Variables: Match.objectLike({ CONNECT_INSTANCE_ID: '5a1db0c5-0000-4000-8000-00000000c0de' }),
      },
    });
  });

  it('scopes the Connect permissions to the instance: DescribeContact and StartTaskContact, nothing else', () => {
    // Act
    const statements = statementsOfRoleOf(template, eventsId);
    const connect = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('connect:')));

    // Assess
    expect(actionsOf(connect).sort()).toEqual(['connect:DescribeContact', 'connect:StartTaskContact']);
    const resources = connect.flatMap((s) => [s.Resource].flat());
    expect(resources).toEqual(
      expect.arrayContaining([`${INSTANCE_ARN}/contact/*`, `${INSTANCE_ARN}/contact-flow/${TASK_FLOW_ID}`]),
    );
    for (const resource of resources) expect(String(resource).startsWith(`${INSTANCE_ARN}/`)).toBe(true);
    // The lookup reads the table, updates the contact record, and calls nothing of Connect.
    const lookupActions = actionsOf(statementsOfRoleOf(template, lookupId));
    expect(lookupActions.some((a) => a.startsWith('connect:'))).toBe(false);
    expect(lookupActions).toContain('dynamodb:UpdateItem');
    expect(lookupActions).not.toContain('dynamodb:PutItem');
  });

  it('lets the inbound paths create escalation tasks through the task flow', () => {
    // Act
    const inboundEmailId = functionId(template, /mail received by SES/);
    const actions = actionsOf(statementsOfRoleOf(template, inboundEmailId));

    // Assess
    expect(actions).toContain('connect:StartTaskContact');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CONNECT_TASK_FLOW_ID: TASK_FLOW_ID }),
      },
    });
  });

  it('passes cdk-nag (AwsSolutions and Serverless) with the voice channel on', () => {
    // Act
    const validation = JSON.parse(
      readFileSync(join(synthesized.assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[] };

    // Assess
    for (const report of validation.pluginReports) {
      expect(report.violations, report.pluginName).toEqual([]);
      expect(report.conclusion).toBe('success');
    }
  });
});

describe('the voice channel left out or without association', () => {
  it('creates no Connect resources without a connect section', () => {
    // Act
    const { template } = synthesizeSwitchboard();

    // Assess
    template.resourceCountIs('AWS::Connect::IntegrationAssociation', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('aws.connect');
  });

  it('leaves the association to the console when asked, and grants no task creation without a task flow', () => {
    // Act
    const { template } = synthesizeSwitchboard({
      config: withConnect({ instanceArn: INSTANCE_ARN, associateLookupFunction: false }),
    });

    // Assess
    template.resourceCountIs('AWS::Connect::IntegrationAssociation', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('connect:StartTaskContact');
  });

  it('refuses a malformed instance ARN at synth time, naming the setting', () => {
    // Act / Assess
    expect(() =>
      parseDeploymentConfig({
        ...exampleConfig(),
        connect: { instanceArn: 'my-instance' },
      } as DeploymentConfigInput),
    ).toThrow(/connect\.instanceArn/);
  });
});
