import { Aws, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Channel } from '../functions/core/model.ts';
import type { DeploymentConfig } from './config.ts';
import { AgentApi } from './constructs/agent-api.ts';
import { Chat } from './constructs/chat.ts';
import { ConversationStore } from './constructs/conversation-store.ts';
import { DeferredSends } from './constructs/deferred-sends.ts';
import { Encryption } from './constructs/encryption.ts';
import { GeneratedAnswers } from './constructs/generated-answers.ts';
import { HelpCenter } from './constructs/help-center.ts';
import { SupportHttpApi } from './constructs/http-api.ts';
import { InboundEmail } from './constructs/inbound-email.ts';
import { LiveUpdates } from './constructs/live-updates.ts';
import { MailStorage } from './constructs/mail-storage.ts';
import { Observability } from './constructs/observability.ts';
import { Orders } from './constructs/orders.ts';
import { Outbound } from './constructs/outbound.ts';
import { Reminders } from './constructs/reminders.ts';
import { Sms } from './constructs/sms.ts';
import { Social } from './constructs/social.ts';
import type { SupportFunctionDefaults } from './constructs/support-function.ts';
import { Voice } from './constructs/voice.ts';
import { SupportWebSocketApi } from './constructs/websocket-api.ts';

export interface SwitchboardStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/** One switchboard installation: the email channel on top of the shared store and outbound path. */
export class SwitchboardStack extends Stack {
  readonly encryption: Encryption;
  readonly store: ConversationStore;
  readonly mailStorage: MailStorage;
  readonly outbound: Outbound;
  readonly inboundEmail: InboundEmail;
  readonly observability: Observability;
  /** Two-way SMS; present when `sms` is configured. */
  readonly sms?: Sms;
  /** Sends held until a time: quiet hours, business hours, response-time deadlines. */
  readonly deferredSends: DeferredSends;
  /** The HTTP API (webhooks, shop API, agent API); present when one of them is configured. */
  readonly httpApi?: SupportHttpApi;
  /** WhatsApp, Messenger, Instagram; present when `meta` is configured. */
  readonly social?: Social;
  /** The WebSocket API (chat widgets, agents' inboxes); present when `chat` or `agents` is configured. */
  readonly webSocketApi?: SupportWebSocketApi;
  /** Live chat (on the WebSocket API); present when `chat` is configured. */
  readonly chat?: Chat;
  /** Agents' live updates (table stream → their sockets); present when `agents` is configured. */
  readonly liveUpdates?: LiveUpdates;
  /** Order events and reminders; present when `shop` is configured. */
  readonly orders?: Orders;
  readonly reminders?: Reminders;
  /** The voice channel (Amazon Connect); present when `connect` is configured. */
  readonly voice?: Voice;
  /** The agent API (conversations, timeline, channel report); present when `agents` is configured. */
  readonly agentApi?: AgentApi;
  /** The help center (site, feedback, article links in answers); present when `help` is configured. */
  readonly helpCenter?: HelpCenter;
  /** Generated answers on Bedrock; present when `support.assistant` and `help` are configured. */
  readonly generatedAnswers?: GeneratedAnswers;

  constructor(scope: Construct, id: string, props: SwitchboardStackProps) {
    super(scope, id, {
      description: 'switchboard: omnichannel customer support (email channel)',
      ...props,
    });
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.encryption = new Encryption(this, 'Encryption', { removalPolicy });
    this.store = new ConversationStore(this, 'ConversationStore', {
      encryptionKey: this.encryption.key,
      retainData: config.retainData,
      // Agents' live updates read every change of a conversation from the table's stream.
      streamChanges: config.agents !== undefined,
    });
    this.mailStorage = new MailStorage(this, 'MailStorage', {
      encryption: this.encryption,
      rawMailRetentionDays: config.rawMailRetentionDays,
      retainData: config.retainData,
    });

    const functionDefaults: SupportFunctionDefaults = {
      encryption: this.encryption,
      logRetention: config.logRetentionDays,
      logRemovalPolicy: removalPolicy,
      logLevel: config.logLevel,
    };
    this.outbound = new Outbound(this, 'Outbound', {
      encryption: this.encryption,
      store: this.store,
      support: config.support,
      functionDefaults,
      // Agents attach files to email answers only where the agent API is deployed.
      ...(config.agents ? { mailStorage: this.mailStorage } : {}),
    });
    this.inboundEmail = new InboundEmail(this, 'InboundEmail', {
      encryption: this.encryption,
      store: this.store,
      mailStorage: this.mailStorage,
      outboundQueue: this.outbound.queue,
      support: config.support,
      functionDefaults,
      receiptRuleSetName: config.receiptRuleSetName,
      createEmailIdentity: config.createEmailIdentity,
    });

    const smsConfig = config.sms;
    if (smsConfig) {
      this.sms = new Sms(this, 'Sms', {
        encryption: this.encryption,
        store: this.store,
        outboundQueue: this.outbound.queue,
        dispatcher: this.outbound.dispatcher,
        support: { ...config.support, sms: smsConfig },
        functionDefaults,
      });
    }
    // Proactive SMS in quiet hours waits here until they end, missed-call follow-ups until the
    // shop opens, and every deployment's response-time deadline checks until they are due.
    this.deferredSends = new DeferredSends(this, 'DeferredSends', {
      encryption: this.encryption,
      outboundQueue: this.outbound.queue,
    });
    this.deferredSends.grantScheduling(this.outbound.dispatcher);

    if (config.meta || config.shop || config.agents || config.help || config.chat) {
      this.httpApi = new SupportHttpApi(this, 'HttpApi', {
        encryption: this.encryption,
        logRetention: config.logRetentionDays,
        logRemovalPolicy: removalPolicy,
      });
    }
    if (config.meta && this.httpApi) {
      this.social = new Social(this, 'Social', {
        encryption: this.encryption,
        store: this.store,
        support: config.support,
        functionDefaults,
        httpApi: this.httpApi,
        outboundQueue: this.outbound.queue,
        dispatcher: this.outbound.dispatcher,
        whatsappPhoneNumberId: config.meta.whatsappPhoneNumberId,
        graphApiVersion: config.meta.graphApiVersion,
        webhookThrottle: config.meta.webhookThrottle,
      });
    }
    if (config.chat || config.agents) {
      this.webSocketApi = new SupportWebSocketApi(this, 'WebSocket', {
        encryption: this.encryption,
        store: this.store,
        functionDefaults,
        routesTableAccess: config.chat ? 'chatRoutes' : 'agentSockets',
        ...(config.agents?.jwt
          ? { agentTokens: { issuer: config.agents.jwt.issuer, audience: config.agents.jwt.audience } }
          : {}),
        ...(config.chat ? { throttle: config.chat.throttle } : {}),
        logRetention: config.logRetentionDays,
        logRemovalPolicy: removalPolicy,
      });
    }
    if (config.chat && this.webSocketApi) {
      this.chat = new Chat(this, 'Chat', {
        webSocketApi: this.webSocketApi,
        encryption: this.encryption,
        store: this.store,
        support: config.support,
        functionDefaults,
        outboundQueue: this.outbound.queue,
        dispatcher: this.outbound.dispatcher,
        mailStorage: this.mailStorage,
        ...(config.chat.allowedOrigins ? { allowedOrigins: config.chat.allowedOrigins } : {}),
        httpApi: this.httpApi,
      });
    }
    if (config.agents && this.webSocketApi) {
      this.liveUpdates = new LiveUpdates(this, 'LiveUpdates', {
        encryption: this.encryption,
        store: this.store,
        functionDefaults,
        webSocketApi: this.webSocketApi,
      });
    }
    if (config.shop && this.httpApi) {
      // The shop's side: order events (notifications, identity) and reminders, one signing key.
      this.orders = new Orders(this, 'Orders', {
        encryption: this.encryption,
        store: this.store,
        support: config.support,
        functionDefaults,
        httpApi: this.httpApi,
        outboundQueue: this.outbound.queue,
        whatsappPhoneNumberId: config.meta?.whatsappPhoneNumberId,
        throttle: config.shop.orderEventsThrottle,
        legacyBodySignature: config.shop.legacyBodySignature,
      });
      this.reminders = new Reminders(this, 'Reminders', {
        encryption: this.encryption,
        store: this.store,
        support: config.support,
        functionDefaults,
        httpApi: this.httpApi,
        outboundQueue: this.outbound.queue,
        shopSecret: this.orders.shopSecret,
        throttle: config.shop.remindersThrottle,
        legacyBodySignature: config.shop.legacyBodySignature,
      });
    }
    if (config.agents && this.httpApi) {
      this.agentApi = new AgentApi(this, 'AgentApi', {
        store: this.store,
        support: config.support,
        functionDefaults,
        httpApi: this.httpApi,
        outboundQueue: this.outbound.queue,
        jwt: config.agents.jwt,
        throttle: config.agents.throttle,
        mailStorage: this.mailStorage,
        channels: deployedChannels(config),
        repliesOnlyByAssignee: config.agents.repliesOnlyByAssignee,
      });
    }

    if (config.help && this.httpApi) {
      this.helpCenter = new HelpCenter(this, 'HelpCenter', {
        store: this.store,
        support: config.support,
        functionDefaults,
        httpApi: this.httpApi,
        baseUrl: config.help.baseUrl,
        domainNames: config.help.domainNames,
        certificateArn: config.help.certificateArn,
        feedbackThrottle: config.help.feedbackThrottle,
      });
      // Every path that acknowledges a customer links articles; the agent API reports on them.
      for (const fn of [
        this.inboundEmail.function,
        this.sms?.function,
        this.social?.consumer,
        this.agentApi?.function,
        this.chat?.routes,
      ]) {
        if (fn) this.helpCenter.bindSiteUrl(fn);
      }
      const assistant = config.support.assistant;
      if (assistant) {
        this.generatedAnswers = new GeneratedAnswers(this, 'GeneratedAnswers', assistant);
        // SMS has no room for an answer: only the paths that say one may write it.
        for (const fn of [this.inboundEmail.function, this.social?.consumer, this.chat?.routes]) {
          if (fn) this.generatedAnswers.grantAnswering(fn);
        }
      }
      new CfnOutput(this, 'HelpCenterUrl', {
        value: `https://${this.helpCenter.distribution.distributionDomainName}`,
        description: "The help center distribution (point help.baseUrl's host at it, or use it as baseUrl)",
      });
    }

    // Agents' typing signals reach the visitor's sockets.
    if (this.chat && this.agentApi) this.chat.grantPostToConnections(this.agentApi.function);

    if (config.connect) {
      this.voice = new Voice(this, 'Voice', {
        encryption: this.encryption,
        store: this.store,
        support: config.support,
        functionDefaults,
        outboundQueue: this.outbound.queue,
        connect: config.connect,
        deferredSends: this.deferredSends,
      });
      // Every path that can escalate (inbound messages, response-time checks) may create a task.
      for (const fn of [
        this.inboundEmail.function,
        this.sms?.function,
        this.social?.consumer,
        this.outbound.dispatcher,
        this.agentApi?.function,
      ]) {
        if (fn) this.voice.grantTaskCreation(fn);
      }
    }

    // Every function an outside event starts gets its own slice of the account's concurrency.
    if (config.reservedConcurrency !== false) {
      for (const fn of [
        this.inboundEmail.function,
        this.sms?.function,
        this.social?.webhook,
        this.social?.consumer,
        this.orders?.function,
        this.reminders?.function,
        this.voice?.lookupFunction,
        this.voice?.eventsFunction,
        this.webSocketApi?.authorizer,
        this.webSocketApi?.routes,
        this.chat?.confirmation,
        this.helpCenter?.feedbackFunction,
      ]) {
        fn?.reserveConcurrency(config.reservedConcurrency);
      }
    }

    this.observability = new Observability(this, 'Observability', {
      encryption: this.encryption,
      alarmEmail: config.alarmEmail,
    });
    this.observability.alarmOnDeadLetters(
      'Outbound',
      this.outbound.deadLetterQueue,
      'An outbound message (acknowledgement, reply or notification) could not be sent after repeated tries.',
    );
    this.observability.alarmOnDeadLetters(
      'InboundEmail',
      this.inboundEmail.failedEventQueue,
      'A received email could not be processed after Lambda retried it; its raw copy is still in the mail bucket.',
    );
    this.observability.alarmOnFunction(
      'InboundEmail',
      this.inboundEmail.function.lambdaFunction,
      'Inbound email processing',
    );
    if (this.sms) {
      this.observability.alarmOnDeadLetters(
        'InboundSms',
        this.sms.failedEventQueue,
        'A received SMS could not be processed after Lambda retried it (or SNS could not deliver it); the event is in this queue.',
      );
      this.observability.alarmOnFunction(
        'InboundSms',
        this.sms.function.lambdaFunction,
        'Inbound SMS processing',
      );
      new CfnOutput(this, 'InboundSmsTopicArn', {
        value: this.sms.topic.topicArn,
        description:
          'Two-way SMS destination: set it on the phone number (End User Messaging SMS, two-way SMS, SNS topic)',
      });
    }
    this.observability.alarmOnFunction(
      'Dispatcher',
      this.outbound.dispatcher.lambdaFunction,
      'Outbound dispatching',
    );
    this.observability.alarmOnDeadLetters(
      'DeferredSends',
      this.deferredSends.deadLetterQueue,
      'A send held for quiet hours came due but EventBridge Scheduler could not put it on the outbound queue.',
    );
    if (this.reminders) {
      this.observability.alarmOnDeadLetters(
        'ReminderSchedules',
        this.reminders.schedules.deadLetterQueue,
        'A reminder came due but EventBridge Scheduler could not put it on the outbound queue.',
      );
    }

    if (this.orders && this.reminders && this.httpApi) {
      this.observability.alarmOnFunction('OrderEvents', this.orders.function.lambdaFunction, 'Order events');
      this.observability.alarmOnFunction('Reminders', this.reminders.function.lambdaFunction, 'Reminders');
      new CfnOutput(this, 'OrderEventsUrl', {
        value: `${this.httpApi.url}/orders/events`,
        description: 'Where the shop POSTs signed order events',
      });
      new CfnOutput(this, 'RemindersUrl', {
        value: `${this.httpApi.url}/reminders`,
        description: 'Where the shop POSTs signed reminder requests (DELETE /reminders/{id} cancels)',
      });
      new CfnOutput(this, 'ShopSecretArn', {
        value: this.orders.shopSecret.secretArn,
        description:
          'The shop signing key: read it (aws secretsmanager get-secret-value) into the shop, or put your own',
      });
    }
    if (this.liveUpdates && this.webSocketApi) {
      this.observability.alarmOnDeadLetters(
        'LiveUpdates',
        this.liveUpdates.deadLetterQueue,
        "Agents' live-update notices of a stream batch could not be posted after retries; inboxes catch up when they refetch.",
      );
      this.observability.alarmOnFunction(
        'LiveUpdates',
        this.liveUpdates.consumer.lambdaFunction,
        "Agents' live updates",
      );
      new CfnOutput(this, 'AgentWebSocketUrl', {
        value: this.webSocketApi.url,
        description:
          "Agents' inboxes connect here with ?agentToken=<JWT> (webSocketUrl in the inbox's config.json)",
      });
    }
    if (this.agentApi && this.httpApi) {
      this.observability.alarmOnFunction('AgentApi', this.agentApi.function.lambdaFunction, 'The agent API');
      new CfnOutput(this, 'AgentApiUrl', {
        value: this.httpApi.url,
        description: config.agents?.jwt
          ? 'The agent API (GET /conversations, …): send the agent JWT as Authorization: Bearer <token>'
          : 'The agent API (GET /conversations, …): sign requests with SigV4 (IAM auth, execute-api:Invoke)',
      });
    }
    if (this.voice) {
      this.observability.alarmOnDeadLetters(
        'VoiceEvents',
        this.voice.failedEventQueue,
        'An Amazon Connect contact event could not be delivered or processed after retries; the event is in this queue.',
      );
      this.observability.alarmOnFunction(
        'VoiceLookup',
        this.voice.lookupFunction.lambdaFunction,
        'Caller lookup',
      );
      this.observability.alarmOnFunction(
        'VoiceEvents',
        this.voice.eventsFunction.lambdaFunction,
        'Contact events',
      );
      new CfnOutput(this, 'VoiceLookupFunctionArn', {
        value: this.voice.lookupFunction.lambdaFunction.functionArn,
        description:
          'Invoke it from the contact flow (Invoke AWS Lambda function block); its answer is the caller map',
      });
    }
    new CfnOutput(this, 'ConversationTableName', { value: this.store.tableName });
    new CfnOutput(this, 'MailBucketName', { value: this.mailStorage.bucket.bucketName });
    new CfnOutput(this, 'OutboundQueueUrl', { value: this.outbound.queue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.alarmTopic.topicArn });
    if (this.social && this.httpApi) {
      this.observability.alarmOnDeadLetters(
        'SocialInbound',
        this.social.deadLetterQueue,
        'A WhatsApp, Messenger or Instagram webhook delivery could not be processed after repeated tries.',
      );
      this.observability.alarmOnFunction(
        'MetaWebhook',
        this.social.webhook.lambdaFunction,
        'The Meta webhook',
      );
      this.observability.alarmOnFunction(
        'SocialInbound',
        this.social.consumer.lambdaFunction,
        'Social message processing',
      );
      new CfnOutput(this, 'HttpApiUrl', { value: this.httpApi.url });
      new CfnOutput(this, 'MetaWebhookUrl', {
        value: `${this.httpApi.url}/webhooks/meta`,
        description: 'Callback URL for the webhooks of the Meta app (WhatsApp, Messenger, Instagram)',
      });
      new CfnOutput(this, 'MetaVerifyTokenSecretArn', {
        value: this.social.verifyToken.secretArn,
        description:
          'Read it (aws secretsmanager get-secret-value) and paste it as the verify token in the Meta app',
      });
      new CfnOutput(this, 'MetaAppSecretSecretArn', {
        value: this.social.appSecret.secretArn,
        description: 'Put the Meta app secret here (aws secretsmanager put-secret-value)',
      });
      new CfnOutput(this, 'MetaAccessTokenSecretArn', {
        value: this.social.accessToken.secretArn,
        description: 'Put the Graph API access token(s) here (aws secretsmanager put-secret-value)',
      });
    }
    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: this.inboundEmail.ruleSet.receiptRuleSetName,
      description: `Inactive until activated (one active set per account and region): aws ses set-active-receipt-rule-set --rule-set-name ${config.receiptRuleSetName}`,
    });
    new CfnOutput(this, 'MxRecord', {
      value: `${config.support.mailDomain}. MX 10 inbound-smtp.${Aws.REGION}.amazonaws.com`,
      description: 'DNS record that routes the support domain to SES receiving',
    });
    const identity = this.inboundEmail.identity;
    if (identity) {
      const records = [
        [identity.dkimDnsTokenName1, identity.dkimDnsTokenValue1],
        [identity.dkimDnsTokenName2, identity.dkimDnsTokenValue2],
        [identity.dkimDnsTokenName3, identity.dkimDnsTokenValue3],
      ];
      records.forEach(([name, value], index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          value: `${name} CNAME ${value}`,
          description: 'DNS record that verifies the domain identity with Easy DKIM',
        });
      });
    }
  }
}

/** The channels a deployment sends on, from its config sections (the agent API offers these). */
export function deployedChannels(config: DeploymentConfig): Channel[] {
  return [
    'email',
    ...(config.sms ? (['sms'] as const) : []),
    ...(config.meta?.whatsappPhoneNumberId ? (['whatsapp'] as const) : []),
    ...(config.meta ? (['messenger', 'instagram'] as const) : []),
    ...(config.chat ? (['chat'] as const) : []),
  ];
}
