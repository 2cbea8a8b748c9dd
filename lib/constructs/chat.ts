import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod, type WebSocketApi, type WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import { acknowledgeFinding } from '../nag.ts';
import { DEFAULT_THROTTLES } from '../throttle.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { Encryption } from './encryption.ts';
import type { SupportHttpApi } from './http-api.ts';
import type { MailStorage } from './mail-storage.ts';
import type { Monitored, Monitoring } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';
import type { SupportWebSocketApi } from './websocket-api.ts';

/** The routes the widget's frames pick by their `action` (besides $connect and $disconnect). */
export const CHAT_ROUTES = ['send', 'upload', 'typing', 'resync', 'read', 'link-email', 'suggest'] as const;

export interface ChatProps {
  /** The deployment's WebSocket API (its routes function must have the `chatRoutes` items). */
  readonly webSocketApi: SupportWebSocketApi;
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  /** Where acknowledgements are queued. */
  readonly outboundQueue: IQueue;
  /** The dispatcher, which posts chat messages to the visitors' sockets. */
  readonly dispatcher: SupportFunction;
  /** Where `GET /chat/confirm` (the email confirmation link) is served; absent: no email linking. */
  readonly httpApi?: SupportHttpApi;
  /** Where the widget's uploads are stored (beside email attachments); absent: no uploads. */
  readonly mailStorage?: MailStorage;
  /** The shop's origins, allowed to POST uploads to the mail bucket; absent: no uploads. */
  readonly allowedOrigins?: readonly string[];
}

/**
 * Live chat on the shop's website, on the deployment's WebSocket API: the visitor routes (a
 * route per frame action), the identity signing secret the `$connect` authorizer and the routes
 * check visitors' identities with, the confirmation link, and the dispatcher's right to post to
 * connections.
 */
export class Chat extends Construct implements Monitored {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly identitySecret: Secret;
  readonly authorizer: SupportFunction;
  readonly routes: SupportFunction;
  /** Behind `GET /chat/confirm`, when there is an HTTP API. */
  readonly confirmation?: SupportFunction;
  private readonly webSocketApi: SupportWebSocketApi;

  constructor(scope: Construct, id: string, props: ChatProps) {
    super(scope, id);
    this.webSocketApi = props.webSocketApi;
    this.api = props.webSocketApi.api;
    this.stage = props.webSocketApi.stage;
    this.authorizer = props.webSocketApi.authorizer;
    this.routes = props.webSocketApi.routes;

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

    this.authorizer.setEnvironment('CHAT_IDENTITY_SECRET_ARN', this.identitySecret.secretArn);
    grantSecretRead(this.authorizer.lambdaFunction, this.identitySecret, props.encryption);

    this.routes.bindOutboundQueue(props.outboundQueue).bindSupportConfig(props.support);
    if (props.mailStorage && props.allowedOrigins) {
      // The routes sign each upload slot (the POST acts with their rights) and check the result.
      this.routes.bindMailStorage(props.mailStorage, { chatUploads: true });
      props.mailStorage.allowBrowserUploads(props.allowedOrigins);
    }
    // The routes sign the confirmation links of addresses visitors leave.
    this.routes.setEnvironment('CHAT_IDENTITY_SECRET_ARN', this.identitySecret.secretArn);
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
      this.confirmation.setEnvironment('CHAT_IDENTITY_SECRET_ARN', this.identitySecret.secretArn);
      grantSecretRead(this.confirmation.lambdaFunction, this.identitySecret, props.encryption);
      props.httpApi.addPublicRoute('ChatConfirm', {
        path: '/chat/confirm',
        methods: [HttpMethod.GET],
        handler: this.confirmation.lambdaFunction,
        throttle: DEFAULT_THROTTLES.chatConfirm,
        authenticatedBy:
          'The link in the mail carries an HMAC-signed, expiring token naming the visitor and the address; the function verifies it (timing-safe) before linking anything.',
      });
    }

    props.webSocketApi.addRoutes(CHAT_ROUTES);
    this.grantPostToConnections(props.dispatcher);
  }

  /**
   * Alarms on the visitor's email confirmation, graphed on the dashboard; the WebSocket API
   * alarms on the authorizer and the routes it owns (SupportWebSocketApi.addMonitoring).
   */
  addMonitoring(monitoring: Monitoring): void {
    if (this.confirmation) {
      monitoring.watchFunction(
        'ChatConfirm',
        this.confirmation.lambdaFunction,
        "The chat visitor's email confirmation",
      );
    }
  }

  /** PostToConnection on the WebSocket API (SupportWebSocketApi.grantPostToConnections). */
  grantPostToConnections(fn: SupportFunction): void {
    this.webSocketApi.grantPostToConnections(fn);
  }

  /** The URL the widget connects to (`wss://…/live`). */
  get url(): string {
    return this.webSocketApi.url;
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
