/**
 * Every environment variable a switchboard function reads, and what it means: the one list that
 * `npm run -s functions` and docs/environment.md print beside what the constructs set. A test
 * (test/bin/docs/functions.test.ts) fails when a construct sets a variable that is not here, or
 * when one here is set by no function of a deployment with every option on.
 */

export interface EnvironmentVariable {
  /** What the handler does with it, in a sentence a newcomer can act on. */
  readonly meaning: string;
  /**
   * Read by the functions but never set by the stack: only the sandbox and the tests set it
   * (a stand-in's address, for example).
   */
  readonly localOnly?: true;
}

export const FUNCTION_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: {
    meaning:
      'The `service` key of every log line and metric (Powertools); `switchboard` unless a construct names it.',
  },
  POWERTOOLS_LOG_LEVEL: { meaning: 'Powertools log level, from the `logLevel` setting.' },
  NODE_OPTIONS: {
    meaning:
      '`--enable-source-maps`, set only with `sourceMapStackTraces`: stack traces point at the TypeScript sources (every cold start pays about 12% more init).',
  },
  EVENT_LEASE_SECONDS: {
    meaning:
      "How long one delivery holds an event's claim in the ledger: the function's timeout plus 10 s, so a timed-out attempt never blocks the platform's retry.",
  },
  TABLE_NAME: {
    meaning:
      "The conversation table; the role may touch only the items of the function's key prefixes (`FUNCTION_ITEMS`).",
  },
  SUPPORT_CONFIG: {
    meaning:
      'The validated run-time configuration (`support` plus the deployed channel sections) as JSON, at most 3 KB.',
  },
  MAIL_BUCKET: { meaning: 'The mail bucket: raw MIME from SES and the stored attachments.' },
  RAW_MAIL_PREFIX: {
    meaning: 'Key prefix of the raw MIME objects the SES receipt rule writes (`inbound/`).',
  },
  ATTACHMENT_PREFIX: {
    meaning: 'Key prefix the inbound function stores attachments under (`attachments/`).',
  },
  AGENT_JWT_ISSUER: {
    meaning:
      "The issuer of agents' tokens (`agents.jwt.issuer`, or the stack's Cognito user pool): the WebSocket authorizer lets an agent connect with `?agentToken=` only when it verifies against it.",
  },
  AGENT_JWT_AUDIENCE: {
    meaning:
      "Accepted audiences (Cognito: app client ids) of agents' tokens, comma-separated; checked with the issuer.",
  },
  AGENT_SOCKETS_ENABLED: {
    meaning:
      "`true` where agents' live updates are deployed: the WebSocket routes keep agent connections and relay visitor typing to them, the stream consumer posts notices.",
  },
  AGENT_CHANNELS: {
    meaning:
      'The channels this deployment sends on, comma-separated: the agent API offers only these in `reachable` and the reply channel picker.',
  },
  OUTBOUND_QUEUE_URL: {
    meaning:
      'The outbound queue: acknowledgements, replies, notices and deadlines go here for the dispatcher.',
  },
  SES_CONFIGURATION_SET: {
    meaning: 'The SES configuration set named in every send (the only one the role may use).',
  },
  DEAD_LETTER_QUEUE_URL: {
    meaning:
      "The consumed queue's dead-letter queue: on a record's last allowed receive the function puts it there itself, with the reason as message attributes.",
  },
  MAX_RECEIVE_COUNT: {
    meaning: "The consumed queue's `maxReceiveCount`: which receive is the last before the redrive.",
  },
  SCHEDULE_GROUP: {
    meaning: 'The EventBridge Scheduler group of deferred sends or reminders (one-time schedules).',
  },
  SCHEDULE_TARGET_QUEUE_ARN: {
    meaning: 'The queue a schedule delivers to when it fires (the outbound queue).',
  },
  SCHEDULE_ROLE_ARN: {
    meaning: 'The role a schedule assumes to send to that queue (it may do nothing else).',
  },
  SCHEDULE_KMS_KEY_ARN: { meaning: "The stack key that encrypts each schedule's payload." },
  SCHEDULE_DEAD_LETTER_QUEUE_ARN: {
    meaning: "Where a schedule's target invocation goes when it keeps failing.",
  },
  META_APP_SECRET_ARN: {
    meaning: 'Secret with the Meta app secret: the webhook checks `X-Hub-Signature-256` with it.',
  },
  META_VERIFY_TOKEN_ARN: {
    meaning: "Secret with the verify token Meta's webhook handshake (`GET`) must send.",
  },
  META_INBOUND_QUEUE_URL: { meaning: 'The queue verified webhook deliveries wait on for the consumer.' },
  META_ACCESS_TOKEN_ARN: {
    meaning:
      'Secret with the Graph API access token(s) the dispatcher sends WhatsApp, Messenger and Instagram with.',
  },
  META_GRAPH_API_VERSION: { meaning: 'Graph API version of every call, from `meta.graphApiVersion`.' },
  META_GRAPH_BASE_URL: {
    meaning: 'Graph API base URL; `https://graph.facebook.com` unless the sandbox points it at its stand-in.',
    localOnly: true,
  },
  WHATSAPP_PHONE_NUMBER_ID: {
    meaning:
      'The WhatsApp phone number id we send from (`meta.whatsappPhoneNumberId`); absent: no WhatsApp sends.',
  },
  SHOP_SECRET_ARN: {
    meaning: 'Secret with the shop signing key (or `{"current","previous"}` while it rotates).',
  },
  SHOP_LEGACY_BODY_SIGNATURE: {
    meaning:
      '`true` also accepts the old body-only signature without a timestamp (`shop.legacyBodySignature`).',
  },
  CONNECT_INSTANCE_ID: {
    meaning: 'The Amazon Connect instance id: DescribeContact and StartTaskContact go to it alone.',
  },
  CONNECT_TASK_FLOW_ID: {
    meaning:
      'The contact flow escalation tasks start in (`connect.taskContactFlowId`); absent: escalations are only recorded.',
  },
  CONNECT_CONVERSATION_URL: {
    meaning: "The agent's link to a conversation a task carries (`connect.conversationUrlTemplate`).",
  },
  CONNECT_VIP_CUSTOMER_IDS: {
    meaning: 'Comma-separated customer ids the caller lookup flags `vip` (`connect.vipCustomerIds`).',
  },
  CHAT_IDENTITY_SECRET_ARN: {
    meaning: "Secret with the chat identity key: the shop's backend signs visitor identities with it.",
  },
  CHAT_CONNECTIONS_ENDPOINT: {
    meaning:
      "The chat WebSocket API's management endpoint: answers are posted to the visitors' connections there.",
  },
  HELP_BASE_URL: {
    meaning: 'Where the help center is served (`help.baseUrl`): acknowledgements link its articles.',
  },
  AGENT_REPLIES_ONLY_BY_ASSIGNEE: {
    meaning:
      '`true`: only the agent a conversation is assigned to may reply (`agents.repliesOnlyByAssignee`).',
  },
} as const satisfies Record<string, EnvironmentVariable>;

export type FunctionEnvironmentVariable = keyof typeof FUNCTION_ENVIRONMENT;
