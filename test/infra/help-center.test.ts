import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../lib/config.ts';
import { exampleConfig, synthesizeSwitchboard } from './synth.ts';

const HELP = {
  baseUrl: 'https://help.shop.example',
  domainNames: ['help.shop.example'],
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
};

describe('help center infrastructure', () => {
  let template: Template;
  let assemblyDirectory: string;

  beforeAll(() => {
    // Prepare / Act: the example config with the help center on a custom domain
    ({ template, assemblyDirectory } = synthesizeSwitchboard({ config: { ...exampleConfig(), help: HELP } }));
  });

  it('serves a private bucket through CloudFront with origin access control, TLS 1.2+ and security headers', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['help.shop.example'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [
          Match.objectLike({ PathPattern: '/help/feedback', AllowedMethods: Match.arrayWith(['POST']) }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("script-src 'self'"),
          }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000 }),
          FrameOptions: Match.objectLike({ FrameOption: 'DENY' }),
        }),
      }),
    });
  });

  it('deploys the built site and routes POST /help/feedback to its own function', () => {
    // Assess
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /help/feedback' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('was this helpful'),
    });
  });

  it('gives the acknowledging functions the help center address', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('[Ii]nbound email|received email|SES'),
      Environment: { Variables: Match.objectLike({ HELP_BASE_URL: 'https://help.shop.example' }) },
    });
  });

  it('passes cdk-nag with the help center on', () => {
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

  it('synthesizes on the CloudFront domain alone (no custom domain), cdk-nag clean', () => {
    // Act
    const plain = synthesizeSwitchboard({
      config: { ...exampleConfig(), help: { baseUrl: 'https://d111111abcdef8.cloudfront.net' } },
    });

    // Assess
    const validation = JSON.parse(
      readFileSync(join(plain.assemblyDirectory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    expect(validation.pluginReports.find((p) => p.pluginName === 'AwsSolutions')?.violations).toEqual([]);
    plain.template.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });

  it('refuses a custom domain without its certificate, and a base URL with a path', () => {
    // Act
    const attempt = (help: unknown) => () => parseDeploymentConfig({ ...exampleConfig(), help });

    // Assess
    expect(attempt({ baseUrl: 'https://help.shop.example', domainNames: ['help.shop.example'] })).toThrow(
      /certificateArn/,
    );
    expect(attempt({ baseUrl: 'https://shop.example/help' })).toThrow(/without a path/);
  });
});
