import { Duration, Stack } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SupportConfig } from '../../functions/core/config.ts';
import { DEFAULT_THROTTLES, type Throttle } from '../throttle.ts';
import type { ConversationStore } from './conversation-store.ts';
import { DeferredSends } from './deferred-sends.ts';
import type { Encryption } from './encryption.ts';
import type { SupportHttpApi } from './http-api.ts';
import { type Monitored, type Monitoring, stackOutput } from './observability.ts';
import { grantShopSecret } from './orders.ts';
import { handlerEntry, SupportFunction, type SupportFunctionDefaults } from './support-function.ts';

export interface RemindersProps {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly support: SupportConfig;
  readonly functionDefaults: SupportFunctionDefaults;
  readonly httpApi: SupportHttpApi;
  /** Where due reminders are put (the dispatcher decides channel, consent and quiet hours then). */
  readonly outboundQueue: IQueue;
  /** The shop's signing key (from the Orders construct). */
  readonly shopSecret: Secret;
  /** @default DEFAULT_THROTTLES.reminders */
  readonly throttle?: Throttle;
  /**
   * Also accept the old body-only signature (the path for DELETE) without X-Signature-Timestamp.
   * @default false
   */
  readonly legacyBodySignature?: boolean;
}

/**
 * Reminders: `POST /reminders` and `DELETE /reminders/{id}` on the HTTP API, signed like order
 * events; each reminder is a one-time EventBridge Scheduler schedule in its own group (deleted
 * after it fires, no flexible window) whose target is the outbound queue, through a role that may
 * only send to that queue (the DeferredSends construct, a second instance).
 */
export class Reminders extends Construct implements Monitored {
  readonly schedules: DeferredSends;
  readonly function: SupportFunction;
  readonly #httpApi: SupportHttpApi;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    this.#httpApi = props.httpApi;
    this.schedules = new DeferredSends(this, 'Schedules', {
      encryption: props.encryption,
      outboundQueue: props.outboundQueue,
      groupName: `${Stack.of(this).stackName}-reminders`,
    });
    this.function = new SupportFunction(this, 'Function', {
      ...props.functionDefaults,
      entry: handlerEntry('reminders'),
      description: 'Creates and cancels reminders (one-time EventBridge Scheduler schedules)',
      memorySize: 256,
      timeout: Duration.seconds(15),
    })
      .bindConversationStore(props.store, 'readWrite', 'reminders')
      .bindSupportConfig(props.support);
    grantShopSecret(this.function, props.shopSecret, props.encryption, props.legacyBodySignature);
    this.schedules.grantScheduling(this.function);

    props.httpApi.addPublicRoute('Reminders', {
      path: '/reminders',
      methods: [HttpMethod.POST],
      handler: this.function.lambdaFunction,
      throttle: props.throttle ?? DEFAULT_THROTTLES.reminders,
      authenticatedBy:
        'the shop backend signs each request with X-Signature-SHA256 (HMAC-SHA256 of the raw body with the shop secret), verified in constant time by the function; the same scheme as order events, so the shop holds one key.',
    });
    props.httpApi.addPublicRoute('CancelReminder', {
      path: '/reminders/{id}',
      methods: [HttpMethod.DELETE],
      handler: this.function.lambdaFunction,
      throttle: props.throttle ?? DEFAULT_THROTTLES.reminders,
      authenticatedBy:
        'the shop backend signs the request path (/reminders/<id>) with X-Signature-SHA256 (HMAC-SHA256 with the shop secret), verified in constant time by the function, so a signature cancels only the reminder it names.',
    });
  }

  /** Alarms on the function and on due reminders not queued; where the shop posts as an output. */
  addMonitoring(monitoring: Monitoring): void {
    monitoring.watchFunction('Reminders', this.function.lambdaFunction, 'Reminders');
    this.schedules.addMonitoring(monitoring, {
      alarmId: 'ReminderSchedules',
      meaning: 'A reminder came due but EventBridge Scheduler could not put it on the outbound queue.',
    });
    stackOutput(this, 'RemindersUrl', {
      value: `${this.#httpApi.url}/reminders`,
      description: 'Where the shop POSTs signed reminder requests (DELETE /reminders/{id} cancels)',
    });
  }
}
