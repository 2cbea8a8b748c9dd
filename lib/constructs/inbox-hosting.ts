import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { InboxAppConfig } from '../../web/inbox/app-config.ts';
import { acknowledgeBucketDeploymentCopier, acknowledgeFinding } from '../nag.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';

/** The app's one page; every app path is answered with it. */
export const INBOX_PAGE = 'index.html';

/** The file beside the app that tells it where its API and sign-in are. */
export const INBOX_CONFIG_FILE = 'config.json';

export interface InboxHostingProps {
  /** The built app (web/inbox/build.ts written to a directory): index.html and its assets, no config.json. */
  readonly appDirectory: string;
  /** Where the buckets' S3 server access logs go (an S3-managed-encrypted log bucket). */
  readonly accessLogBucket: IBucket;
  /** The inbox's own host name; needs `certificateArn`. @default the distribution's *.cloudfront.net name */
  readonly domainName?: string;
  /** An ACM certificate in us-east-1 covering `domainName`. */
  readonly certificateArn?: string;
  /**
   * What the app may connect to besides its own origin (content security policy `connect-src`):
   * the agent API, the WebSocket API, the sign-in's token endpoint, the upload bucket.
   */
  readonly connectSources: readonly string[];
  /**
   * Where the app may load images from besides its own origin (`img-src`), e.g. the attachment bucket.
   * @default none
   */
  readonly imageSources?: readonly string[];
  /**
   * Days CloudFront's access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  /**
   * What happens to the CloudFront log bucket when it leaves the stack (the site bucket is rebuilt on
   * every deploy and always goes with the stack).
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The agent inbox on the web: its files in a private, versioned S3 bucket behind CloudFront (origin
 * access control, HTTPS with TLS 1.2+, a strict content security policy naming exactly the APIs and
 * sign-in the app talks to, access logs), every app path answered with index.html, and
 * `config.json` written next to the app at deploy time ({@link deployApp}), so one build serves
 * every installation.
 */
export class InboxHosting extends Construct implements Monitored {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<domainName or distribution domain>` without a trailing slash. */
  readonly url: string;
  readonly #props: InboxHostingProps;
  #deployment?: BucketDeployment;

  constructor(scope: Construct, id: string, props: InboxHostingProps) {
    super(scope, id);
    this.#props = props;
    if ((props.domainName === undefined) !== (props.certificateArn === undefined)) {
      throw new Error(
        'the inbox domainName and certificateArn go together: a custom domain needs its certificate',
      );
    }

    // The app is public code and config.json holds no secret (URLs and a public client id), so
    // S3-managed keys: with the stack's customer-managed key, CloudFront would need decrypt rights
    // on the key that guards every customer's data.
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A bad deploy's overwritten files stay recoverable for a while.
      versioned: true,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'inbox-site/',
      lifecycleRules: [
        {
          id: 'clean-up',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
      // Rebuilt from web/inbox on every deploy: nothing here outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // CloudFront's standard logs are delivered with an ACL, so this bucket (alone) keeps ACLs on.
    this.logBucket = new Bucket(this, 'CdnLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'inbox-cdn-logs/',
      lifecycleRules: [
        {
          id: 'expire-cdn-logs',
          expiration: Duration.days(props.accessLogRetentionDays ?? 90),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    const connect = ["'self'", ...props.connectSources].join(' ');
    const images = ["'self'", 'data:', 'blob:', ...(props.imageSources ?? [])].join(' ');
    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'switchboard inbox: security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            `img-src ${images}`,
            "font-src 'self'",
            `connect-src ${connect}`,
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    // The app routes in the browser: "/conversations/c-1" is index.html, files keep their paths.
    const appPaths = new CloudFrontFunction(this, 'AppPaths', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'inbox: app paths to index.html',
      code: FunctionCode.fromInline(
        "function handler(event){var r=event.request;var last=r.uri.split('/').pop();if(!/\\.[a-z0-9]+$/i.test(last)){r.uri='/index.html';}return r;}",
      ),
    });

    const certificate = props.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'switchboard agent inbox',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(certificate && props.domainName
        ? {
            certificate,
            domainNames: [props.domainName],
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'inbox/',
      logIncludesCookies: false,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        // Plain HTTP only ever gets a redirect; HSTS keeps the browser on HTTPS after the first visit.
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
        functionAssociations: [{ function: appPaths, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
    });
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
    acknowledgeFinding(
      this.distribution,
      'AwsSolutions-CFR1',
      'Support agents sign in from wherever they work (home, travel); access is decided by the sign-in, not by country.',
    );
    acknowledgeFinding(
      this.distribution,
      'AwsSolutions-CFR2',
      'The distribution serves only static app files; every request for data goes to the agent API, which checks the agent JWT and is throttled. Put a web ACL in front if the shop runs WAF already.',
    );
    if (!certificate) {
      acknowledgeFinding(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, on which CloudFront cannot be told a TLS floor; with agents.inbox.domainName and certificateArn the viewer policy is TLSv1.2_2021.',
      );
    }
  }

  /**
   * The origins a browser running the inbox calls the agent API from (CORS). With a custom domain,
   * exactly that origin. Without one, `*`: the *.cloudfront.net name exists only once the
   * distribution does, and the distribution's content security policy already names the API, so
   * naming the distribution in the API would make each wait for the other. The agent API takes
   * bearer tokens, never cookies, so an origin it does not name gains nothing from `*`.
   */
  get browserOrigins(): readonly string[] {
    return this.#props.domainName ? [this.url] : ['*'];
  }

  /**
   * Copies the built app and its `config.json` to the bucket and invalidates the distribution. The
   * config is written at deploy time, once the URLs it names exist. Call once.
   */
  deployApp(config: InboxAppConfig): BucketDeployment {
    if (this.#deployment) throw new Error('the inbox is deployed once per stack');
    const pages = [INBOX_PAGE, INBOX_CONFIG_FILE];
    // Everything but the pages has a content hash in its name: browsers keep it for good.
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(this.#props.appDirectory)],
      destinationBucket: this.bucket,
      exclude: pages,
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.days(365)),
        CacheControl.immutable(),
      ],
      memoryLimit: 256,
    });
    // The pages revalidate on every load (a 304 when nothing changed), so a deploy reaches every
    // agent at once; they go up after the assets they name.
    this.#deployment = new BucketDeployment(this, 'DeployPages', {
      sources: [Source.asset(this.#props.appDirectory), Source.jsonData(INBOX_CONFIG_FILE, config)],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: pages,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: pages.map((page) => `/${page}`),
      memoryLimit: 256,
    });
    this.#deployment.node.addDependency(assets);
    acknowledgeBucketDeploymentCopier(this, this.bucket);
    return this.#deployment;
  }

  /** The inbox's URL, and the distribution to point a custom domain at, as outputs. */
  addMonitoring(_monitoring: Monitoring): void {
    stackOutput(this, 'InboxUrl', {
      value: this.url,
      description: 'The agent inbox (sign in with an agent account)',
    });
    const { domainName } = this.#props;
    if (domainName) {
      stackOutput(this, 'InboxDistributionDomainName', {
        value: this.distribution.distributionDomainName,
        description: `Point ${domainName} at it (CNAME, or a Route 53 alias)`,
      });
    }
  }
}
