import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Channel } from '../functions/core/model.ts';
import type { InboxAppConfig, InboxSignIn } from '../web/inbox/app-config.ts';
import { type DeploymentConfig, DeploymentConfigError } from './config.ts';
import { AgentApi } from './constructs/agent-api.ts';
import { AgentSignIn } from './constructs/agent-sign-in.ts';
import { ChannelCounters } from './constructs/channel-counters.ts';
import { Chat } from './constructs/chat.ts';
import { ConversationStore } from './constructs/conversation-store.ts';
import { DeferredSends } from './constructs/deferred-sends.ts';
import { Encryption } from './constructs/encryption.ts';
import { GeneratedAnswers } from './constructs/generated-answers.ts';
import { HelpCenter } from './constructs/help-center.ts';
import { SupportHttpApi } from './constructs/http-api.ts';
import { InboundEmail } from './constructs/inbound-email.ts';
import { InboxHosting } from './constructs/inbox-hosting.ts';
import { LiveUpdates } from './constructs/live-updates.ts';
import { MailStorage } from './constructs/mail-storage.ts';
import { type Monitored, Observability } from './constructs/observability.ts';
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
  /**
   * The built agent inbox (lib/inbox-app.ts writes web/inbox's build there); needed when
   * `agents.inbox` is configured.
   */
  readonly inboxAppDirectory?: string;
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
  /** The channel-hour counters of stored messages, summed from the table's stream. */
  readonly channelCounters: ChannelCounters;
  /** Order events and reminders; present when `shop` is configured. */
  readonly orders?: Orders;
  readonly reminders?: Reminders;
  /** The voice channel (Amazon Connect); present when `connect` is configured. */
  readonly voice?: Voice;
  /** The agent API (conversations, timeline, channel report); present when `agents` is configured. */
  readonly agentApi?: AgentApi;
  /** The agent inbox on S3 + CloudFront; present when `agents.inbox` is configured. */
  readonly inbox?: InboxHosting;
  /** The agents' Cognito user pool; present with `agents.inbox` unless `agents.jwt` names an external issuer. */
  readonly agentSignIn?: AgentSignIn;
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
      // The channel counters sum stored messages from the table's stream; agents' live updates
      // read every change of a conversation there too.
      streamChanges: true,
      keepRetiredIndexes: config.keepRetiredIndexes,
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
      sourceMapStackTraces: config.sourceMapStackTraces,
    };
    this.channelCounters = new ChannelCounters(this, 'ChannelCounters', {
      encryption: this.encryption,
      store: this.store,
      functionDefaults,
    });
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
    // The agents' user pool comes first: its token settings are known before the inbox client
    // exists, so the WebSocket API's agent authorizer can take them as it is made.
    if (config.agents?.inbox && !config.agents.jwt) {
      this.agentSignIn = new AgentSignIn(this, 'AgentSignIn', {
        ...config.agents.inbox.userPool,
        functionDefaults,
        retainData: config.retainData,
      });
    }
    if (config.chat || config.agents) {
      // Agents' sockets accept the same tokens as the agent API: the configured issuer, or the pool.
      const agentTokens = config.agents?.jwt ?? this.agentSignIn?.tokens;
      this.webSocketApi = new SupportWebSocketApi(this, 'WebSocket', {
        encryption: this.encryption,
        store: this.store,
        functionDefaults,
        routesTableAccess: config.chat ? 'chatRoutes' : 'agentSockets',
        ...(agentTokens
          ? { agentTokens: { issuer: agentTokens.issuer, audience: agentTokens.audience } }
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
    const inboxConfig = config.agents?.inbox;
    if (config.agents && inboxConfig && this.httpApi) {
      if (!props.inboxAppDirectory) {
        throw new Error('agents.inbox is configured but no built inbox was given (inboxAppDirectory)');
      }
      // The WebSocket API exists whenever agents are configured: live updates reach the inbox there.
      const webSocketUrl = this.webSocketApi?.url;
      if (!webSocketUrl) throw new Error('the inbox needs the WebSocket API, which agents always get');
      const external = inboxConfig.externalSignIn;
      const signInOrigin =
        this.agentSignIn?.baseUrl ?? (external ? new URL(external.tokenUrl).origin : undefined);
      // Attachments are uploaded straight to the mail bucket (presigned POST) and shown from it.
      const mailOrigin = `https://${this.mailStorage.bucket.bucketRegionalDomainName}`;
      this.inbox = new InboxHosting(this, 'Inbox', {
        appDirectory: props.inboxAppDirectory,
        accessLogBucket: this.mailStorage.accessLogBucket,
        domainName: inboxConfig.domainName,
        certificateArn: inboxConfig.certificateArn,
        connectSources: [this.httpApi.url, webSocketUrl, ...(signInOrigin ? [signInOrigin] : []), mailOrigin],
        imageSources: [mailOrigin],
        logRemovalPolicy: removalPolicy,
      });
      let signIn: InboxSignIn;
      if (this.agentSignIn) {
        this.agentSignIn.bindInbox(this.inbox.url);
        signIn = this.agentSignIn.inboxSignIn(this.inbox.url);
      } else if (external) {
        signIn = { kind: 'oauth', ...external, redirectUri: `${this.inbox.url}/` };
      } else {
        throw new DeploymentConfigError(
          'switchboard.agents.inbox.externalSignIn: is required with agents.jwt',
        );
      }
      const appConfig: InboxAppConfig = {
        apiBaseUrl: this.httpApi.url,
        webSocketUrl,
        signIn,
        defaultLanguage:
          inboxConfig.defaultLanguage ??
          (config.support.defaultLanguage === 'tr' || config.support.defaultLanguage === 'en'
            ? config.support.defaultLanguage
            : 'en'),
      };
      this.inbox.deployApp(appConfig);
      this.httpApi.allowBrowserOrigins(this.inbox.browserOrigins);
      this.mailStorage.allowBrowserUploads(this.inbox.browserOrigins);
    }
    if (config.agents && this.httpApi) {
      this.agentApi = new AgentApi(this, 'AgentApi', {
        store: this.store,
        support: config.support,
        functionDefaults,
        httpApi: this.httpApi,
        outboundQueue: this.outbound.queue,
        // The inbox's user pool when the stack creates one, else the issuer the config names.
        jwt: config.agents.jwt ?? this.agentSignIn?.tokens,
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
    // Each part alarms on what it runs and outputs what a shop needs from it; the order is the
    // dashboard's.
    const monitored: Array<Monitored | undefined> = [
      this.outbound,
      this.inboundEmail,
      this.channelCounters,
      this.sms,
      this.deferredSends,
      this.orders,
      this.reminders,
      this.liveUpdates,
      this.agentApi,
      this.inbox,
      this.agentSignIn,
      this.voice,
      this.social,
      this.webSocketApi,
      this.chat,
      this.helpCenter,
    ];
    for (const part of monitored) part?.addMonitoring(this.observability);
    new CfnOutput(this, 'ConversationTableName', { value: this.store.tableName });
    new CfnOutput(this, 'MailBucketName', { value: this.mailStorage.bucket.bucketName });
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
