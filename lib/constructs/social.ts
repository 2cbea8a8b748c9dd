import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GRAPH_API_VERSION } from '../../functions/channels/meta/graph-api.ts';
import type { SupportConfig } from '../../functions/core/config.ts';
import { acknowledgeFinding } from '../nag.ts';
import { DEFAULT_THROTTLES, type Throttle } from '../throttle.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { Encryption } from './encryption.ts';
import type { SupportHttpApi } from './http-api.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { grantSendToQueue } from './permissions.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';
import { createWorkQueue } from './work-queue.ts';

export interface SocialProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  readonly httpApi: SupportHttpApi;
  /** Where acknowledgements are queued. */
  readonly outboundQueue: Queue;
  /** The dispatcher that sends WhatsApp, Messenger and Instagram messages through the Graph API. */
  readonly dispatcher: SupportFunction;
  /** The WhatsApp Business phone number id messages are sent from (Meta's WhatsApp Manager). */
  readonly whatsappPhoneNumberId?: string;
  /** @default GRAPH_API_VERSION (functions/channels/meta/graph-api.ts) */
  readonly graphApiVersion?: string;
  /** Throttling of the webhook route. @default DEFAULT_THROTTLES.metaWebhook */
  readonly webhookThrottle?: Throttle;
  /** Deliveries of one webhook body before it moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
}

/**
 * WhatsApp, Messenger and Instagram: `GET/POST /webhooks/meta` on the HTTP API, a small function
 * that verifies Meta's signature and queues the raw body (answering at once, as Meta wants), the
 * queue with its DLQ, the consumer that turns deliveries into conversations and statuses, and the
 * three Meta credentials in Secrets Manager. The dispatcher gets read access to the access token.
 */
export class Social extends Construct implements Monitored {
  readonly appSecret: Secret;
  readonly verifyToken: Secret;
  readonly accessToken: Secret;
  readonly inboundQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly webhook: SupportFunction;
  readonly consumer: SupportFunction;
  readonly #httpApiUrl: string;

  constructor(scope: Construct, id: string, props: SocialProps) {
    super(scope, id);
    this.#httpApiUrl = props.httpApi.url;
    const consumerTimeout = Duration.seconds(60);

    // The app secret and access token come from Meta's console: created with a random
    // placeholder, to be replaced with `aws secretsmanager put-secret-value` (see docs/channels/meta.md).
    this.appSecret = this.#secret(
      'AppSecret',
      'Meta app secret: verifies X-Hub-Signature-256 of webhook deliveries',
      props,
    );
    this.accessToken = this.#secret(
      'AccessToken',
      'Meta access token(s) for the Graph API: a token, or JSON {"whatsapp": "...", "page": "..."}',
      props,
    );
    // Ours to choose: a random token you paste into the webhook settings of the Meta app.
    this.verifyToken = this.#secret(
      'VerifyToken',
      'Meta webhook verify token (paste into the Meta app)',
      props,
    );

    const work = createWorkQueue(this, {
      id: 'InboundQueue',
      encryption: props.encryption,
      consumerTimeout,
      maxReceiveCount: props.maxReceiveCount,
    });
    this.inboundQueue = work.queue;
    this.deadLetterQueue = work.deadLetterQueue;

    this.webhook = new SupportFunction(this, 'Webhook', {
      ...props.functionDefaults,
      entry: handlerEntry('meta-webhook'),
      description: 'Verifies Meta webhook deliveries (X-Hub-Signature-256) and queues them',
      memorySize: 256,
      timeout: Duration.seconds(10),
    });
    const webhook = this.webhook.lambdaFunction;
    this.webhook.setEnvironment('META_APP_SECRET_ARN', this.appSecret.secretArn);
    this.webhook.setEnvironment('META_VERIFY_TOKEN_ARN', this.verifyToken.secretArn);
    this.webhook.setEnvironment('META_INBOUND_QUEUE_URL', this.inboundQueue.queueUrl);
    grantSecretRead(webhook, this.appSecret, props.encryption);
    grantSecretRead(webhook, this.verifyToken, props.encryption);
    grantSendToQueue(webhook, this.inboundQueue);

    this.consumer = new SupportFunction(this, 'Consumer', {
      ...props.functionDefaults,
      entry: handlerEntry('inbound-social'),
      description:
        'Threads WhatsApp, Messenger and Instagram messages into conversations and records statuses',
      timeout: consumerTimeout,
    })
      .bindConversationStore(props.store, 'readWrite', 'inboundSocial')
      .bindOutboundQueue(props.outboundQueue)
      .bindSupportConfig(props.support)
      .consumeQueue(this.inboundQueue, { maxConcurrency: 5 });

    const dispatcher = props.dispatcher.lambdaFunction;
    dispatcher.addEnvironment('META_ACCESS_TOKEN_ARN', this.accessToken.secretArn);
    dispatcher.addEnvironment('META_GRAPH_API_VERSION', props.graphApiVersion ?? GRAPH_API_VERSION);
    props.dispatcher.setEnvironment('META_ACCESS_TOKEN_ARN', this.accessToken.secretArn);
    props.dispatcher.setEnvironment('META_GRAPH_API_VERSION', props.graphApiVersion ?? 'v21.0');
    if (props.whatsappPhoneNumberId)
      props.dispatcher.setEnvironment('WHATSAPP_PHONE_NUMBER_ID', props.whatsappPhoneNumberId);
    grantSecretRead(dispatcher, this.accessToken, props.encryption);

    props.httpApi.addPublicRoute('MetaWebhook', {
      path: '/webhooks/meta',
      methods: [HttpMethod.GET, HttpMethod.POST],
      handler: webhook,
      throttle: props.webhookThrottle ?? DEFAULT_THROTTLES.metaWebhook,
      authenticatedBy:
        'Meta calls it without AWS credentials; the function verifies X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret) before anything is queued, and the GET handshake with the verify token.',
    });
  }

  #secret(id: string, description: string, props: SocialProps): Secret {
    const secret = new Secret(this, id, {
      description,
      encryptionKey: props.encryption.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeFinding(
      secret,
      'AwsSolutions-SMG4',
      'Meta credentials rotate in the Meta app dashboard (app secret reset, token renewal), not by a rotation Lambda; the new value is put into this secret by the operator, and the functions read it again within five minutes.',
    );
    return secret;
  }

  /** Alarms on the webhook, the consumer and given-up deliveries; the Meta app's settings as outputs. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('MetaWebhook', this.webhook.lambdaFunction, 'The Meta webhook');
    monitoring.watchFunction('SocialInbound', this.consumer.lambdaFunction, 'Social message processing', {
      queue: this.deadLetterQueue,
      meaning:
        'A WhatsApp, Messenger or Instagram webhook delivery could not be processed after repeated tries.',
    });
    stackOutput(this, 'HttpApiUrl', { value: this.#httpApiUrl });
    stackOutput(this, 'MetaWebhookUrl', {
      value: `${this.#httpApiUrl}/webhooks/meta`,
      description: 'Callback URL for the webhooks of the Meta app (WhatsApp, Messenger, Instagram)',
    });
    stackOutput(this, 'MetaVerifyTokenSecretArn', {
      value: this.verifyToken.secretArn,
      description:
        'Read it (aws secretsmanager get-secret-value) and paste it as the verify token in the Meta app',
    });
    stackOutput(this, 'MetaAppSecretSecretArn', {
      value: this.appSecret.secretArn,
      description: 'Put the Meta app secret here (aws secretsmanager put-secret-value)',
    });
    stackOutput(this, 'MetaAccessTokenSecretArn', {
      value: this.accessToken.secretArn,
      description: 'Put the Graph API access token(s) here (aws secretsmanager put-secret-value)',
    });
  }
}

/**
 * GetSecretValue on one secret, and Decrypt with the stack key only through Secrets Manager.
 * `secret.grantRead` would put the function's role into the key policy instead, and the key
 * policy, the role and the function's encrypted log group would then depend on each other.
 */
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
