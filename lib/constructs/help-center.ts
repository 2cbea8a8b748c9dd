import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import { buildHelpCenter, FEEDBACK_PATH, writeHelpCenter } from '../../web/help/build/site.ts';
import { acknowledgeBucketDeploymentCopier, acknowledgeFinding } from '../nag.ts';
import { DEFAULT_THROTTLES, type Throttle } from '../throttle.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { SupportHttpApi } from './http-api.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export interface HelpCenterProps {
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  readonly httpApi: SupportHttpApi;
  /** Where customers reach the help center (`https://help.shop.example`): links, hreflang, sitemap. */
  readonly baseUrl: string;
  /** Custom host names of the distribution; they need `certificateArn`. @default the CloudFront domain only */
  readonly domainNames?: readonly string[];
  /** An ACM certificate in us-east-1 covering `domainNames`. */
  readonly certificateArn?: string;
  /** @default DEFAULT_THROTTLES.helpFeedback */
  readonly feedbackThrottle?: Throttle;
  /** @default RemovalPolicy.DESTROY (the site is rebuilt from the articles on every deploy) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The help center: the static site built from web/help/articles at synth time, in a private S3
 * bucket behind CloudFront (origin access control, TLS 1.2+, security headers), and
 * `POST /help/feedback` on the HTTP API, reached through the same distribution so the pages post
 * to their own origin.
 */
export class HelpCenter extends Construct implements Monitored {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly feedbackFunction: SupportFunction;
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: HelpCenterProps) {
    super(scope, id);
    this.baseUrl = props.baseUrl.replace(/\/+$/, '');

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      autoDeleteObjects: (props.removalPolicy ?? RemovalPolicy.DESTROY) === RemovalPolicy.DESTROY,
    });
    acknowledgeFinding(
      this.bucket,
      'AwsSolutions-S1',
      'The bucket holds only the public help-center pages, rebuilt from the articles on every deploy; CloudFront is the only reader (origin access control) and its own logs would show the traffic.',
    );

    this.feedbackFunction = new SupportFunction(this, 'Feedback', {
      ...props.functionDefaults,
      entry: handlerEntry('help-feedback'),
      description: 'Stores "was this helpful?" from help-center pages, throttled per client',
      memorySize: 256,
      timeout: Duration.seconds(10),
    })
      .bindConversationStore(props.store, 'readWrite', 'helpFeedback')
      .bindSupportConfig(props.support);
    props.httpApi.addPublicRoute('HelpFeedback', {
      path: FEEDBACK_PATH,
      methods: [HttpMethod.POST],
      handler: this.feedbackFunction.lambdaFunction,
      throttle: props.feedbackThrottle ?? DEFAULT_THROTTLES.helpFeedback,
      authenticatedBy:
        'anyone reading the help center may say whether an article helped; the body is validated against the published articles, each client gets a few requests a minute (a counter item in the table) and the route is throttled.',
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'switchboard help center: security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy:
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    // "/en/order-tracking" is the object "en/order-tracking.html", "/en/" is "en/index.html"
    // (the same mapping the sandbox serves, web/help/build/site.ts sitePathFor).
    const rewrite = new CloudFrontFunction(this, 'PagePaths', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'help center: article paths to their .html objects',
      code: FunctionCode.fromInline(
        "function handler(event){var r=event.request;var u=r.uri;if(u.endsWith('/')){r.uri=u+'index.html';}else if(!/\\.[a-z0-9]+$/i.test(u.split('/').pop())){r.uri=u+'.html';}return r;}",
      ),
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.api.apiEndpoint));
    const certificate = props.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'switchboard help center',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // TLS 1.2+ for viewers; on the default *.cloudfront.net certificate CloudFront sets the floor.
      ...(certificate && props.domainNames
        ? {
            certificate,
            domainNames: [...props.domainNames],
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [FEEDBACK_PATH]: {
          origin: new HttpOrigin(apiDomain),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // The viewer's address reaches the function (CloudFront-Viewer-Address) for the throttle.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    acknowledgeFinding(
      this.distribution,
      'AwsSolutions-CFR1',
      'A help center is for every customer wherever they are; there is no country to restrict.',
    );
    acknowledgeFinding(
      this.distribution,
      'AwsSolutions-CFR2',
      'Static public pages and one throttled, validated feedback route; a web ACL costs more than the traffic it would filter. Add one in front if the shop runs WAF already.',
    );
    acknowledgeFinding(
      this.distribution,
      'AwsSolutions-CFR3',
      'Access logs would need a log bucket with ACLs for the public help pages; the feedback route is logged by the HTTP API access log.',
    );
    if (!certificate) {
      acknowledgeFinding(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS floor CloudFront sets; with `help.certificateArn` the viewer policy is TLSv1.2_2021.',
      );
    }
    acknowledgeFinding(
      this.distribution,
      'AwsSolutions-CFR5',
      'The feedback origin is API Gateway, which only speaks TLS 1.2 or newer; the S3 origin is reached with origin access control.',
    );

    // Built now from the articles, for this deployment's address: nothing to build beforehand.
    const siteDir = mkdtempSync(join(tmpdir(), 'switchboard-help-'));
    writeHelpCenter(
      buildHelpCenter({ baseUrl: this.baseUrl, defaultLanguage: props.support.defaultLanguage }),
      siteDir,
    );
    new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(siteDir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    acknowledgeBucketDeploymentCopier(this, this.bucket);
  }

  /** HELP_BASE_URL: acknowledgements of `fn` link help-center articles there. */
  bindSiteUrl(fn: SupportFunction): void {
    fn.setEnvironment('HELP_BASE_URL', this.baseUrl);
  }

  /** Alarms on the feedback function (graphed on the dashboard); the distribution's address as an output. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('HelpFeedback', this.feedbackFunction.lambdaFunction, 'Help-center feedback');
    stackOutput(this, 'HelpCenterUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: "The help center distribution (point help.baseUrl's host at it, or use it as baseUrl)",
    });
  }
}
