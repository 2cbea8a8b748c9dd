import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { describeConfigIssues, supportConfigSchema } from '../functions/core/config.ts';

/**
 * Deployment settings of one switchboard installation, read from the cdk.json context key
 * `switchboard` (or `-c switchboard='<json>'`). `support` is the run-time configuration the
 * functions receive; everything else only shapes the infrastructure.
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

export const deploymentConfigSchema = z
  .object({
    /** CloudFormation stack name; one installation per name per account and region. */
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'use letters, digits and "-", starting with a letter')
      .default('Switchboard'),
    support: supportConfigSchema,
    /**
     * Keep the conversation table, the mail bucket and the encryption key when the stack is deleted
     * or they are replaced. Only switch it off for throw-away test installations.
     */
    retainData: z.boolean().default(true),
    /** Who gets alarm emails (an SNS subscription that must be confirmed once). */
    alarmEmail: z.email({ message: 'must be an email address' }).optional(),
    logRetentionDays: z
      .number()
      .int()
      .refine((days) => LOG_RETENTION_DAYS.includes(days), {
        message: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(RetentionDays.THREE_MONTHS),
    /** Raw MIME copies are needed only to reprocess a message; parsed content lives in the table. */
    rawMailRetentionDays: z.number().int().positive().max(3_650).default(90),
    receiptRuleSetName: sesName.default('switchboard-inbound'),
    /**
     * Create and verify the SES domain identity for `support.mailDomain` (DKIM records become stack
     * outputs). Turn off when the domain is already an identity in this account and region.
     */
    createEmailIdentity: z.boolean().default(true),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /**
     * WhatsApp, Messenger and Instagram through one Meta app: the webhook route on the HTTP API,
     * its queue and consumer, and the Graph API sender. Leave out to deploy without them.
     */
    meta: z
      .object({
        /** The WhatsApp Business phone number id (WhatsApp Manager → API setup), not the number. */
        whatsappPhoneNumberId: z
          .string()
          .regex(/^\d{5,20}$/, 'use the numeric phone number id from WhatsApp Manager, not the phone number')
          .optional(),
        graphApiVersion: z
          .string()
          .regex(/^v\d{1,3}\.\d$/, 'use a Graph API version such as "v21.0"')
          .default('v21.0'),
        /** Requests per second (and burst) the webhook route accepts before API Gateway answers 429. */
        webhookThrottle: z
          .object({
            rateLimit: z.number().positive().max(10_000),
            burstLimit: z.number().int().positive().max(5_000),
          })
          .default({ rateLimit: 100, burstLimit: 200 }),
      })
      .optional(),
    /**
     * The shop-facing API: `POST /orders/events` (order-status notifications, the shop as identity
     * source) and `POST /reminders`, `DELETE /reminders/{id}`, signed with the shop secret. Leave
     * out to deploy without them.
     */
    shop: z
      .object({
        orderEventsThrottle: z
          .object({
            rateLimit: z.number().positive().max(10_000),
            burstLimit: z.number().int().positive().max(5_000),
          })
          .default({ rateLimit: 50, burstLimit: 100 }),
        remindersThrottle: z
          .object({
            rateLimit: z.number().positive().max(10_000),
            burstLimit: z.number().int().positive().max(5_000),
          })
          .default({ rateLimit: 20, burstLimit: 40 }),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const bytes = Buffer.byteLength(JSON.stringify(config.support), 'utf8');
    if (bytes > SUPPORT_CONFIG_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['support'],
        message: `is ${bytes} bytes as JSON, more than the ${SUPPORT_CONFIG_MAX_BYTES} that fit in a Lambda environment (4 KB for all variables); list fewer holidays or own addresses`,
      });
    }
  });

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
  const result = deploymentConfigSchema.safeParse(value);
  if (!result.success) {
    throw new DeploymentConfigError(describeConfigIssues(result.error, CONFIG_CONTEXT_KEY));
  }
  return result.data;
}

/** Reads and validates the deployment config from the CDK context of `scope`. */
export function readDeploymentConfig(scope: Construct): DeploymentConfig {
  return parseDeploymentConfig(scope.node.tryGetContext(CONFIG_CONTEXT_KEY));
}
