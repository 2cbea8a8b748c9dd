import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { ADMIN_SCOPE, AGENT_READ_SCOPE, AGENT_WRITE_SCOPE } from '../functions/adapters/http/agent-routes.ts';
import { GRAPH_API_VERSION, GRAPH_API_VERSION_PATTERN } from '../functions/channels/meta/graph-api.ts';
import {
  agentAttachmentsSchema,
  chatAttachmentsSchema,
  chatSupportSchema,
  DEFAULT_AGENT_ATTACHMENT_TYPES,
  DEFAULT_CHAT_ATTACHMENT_TYPES,
  type SupportConfig,
  smsConfigSchema,
  supportSettingsSchema,
} from '../functions/core/config.ts';
import { checkConfig } from '../functions/core/config-check.ts';
import { toE164 } from '../functions/core/customers/phone.ts';
import { DEFAULT_THROTTLES, throttleSchema } from './throttle.ts';

/**
 * Deployment settings of one switchboard installation, read from the cdk.json context key
 * `switchboard` (or `-c switchboard='<json>'`). `support` is the run-time configuration the
 * functions receive; everything else only shapes the infrastructure.
 *
 * One nesting rule: every optional channel or feature (`sms`, `meta`, `shop`, `connect`,
 * `agents`, …) is a top-level section here, present to deploy it. A setting the schema does not
 * declare is refused with a suggestion (functions/core/config-check.ts), so adding a
 * setting is adding it to this schema, nothing more.
 */

/** The context key the whole deployment config lives under. */
export const CONFIG_CONTEXT_KEY = 'switchboard';

/** Retention periods CloudWatch Logs accepts; "never expire" is left out on purpose. */
const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/**
 * The support config travels to every function as one environment variable; Lambda allows 4 KB
 * for all of a function's variables together, and the others need a few hundred bytes.
 */
export const SUPPORT_CONFIG_MAX_BYTES = 3 * 1024;

/** SES rule set and rule names: letters, digits, `.`, `_`, `-`; start and end alphanumeric. */
const sesName = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/,
    'use 1-64 letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
  );

/** A DNS host name (lowercase), e.g. `inbox.shop.example`. */
const hostName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/,
    'must be a lowercase host name such as inbox.shop.example',
  );

const httpsUrl = z
  .url({ message: 'must be a URL' })
  .refine((u) => u.startsWith('https://'), { message: 'must be an https:// URL' });

/** `agents.inbox`: where the inbox is served and how agents sign in to it. */
export const inboxConfigSchema = z
  .object({
    /** The inbox's own host name (a CNAME to the distribution); needs `certificateArn`. Absent: the *.cloudfront.net address. */
    domainName: hostName.optional(),
    /** An ACM certificate in us-east-1 (CloudFront's region) covering `domainName`. */
    certificateArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
        'use the ARN of an ACM certificate in us-east-1 (CloudFront only takes those)',
      )
      .optional(),
    /** The UI language when the agent's browser asks for neither Turkish nor English. Absent: support.defaultLanguage if it is one of them, else en. */
    defaultLanguage: z.enum(['tr', 'en']).optional(),
    /** The Cognito user pool the stack creates when `agents.jwt` is absent. */
    userPool: z
      .object({
        /**
         * The hosted sign-in's address, `https://<prefix>.auth.<region>.amazoncognito.com`;
         * unique per region across AWS. Absent: `<stack name>-<account id>`, lowercased.
         */
        domainPrefix: z
          .string()
          .regex(
            /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
            'use 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
          )
          .refine((p) => !/aws|amazon|cognito/.test(p), {
            message: 'must not contain "aws", "amazon" or "cognito" (Cognito refuses them)',
          })
          .optional(),
        /** One-time codes from an authenticator app (TOTP): offered, demanded at every sign-in, or not offered. */
        mfa: z.enum(['optional', 'required', 'off']).default('optional'),
        /**
         * Cognito threat protection (Plus plan): `enforced` blocks risky sign-ins and
         * compromised passwords, `audit` only records them, `off` uses the Essentials plan.
         */
        threatProtection: z.enum(['enforced', 'audit', 'off']).default('enforced'),
      })
      .optional(),
    /** The sign-in of the external issuer `agents.jwt` names (OAuth 2.0 authorization code with PKCE). */
    externalSignIn: z
      .object({
        /** The issuer's OAuth 2.0 authorization endpoint, where the inbox sends agents to sign in. */
        authorizeUrl: httpsUrl,
        /** The issuer's token endpoint, where the inbox exchanges the code (with PKCE) for tokens. */
        tokenUrl: httpsUrl,
        /** Where "sign out" sends the agent, ending the issuer's session too. */
        logoutUrl: httpsUrl.optional(),
        /** A public client (no secret) of that issuer whose redirect URL is the inbox's address. */
        clientId: z.string().min(1).max(256),
        /** The scopes the inbox asks for. */
        scopes: z
          .array(z.string().min(1).max(256))
          .min(1)
          .default(['openid', AGENT_READ_SCOPE, AGENT_WRITE_SCOPE, ADMIN_SCOPE]),
      })
      .optional(),
  })
  .refine((i) => (i.domainName === undefined) === (i.certificateArn === undefined), {
    message: 'domainName and certificateArn go together: a custom domain needs its certificate',
    path: ['certificateArn'],
  });

export const deploymentConfigSchema = z
  .object({
    /** CloudFormation stack name; one installation per name per account and region. */
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'use letters, digits and "-", starting with a letter')
      .default('Switchboard'),
    /**
     * The shop: addresses, languages, business hours, response targets, FAQ. The functions receive
     * it (with the deployed channels' sections) as SUPPORT_CONFIG.
     */
    support: supportSettingsSchema,
    /**
     * Two-way SMS through AWS End User Messaging SMS: the inbound topic and function, and SMS
     * sends from the dispatcher. Leave out to deploy without them. (It used to be `support.sms`:
     * move it up a level.)
     */
    sms: smsConfigSchema.optional(),
    /**
     * Keep the conversation table, the mail bucket and the encryption key when the stack is deleted
     * or they are replaced. Only switch it off for throw-away test installations.
     */
    retainData: z.boolean().default(true),
    /**
     * Keep the table's retired indexes for one deploy of an upgrade (docs/operations.md, "Upgrading
     * the table's indexes"): true on the first deploy of a release that replaces an index, then
     * removed once the replacement is ACTIVE. A new installation leaves it out.
     */
    keepRetiredIndexes: z.boolean().default(false),
    /** Who gets alarm emails (an SNS subscription that must be confirmed once). */
    alarmEmail: z.email({ message: 'must be an email address' }).optional(),
    /** How long CloudWatch Logs keeps the functions' logs, in days (one of its retention periods). */
    logRetentionDays: z
      .number()
      .int()
      .refine((days) => LOG_RETENTION_DAYS.includes(days), {
        message: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(RetentionDays.THREE_MONTHS),
    /** Raw MIME copies are needed only to reprocess a message; parsed content lives in the table. */
    rawMailRetentionDays: z.number().int().positive().max(3_650).default(90),
    /**
     * The SES receipt rule set created for you. Activate it once after the first deploy: only one
     * set is active per account and region.
     */
    receiptRuleSetName: sesName.default('switchboard-inbound'),
    /**
     * Create and verify the SES domain identity for `support.mailDomain` (DKIM records become stack
     * outputs). Turn off when the domain is already an identity in this account and region.
     */
    createEmailIdentity: z.boolean().default(true),
    /** Powertools log level of the functions. */
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /**
     * Stack traces of the functions mapped to the TypeScript sources (NODE_OPTIONS=
     * --enable-source-maps). The maps are deployed either way; switched on, every cold start
     * reads and parses them (docs/benchmark.md has the cost), so it is off unless you debug.
     */
    sourceMapStackTraces: z.boolean().default(false),
    /**
     * Concurrent executions reserved for (and the most used by) each inbound function: mail,
     * SMS, the Meta webhook and its consumer, voice, the shop API. A flood on one of them is
     * throttled and retried by its source instead of taking the account's whole concurrency.
     * AWS keeps 100 executions unreserved, so the account's quota must cover 100 + 8 × this.
     * `false` reserves nothing (accounts whose concurrency quota is still AWS's starting 10).
     */
    reservedConcurrency: z.union([z.number().int().min(5).max(1_000), z.literal(false)]).default(10),
    /**
     * WhatsApp, Messenger and Instagram through one Meta app: the webhook route on the HTTP API,
     * its queue and consumer, and the Graph API sender. Leave out to deploy without them.
     */
    meta: z
      .object({
        /**
         * The WhatsApp Business phone number id (WhatsApp Manager → API setup), not the number.
         * Absent: nothing is sent by WhatsApp.
         */
        whatsappPhoneNumberId: z
          .string()
          .regex(/^\d{5,20}$/, 'use the numeric phone number id from WhatsApp Manager, not the phone number')
          .optional(),
        /** Graph API version of every call. */
        graphApiVersion: z
          .string()
          .regex(GRAPH_API_VERSION_PATTERN, `use a Graph API version such as "${GRAPH_API_VERSION}"`)
          .default(GRAPH_API_VERSION),
        /** Requests per second (and burst) the webhook route accepts before API Gateway answers 429. */
        webhookThrottle: throttleSchema.default(DEFAULT_THROTTLES.metaWebhook),
      })
      .optional(),
    /**
     * The shop-facing API: `POST /orders/events` (order-status notifications, the shop as identity
     * source) and `POST /reminders`, `DELETE /reminders/{id}`, signed with the shop secret. Leave
     * out to deploy without them.
     */
    shop: z
      .object({
        /** Requests per second (and burst) on `/orders/events` before API Gateway answers 429. */
        orderEventsThrottle: throttleSchema.default(DEFAULT_THROTTLES.orderEvents),
        /** The same for the reminder routes. */
        remindersThrottle: throttleSchema.default(DEFAULT_THROTTLES.reminders),
        /**
         * Also accept the old signature of the body alone from requests without
         * X-Signature-Timestamp, while a shop moves to the timestamped one. It can be replayed:
         * leave it off once the shop sends timestamps.
         */
        legacyBodySignature: z.boolean().default(false),
      })
      .optional(),
    /**
     * The agent API (`/conversations…`, `/customers/{id}/timeline`, `/reports/channels`) on the HTTP
     * API. With `jwt`, API Gateway's JWT authorizer checks the agents' tokens (issuer, audience,
     * optional scopes); without it the routes use IAM auth (SigV4-signed requests). Leave out to
     * deploy without it.
     */
    agents: z
      .object({
        /**
         * API Gateway's JWT authorizer checks every agent request against this issuer and audience
         * before the function runs. Absent: IAM auth (SigV4-signed requests).
         */
        jwt: z
          .object({
            /** The identity provider's issuer URL, e.g. a Cognito user pool's `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
            issuer: z
              .url({ message: 'must be the issuer URL of your identity provider' })
              .refine((u) => u.startsWith('https://'), { message: 'must be an https:// URL' }),
            /** Accepted `aud` (or Cognito `client_id`) values: the app client id(s) of the agent tool. */
            audience: z.array(z.string().min(1).max(256)).min(1),
            /**
             * Each route requires its scope (`switchboard/agent.read`, `switchboard/agent.write`,
             * `switchboard/admin`; functions/adapters/http/agent-routes.ts). Off: any token of the issuer
             * and audience may call every route.
             */
            requireScopes: z.boolean().default(true),
          })
          .optional(),
        /** Requests per second (and burst) on each agent route. */
        throttle: throttleSchema.default(DEFAULT_THROTTLES.agentApi),
        /**
         * Only the agent a conversation is assigned to may reply to it; others get 403 and must
         * assign it to themselves first. Off: any agent may reply.
         */
        repliesOnlyByAssignee: z.boolean().default(false),
        /**
         * The agent inbox (web/inbox) on S3 + CloudFront, with its generated `config.json`; and,
         * unless `jwt` names an external issuer, a Cognito user pool with hosted sign-in whose
         * tokens the agent API accepts. Leave out to deploy without it. docs/deploy-inbox.md.
         */
        inbox: inboxConfigSchema.optional(),
        /**
         * Files agents attach to email answers (uploaded straight to the mail bucket with a
         * presigned POST): accepted types, largest file, files per answer.
         */
        attachments: agentAttachmentsSchema.default({
          contentTypes: DEFAULT_AGENT_ATTACHMENT_TYPES,
          maxBytes: 10 * 1024 * 1024,
          maxCount: 5,
        }),
      })
      .refine((a) => !(a.inbox && a.jwt && !a.inbox.externalSignIn), {
        message:
          'is required because agents.jwt names an external issuer, where the inbox signs agents in (authorizeUrl, tokenUrl, clientId); or remove jwt to get a Cognito user pool',
        path: ['inbox', 'externalSignIn'],
      })
      .refine((a) => !(a.inbox?.externalSignIn && !a.jwt), {
        message:
          'is only for an external issuer named in agents.jwt; without jwt the stack creates a Cognito user pool and the inbox signs in there',
        path: ['inbox', 'externalSignIn'],
      })
      .refine((a) => !(a.inbox?.userPool && a.jwt), {
        message:
          'configures the Cognito user pool, which is not created when agents.jwt names an external issuer',
        path: ['inbox', 'userPool'],
      })
      .refine(
        (a) => !a.inbox?.externalSignIn || !a.jwt || a.jwt.audience.includes(a.inbox.externalSignIn.clientId),
        {
          message: "must be one of agents.jwt.audience, or the agent API refuses the inbox's tokens",
          path: ['inbox', 'externalSignIn', 'clientId'],
        },
      )
      .optional(),
    /**
     * The voice channel on an Amazon Connect instance: the caller-lookup function its
     * contact flows invoke, the contact-events rule, and escalation tasks. Leave out to deploy
     * without them.
     */
    connect: z
      .object({
        /**
         * The instance ARN (Connect console → instance → Overview): the only instance the functions
         * may call and be invoked by.
         */
        instanceArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/,
            'use the Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<instance id>',
          ),
        /** The contact flow that routes escalation tasks (StartTaskContact); none: escalations are only recorded. */
        taskContactFlowId: z
          .string()
          .regex(/^[0-9a-f-]{36}$/, 'use the contact flow id (the UUID at the end of its ARN)')
          .optional(),
        /** The agent's link to a conversation in a task, with `{conversationId}`; none: the id as text. */
        conversationUrlTemplate: z
          .url({ message: 'must be a URL' })
          .refine((u) => u.startsWith('https://') && u.includes('{conversationId}'), {
            message: 'must be an https:// URL containing {conversationId}',
          })
          .optional(),
        /** Customers flagged VIP (and routed with priority) by the caller lookup. */
        vipCustomerIds: z
          .array(z.string().regex(/^[a-z0-9-]{1,64}$/))
          .max(100)
          .default([]),
        /** Associate the lookup function with the instance (CfnIntegrationAssociation); off: do it in the console. */
        associateLookupFunction: z.boolean().default(true),
      })
      .optional(),
    /**
     * The help center (web/help/articles): a static site on S3 + CloudFront, `POST /help/feedback`
     * on the HTTP API, and acknowledgements that link its articles. Leave out to deploy without it.
     */
    help: z
      .object({
        /**
         * Where customers reach it, without a path: your domain, or the distribution's
         * `https://<id>.cloudfront.net` (the `HelpCenterUrl` output) after the first deploy.
         */
        baseUrl: z
          .url({ message: 'must be a URL' })
          .refine((u) => /^https:\/\/[^/]+\/?$/.test(u), {
            message: 'must be an https:// origin without a path, for example https://help.shop.example',
          })
          .transform((u) => u.replace(/\/+$/, '')),
        /** Host names of the distribution (e.g. `help.shop.example`); they need `certificateArn`. */
        domainNames: z
          .array(z.string().regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a host name'))
          .max(10)
          .optional(),
        /** An ACM certificate in us-east-1 (CloudFront's region) covering `domainNames`. */
        certificateArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
            'use the ARN of an ACM certificate in us-east-1 (CloudFront only takes those)',
          )
          .optional(),
        /** Requests per second (and burst) on `POST /help/feedback`; the function also limits each client to 10 a minute. */
        feedbackThrottle: throttleSchema.default(DEFAULT_THROTTLES.helpFeedback),
      })
      .refine((h) => (h.domainNames === undefined) === (h.certificateArn === undefined), {
        message: 'domainNames and certificateArn go together: a custom domain needs its certificate',
        path: ['certificateArn'],
      })
      .refine((h) => !h.domainNames || h.domainNames.includes(new URL(h.baseUrl).hostname), {
        message: 'the host of baseUrl must be one of domainNames',
        path: ['baseUrl'],
      })
      .optional(),
    /**
     * Live chat on the shop's website: the WebSocket API the widget connects to, its authorizer
     * and routes. Leave out to deploy without it.
     */
    chat: z
      .object({
        /** Frames per second (and burst) the WebSocket API takes before it refuses. */
        throttle: throttleSchema.default(DEFAULT_THROTTLES.webSocket),
        ...chatSupportSchema.shape,
        /**
         * The shop's origins (`https://shop.example`) the widget runs on: the mail bucket's CORS
         * lets them POST uploads. Absent: no uploads, the widget hides its attach button.
         */
        allowedOrigins: z
          .array(z.url().refine((u) => new URL(u).origin === u, 'use an origin: scheme and host, no path'))
          .min(1)
          .max(20)
          .optional(),
        /** What visitors may upload (only with `allowedOrigins`): `contentTypes` and `maxBytes`. */
        attachments: chatAttachmentsSchema.default({
          contentTypes: DEFAULT_CHAT_ATTACHMENT_TYPES,
          maxBytes: 10 * 1024 * 1024,
        }),
      })
      .optional(),
  })
  // The functions read channel sections from their one support config.
  .transform(({ sms, chat, ...config }) => ({
    ...config,
    sms,
    chat,
    support: {
      ...config.support,
      ...(sms ? { sms } : {}),
      ...(config.agents ? { agents: { attachments: config.agents.attachments } } : {}),
      ...(chat
        ? {
            chat: {
              emailAfterMinutes: chat.emailAfterMinutes,
              confirmationUrl: chat.confirmationUrl,
              ...(chat.allowedOrigins ? { attachments: chat.attachments } : {}),
            },
          }
        : {}),
    } satisfies SupportConfig,
  }))
  .check(
    z.superRefine((config, ctx) => {
      // The functions check only the shape of these (the metadata is too big for every cold
      // start); a number whose range is not in use fails here instead.
      for (const [index, number] of (config.support.sms?.ownNumbers ?? []).entries()) {
        if (toE164(number) !== number) {
          ctx.addIssue({
            code: 'custom',
            path: ['sms', 'ownNumbers', index],
            message: 'use a valid phone number in E.164 form, for example "+905321234567"',
          });
        }
      }
      const bytes = Buffer.byteLength(JSON.stringify(config.support), 'utf8');
      if (bytes > SUPPORT_CONFIG_MAX_BYTES) {
        ctx.addIssue({
          code: 'custom',
          path: ['support'],
          message: `is ${bytes} bytes as JSON, more than the ${SUPPORT_CONFIG_MAX_BYTES} that fit in a Lambda environment (4 KB for all variables); list fewer holidays or own addresses`,
        });
      }
    }),
  );

export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;
export type DeploymentConfigInput = z.input<typeof deploymentConfigSchema>;

/** A deployment config that cannot be deployed; `issues` has one `setting: problem` per line. */
export class DeploymentConfigError extends Error {
  override readonly name = 'DeploymentConfigError';
  readonly issues: string;

  constructor(issues: string) {
    super(
      `Invalid switchboard deployment config (cdk.json context "${CONFIG_CONTEXT_KEY}"):\n${issues
        .split('\n')
        .map((line) => `  - ${line}`)
        .join('\n')}`,
    );
    this.issues = issues;
  }
}

/** Validates a raw config value; a JSON string (as `-c switchboard=...` passes it) is parsed first. */
export function parseDeploymentConfig(raw: unknown): DeploymentConfig {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DeploymentConfigError(`${CONFIG_CONTEXT_KEY}: is not valid JSON`);
    }
  }
  if (value === undefined || value === null) {
    throw new DeploymentConfigError(
      `${CONFIG_CONTEXT_KEY}: is missing; add it to the "context" of cdk.json (see the example there)`,
    );
  }
  const result = checkConfig(deploymentConfigSchema, value, CONFIG_CONTEXT_KEY);
  if (!result.ok) throw new DeploymentConfigError(result.issues.join('\n'));
  return result.data;
}

/** Reads and validates the deployment config from the CDK context of `scope`. */
export function readDeploymentConfig(scope: Construct): DeploymentConfig {
  return parseDeploymentConfig(scope.node.tryGetContext(CONFIG_CONTEXT_KEY));
}
