import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_SCOPES } from '../../functions/adapters/http/agent-routes.ts';
import { type DeploymentConfigInput, parseDeploymentConfig } from '../../lib/config.ts';
import { INBOX_CONFIG_FILE } from '../../lib/constructs/inbox-hosting.ts';
import { parseInboxAppConfig } from '../../web/inbox/app-config.ts';
import { acknowledgementsIn, exampleConfig, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

const EXTERNAL_JWT = {
  issuer: 'https://login.shop.example/realms/support',
  audience: ['inbox-client'],
};
const EXTERNAL_SIGN_IN = {
  authorizeUrl: 'https://login.shop.example/realms/support/protocol/openid-connect/auth',
  tokenUrl: 'https://login.shop.example/realms/support/protocol/openid-connect/token',
  clientId: 'inbox-client',
};

/** The example config with the inbox (no chat: agents get the WebSocket API for live updates anyway). */
function withInbox(agents: DeploymentConfigInput['agents']): Partial<DeploymentConfigInput> {
  return { ...exampleConfig(), agents };
}

/** The one resource of `type`, with its logical id. */
function only(template: Template, type: string): { id: string; properties: Json } {
  const entries = Object.entries(template.findResources(type));
  expect(entries, type).toHaveLength(1);
  const [id, resource] = entries[0] as [string, { Properties: Json }];
  return { id, properties: resource.Properties };
}

function logicalIdOf(template: Template, type: string, pattern: RegExp): string {
  const id = Object.keys(template.findResources(type)).find((key) => pattern.test(key));
  if (!id) throw new Error(`no ${type} like ${pattern}`);
  return id;
}

/** The deployment that writes index.html and config.json (the other one writes the hashed assets). */
function pagesDeployment(template: Template): Json {
  const pages = Object.values(template.findResources('Custom::CDKBucketDeployment'))
    .map((resource) => (resource as { Properties: Json }).Properties)
    .filter(
      (properties) => JSON.stringify(properties.Include) === JSON.stringify(['index.html', 'config.json']),
    );
  expect(pages).toHaveLength(1);
  return pages[0] as Json;
}

/**
 * The `config.json` the BucketDeployment writes, as CloudFormation will resolve it: the staged
 * file with each deploy-time marker replaced by the (JSON-encoded) intrinsic it stands for.
 */
function deployedAppConfig(template: Template, assemblyDirectory: string): Json {
  const deployment = pagesDeployment(template) as {
    SourceObjectKeys: string[];
    SourceMarkers: Record<string, unknown>[];
  };
  const index = deployment.SourceMarkers.findIndex((markers) => Object.keys(markers).length > 0);
  const key = deployment.SourceObjectKeys[index] as string;
  let text = readFileSync(
    join(assemblyDirectory, `asset.${key.replace(/\.zip$/, '')}`, INBOX_CONFIG_FILE),
    'utf8',
  );
  for (const [marker, value] of Object.entries(deployment.SourceMarkers[index] ?? {})) {
    text = text.split(marker).join(`\${${JSON.stringify(value).replace(/"/g, "'")}}`);
  }
  return JSON.parse(text) as Json;
}

describe('inbox infrastructure with the stack-created user pool', () => {
  let template: Template;
  let assemblyDirectory: string;
  let app: ReturnType<typeof synthesizeSwitchboard>['app'];

  beforeAll(() => {
    // Prepare / Act
    ({ template, assemblyDirectory, app } = synthesizeSwitchboard({ config: withInbox({ inbox: {} }) }));
  });

  it('keeps the site bucket private, versioned, encrypted and logged, readable only through origin access control', () => {
    // Assess
    const siteId = logicalIdOf(template, 'AWS::S3::Bucket', /^InboxSite/);
    const site = template.findResources('AWS::S3::Bucket')[siteId] as { Properties: Json };
    expect(site.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { LogFilePrefix: 'inbox-site/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteId },
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
          }),
        ]),
      }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  it('serves over HTTPS with logs and sends every app path to index.html', () => {
    // Assess
    const distribution = only(template, 'AWS::CloudFront::Distribution').properties;
    expect(distribution.DistributionConfig).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        FunctionAssociations: [{ EventType: 'viewer-request' }],
      },
      Logging: { Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^InboxCdnLogs/), 'RegionalDomainName'] } },
    });
    const code = only(template, 'AWS::CloudFront::Function').properties.FunctionCode as string;
    expect(code).toContain("r.uri='/index.html'");
  });

  it('sends security headers whose content security policy names exactly the agent API, the WebSocket API and the sign-in', () => {
    // Assess
    const policy = only(template, 'AWS::CloudFront::ResponseHeadersPolicy').properties as {
      ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Json };
    };
    const headers = policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
    });
    const csp = JSON.stringify((headers.ContentSecurityPolicy as Json).ContentSecurityPolicy);
    const httpApiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', /^HttpApi/);
    const webSocketApiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', /^WebSocket/);
    expect(csp).toContain("connect-src 'self' ");
    expect(csp).toContain(
      `{"Fn::GetAtt":["${httpApiId}","ApiEndpoint"]}," wss://",{"Ref":"${webSocketApiId}"}`,
    );
    expect(csp).toContain('https://switchboard-');
    expect(csp).toContain('.amazoncognito.com');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('lets browsers keep the hashed assets for good and revalidate the page and config.json', () => {
    // Assess
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')).map(
      (resource) => (resource as { Properties: Json }).Properties,
    );
    expect(deployments).toHaveLength(2);
    const assets = deployments.find((d) => d !== pagesDeployment(template));
    expect(assets).toMatchObject({
      Exclude: ['index.html', 'config.json'],
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(pagesDeployment(template)).toMatchObject({
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/index.html', '/config.json'],
    });
  });

  it('writes config.json with the API, the WebSocket URL and the hosted sign-in of the pool', () => {
    // Act
    const config = deployedAppConfig(template, assemblyDirectory);

    // Assess
    const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient', /InboxClient/);
    const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', /^Inbox/);
    expect(config).toMatchObject({
      apiBaseUrl: expect.stringContaining("'ApiEndpoint'"),
      webSocketUrl: expect.stringMatching(/^wss:\/\/.*WebSocket.*\/live$/),
      defaultLanguage: 'en',
      signIn: {
        kind: 'oauth',
        authorizeUrl: expect.stringMatching(
          /^https:\/\/switchboard-.*\.amazoncognito\.com\/oauth2\/authorize$/,
        ),
        tokenUrl: expect.stringMatching(/\.amazoncognito\.com\/oauth2\/token$/),
        logoutUrl: expect.stringMatching(/\.amazoncognito\.com\/logout$/),
        redirectUri: `https://\${{'Fn::GetAtt':['${distributionId}','DomainName']}}/`,
        clientId: `\${{'Ref':'${clientId}'}}`,
        scopes: ['openid', 'email', ...AGENT_SCOPES],
      },
    });
    // The shape the app reads, once CloudFormation has put in the values.
    const resolved = JSON.parse(
      JSON.stringify(config)
        .replace(/"\$\{[^}]*\}\}"/g, '"https://api.resolved.example"')
        .replace(/\$\{[^}]*\}\}/g, 'resolved'),
    ) as Json;
    expect(() => parseInboxAppConfig(resolved)).not.toThrow();
  });

  it('creates a user pool nobody can sign up to, with optional TOTP, a strong password policy and threat protection', () => {
    // Assess
    const pool = only(template, 'AWS::Cognito::UserPool');
    expect(pool.properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0' } },
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['switchboard-', { Ref: 'AWS::AccountId' }]] },
    });
  });

  it('offers the agent API scopes on a resource server and a public PKCE client that returns only to the inbox', () => {
    // Assess
    const server = only(template, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.properties).toMatchObject({
      Identifier: 'switchboard',
      Scopes: AGENT_SCOPES.map((scope) => expect.objectContaining({ ScopeName: scope.split('/')[1] })),
    });
    const client = only(template, 'AWS::Cognito::UserPoolClient').properties;
    const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', /^Inbox/);
    const inboxHome = {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']],
    };
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [inboxHome],
      LogoutURLs: [inboxHome],
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(client.AllowedOAuthScopes).toEqual([
      'openid',
      'email',
      ...AGENT_SCOPES.map((scope) => ({
        'Fn::Join': ['', [{ Ref: server.id }, `/${scope.split('/')[1]}`]],
      })),
    ]);
  });

  it("points the agent API's JWT authorizer and the WebSocket agent authorizer at the pool and lets browsers call it", () => {
    // Assess
    const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool', /UserPool/);
    const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient', /InboxClient/);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] }, Audience: [{ Ref: clientId }] },
    });
    // The WebSocket API's $connect authorizer checks agents' tokens against the same pool.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AGENT_JWT_ISSUER: { 'Fn::GetAtt': [poolId, 'ProviderURL'] },
          AGENT_JWT_AUDIENCE: { Ref: clientId },
        }),
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /conversations',
      AuthorizationType: 'JWT',
      AuthorizationScopes: ['switchboard/agent.read'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['*'],
        AllowCredentials: false,
        AllowHeaders: Match.arrayWith(['authorization', 'idempotency-key']),
      }),
    });
  });

  it('tells the operator where the inbox is and how to invite agents', () => {
    // Assess
    const outputs = template.toJSON().Outputs as Record<string, { Description?: string }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['InboxUrl', 'AgentUserPoolId', 'AgentSignInUrl']),
    );
    expect(outputs.AgentUserPoolId?.Description).toContain('admin-create-user');
    expect(outputs.AgentUserPoolId?.Description).toContain('--group-name admins');
  });

  it('passes cdk-nag with the inbox and its user pool on', () => {
    // Prepare
    const validation = JSON.parse(
      readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: {
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations?: { acknowledgedAt: string; acknowledgedId: string }[];
      }[];
    };

    // Assess
    expect(validation.pluginReports.length).toBeGreaterThan(0);
    for (const report of validation.pluginReports) {
      expect(report.violations, report.pluginName).toEqual([]);
      expect(report.conclusion, report.pluginName).toBe('success');
    }
    // Every acknowledgement of the inbox and the sign-in covers a finding cdk-nag really reports.
    const used = new Set(
      validation.pluginReports.flatMap((report) =>
        (report.suppressedViolations ?? []).map((v) => `${v.acknowledgedAt} ${v.acknowledgedId}`),
      ),
    );
    const ours = acknowledgementsIn(app).filter((a) => /\/(Inbox|AgentSignIn)\//.test(a.path));
    expect(ours.length).toBeGreaterThan(0);
    for (const acknowledgement of ours) {
      expect(acknowledgement.reason.length, acknowledgement.id).toBeGreaterThan(40);
      expect(used, acknowledgement.id).toContain(`${acknowledgement.path} ${acknowledgement.id}`);
    }
  });
});

describe('inbox infrastructure on a custom domain with MFA required', () => {
  let template: Template;
  let assemblyDirectory: string;

  beforeAll(() => {
    // Prepare / Act
    ({ template, assemblyDirectory } = synthesizeSwitchboard({
      config: withInbox({
        inbox: {
          domainName: 'inbox.shop.example',
          certificateArn: CERTIFICATE,
          defaultLanguage: 'tr',
          userPool: { domainPrefix: 'shop-agents', mfa: 'required', threatProtection: 'off' },
        },
      }),
    }));
  });

  it('enforces TLS 1.2 on the custom domain and allows only that origin', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['inbox.shop.example'],
        ViewerCertificate: Match.objectLike({
          AcmCertificateArn: CERTIFICATE,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://inbox.shop.example'] }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://inbox.shop.example/'],
    });
  });

  it('names the distribution to point the custom domain at, with literal descriptions only', () => {
    // Assess
    const outputs = template.toJSON().Outputs as Record<string, { Description?: unknown }>;
    expect(outputs.InboxDistributionDomainName?.Description).toContain('inbox.shop.example');
    for (const [name, output] of Object.entries(outputs)) {
      // CloudFormation refuses an output whose description is not a plain string.
      expect(typeof (output.Description ?? ''), name).toBe('string');
    }
  });

  it('requires MFA, uses the configured prefix and the Essentials plan without threat protection', () => {
    // Assess
    const pool = only(template, 'AWS::Cognito::UserPool').properties;
    expect(pool).toMatchObject({ MfaConfiguration: 'ON', UserPoolTier: 'ESSENTIALS' });
    expect(pool.UserPoolAddOns).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'shop-agents' });
  });

  it('writes the configured language and the custom address into config.json', () => {
    // Act
    const config = deployedAppConfig(template, assemblyDirectory);

    // Assess
    expect(config).toMatchObject({
      defaultLanguage: 'tr',
      signIn: {
        redirectUri: 'https://inbox.shop.example/',
        authorizeUrl: expect.stringMatching(/^https:\/\/shop-agents\.auth\..*\/oauth2\/authorize$/),
      },
    });
  });

  it('passes cdk-nag: nothing to acknowledge for MFA or the TLS floor', () => {
    // Prepare
    const validation = JSON.parse(
      readFileSync(join(assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: {
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations?: { ruleName: string; acknowledgedId: string }[];
      }[];
    };

    // Assess
    for (const report of validation.pluginReports) {
      expect(report.violations, report.pluginName).toEqual([]);
      const acknowledged = (report.suppressedViolations ?? []).map((v) => v.acknowledgedId);
      expect(acknowledged).not.toContain('AwsSolutions::AwsSolutions-COG2');
      expect(acknowledged).not.toContain('AwsSolutions::AwsSolutions-CFR4');
    }
  });
});

describe('inbox infrastructure with an external JWT issuer', () => {
  let template: Template;
  let assemblyDirectory: string;

  beforeAll(() => {
    // Prepare / Act
    ({ template, assemblyDirectory } = synthesizeSwitchboard({
      config: withInbox({ jwt: EXTERNAL_JWT, inbox: { externalSignIn: EXTERNAL_SIGN_IN } }),
    }));
  });

  it('creates no user pool and keeps the configured issuer on the agent API', () => {
    // Assess
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: EXTERNAL_JWT.issuer, Audience: EXTERNAL_JWT.audience },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AGENT_JWT_ISSUER: EXTERNAL_JWT.issuer,
          AGENT_JWT_AUDIENCE: 'inbox-client',
        }),
      },
    });
  });

  it('signs agents in at the external issuer and lets the page reach its token endpoint', () => {
    // Act
    const config = deployedAppConfig(template, assemblyDirectory);

    // Assess
    expect(config.signIn).toMatchObject({
      kind: 'oauth',
      authorizeUrl: EXTERNAL_SIGN_IN.authorizeUrl,
      tokenUrl: EXTERNAL_SIGN_IN.tokenUrl,
      clientId: 'inbox-client',
      scopes: ['openid', ...AGENT_SCOPES],
    });
    const csp = JSON.stringify(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(csp).toContain('https://login.shop.example');
    expect(csp).not.toContain('amazoncognito');
  });
});

describe('a deployment without agents.inbox', () => {
  it('has no inbox distribution and no user pool', () => {
    // Prepare / Act
    const { template } = synthesizeSwitchboard({ config: { ...exampleConfig(), agents: {}, chat: {} } });

    // Assess
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    expect(JSON.stringify(template.findResources('AWS::ApiGatewayV2::Api'))).not.toContain(
      'CorsConfiguration',
    );
  });
});

describe('agents.inbox config', () => {
  const base = exampleConfig();
  const problems = (agents: unknown): string => {
    try {
      parseDeploymentConfig({ ...base, agents });
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the config was accepted');
  };

  it('fills in the user pool defaults', () => {
    // Act
    const config = parseDeploymentConfig({ ...base, agents: { inbox: { userPool: {} } } });

    // Assess
    expect(config.agents?.inbox?.userPool).toEqual({ mfa: 'optional', threatProtection: 'enforced' });
  });

  it.each([
    [
      'a domain without its certificate',
      { inbox: { domainName: 'inbox.shop.example' } },
      'switchboard.agents.inbox.certificateArn: domainName and certificateArn go together',
    ],
    [
      'a certificate outside us-east-1',
      {
        inbox: {
          domainName: 'inbox.shop.example',
          certificateArn: CERTIFICATE.replace('us-east-1', 'eu-central-1'),
        },
      },
      'switchboard.agents.inbox.certificateArn: use the ARN of an ACM certificate in us-east-1',
    ],
    [
      'an unknown MFA mode',
      { inbox: { userPool: { mfa: 'sometimes' } } },
      'switchboard.agents.inbox.userPool.mfa: must be one of "optional", "required", "off"',
    ],
    [
      'a prefix Cognito refuses',
      { inbox: { userPool: { domainPrefix: 'my-cognito' } } },
      'switchboard.agents.inbox.userPool.domainPrefix: must not contain "aws", "amazon" or "cognito"',
    ],
    [
      'an external issuer without its sign-in',
      { jwt: EXTERNAL_JWT, inbox: {} },
      'switchboard.agents.inbox.externalSignIn: is required because agents.jwt names an external issuer',
    ],
    [
      'an external sign-in without the issuer',
      { inbox: { externalSignIn: EXTERNAL_SIGN_IN } },
      'switchboard.agents.inbox.externalSignIn: is only for an external issuer named in agents.jwt',
    ],
    [
      'user pool settings with an external issuer',
      { jwt: EXTERNAL_JWT, inbox: { externalSignIn: EXTERNAL_SIGN_IN, userPool: {} } },
      'switchboard.agents.inbox.userPool: configures the Cognito user pool, which is not created',
    ],
    [
      'a client the authorizer would refuse',
      { jwt: EXTERNAL_JWT, inbox: { externalSignIn: { ...EXTERNAL_SIGN_IN, clientId: 'other' } } },
      'switchboard.agents.inbox.externalSignIn.clientId: must be one of agents.jwt.audience',
    ],
    [
      'a misspelt setting',
      { inbox: { domainNames: ['inbox.shop.example'] } },
      'switchboard.agents.inbox.domainNames: "domainNames" is not a setting here: did you mean domainName?',
    ],
  ])('refuses %s with a sentence naming the setting', (_case, agents, expected) => {
    // Act / Assess
    expect(problems(agents)).toContain(expected);
  });
});
