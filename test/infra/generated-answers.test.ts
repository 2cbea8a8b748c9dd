import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../lib/config.ts';
import type { SwitchboardStack } from '../../lib/switchboard-stack.ts';
import { exampleConfig, META_SECTION, type SynthesizedSwitchboard, synthesizeSwitchboard } from './synth.ts';

const ASSISTANT = { modelId: 'amazon.nova-lite-v1:0', guardrailId: 'a1b2c3d4e5f6', guardrailVersion: '2' };

interface PolicyStatementJson {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The Bedrock statements of every policy in the template, with the roles they are attached to. */
function bedrockStatements(synth: SynthesizedSwitchboard) {
  const policies = synth.template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { PolicyDocument: { Statement: PolicyStatementJson[] }; Roles: { Ref: string }[] } }
  >;
  return Object.values(policies).flatMap((policy) =>
    policy.Properties.PolicyDocument.Statement.filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('bedrock:')),
    ).map((s) => ({
      action: s.Action,
      resource: JSON.stringify(s.Resource),
      roles: policy.Properties.Roles.map((r) => r.Ref),
    })),
  );
}

function roleOf(stack: SwitchboardStack, fn: { role: { node: { defaultChild?: unknown } } } | undefined) {
  return stack.getLogicalId(fn?.role.node.defaultChild as CfnRole);
}

describe('generated answers infrastructure', () => {
  let synth: SynthesizedSwitchboard;

  beforeAll(() => {
    // Prepare / Act: help center, Meta and the assistant on
    const example = exampleConfig();
    synth = synthesizeSwitchboard({
      config: {
        ...example,
        support: { ...example.support, assistant: ASSISTANT },
        help: { baseUrl: 'https://help.shop.example' },
        meta: META_SECTION,
      },
    });
  });

  it('lets only the email and social acknowledgers invoke the one model through the one guardrail', () => {
    // Act
    const statements = bedrockStatements(synth);
    const { stack } = synth;

    // Assess
    const acknowledgers = [roleOf(stack, stack.inboundEmail.function), roleOf(stack, stack.social?.consumer)];
    const resolved = (arn: string) => JSON.stringify(Stack.of(stack).resolve(arn));
    expect(resolved(stack.generatedAnswers?.modelArn ?? '')).toContain(
      'foundation-model/amazon.nova-lite-v1:0',
    );
    expect(statements).toHaveLength(4);
    for (const role of acknowledgers) {
      const own = statements.filter((s) => s.roles.includes(role));
      expect(own.map((s) => s.action).sort()).toEqual(['bedrock:ApplyGuardrail', 'bedrock:InvokeModel']);
      expect(own.find((s) => s.action === 'bedrock:InvokeModel')?.resource).toBe(
        resolved(stack.generatedAnswers?.modelArn ?? ''),
      );
      expect(own.find((s) => s.action === 'bedrock:ApplyGuardrail')?.resource).toBe(
        resolved(stack.generatedAnswers?.guardrailArn ?? ''),
      );
    }
    expect(resolved(stack.generatedAnswers?.guardrailArn ?? '')).toMatch(
      /AWS::AccountId.*:guardrail\/a1b2c3d4e5f6/,
    );
  });

  it('passes the assistant settings to the functions and stays cdk-nag clean', () => {
    // Prepare
    const validation = JSON.parse(
      readFileSync(join(synth.assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[] };

    // Assess
    for (const pack of ['AwsSolutions', 'Serverless']) {
      const report = validation.pluginReports.find((p) => p.pluginName === pack);
      expect(report?.violations, pack).toEqual([]);
      expect(report?.conclusion, pack).toBe('success');
    }
    const functions = synth.template.findResources('AWS::Lambda::Function') as Record<
      string,
      { Properties: { Environment?: { Variables?: Record<string, string> } } }
    >;
    const configs = Object.values(functions).flatMap(
      (f) => f.Properties.Environment?.Variables?.SUPPORT_CONFIG ?? [],
    );
    expect(configs.some((c) => c.includes('"guardrailId":"a1b2c3d4e5f6"'))).toBe(true);
  });

  it('grants no Bedrock access without the assistant', () => {
    // Act
    const plain = synthesizeSwitchboard({
      config: { ...exampleConfig(), help: { baseUrl: 'https://help.shop.example' } },
    });

    // Assess
    expect(bedrockStatements(plain)).toEqual([]);
    expect(plain.stack.generatedAnswers).toBeUndefined();
  });

  it('refuses a guardrail ARN for its id, a wrong version and an unknown assistant setting', () => {
    // Prepare
    const example = exampleConfig();
    const attempt = (assistant: unknown) => () =>
      parseDeploymentConfig({ ...example, support: { ...example.support, assistant } });

    // Assess
    expect(
      attempt({
        ...ASSISTANT,
        guardrailId: 'arn:aws:bedrock:eu-central-1:123456789012:guardrail/a1b2c3d4e5f6',
      }),
    ).toThrow(/assistant\.guardrailId: use the guardrail id/);
    expect(attempt({ ...ASSISTANT, guardrailVersion: 'latest' })).toThrow(/assistant\.guardrailVersion/);
    expect(attempt({ ...ASSISTANT, temperature: 0.7 })).toThrow(/temperature/);
    expect(attempt(ASSISTANT)).not.toThrow();
  });
});
