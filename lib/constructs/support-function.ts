import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, Aws, DockerImage, Duration, type ILocalBundling, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  CfnFunction,
  Code,
  type DestinationConfig,
  type IDestination,
  type IFunction,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { buildSync } from 'esbuild';
import type { TableFunction } from '../../functions/adapters/dynamodb/key-prefixes.ts';
import {
  FUNCTION_SCHEMAS,
  type FunctionEnvironmentVariable,
  type FunctionName,
  readsVariable,
} from '../../functions/adapters/environment.ts';
import type { SupportConfig } from '../../functions/core/config.ts';
import { DEFAULT_FUNCTION_TIMEOUT_SECONDS, leaseSecondsFor } from '../../functions/core/event-lease.ts';
import { SUPPORT_CONFIG_MAX_BYTES } from '../config.ts';
import { acknowledgeFinding, wildcardResourceFinding } from '../nag.ts';
import type { ConversationStore, ConversationStoreAccess } from './conversation-store.ts';
import type { Encryption } from './encryption.ts';
import { functionBuildOptions, SOURCE_MAPS_NODE_OPTIONS } from './function-bundle.ts';
import { personalDataProtectionPolicy } from './log-data-protection.ts';
import type { MailAccess, MailStorage } from './mail-storage.ts';
import { grantSendToQueue } from './permissions.ts';

/** Absolute path of a Lambda entry point: its composition module, `functions/composition/<name>.ts`. */
export function handlerEntry(name: FunctionName): string {
  return fileURLToPath(new URL(`../../functions/composition/${name}.ts`, import.meta.url));
}

/** The function an entry point is, by its file name (`…/inbound-email.ts`: `inbound-email`). */
export function functionNameOf(entry: string): FunctionName {
  const name = entry.replace(/^.*\//, '').replace(/\.ts$/, '');
  if (!(name in FUNCTION_SCHEMAS)) {
    throw new Error(`${entry} is no function of FUNCTION_SCHEMAS (functions/adapters/environment.ts)`);
  }
  return name as FunctionName;
}

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface SupportFunctionProps {
  /** The handler file; it exports `handler`. See {@link handlerEntry}. */
  readonly entry: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /**
   * Memory in MB; CPU share grows with it.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Also sets the lease of the function's event claims (EVENT_LEASE_SECONDS, event-lease.ts).
   * @default Duration.seconds(DEFAULT_FUNCTION_TIMEOUT_SECONDS), 30 s
   */
  readonly timeout?: Duration;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Encrypts the log group with the stack's customer-managed key.
   * @default - CloudWatch Logs' own service-managed encryption
   */
  readonly encryption?: Encryption;
  /**
   * POWERTOOLS_SERVICE_NAME: the `service` key of every log line.
   * @default 'switchboard'
   */
  readonly serviceName?: string;
  /**
   * POWERTOOLS_LOG_LEVEL.
   * @default 'INFO'
   */
  readonly logLevel?: PowertoolsLogLevel;
  /**
   * Stack traces mapped to the TypeScript sources (NODE_OPTIONS=--enable-source-maps). The maps
   * are deployed either way; mapping costs every cold start the reading of them.
   * @default false
   */
  readonly sourceMapStackTraces?: boolean;
}

/** The settings every function of one stack shares. */
export type SupportFunctionDefaults = Pick<
  SupportFunctionProps,
  'logRetention' | 'logRemovalPolicy' | 'encryption' | 'serviceName' | 'logLevel' | 'sourceMapStackTraces'
>;

/** Options for {@link SupportFunction.consumeQueue}. */
export interface QueueConsumerOptions {
  /** @default 10 */
  readonly batchSize?: number;
  /** @default Duration.seconds(1) */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most function instances working on the queue at once.
   * @default 5
   */
  readonly maxConcurrency?: number;
}

/** Options for {@link SupportFunction.sendFailedInvocationsTo}. */
export interface FailedInvocationOptions {
  /**
   * Lambda's own retries of a failed asynchronous invocation before the event goes to the queue.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * How long an event may wait for a (re)try before it goes to the queue.
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
}

/**
 * A switchboard Lambda function with the project's opinions built in: Node.js 22 on arm64, an
 * ESM bundle made locally by esbuild, active tracing, JSON logs into a log group with a retention,
 * and a role that starts with nothing but writing its own logs and traces. Each `bind*` method sets
 * the environment variables the handler reads and grants exactly the access they imply.
 */
export class SupportFunction extends Construct {
  /** The handler file (absolute path): what `npm run -s functions` lists the function by. */
  readonly entry: string;
  /** Which function this is: its environment schema is FUNCTION_SCHEMAS[functionName]. */
  readonly functionName: FunctionName;
  readonly lambdaFunction: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SupportFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.functionName = functionNameOf(props.entry);

    props.encryption?.allowCloudWatchLogs();
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      encryptionKey: props.encryption?.key,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      dataProtectionPolicy: personalDataProtectionPolicy(),
    });

    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy lets the function
    // create and write any log group in the account, this one only its own.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
      inlinePolicies: {
        WriteOwnLogs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [this.logGroup.logGroupArn],
            }),
          ],
        }),
        WriteTraces: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    // Acknowledged on the role resource itself, not the whole role construct, so a wildcard that
    // creeps into the grants of its default policy is still reported.
    acknowledgeFinding(
      resourceOf(this.role),
      'AwsSolutions-IAM5[Resource::*]',
      'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; the statement sits alone in the WriteTraces inline policy.',
    );
    acknowledgeFinding(
      resourceOf(this.role),
      'Serverless-LambdaStarPermissions',
      'The one wildcard among the inline policies is the X-Ray statement of WriteTraces: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions. Grants added later go to the default policy, which this does not cover.',
    );

    const timeout = props.timeout ?? Duration.seconds(DEFAULT_FUNCTION_TIMEOUT_SECONDS);
    this.lambdaFunction = new LambdaFunction(this, 'Function', {
      code: functionCode(props.entry),
      // index.mjs (FUNCTION_ENTRY_FILE), export `handler`.
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
    });
    this.setEnvironment('POWERTOOLS_SERVICE_NAME', props.serviceName ?? 'switchboard');
    this.setEnvironment('POWERTOOLS_LOG_LEVEL', props.logLevel ?? 'INFO');
    if (props.sourceMapStackTraces) this.setEnvironment('NODE_OPTIONS', SOURCE_MAPS_NODE_OPTIONS);
    // A claim outlives one attempt of this function and ends before the platform's next try.
    this.setEnvironment('EVENT_LEASE_SECONDS', String(leaseSecondsFor(timeout.toSeconds())));
    // Tracing is switched on at the resource level: the L2 `tracing` prop would put the X-Ray `*`
    // statement into the default policy, and acknowledging it there would also hide any other `*`.
    const cfnFunction = resourceOf(this.lambdaFunction);
    if (!(cfnFunction instanceof CfnFunction)) throw new Error('a Lambda function without a CfnFunction');
    cfnFunction.tracingConfig = { mode: Tracing.ACTIVE };
    acknowledgeFinding(
      this.lambdaFunction,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x deliberately: the bundles are built for it (esbuild target node20, which nodejs22.x runs), the toolchain and test suite run on Node 20/22 and Node 24 is not yet in the tested matrix. Moving runtimes is a tested change, not a default; nodejs22.x stays a supported Lambda runtime into 2027.',
    );
    acknowledgeFinding(
      this.lambdaFunction,
      'Serverless-LambdaLatestVersion',
      'Pinned to nodejs22.x deliberately (see AwsSolutions-L1 on this function): the bundles are built for it and Node 24 is not yet in the tested matrix; nodejs22.x stays a supported Lambda runtime into 2027.',
    );
  }

  /**
   * Sets one variable of the function's environment. Only a variable its schema names
   * (FUNCTION_SCHEMAS in functions/adapters/environment.ts): the settings loader reads exactly
   * those, so a variable set here and read by nothing fails the synth instead of being ignored.
   */
  setEnvironment(variable: FunctionEnvironmentVariable, value: string): this {
    if (!readsVariable(this.functionName, variable)) {
      throw new Error(
        `the ${this.functionName} function reads no ${variable}: add it to FUNCTION_SCHEMAS['${this.functionName}'] (functions/adapters/environment.ts) or do not set it`,
      );
    }
    this.lambdaFunction.addEnvironment(variable, value);
    return this;
  }

  /**
   * TABLE_NAME, plus item access to the conversation table and its indexes: only to the items of
   * the key prefixes `items` names in FUNCTION_ITEMS (functions/adapters/dynamodb/key-prefixes.ts).
   */
  bindConversationStore(
    store: ConversationStore,
    access: ConversationStoreAccess,
    items: TableFunction,
  ): this {
    this.setEnvironment('TABLE_NAME', store.tableName);
    store.grantItemAccess(this.lambdaFunction, access, items);
    return this;
  }

  /** MAIL_BUCKET, RAW_MAIL_PREFIX and ATTACHMENT_PREFIX, plus object access per prefix. */
  bindMailStorage(storage: MailStorage, access: MailAccess): this {
    this.setEnvironment('MAIL_BUCKET', storage.bucket.bucketName);
    this.setEnvironment('RAW_MAIL_PREFIX', storage.rawMailPrefix);
    this.setEnvironment('ATTACHMENT_PREFIX', storage.attachmentPrefix);
    storage.grantMailAccess(this.lambdaFunction, access);
    for (const pattern of storage.objectArnPatterns(access)) {
      acknowledgeFinding(
        this.role,
        wildcardResourceFinding(this, storage.bucket.arnForObjects(pattern)),
        `Object-level S3 permissions name objects by key; "${pattern}" confines this function to the keys of one prefix (SES message ids or attachment keys are only known at run time).`,
      );
    }
    return this;
  }

  /** OUTBOUND_QUEUE_URL, plus the right to send to that queue. */
  bindOutboundQueue(queue: IQueue): this {
    this.setEnvironment('OUTBOUND_QUEUE_URL', queue.queueUrl);
    grantSendToQueue(this.lambdaFunction, queue);
    return this;
  }

  /** SUPPORT_CONFIG: the validated run-time configuration as JSON. */
  bindSupportConfig(config: SupportConfig): this {
    const json = JSON.stringify(config);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > SUPPORT_CONFIG_MAX_BYTES) {
      throw new Error(
        `SUPPORT_CONFIG would be ${bytes} bytes; at most ${SUPPORT_CONFIG_MAX_BYTES} fit in a Lambda environment`,
      );
    }
    this.setEnvironment('SUPPORT_CONFIG', json);
    return this;
  }

  /**
   * Lets the function send mail as the verified domain identity and as nothing else, through the
   * given configuration set (SES_CONFIGURATION_SET). SESv2 SendEmail with raw content is authorized
   * as ses:SendRawEmail, with simple content as ses:SendEmail; with a configuration set named in
   * the request, SES checks the same actions on that set too.
   */
  bindEmailSending(mailDomain: string, configurationSet?: IConfigurationSet): this {
    const resources = [sesIdentityArn(mailDomain)];
    if (configurationSet) {
      this.setEnvironment('SES_CONFIGURATION_SET', configurationSet.configurationSetName);
      resources.push(
        `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:configuration-set/${configurationSet.configurationSetName}`,
      );
    }
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources }),
    );
    return this;
  }

  /**
   * Where an asynchronous invocation goes after Lambda has given up retrying, so a failed event
   * is kept (with the error) instead of dropped.
   */
  sendFailedInvocationsTo(queue: IQueue, options: FailedInvocationOptions = {}): this {
    this.lambdaFunction.configureAsyncInvoke({
      retryAttempts: options.retryAttempts ?? 2,
      maxEventAge: options.maxEventAge ?? Duration.hours(6),
      onFailure: new QueueDestination(queue),
    });
    acknowledgeFinding(
      this.lambdaFunction,
      'Serverless-LambdaDLQ',
      'Asynchronous invocations that fail after Lambda retried them go to an on-failure destination queue (EventInvokeConfig), which also records the error and the request; a DeadLetterConfig would keep the event alone.',
    );
    return this;
  }

  /**
   * Consumes `queue` in batches with partial batch responses: a failed record goes back to the
   * queue and, after the queue's maxReceiveCount, to its dead-letter queue; the rest of the batch
   * is deleted. When the queue has a dead-letter queue, the function gets DEAD_LETTER_QUEUE_URL and
   * MAX_RECEIVE_COUNT and may send to it: on the last allowed receive it dead-letters a failing
   * record itself, with the reason as message attributes (the redrive would move it reasonless).
   */
  consumeQueue(queue: IQueue, options: QueueConsumerOptions = {}): this {
    const redrive = queue instanceof Queue ? queue.deadLetterQueue : undefined;
    if (redrive) {
      this.setEnvironment('DEAD_LETTER_QUEUE_URL', redrive.queue.queueUrl);
      this.setEnvironment('MAX_RECEIVE_COUNT', String(redrive.maxReceiveCount));
      grantSendToQueue(this.lambdaFunction, redrive.queue);
    }
    this.lambdaFunction.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize ?? 10,
        // A short wait fills batches under load without delaying a lone message noticeably.
        maxBatchingWindow: options.maxBatchingWindow ?? Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: this.#queueConcurrency(options.maxConcurrency ?? 5),
      }),
    );
    acknowledgeFinding(
      this.lambdaFunction,
      'Serverless-LambdaDLQ',
      "Invoked only by an SQS event source mapping (synchronously): a failed record returns to its queue and moves to that queue's dead-letter queue after maxReceiveCount; a function DLQ would never receive anything.",
    );
    acknowledgeFinding(
      this.lambdaFunction,
      'Serverless-LambdaEventSourceMappingDestination',
      "SQS event source mappings take no on-failure destination (only stream and Kafka sources do); the source queue's redrive policy moves a record that keeps failing to its dead-letter queue, which has a depth alarm.",
    );
    return this;
  }

  /**
   * Reserves `executions` of the account's concurrency for this function, which is also the most
   * it may use: a flood on one inbound path is throttled (its events wait and are retried by
   * their source) instead of taking the concurrency every other function needs.
   */
  reserveConcurrency(executions: number): this {
    if (!Number.isInteger(executions) || executions < 1) {
      throw new Error(`reserved concurrency must be a whole number of at least 1, not ${executions}`);
    }
    if (executions < this.#largestQueueConcurrency) {
      throw new Error(
        `reserved concurrency ${executions} is below the ${this.#largestQueueConcurrency} concurrent batches this function's queue is polled with: raise it to at least ${this.#largestQueueConcurrency}`,
      );
    }
    (this.lambdaFunction.node.defaultChild as CfnFunction).reservedConcurrentExecutions = executions;
    this.#reservedConcurrency = executions;
    return this;
  }

  #reservedConcurrency: number | undefined;
  #largestQueueConcurrency = 0;

  /** An SQS poller above the reserved concurrency would be throttled for nothing (and retry). */
  #queueConcurrency(maxConcurrency: number): number {
    if (this.#reservedConcurrency !== undefined && maxConcurrency > this.#reservedConcurrency) {
      throw new Error(
        `the queue's ${maxConcurrency} concurrent batches exceed this function's reserved concurrency of ${this.#reservedConcurrency}`,
      );
    }
    this.#largestQueueConcurrency = Math.max(this.#largestQueueConcurrency, maxConcurrency);
    return maxConcurrency;
  }
}

/**
 * The function's code: its handler bundled locally by esbuild with the options the bench measures
 * (function-bundle.ts), split into an entry chunk and the chunks its `import()`s load later.
 * NodejsFunction cannot do this: it always builds one `--outfile`, and esbuild splits only into
 * an output directory. The SDK is bundled rather than taken from the runtime: the clients are
 * pinned in package.json and tested against exactly those versions (and matching @smithy
 * internals), while the runtime's copy moves with every Lambda runtime update.
 */
function functionCode(entry: string): Code {
  return Code.fromAsset(dirname(entry), {
    // The hash of what was built: an unchanged bundle is not uploaded again.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Only used if local bundling were refused, which it never is: esbuild is a dev dependency.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      // Part of the asset cache key: without it every handler of this directory would share one bundle.
      command: ['esbuild', entry],
      local: new EsbuildBundling(entry),
    },
  });
}

class EsbuildBundling implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    buildSync(functionBuildOptions(this.entry, outputDir));
    return true;
  }
}

/** The ARN of an SES identity of this account and region. */
export function sesIdentityArn(identity: string): string {
  return `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${identity}`;
}

/**
 * An on-failure destination that grants only `sqs:SendMessage` (and the key use it needs), where
 * the stock SqsDestination grants the broader `grantSendMessages` set.
 */
class QueueDestination implements IDestination {
  readonly #queue: IQueue;

  constructor(queue: IQueue) {
    this.#queue = queue;
  }

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    grantSendToQueue(fn, this.#queue);
    return { destination: this.#queue.queueArn };
  }
}

/** The L1 resource behind an L2 construct. */
function resourceOf(construct: IConstruct): IConstruct {
  const resource = construct.node.defaultChild;
  if (!resource) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return resource;
}
