import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleConfig, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;

interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: 'success' | 'failure';
  readonly violations: readonly { readonly ruleName: string; readonly resourceLogicalId?: string }[];
}

function onlyId(template: Template, type: string, properties: Json): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(properties) }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

function statementsOf(template: Template, functionId: string): Json[] {
  const fn = template.findResources('AWS::Lambda::Function')[functionId] as {
    Properties: { Role: { 'Fn::GetAtt': string[] } };
  };
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => (p as { Properties: Json }).Properties)
    .filter((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.PolicyDocument as { Statement: Json[] }).Statement);
}

describe('live chat infrastructure (WebSocket API)', () => {
  let template: Template;
  let reports: PluginReport[];

  beforeAll(() => {
    // Prepare / Act
    const synthesized = synthesizeSwitchboard({
      config: {
        chat: { throttle: { rateLimit: 30, burstLimit: 60 }, allowedOrigins: ['https://shop.example'] },
        agents: {},
      },
    });
    template = synthesized.template;
    reports = (
      JSON.parse(readFileSync(join(synthesized.assemblyDirectory, 'validation-report.json'), 'utf8')) as {
        pluginReports: PluginReport[];
      }
    ).pluginReports;
  });

  it('routes frames by their action, with a Lambda REQUEST authorizer on $connect only', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      // Visitors and agents send different query parameters: only a header every handshake has.
      IdentitySource: ['route.request.header.Sec-WebSocket-Key'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
    });
    for (const routeKey of [
      '$disconnect',
      '$default',
      'send',
      'upload',
      'typing',
      'resync',
      'read',
      'link-email',
      'suggest',
      'agent.ping',
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
    }
  });

  it('throttles the stage and writes access logs to an encrypted log group', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'live',
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: 30,
        ThrottlingBurstLimit: 60,
        DataTraceEnabled: false,
      }),
      AccessLogSettings: Match.objectLike({ Format: Match.stringLikeRegexp('connectionId') }),
    });
  });

  it('lets the dispatcher and the routes post to connections, and the authorizer read the identity secret', () => {
    // Prepare
    const dispatcherId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('outbound'),
    });
    const authorizerId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Authorizes WebSocket connects'),
    });
    const routesId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Chat WebSocket routes'),
    });
    const actions = (id: string) => statementsOf(template, id).flatMap((s) => [s.Action].flat() as string[]);

    // Assess
    expect(actions(dispatcherId)).toContain('execute-api:ManageConnections');
    expect(actions(routesId)).toContain('execute-api:ManageConnections');
    const agentApiId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('The agent API'),
    });
    expect(actions(agentApiId)).toContain('execute-api:ManageConnections');
    expect(actions(authorizerId)).toContain('secretsmanager:GetSecretValue');
    expect(actions(routesId)).not.toContain('dynamodb:Scan');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('outbound'),
      Environment: { Variables: Match.objectLike({ CHAT_CONNECTIONS_ENDPOINT: Match.anyValue() }) },
    });
  });

  it('lets the routes sign and check uploads in the chat folder only, and the shop POST them (CORS)', () => {
    // Prepare
    const routesId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Chat WebSocket routes'),
    });
    const s3Statements = statementsOf(template, routesId).filter((s) =>
      ([s.Action].flat() as string[]).some((a) => a.startsWith('s3:')),
    );

    // Assess
    expect(s3Statements).toHaveLength(1);
    expect([s3Statements[0]?.Action].flat().sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(s3Statements[0]?.Resource)).toContain('/attachments/chat/*');
    const keyActions = statementsOf(template, routesId)
      .filter((s) => JSON.stringify(s.Action).includes('kms:GenerateDataKey'))
      .flatMap((s) => [s.Action].flat());
    expect(keyActions).toContain('kms:GenerateDataKey');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['POST'], AllowedOrigins: ['https://shop.example'] })],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Chat WebSocket routes'),
      Environment: {
        Variables: Match.objectLike({
          MAIL_BUCKET: Match.anyValue(),
          SUPPORT_CONFIG: Match.stringLikeRegexp('"attachments":\\{"contentTypes"'),
        }),
      },
    });
  });

  it('serves the email confirmation link on the HTTP API', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /chat/confirm' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Confirms the email a chat visitor left'),
      Environment: { Variables: Match.objectLike({ CHAT_IDENTITY_SECRET_ARN: Match.anyValue() }) },
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

describe('live chat with the help center and generated answers', () => {
  const ASSISTANT = { modelId: 'amazon.nova-lite-v1:0', guardrailId: 'a1b2c3d4e5f6', guardrailVersion: '2' };

  it('gives the chat routes the help site and the same Bedrock grant as email', () => {
    // Prepare
    const example = exampleConfig();
    const { template, assemblyDirectory } = synthesizeSwitchboard({
      config: {
        ...example,
        support: { ...example.support, assistant: ASSISTANT },
        help: { baseUrl: 'https://help.shop.example' },
        chat: {},
      },
    });
    const routesId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Chat WebSocket routes'),
    });
    const emailId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('[Ii]nbound email|received email|SES'),
    });
    const bedrock = (id: string) =>
      statementsOf(template, id)
        .filter((s) => [s.Action].flat().some((a) => String(a).startsWith('bedrock:')))
        .map((s) => ({ action: s.Action, resource: s.Resource }));

    // Act
    const routes = template.findResources('AWS::Lambda::Function')[routesId] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };

    // Assess
    expect(routes.Properties.Environment.Variables.HELP_BASE_URL).toBe('https://help.shop.example');
    expect(
      bedrock(routesId)
        .map((s) => s.action)
        .sort(),
    ).toEqual(['bedrock:ApplyGuardrail', 'bedrock:InvokeModel']);
    expect(bedrock(routesId)).toEqual(bedrock(emailId));
    const nag = (
      JSON.parse(readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8')) as {
        pluginReports: PluginReport[];
      }
    ).pluginReports;
    for (const report of nag) expect(report.violations, report.pluginName).toEqual([]);
  });
});
