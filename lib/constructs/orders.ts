import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import { acknowledgeFinding } from '../nag.ts';
import { DEFAULT_THROTTLES, type Throttle } from '../throttle.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { Encryption } from './encryption.ts';
import type { SupportHttpApi } from './http-api.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export interface OrdersProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  readonly httpApi: SupportHttpApi;
  /** Where order notifications are queued. */
  readonly outboundQueue: IQueue;
  /** The WhatsApp phone number id, when WhatsApp notifications can be sent. */
  readonly whatsappPhoneNumberId?: string;
  /** @default DEFAULT_THROTTLES.orderEvents */
  readonly throttle?: Throttle;
  /**
   * Also accept the old body-only signature from requests without X-Signature-Timestamp.
   * @default false
   */
  readonly legacyBodySignature?: boolean;
}

/**
 * The shop's order events: `POST /orders/events` on the HTTP API, the order-events function
 * (verifies X-Signature-SHA256 with the shop secret, stores the order and the customer, queues
 * the notification) and the shop secret in Secrets Manager, which the reminders share.
 */
export class Orders extends Construct implements Monitored {
  /** The HMAC key the shop signs its requests with. */
  readonly shopSecret: Secret;
  readonly function: SupportFunction;
  readonly #httpApi: SupportHttpApi;

  constructor(scope: Construct, id: string, props: OrdersProps) {
    super(scope, id);
    this.#httpApi = props.httpApi;
    this.shopSecret = new Secret(this, 'ShopSecret', {
      description: 'switchboard: the key the shop signs order events and reminders with (HMAC-SHA256)',
      encryptionKey: props.encryption.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeFinding(
      this.shopSecret,
      'AwsSolutions-SMG4',
      'The shop holds the same key in its own system; rotating it is a coordinated change on both sides (put the new value here and in the shop), which a rotation Lambda cannot make. Functions read it again within five minutes.',
    );

    this.function = new SupportFunction(this, 'Function', {
      ...props.functionDefaults,
      entry: handlerEntry('order-events'),
      description:
        'Takes signed order events: stores orders and customers, queues order-status notifications',
      memorySize: 256,
      timeout: Duration.seconds(15),
    })
      .bindConversationStore(props.store, 'readWrite', 'orderEvents')
      .bindOutboundQueue(props.outboundQueue)
      .bindSupportConfig(props.support);
    grantShopSecret(this.function, this.shopSecret, props.encryption, props.legacyBodySignature);
    if (props.whatsappPhoneNumberId) {
      this.function.setEnvironment('WHATSAPP_PHONE_NUMBER_ID', props.whatsappPhoneNumberId);
    }

    props.httpApi.addPublicRoute('OrderEvents', {
      path: '/orders/events',
      methods: [HttpMethod.POST],
      handler: this.function.lambdaFunction,
      throttle: props.throttle ?? DEFAULT_THROTTLES.orderEvents,
      authenticatedBy:
        'the shop backend calls it with X-Signature-Timestamp and X-Signature-SHA256 (HMAC-SHA256 of timestamp, method, path and raw body with the shop secret from Secrets Manager), which the function verifies in constant time, within five minutes of its clock, before it parses anything.',
    });
  }

  /** Alarms on the function; where the shop posts and its signing key as outputs. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('OrderEvents', this.function.lambdaFunction, 'Order events');
    stackOutput(this, 'OrderEventsUrl', {
      value: `${this.#httpApi.url}/orders/events`,
      description: 'Where the shop POSTs signed order events',
    });
    stackOutput(this, 'ShopSecretArn', {
      value: this.shopSecret.secretArn,
      description:
        'The shop signing key: read it (aws secretsmanager get-secret-value) into the shop, or put your own',
    });
  }
}

/**
 * SHOP_SECRET_ARN, GetSecretValue on that one secret, and Decrypt with the stack key only through
 * Secrets Manager (grantRead would put the role into the key policy instead). With
 * `legacyBodySignature`, SHOP_LEGACY_BODY_SIGNATURE=true lets the old scheme through.
 */
export function grantShopSecret(
  fn: SupportFunction,
  secret: Secret,
  encryption: Encryption,
  legacyBodySignature = false,
): void {
  fn.setEnvironment('SHOP_SECRET_ARN', secret.secretArn);
  if (legacyBodySignature) fn.setEnvironment('SHOP_LEGACY_BODY_SIGNATURE', 'true');
  const grantee: IGrantable = fn.lambdaFunction;
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
