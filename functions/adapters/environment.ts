import { ConfigurationError } from '../core/errors.ts';

/**
 * Every environment variable a switchboard function reads, what it means, and which functions
 * read it: the one definition the settings loaders (functions/composition), the constructs'
 * `setEnvironment` (lib/constructs/support-function.ts), `npm run -s functions` and
 * docs/environment.md all read. Tests fail when a construct sets a variable its function's schema
 * does not name, or when the stack with every option on leaves one of a schema out
 * (test/infra/function-environment.test.ts, test/bin/docs/functions.test.ts).
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

/** `required`: the function refuses to start without it; `optional`: a feature is off without it. */
export type Requirement = 'required' | 'optional';

/** The variables one function reads. */
export type FunctionSchema = Readonly<Partial<Record<FunctionEnvironmentVariable, Requirement>>>;

/** Set by SupportFunction on every function; the platform (Powertools, Node) reads most of them. */
const PLATFORM = {
  POWERTOOLS_SERVICE_NAME: 'optional',
  POWERTOOLS_LOG_LEVEL: 'optional',
  NODE_OPTIONS: 'optional',
  // Absent in the sandbox and the tests: the core's default lease.
  EVENT_LEASE_SECONDS: 'optional',
} as const satisfies FunctionSchema;

/** The table and the run-time configuration: what every function on the table reads. */
const TABLE = { TABLE_NAME: 'required', SUPPORT_CONFIG: 'required' } as const satisfies FunctionSchema;

const MAIL_STORAGE = {
  MAIL_BUCKET: 'required',
  RAW_MAIL_PREFIX: 'required',
  ATTACHMENT_PREFIX: 'required',
} as const satisfies FunctionSchema;

/** Set together by the mail storage construct where a function may reach the bucket at all. */
const OPTIONAL_MAIL_STORAGE = {
  MAIL_BUCKET: 'optional',
  RAW_MAIL_PREFIX: 'optional',
  ATTACHMENT_PREFIX: 'optional',
} as const satisfies FunctionSchema;

/** Set together by DeferredSends.grantScheduling. */
const SCHEDULING = {
  SCHEDULE_GROUP: 'required',
  SCHEDULE_TARGET_QUEUE_ARN: 'required',
  SCHEDULE_ROLE_ARN: 'required',
  SCHEDULE_KMS_KEY_ARN: 'optional',
  SCHEDULE_DEAD_LETTER_QUEUE_ARN: 'optional',
} as const satisfies FunctionSchema;

/** Where the function may defer sends: without the scheduler it sends at once. */
const OPTIONAL_SCHEDULING = {
  SCHEDULE_GROUP: 'optional',
  SCHEDULE_TARGET_QUEUE_ARN: 'optional',
  SCHEDULE_ROLE_ARN: 'optional',
  SCHEDULE_KMS_KEY_ARN: 'optional',
  SCHEDULE_DEAD_LETTER_QUEUE_ARN: 'optional',
} as const satisfies FunctionSchema;

/** Escalation tasks in Amazon Connect (Voice.grantTaskCreation); without them escalations are recorded. */
const TASKS = {
  CONNECT_INSTANCE_ID: 'optional',
  CONNECT_TASK_FLOW_ID: 'optional',
  CONNECT_CONVERSATION_URL: 'optional',
} as const satisfies FunctionSchema;

/** The consumed queue's dead-letter queue (SupportFunction.consumeQueue), when it has one. */
const DEAD_LETTERS = { DEAD_LETTER_QUEUE_URL: 'optional', MAX_RECEIVE_COUNT: 'optional' } as const;

/** The shop's signed requests (bindShopSecret). */
const SHOP = { SHOP_SECRET_ARN: 'required', SHOP_LEGACY_BODY_SIGNATURE: 'optional' } as const;

/**
 * The environment of each function, by the name of its handler (functions/handlers/<name>.ts):
 * what its settings loader reads at cold start and what its constructs may set.
 */
export const FUNCTION_SCHEMAS = {
  dispatcher: {
    ...PLATFORM,
    ...TABLE,
    SES_CONFIGURATION_SET: 'optional',
    ...OPTIONAL_MAIL_STORAGE,
    ...DEAD_LETTERS,
    ...OPTIONAL_SCHEDULING,
    META_ACCESS_TOKEN_ARN: 'optional',
    META_GRAPH_API_VERSION: 'optional',
    META_GRAPH_BASE_URL: 'optional',
    WHATSAPP_PHONE_NUMBER_ID: 'optional',
    CHAT_CONNECTIONS_ENDPOINT: 'optional',
    ...TASKS,
  },
  'inbound-email': {
    ...PLATFORM,
    ...TABLE,
    ...MAIL_STORAGE,
    OUTBOUND_QUEUE_URL: 'required',
    HELP_BASE_URL: 'optional',
    ...TASKS,
  },
  'inbound-sms': {
    ...PLATFORM,
    ...TABLE,
    OUTBOUND_QUEUE_URL: 'required',
    HELP_BASE_URL: 'optional',
    ...TASKS,
  },
  'meta-webhook': {
    ...PLATFORM,
    META_APP_SECRET_ARN: 'required',
    META_VERIFY_TOKEN_ARN: 'required',
    META_INBOUND_QUEUE_URL: 'required',
  },
  'inbound-social': {
    ...PLATFORM,
    ...TABLE,
    OUTBOUND_QUEUE_URL: 'required',
    ...DEAD_LETTERS,
    HELP_BASE_URL: 'optional',
    ...TASKS,
  },
  'chat-authorizer': {
    ...PLATFORM,
    AGENT_JWT_ISSUER: 'optional',
    AGENT_JWT_AUDIENCE: 'optional',
    // Absent where only agents connect (no chat): visitors are refused.
    CHAT_IDENTITY_SECRET_ARN: 'optional',
  },
  'chat-websocket': {
    ...PLATFORM,
    TABLE_NAME: 'required',
    CHAT_CONNECTIONS_ENDPOINT: 'required',
    // The visitors' routes need these three (chat deployed); agents' sockets alone do not.
    SUPPORT_CONFIG: 'optional',
    OUTBOUND_QUEUE_URL: 'optional',
    CHAT_IDENTITY_SECRET_ARN: 'optional',
    AGENT_SOCKETS_ENABLED: 'optional',
    HELP_BASE_URL: 'optional',
    // The widget's uploads, where `chat.attachments` is configured.
    ...OPTIONAL_MAIL_STORAGE,
  },
  'chat-confirm': { ...PLATFORM, ...TABLE, CHAT_IDENTITY_SECRET_ARN: 'required' },
  'channel-counters': { ...PLATFORM, TABLE_NAME: 'required' },
  'live-updates': {
    ...PLATFORM,
    TABLE_NAME: 'required',
    AGENT_SOCKETS_ENABLED: 'required',
    CHAT_CONNECTIONS_ENDPOINT: 'required',
  },
  'order-events': {
    ...PLATFORM,
    ...TABLE,
    OUTBOUND_QUEUE_URL: 'required',
    ...SHOP,
    WHATSAPP_PHONE_NUMBER_ID: 'optional',
  },
  reminders: { ...PLATFORM, ...TABLE, ...SHOP, ...SCHEDULING },
  'agent-api': {
    ...PLATFORM,
    ...TABLE,
    OUTBOUND_QUEUE_URL: 'required',
    ...OPTIONAL_MAIL_STORAGE,
    AGENT_CHANNELS: 'optional',
    AGENT_REPLIES_ONLY_BY_ASSIGNEE: 'optional',
    HELP_BASE_URL: 'optional',
    CHAT_CONNECTIONS_ENDPOINT: 'optional',
    ...TASKS,
  },
  'agent-token-scopes': { ...PLATFORM },
  'help-feedback': { ...PLATFORM, ...TABLE },
  'voice-lookup': {
    ...PLATFORM,
    ...TABLE,
    CONNECT_INSTANCE_ID: 'optional',
    CONNECT_VIP_CUSTOMER_IDS: 'optional',
  },
  'voice-events': {
    ...PLATFORM,
    ...TABLE,
    OUTBOUND_QUEUE_URL: 'required',
    ...OPTIONAL_SCHEDULING,
    ...TASKS,
  },
} as const satisfies Record<string, FunctionSchema>;

/** A Lambda function of the stack, by its handler's name. */
export type FunctionName = keyof typeof FUNCTION_SCHEMAS;

type VariablesOf<F extends FunctionName, R extends Requirement> = {
  [V in keyof (typeof FUNCTION_SCHEMAS)[F]]: (typeof FUNCTION_SCHEMAS)[F][V] extends R ? V : never;
}[keyof (typeof FUNCTION_SCHEMAS)[F]];

/** A variable `F` reads. */
export type VariableOf<F extends FunctionName> = keyof (typeof FUNCTION_SCHEMAS)[F] &
  FunctionEnvironmentVariable;

/** The environment of `F` as its loader sees it: each required variable there, the rest maybe. */
export type EnvironmentOf<F extends FunctionName> = {
  readonly [V in VariablesOf<F, 'required'> & string]: string;
} & { readonly [V in VariablesOf<F, 'optional'> & string]?: string };

/**
 * One variable a part of a function needs although its schema calls it optional (the chat routes
 * of a function that also serves agents alone): a ConfigurationError naming it when it is absent.
 */
export function requireVariable(
  fn: FunctionName,
  name: string,
  value: string | undefined,
  why: string,
): string {
  if (!value) throw new ConfigurationError(`the ${fn} function needs ${name} in its environment ${why}`);
  return value;
}

/** Does `fn` read `variable`? (The constructs ask before they set one.) */
export function readsVariable(fn: FunctionName, variable: FunctionEnvironmentVariable): boolean {
  return variable in FUNCTION_SCHEMAS[fn];
}

/**
 * The variables of `fn`'s schema from `env`, at cold start: a required one that is missing or
 * empty stops the function with a ConfigurationError naming it; an empty optional one is absent.
 */
export function readEnvironment<F extends FunctionName>(
  fn: F,
  env: NodeJS.ProcessEnv = process.env,
): EnvironmentOf<F> {
  const schema: FunctionSchema = FUNCTION_SCHEMAS[fn];
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, requirement] of Object.entries(schema)) {
    const value = env[name];
    if (value !== undefined && value !== '') values[name] = value;
    else if (requirement === 'required') missing.push(name);
  }
  if (missing.length > 0) {
    throw new ConfigurationError(
      `the ${fn} function needs ${missing.join(', ')} in its environment (set by its construct; see docs/environment.md)`,
    );
  }
  return values as EnvironmentOf<F>;
}
