import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_INSERT_FILTER_PATTERN } from '../../functions/adapters/dynamodb/stream-count-items.ts';
import type { SwitchboardStack } from '../../lib/switchboard-stack.ts';
import { synthesizeSwitchboard } from './synth.ts';

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: 'success' | 'failure';
  readonly violations: readonly unknown[];
}

type Json = Record<string, unknown>;

describe('the channel counters stream consumer (a deployment without agents)', () => {
  let template: Template;
  let stack: SwitchboardStack;
  let reports: PluginReport[];

  beforeAll(() => {
    // Prepare / Act: cdk.json's example, which deploys no agent API (so no live updates).
    const synthesized = synthesizeSwitchboard({});
    template = synthesized.template;
    stack = synthesized.stack;
    reports = (
      JSON.parse(readFileSync(join(synthesized.assemblyDirectory, 'validation-report.json'), 'utf8')) as {
        pluginReports: PluginReport[];
      }
    ).pluginReports;
  });

  it('streams the table even where no agents are deployed', () => {
    // Assess
    expect(stack.liveUpdates).toBeUndefined();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('is invoked only for marked message inserts, whole batches retried, with partial failures and an on-failure queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 30,
      BisectBatchOnFunctionError: false,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(COUNTED_INSERT_FILTER_PATTERN) }] },
    });
  });

  it('sends failed batches to its own queue, encrypted with the stack key, and alarms on it and on the function', () => {
    // Assess
    const queues = template.findResources('AWS::SQS::Queue');
    const queueId = Stack.of(stack).getLogicalId(
      stack.channelCounters.deadLetterQueue.node.defaultChild as never,
    );
    const keyId = Stack.of(stack).getLogicalId(stack.encryption.key.node.defaultChild as never);
    expect(queues[queueId]?.Properties?.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('could not be counted after retries'),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Channel counters'),
    });
  });

  it('may only get and put items of the insights partitions', () => {
    // Prepare
    const roleId = Stack.of(stack).getLogicalId(
      stack.channelCounters.consumer.role.node.defaultChild as CfnRole,
    );
    const statements = Object.values(
      template.toJSON().Resources as Record<string, { Type: string; Properties?: Json }>,
    )
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => JSON.stringify(r.Properties?.Roles).includes(`"${roleId}"`))
      .flatMap(
        (r) =>
          ((r.Properties?.PolicyDocument as Json | undefined)?.Statement as
            | Array<{ Action: string | string[]; Condition?: Json }>
            | undefined) ?? [],
      );

    // Act
    const itemStatements = statements.filter((s) =>
      [s.Action].flat().some((a) => a === 'dynamodb:PutItem' || a === 'dynamodb:GetItem'),
    );

    // Assess
    expect(itemStatements).toHaveLength(1);
    expect([itemStatements[0]?.Action].flat().sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(itemStatements[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INSIGHTS#*'] },
    });
  });

  it('leaves cdk-nag with nothing unacknowledged', () => {
    // Assess
    for (const report of reports) {
      expect(report.violations, report.pluginName).toEqual([]);
      expect(report.conclusion).toBe('success');
    }
  });
});
