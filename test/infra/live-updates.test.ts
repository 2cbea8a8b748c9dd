import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeSwitchboard } from './synth.ts';

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: 'success' | 'failure';
  readonly violations: readonly unknown[];
}

const ISSUER = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Abc123';

describe("agents' live updates without chat (agent API only)", () => {
  let template: Template;
  let reports: PluginReport[];

  beforeAll(() => {
    // Prepare / Act
    const synthesized = synthesizeSwitchboard({
      config: { agents: { jwt: { issuer: ISSUER, audience: ['inbox-client', 'cli-client'] } } },
    });
    template = synthesized.template;
    reports = (
      JSON.parse(readFileSync(join(synthesized.assemblyDirectory, 'validation-report.json'), 'utf8')) as {
        pluginReports: PluginReport[];
      }
    ).pluginReports;
  });

  it('streams the table with the items before and after each write', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('deploys the WebSocket API with the agent route and an authorizer that knows the issuer', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'agent.ping' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Authorizes WebSocket connects'),
      Environment: {
        Variables: Match.objectLike({
          AGENT_JWT_ISSUER: ISSUER,
          AGENT_JWT_AUDIENCE: 'inbox-client,cli-client',
        }),
      },
    });
    // No chat: no visitor routes, and the authorizer has no identity secret to admit visitors with.
    expect(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: 'send' } })).toEqual(
      {},
    );
    expect(JSON.stringify(template.findResources('AWS::Lambda::Function'))).not.toContain(
      'CHAT_IDENTITY_SECRET_ARN',
    );
  });

  it('consumes the stream filtered to conversation items, bisecting, with partial failures and an on-failure queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [{ Pattern: Match.stringLikeRegexp('CONVERSATION#') }],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp("Tells agents' open inboxes"),
      Environment: {
        Variables: Match.objectLike({
          AGENT_SOCKETS_ENABLED: 'true',
          CHAT_CONNECTIONS_ENDPOINT: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp("Agents' live-update notices"),
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
