import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_SCOPE,
  AGENT_CHANNELS_VARIABLE,
  AGENT_READ_SCOPE,
  AGENT_REPLIES_ONLY_BY_ASSIGNEE_VARIABLE,
  AGENT_ROUTES,
  AGENT_WRITE_SCOPE,
  routeKey,
} from '../../functions/adapters/http/agent-routes.ts';
import { parseDeploymentConfig } from '../../lib/config.ts';
import { exampleConfig, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;
type Statement = { Action: string | string[]; Resource: unknown };

const ROUTE_KEYS = AGENT_ROUTES.map(routeKey);

const JWT = {
  issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Example1',
  audience: ['agentapp-client-id'],
};

function agentFunctionId(template: Template): string {
  const ids = Object.keys(
    template.findResources('AWS::Lambda::Function', {
      Properties: Match.objectLike({ Description: Match.stringLikeRegexp('^The agent API') }),
    }),
  );
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

function statementsOfFunction(template: Template, functionId: string): Statement[] {
  const fn = template.findResources('AWS::Lambda::Function')[functionId] as {
    Properties: { Role: { 'Fn::GetAtt': string[] } };
  };
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => (p as { Properties: Json }).Properties)
    .filter((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('agent API infrastructure with a JWT issuer', () => {
  let template: Template;
  let assemblyDirectory: string;

  beforeAll(() => {
    // Prepare / Act
    ({ template, assemblyDirectory } = synthesizeSwitchboard({
      config: { ...exampleConfig(), agents: { jwt: JWT } },
    }));
  });

  it('routes every agent route to one function behind the JWT authorizer', () => {
    // Assess
    // The HTTP API; agents' live updates share the WebSocket API with the chat.
    expect(
      Object.keys(template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } })),
    ).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: JWT.issuer, Audience: JWT.audience },
    });
    for (const routeKey of ROUTE_KEYS) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'JWT',
        AuthorizerId: Match.anyValue(),
      });
    }
  });

  it('requires the scope of each route by default: read for reading, write for replies, assignments and closes', () => {
    // Assess
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties as { RouteKey: string; AuthorizationScopes?: string[] },
    );
    const scopes = Object.fromEntries(
      routes
        .filter((r) => ROUTE_KEYS.includes(r.RouteKey as never))
        .map((r) => [r.RouteKey, r.AuthorizationScopes]),
    );
    expect(scopes).toEqual(Object.fromEntries(AGENT_ROUTES.map((route) => [routeKey(route), [route.scope]])));
    // The rule the table keeps: reading (and the caller's own read state) needs read, merges and
    // changes to the shared canned responses need admin, every other change needs write.
    for (const route of AGENT_ROUTES) {
      const expected =
        route.method === 'GET' || route.path.endsWith('/read')
          ? AGENT_READ_SCOPE
          : route.path.endsWith('/merge') || route.path.startsWith('/canned-responses')
            ? ADMIN_SCOPE
            : AGENT_WRITE_SCOPE;
      expect(route.scope, routeKey(route)).toBe(expected);
    }
    expect(AGENT_READ_SCOPE).toBe('switchboard/agent.read');
    expect(AGENT_WRITE_SCOPE).toBe('switchboard/agent.write');
  });

  it('lets the function read the table, put and update items (never delete), and send to the outbound queue', () => {
    // Prepare
    const statements = statementsOfFunction(template, agentFunctionId(template));
    const all = statements.flatMap(actionsOf);

    // Assess: merges append consent history and order links; nothing is deleted.
    expect([...new Set(all.filter((a) => a.startsWith('dynamodb:')))].sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    expect(all.filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
    expect(all.some((a) => a.startsWith('ses:') || a.startsWith('scheduler:'))).toBe(false);
  });

  it('signs agent uploads into the agent folder of the mail bucket only, reads the long bodies folder, and lets the dispatcher read the agent folder only', () => {
    // Prepare
    const agentStatements = statementsOfFunction(template, agentFunctionId(template));
    const [dispatcherId] = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: Match.objectLike({
          Description: Match.stringLikeRegexp('^Sends queued outbound messages'),
        }),
      }),
    );
    const s3Of = (statements: Statement[]) =>
      statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));

    // Assess
    const agentS3 = s3Of(agentStatements);
    const agentWrites = agentS3.filter((s) => actionsOf(s).includes('s3:PutObject'));
    const agentReadsOnly = agentS3.filter((s) => !actionsOf(s).includes('s3:PutObject'));
    expect(agentWrites.flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(agentWrites.map((s) => s.Resource))).toContain('/attachments/agent/*');
    expect(agentReadsOnly.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(agentReadsOnly.map((s) => s.Resource))).toContain('/attachments/message-bodies/*');
    expect(JSON.stringify(agentS3.map((s) => s.Resource))).not.toContain('/attachments/*');
    const dispatcherS3 = s3Of(statementsOfFunction(template, dispatcherId ?? ''));
    expect(dispatcherS3.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(dispatcherS3.map((s) => s.Resource))).toContain('/attachments/agent/*');
  });

  it('tells the function which channels the stack sends on', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^The agent API'),
      Environment: {
        Variables: Match.objectLike({ [AGENT_CHANNELS_VARIABLE]: Match.stringLikeRegexp('^email') }),
      },
    });
  });

  it('indexes conversations by assignee', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byAssignee',
          KeySchema: [
            { AttributeName: 'gsi3pk', KeyType: 'HASH' },
            { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
          ],
        }),
      ]),
    });
  });

  it('passes cdk-nag (AwsSolutions and Serverless) with the agent routes authorized', () => {
    // Prepare
    const validation = JSON.parse(
      readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };

    // Assess
    for (const pack of ['AwsSolutions', 'Serverless']) {
      const report = validation.pluginReports.find((p) => p.pluginName === pack);
      expect(report?.violations, pack).toEqual([]);
      expect(report?.conclusion, pack).toBe('success');
    }
  });
});

describe('agent API infrastructure without a JWT issuer', () => {
  it('protects the routes with IAM auth, cdk-nag clean', () => {
    // Act
    const { template, assemblyDirectory } = synthesizeSwitchboard({
      config: { ...exampleConfig(), agents: {} },
    });

    // Assess
    const validation = JSON.parse(
      readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    for (const report of validation.pluginReports) expect(report.violations, report.pluginName).toEqual([]);
    // No JWT authorizer (the WebSocket API's request authorizer is the live updates' own).
    expect(
      Object.keys(
        template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { AuthorizerType: 'JWT' } }),
      ),
    ).toHaveLength(0);
    for (const routeKey of ROUTE_KEYS) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'AWS_IAM',
      });
    }
  });

  it('drops the scope requirement only when asked, and restricts replies to the assignee when asked', () => {
    // Act
    const { template } = synthesizeSwitchboard({
      config: {
        ...exampleConfig(),
        agents: { jwt: { ...JWT, requireScopes: false }, repliesOnlyByAssignee: true },
      },
    });

    // Assess
    for (const route of Object.values(template.findResources('AWS::ApiGatewayV2::Route'))) {
      expect((route.Properties as { AuthorizationScopes?: unknown }).AuthorizationScopes).toBeUndefined();
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^The agent API'),
      Environment: { Variables: Match.objectLike({ [AGENT_REPLIES_ONLY_BY_ASSIGNEE_VARIABLE]: 'true' }) },
    });
  });

  it('refuses the old all-routes scopes list with a pointer to the per-route scopes', () => {
    // Act / Assess
    expect(() =>
      parseDeploymentConfig({
        ...exampleConfig(),
        agents: { jwt: { ...JWT, scopes: ['switchboard/agent'] } },
      }),
    ).toThrow(/switchboard\.agents\.jwt\.scopes: "scopes" is not a setting here/);
  });

  it('refuses an issuer that is not an https URL', () => {
    // Act / Assess
    expect(() =>
      parseDeploymentConfig({
        ...exampleConfig(),
        agents: { jwt: { issuer: 'http://idp.example', audience: ['x'] } },
      }),
    ).toThrow(/agents\.jwt\.issuer: must be an https:\/\/ URL/);
  });
});
