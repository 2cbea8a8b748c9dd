import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_API_VERSION } from '../../functions/channels/meta/graph-api.ts';
import { parseDeploymentConfig } from '../../lib/config.ts';
import { exampleConfig, META_SECTION, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;

function onlyId(template: Template, type: string, properties: Json): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(properties) }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** Every statement of the identity policies attached to one role. */
function statementsOf(template: Template, roleId: string): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => (p as { Properties: Json }).Properties)
    .filter((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.PolicyDocument as { Statement: Json[] }).Statement);
}

function roleOf(template: Template, functionId: string): string {
  const fn = template.findResources('AWS::Lambda::Function')[functionId] as {
    Properties: { Role: { 'Fn::GetAtt': string[] } };
  };
  return fn.Properties.Role['Fn::GetAtt'][0] as string;
}

describe('social messaging infrastructure (Meta)', () => {
  let template: Template;
  let webhookId: string;
  let consumerId: string;
  let dispatcherId: string;
  let keyId: string;

  beforeAll(() => {
    // Prepare / Act
    ({ template } = synthesizeSwitchboard({ config: { meta: META_SECTION } }));
    webhookId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Meta webhook'),
    });
    consumerId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('WhatsApp, Messenger'),
    });
    dispatcherId = onlyId(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('outbound'),
    });
    keyId = onlyId(template, 'AWS::KMS::Key', {});
  });

  it('serves GET and POST /webhooks/meta from the webhook function on one HTTP API', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    for (const routeKey of ['GET /webhooks/meta', 'POST /webhooks/meta']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'NONE',
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [webhookId, 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
  });

  it('throttles the webhook routes and logs access as JSON without source IPs into an encrypted group', () => {
    // Assess
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: Json;
    };
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      RouteSettings: {
        'GET /webhooks/meta': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'POST /webhooks/meta': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      },
    });
    const accessLog = stage.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };
    expect(JSON.parse(accessLog.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
    expect(accessLog.Format).not.toContain('sourceIp');
  });

  it('keeps the three Meta credentials in Secrets Manager under the stack key', () => {
    // Assess
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')) as {
      Properties: Json;
    }[];
    const meta = secrets.filter((s) => String(s.Properties.Description).startsWith('Meta'));
    expect(meta).toHaveLength(3);
    for (const secret of meta) {
      expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });

  it('lets the webhook read only its two secrets and only send to the inbound queue', () => {
    // Assess
    const statements = statementsOf(template, roleOf(template, webhookId));
    const actions = new Set(statements.flatMap((s) => [s.Action].flat()));
    expect([...actions].sort()).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage',
    ]);
    const secretReads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    const secretArns = JSON.stringify(secretReads.map((s) => s.Resource));
    expect(secretArns).toMatch(/AppSecret/);
    expect(secretArns).toMatch(/VerifyToken/);
    expect(secretArns).not.toMatch(/AccessToken/);
    expect(JSON.stringify(statements)).not.toContain('dynamodb');
    const fn = template.findResources('AWS::Lambda::Function')[webhookId] as {
      Properties: { Environment: { Variables: Json } };
    };
    expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining(['META_APP_SECRET_ARN', 'META_VERIFY_TOKEN_ARN', 'META_INBOUND_QUEUE_URL']),
    );
    expect(fn.Properties.Environment.Variables.META_ACCESS_TOKEN_ARN).toBeUndefined();
  });

  it('feeds the consumer from an encrypted queue with a DLQ, reporting partial batch failures', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumerId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
      VisibilityTimeout: 360,
    });
  });

  it('gives the dispatcher the access token, the Graph API version and the WhatsApp phone number id', () => {
    // Assess
    const fn = template.findResources('AWS::Lambda::Function')[dispatcherId] as {
      Properties: { Environment: { Variables: Json } };
    };
    expect(fn.Properties.Environment.Variables).toMatchObject({
      META_ACCESS_TOKEN_ARN: { Ref: expect.stringMatching(/AccessToken/) },
      META_GRAPH_API_VERSION: GRAPH_API_VERSION,
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    });
    const statements = statementsOf(template, roleOf(template, dispatcherId));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: expect.stringMatching(/AccessToken/) },
      }),
    );
  });

  it('outputs the webhook URL to paste into the Meta app', () => {
    // Assess
    template.hasOutput('MetaWebhookUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/webhooks/meta')])] },
    });
  });

  it('creates none of it when meta is not configured, as in the email-only example', () => {
    // Act
    const { template: plain } = synthesizeSwitchboard();

    // Assess
    plain.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    plain.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('refuses a phone number where the phone number id belongs', () => {
    // Act / Assess
    expect(() =>
      parseDeploymentConfig({ ...exampleConfig(), meta: { whatsappPhoneNumberId: '+905321234567' } }),
    ).toThrow(/meta\.whatsappPhoneNumberId: use the numeric phone number id/);
  });
});
