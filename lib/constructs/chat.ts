import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpMethod,
  LogGroupLogDestination,
  WebSocketApi,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import { acknowledgeFinding, wildcardResourceFinding } from '../nag.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { Encryption } from './encryption.ts';
import { accessLogGroup, acknowledgeSynchronousInvocation, type SupportHttpApi } from './http-api.ts';
import type { MailStorage } from './mail-storage.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

/** The routes the widget's frames pick by their `action` (besides $connect and $disconnect). */
export const CHAT_ROUTES = ['send', 'upload', 'typing', 'resync', 'read', 'link-email', 'suggest'] as const;

export interface ChatProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  /** Where acknowledgements are queued. */
  readonly outboundQueue: IQueue;
  /** The dispatcher, which posts chat messages to the visitors' sockets. */
  readonly dispatcher: SupportFunction;
  /** Frames per second (and burst) across the API before API Gateway refuses. @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Where `GET /chat/confirm` (the email confirmation link) is served; absent: no email linking. */
  readonly httpApi?: SupportHttpApi;
  /** Where the widget's uploads are stored (beside email attachments); absent: no uploads. */
  readonly mailStorage?: MailStorage;
  /** The shop's origins, allowed to POST uploads to the mail bucket; absent: no uploads. */
  readonly allowedOrigins?: readonly string[];
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Live chat on the shop's website: an API Gateway WebSocket API (`$connect` behind a Lambda
 * REQUEST authorizer that checks the visitor and the shop's signed identity, `$disconnect`, and a
 * route per frame action), one function behind every route, the identity signing secret, and
 * the dispatcher's right to post to connections. API Gateway itself refuses frames over 32 KB and
 * closes connections after 2 hours (10 minutes idle); the widget reconnects and resyncs.
 */
export class Chat extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly identitySecret: Secret;
  readonly authorizer: SupportFunction;
  readonly routes: SupportFunction;
  /** Behind `GET /chat/confirm`, when there is an HTTP API. */
  readonly confirmation?: SupportFunction;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ChatProps) {
    super(scope, id);

    this.identitySecret = new Secret(this, 'IdentitySecret', {
      description: 'switchboard chat: the HMAC secret the shop signs visitor identities with',
      encryptionKey: props.encryption.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeFinding(
      this.identitySecret,
      'AwsSolutions-SMG4',
      "Shared with the shop's backend, which signs identities with it: rotated by the operator in both places at once, not by a rotation Lambda; the authorizer reads it again within five minutes.",
    );

    this.authorizer = new SupportFunction(this, 'Authorizer', {
      ...props.functionDefaults,
      entry: handlerEntry('chat-authorizer'),
      description: 'Authorizes chat visitors on $connect (visitor id, signed identity token)',
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    this.authorizer.lambdaFunction.addEnvironment('CHAT_IDENTITY_SECRET_ARN', this.identitySecret.secretArn);
    grantSecretRead(this.authorizer.lambdaFunction, this.identitySecret, props.encryption);

    this.routes = new SupportFunction(this, 'Routes', {
      ...props.functionDefaults,
      entry: handlerEntry('chat-websocket'),
      description: 'Chat WebSocket routes: connections, visitor messages, history, read receipts',
      timeout: Duration.seconds(15),
    })
      .bindConversationStore(props.store, 'readWrite', 'chatRoutes')
      .bindOutboundQueue(props.outboundQueue)
      .bindSupportConfig(props.support);
    if (props.mailStorage && props.allowedOrigins) {
      // The routes sign each upload slot (the POST acts with their rights) and check the result.
      this.routes.bindMailStorage(props.mailStorage, { chatUploads: true });
      props.mailStorage.allowBrowserUploads(props.allowedOrigins);
    }
    // The routes sign the confirmation links of addresses visitors leave.
    this.routes.lambdaFunction.addEnvironment('CHAT_IDENTITY_SECRET_ARN', this.identitySecret.secretArn);
    grantSecretRead(this.routes.lambdaFunction, this.identitySecret, props.encryption);

    if (props.httpApi) {
      this.confirmation = new SupportFunction(this, 'Confirmation', {
        ...props.functionDefaults,
        entry: handlerEntry('chat-confirm'),
        description: 'Confirms the email a chat visitor left (the mailed link) and links the two',
        memorySize: 256,
        timeout: Duration.seconds(10),
      })
        .bindConversationStore(props.store, 'readWrite', 'chatConfirm')
        .bindSupportConfig(props.support);
      this.confirmation.lambdaFunction.addEnvironment(
        'CHAT_IDENTITY_SECRET_ARN',
        this.identitySecret.secretArn,
      );
      grantSecretRead(this.confirmation.lambdaFunction, this.identitySecret, props.encryption);
      props.httpApi.addPublicRoute('ChatConfirm', {
        path: '/chat/confirm',
        methods: [HttpMethod.GET],
        handler: this.confirmation.lambdaFunction,
        throttle: { rateLimit: 10, burstLimit: 20 },
        authenticatedBy:
          'The link in the mail carries an HMAC-signed, expiring token naming the visitor and the address; the function verifies it (timing-safe) before linking anything.',
      });
    }

    const integration = new WebSocketLambdaIntegration('RoutesIntegration', this.routes.lambdaFunction);
    this.api = new WebSocketApi(this, 'Api', {
      description: 'switchboard: live chat of the shop website',
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration,
        authorizer: new WebSocketLambdaAuthorizer('VisitorAuthorizer', this.authorizer.lambdaFunction, {
          identitySource: ['route.request.querystring.visitorId'],
        }),
      },
      disconnectRouteOptions: { integration },
      defaultRouteOptions: { integration },
    });
    for (const route of CHAT_ROUTES) this.api.addRoute(route, { integration });

    this.accessLogs = accessLogGroup(this, props);
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: 'live',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No source IP, user agent or query string: the query carries the visitor's token.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            status: '$context.status',
            connectionId: '$context.connectionId',
            integrationLatency: '$context.integrationLatency',
            error: '$context.error.message',
          }),
        ),
      },
    });
    // Execution logs carry frame bodies (messages): only errors, never the data.
    (this.stage.node.defaultChild as CfnStage).addPropertyOverride(
      'DefaultRouteSettings.DataTraceEnabled',
      false,
    );

    this.grantPostToConnections(this.routes);
    this.grantPostToConnections(props.dispatcher);
    acknowledgeSynchronousInvocation(this.routes.lambdaFunction, 'the chat WebSocket API');
    acknowledgeSynchronousInvocation(this.authorizer.lambdaFunction, 'the chat WebSocket API ($connect)');
    for (const route of [...CHAT_ROUTES, '$disconnect', '$default']) {
      const child = this.api.node.tryFindChild(`${route}-Route`);
      if (child) {
        acknowledgeFinding(
          child,
          'AwsSolutions-APIG4',
          'Message routes of a WebSocket API run on a connection the $connect authorizer already admitted; API Gateway authorizes only $connect.',
        );
      }
    }
  }

  /**
   * PostToConnection only (no GET or DELETE of connections) on this API's one stage, and the
   * endpoint to call it at: the routes, the dispatcher, and the agent API (typing signals).
   */
  grantPostToConnections(fn: SupportFunction): void {
    const connections = `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${this.api.apiId}/${this.stage.stageName}/POST/@connections/*`;
    fn.lambdaFunction.addEnvironment('CHAT_CONNECTIONS_ENDPOINT', this.stage.callbackUrl);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connections] }),
    );
    acknowledgeFinding(
      fn.role,
      wildcardResourceFinding(this, connections),
      'A connection id is known only when a visitor connects; "@connections/*" is confined to POST (PostToConnection) on the one stage of the chat API.',
    );
  }

  /** The URL the widget connects to (`wss://…/live`). */
  get url(): string {
    return this.stage.url;
  }
}

/** GetSecretValue on one secret, and Decrypt with the stack key only through Secrets Manager. */
function grantSecretRead(grantee: IGrantable, secret: Secret, encryption: Encryption): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [encryption.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
    }),
  );
}
