import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnApi,
  type CfnStage,
  HttpApi,
  type HttpMethod,
  type HttpRoute,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../nag.ts';
import { DEFAULT_THROTTLES, type Throttle } from '../throttle.ts';
import type { Encryption } from './encryption.ts';
import { personalDataProtectionPolicy } from './log-data-protection.ts';

export interface SupportHttpApiProps {
  readonly encryption: Encryption;
  /**
   * How long access logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Throttling of every route that sets none of its own (requests per second, burst).
   * @default DEFAULT_THROTTLES.httpApi
   */
  readonly defaultThrottle?: Throttle;
}

export interface PublicRouteOptions {
  /** `/webhooks/meta`, `/orders/events`, … */
  readonly path: string;
  readonly methods: readonly HttpMethod[];
  readonly handler: IFunction;
  /** Throttling of these routes; tighter than the stage's when the caller is a known platform. */
  readonly throttle: Throttle;
  /**
   * Why the route has no API Gateway authorizer: how the handler authenticates the caller
   * instead (a signature over the body, a handshake token). Recorded with the cdk-nag APIG4
   * acknowledgement of each route.
   */
  readonly authenticatedBy: string;
}

/**
 * An API's access logs (HTTP or WebSocket): encrypted with the stack key, personal data masked,
 * kept by default when the stack goes.
 */
export function accessLogGroup(
  scope: Construct,
  props: {
    readonly encryption: Encryption;
    readonly logRetention?: RetentionDays;
    readonly logRemovalPolicy?: RemovalPolicy;
  },
): LogGroup {
  props.encryption.allowCloudWatchLogs();
  return new LogGroup(scope, 'AccessLogs', {
    retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    encryptionKey: props.encryption.key,
    removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    dataProtectionPolicy: personalDataProtectionPolicy(),
  });
}

/**
 * switchboard's one HTTP API (API Gateway v2): the public webhooks (Meta now; order events next)
 * and later the agent API. One `$default` stage with JSON access logs into an encrypted log
 * group and throttling per route. Routes are added with {@link addPublicRoute}, which wires the
 * Lambda integration, the route's throttle and the reason it has no authorizer in one call.
 */
export class SupportHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly #routeSettings: Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }> =
    {};

  constructor(scope: Construct, id: string, props: SupportHttpApiProps) {
    super(scope, id);
    this.accessLogs = accessLogGroup(this, props);
    this.api = new HttpApi(this, 'Api', {
      description: 'switchboard: webhooks and APIs',
      // The stage is made below, with access logs and throttling the default stage cannot take.
      createDefaultStage: false,
    });
    const throttle = props.defaultThrottle ?? DEFAULT_THROTTLES.httpApi;
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No source IP, user agent or query string: a webhook's query can carry the verify token,
        // and these logs are about traffic and errors, not about who the customers are.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = this.#routeSettings;
  }

  /**
   * Lets pages on `origins` call the API from a browser (CORS; `*` for any origin): API Gateway
   * answers the preflight requests itself, before any authorizer. No credentials (cookies) are
   * allowed: browser callers send a bearer token, which a page of another origin does not have.
   */
  allowBrowserOrigins(origins: readonly string[]): void {
    (this.api.node.defaultChild as CfnApi).corsConfiguration = {
      allowOrigins: [...origins],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      allowCredentials: false,
      maxAge: 600,
    };
  }

  /** The base URL routes hang off (`https://<id>.execute-api.<region>.amazonaws.com`). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** A public route to a Lambda function, throttled on its own and acknowledged for having no authorizer. */
  addPublicRoute(id: string, options: PublicRouteOptions): HttpRoute[] {
    const routes = this.api.addRoutes({
      path: options.path,
      methods: [...options.methods],
      integration: new HttpLambdaIntegration(`${id}Integration`, options.handler),
    });
    for (const method of options.methods) {
      this.#routeSettings[`${method} ${options.path}`] = {
        ThrottlingRateLimit: options.throttle.rateLimit,
        ThrottlingBurstLimit: options.throttle.burstLimit,
      };
    }
    for (const route of routes) {
      acknowledgeFinding(
        route,
        'AwsSolutions-APIG4',
        `Public by design: ${options.authenticatedBy} API Gateway authorizers cannot check a signature over the raw body.`,
      );
    }
    acknowledgeSynchronousInvocation(options.handler, `API Gateway (${options.path})`);
    return routes;
  }

  /**
   * A route API Gateway lets through only with the authorizer's approval (a JWT authorizer, or IAM
   * auth), throttled on its own; the function reads the caller's identity from the request context.
   */
  addProtectedRoute(id: string, options: ProtectedRouteOptions): HttpRoute[] {
    const routes = this.api.addRoutes({
      path: options.path,
      methods: [...options.methods],
      integration: new HttpLambdaIntegration(`${id}Integration`, options.handler),
      authorizer: options.authorizer,
      ...(options.authorizationScopes ? { authorizationScopes: [...options.authorizationScopes] } : {}),
    });
    for (const method of options.methods) {
      this.#routeSettings[`${method} ${options.path}`] = {
        ThrottlingRateLimit: options.throttle.rateLimit,
        ThrottlingBurstLimit: options.throttle.burstLimit,
      };
    }
    acknowledgeSynchronousInvocation(options.handler, `API Gateway (${options.path})`);
    return routes;
  }
}

export interface ProtectedRouteOptions {
  /** `/conversations/{id}`, … */
  readonly path: string;
  readonly methods: readonly HttpMethod[];
  readonly handler: IFunction;
  readonly throttle: Throttle;
  /** Who may call: an HttpJwtAuthorizer or HttpIamAuthorizer. */
  readonly authorizer: IHttpRouteAuthorizer;
  /**
   * OAuth scopes the JWT must carry (JWT authorizers only).
   * @default - any valid token of the issuer and audience
   */
  readonly authorizationScopes?: readonly string[];
}

const synchronouslyInvoked = new WeakSet<IFunction>();

/**
 * A function only API Gateway invokes (synchronously) has no failed event to keep: the caller gets
 * the error answer and retries (Meta, the shop). Acknowledged once per function.
 */
export function acknowledgeSynchronousInvocation(handler: IFunction, caller: string): void {
  if (synchronouslyInvoked.has(handler)) return;
  synchronouslyInvoked.add(handler);
  acknowledgeFinding(
    handler,
    'Serverless-LambdaDLQ',
    `Invoked synchronously by ${caller}: a failure is answered to the caller, who retries; no asynchronous event exists that a dead-letter queue could keep.`,
  );
}
