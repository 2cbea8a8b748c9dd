import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  LogGroupLogDestination,
  WebSocketApi,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { TableFunction } from '../../functions/adapters/dynamodb/key-prefixes.ts';
import { acknowledgeFinding, wildcardResourceFinding } from '../nag.ts';
import { DEFAULT_THROTTLES, type Throttle } from '../throttle.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { Encryption } from './encryption.ts';
import { accessLogGroup, acknowledgeSynchronousInvocation } from './http-api.ts';
import type { Monitored, Monitoring } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export interface SupportWebSocketApiProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly functionDefaults: SupportFunctionDefaults;
  /**
   * The routes function's items of the table: `chatRoutes` with the chat deployed, else
   * `agentSockets` (agents' connections only).
   */
  readonly routesTableAccess: Extract<TableFunction, 'chatRoutes' | 'agentSockets'>;
  /**
   * Who issues agents' tokens (`?agentToken=` on connect): the agent API's JWT issuer and app
   * client ids (config `agents.jwt`, or the stack's user pool). Absent: agents cannot connect.
   */
  readonly agentTokens?: { readonly issuer: string; readonly audience: readonly string[] };
  /** Frames per second (and burst) across the API before API Gateway refuses. @default DEFAULT_THROTTLES.webSocket */
  readonly throttle?: Throttle;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The one API Gateway WebSocket API of a deployment: chat visitors' widgets and agents' inboxes
 * connect to it, told apart by the `$connect` Lambda REQUEST authorizer (a visitor id, or an
 * agent's JWT). One function serves every route (it refuses a visitor on an agent route and an
 * agent on a visitor's); the chat and the live updates add their routes with `addRoutes`. API
 * Gateway itself refuses frames over 32 KB and closes connections after 2 hours (10 minutes
 * idle); widgets and inboxes reconnect and resync.
 */
export class SupportWebSocketApi extends Construct implements Monitored {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly authorizer: SupportFunction;
  readonly routes: SupportFunction;
  readonly accessLogs: LogGroup;
  private readonly integration: WebSocketLambdaIntegration;
  /** Whether the visitors' chat routes are served here too, or agents' sockets alone. */
  private readonly servesChat: boolean;

  constructor(scope: Construct, id: string, props: SupportWebSocketApiProps) {
    super(scope, id);
    this.servesChat = props.routesTableAccess === 'chatRoutes';

    this.authorizer = new SupportFunction(this, 'Authorizer', {
      ...props.functionDefaults,
      entry: handlerEntry('chat-authorizer'),
      description:
        "Authorizes WebSocket connects: chat visitors (visitor id, signed identity) and agents' JWTs",
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    if (props.agentTokens) {
      this.authorizer.setEnvironment('AGENT_JWT_ISSUER', props.agentTokens.issuer);
      this.authorizer.setEnvironment('AGENT_JWT_AUDIENCE', props.agentTokens.audience.join(','));
    }

    this.routes = new SupportFunction(this, 'Routes', {
      ...props.functionDefaults,
      entry: handlerEntry('chat-websocket'),
      description:
        props.routesTableAccess === 'chatRoutes'
          ? "Chat WebSocket routes: connections, visitor messages, history, read receipts; agents' sockets"
          : "WebSocket routes of agents' inboxes: connections and keep-alive",
      timeout: Duration.seconds(15),
    }).bindConversationStore(props.store, 'readWrite', props.routesTableAccess);

    this.integration = new WebSocketLambdaIntegration('RoutesIntegration', this.routes.lambdaFunction);
    this.api = new WebSocketApi(this, 'Api', {
      description: "switchboard: live chat of the shop website, and agents' live updates",
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration: this.integration,
        authorizer: new WebSocketLambdaAuthorizer('ConnectAuthorizer', this.authorizer.lambdaFunction, {
          // API Gateway answers 401 without calling the authorizer when a listed identity source
          // is missing, and visitors (`visitorId`) and agents (`agentToken`) send different query
          // parameters: listing either would lock the other out. Sec-WebSocket-Key is in every
          // opening handshake (RFC 6455), so the authorizer always decides, on the query. (WebSocket
          // authorizers are not cached, so the identity source is no cache key either.)
          identitySource: ['route.request.header.Sec-WebSocket-Key'],
        }),
      },
      disconnectRouteOptions: { integration: this.integration },
      defaultRouteOptions: { integration: this.integration },
    });

    this.accessLogs = accessLogGroup(this, props);
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: 'live',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLES.webSocket,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No source IP, user agent or query string: the query carries the visitor's or agent's token.
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
    acknowledgeSynchronousInvocation(this.routes.lambdaFunction, 'the WebSocket API');
    acknowledgeSynchronousInvocation(this.authorizer.lambdaFunction, 'the WebSocket API ($connect)');
    this.acknowledgeRouteAuthorization(['$disconnect', '$default']);
  }

  /**
   * Alarms on the authorizer and the routes function, graphed on the dashboard: named for the
   * chat where visitors connect (their names from before agents shared the API), for the agents'
   * sockets where only agents do.
   */
  addMonitoring(monitoring: Monitoring): void {
    if (this.servesChat) {
      monitoring.alarmOnFunction(
        'ChatAuthorizer',
        this.authorizer.lambdaFunction,
        'The chat connection authorizer',
      );
      monitoring.alarmOnFunction('ChatWebSocket', this.routes.lambdaFunction, 'The chat WebSocket routes');
    } else {
      monitoring.alarmOnFunction(
        'AgentSocketsAuthorizer',
        this.authorizer.lambdaFunction,
        "The agents' WebSocket connection authorizer",
      );
      monitoring.alarmOnFunction('AgentSockets', this.routes.lambdaFunction, "The agents' WebSocket routes");
    }
  }

  /** Routes the frames' `action` picks, all served by the routes function. */
  addRoutes(routes: readonly string[]): void {
    for (const route of routes) this.api.addRoute(route, { integration: this.integration });
    this.acknowledgeRouteAuthorization(routes);
  }

  /**
   * PostToConnection only (no GET or DELETE of connections) on this API's one stage, and the
   * endpoint to call it at: the routes, the dispatcher, the agent API (typing signals), the
   * live-updates consumer.
   */
  grantPostToConnections(fn: SupportFunction): void {
    const connections = `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${this.api.apiId}/${this.stage.stageName}/POST/@connections/*`;
    fn.setEnvironment('CHAT_CONNECTIONS_ENDPOINT', this.stage.callbackUrl);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [connections] }),
    );
    acknowledgeFinding(
      fn.role,
      wildcardResourceFinding(this, connections),
      'A connection id is known only when a visitor or an agent connects; "@connections/*" is confined to POST (PostToConnection) on the one stage of the WebSocket API.',
    );
  }

  /** The URL widgets and inboxes connect to (`wss://…/live`). */
  get url(): string {
    return this.stage.url;
  }

  private acknowledgeRouteAuthorization(routes: readonly string[]): void {
    for (const route of routes) {
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
}
