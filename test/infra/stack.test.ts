import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { supportConfigSchema } from '../../functions/core/config.ts';
import { parseDeploymentConfig } from '../../lib/config.ts';
import { exampleConfig, synthesizeSwitchboard } from './synth.ts';

type Json = Record<string, unknown>;

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Json;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every identity policy (managed, inline on roles, attached policies). */
function identityStatements(template: Template): PolicyStatementJson[] {
  const documents: { Statement: PolicyStatementJson[] }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    documents.push((policy.Properties as Json).PolicyDocument as { Statement: PolicyStatementJson[] });
  }
  for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
    const inline = ((role.Properties as Json).Policies ?? []) as {
      PolicyDocument: { Statement: PolicyStatementJson[] };
    }[];
    documents.push(...inline.map((p) => p.PolicyDocument));
  }
  return documents.flatMap((d) => d.Statement);
}

function logicalIdOf(template: Template, type: string, properties: Json): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(properties) }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('switchboard stack', () => {
  let template: Template;
  let keyId: string;
  let mailBucketId: string;
  let inboundFunctionId: string;
  let dispatcherFunctionId: string;
  const config = parseDeploymentConfig(exampleConfig());

  beforeAll(() => {
    // Prepare / Act: synthesize the example installation once for the whole file
    ({ template } = synthesizeSwitchboard());
    keyId = logicalIdOf(template, 'AWS::KMS::Key', {});
    mailBucketId = logicalIdOf(template, 'AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      VersioningConfiguration: Match.anyValue(),
    });
    inboundFunctionId = logicalIdOf(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('received by SES'),
    });
    dispatcherFunctionId = logicalIdOf(template, 'AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('outbound'),
    });
  });

  describe('encryption key', () => {
    it('rotates and is kept when the stack goes', () => {
      // Assess
      template.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('lets SES use it only for the one receipt rule of this account', () => {
      // Assess
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'ses.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Condition: {
                StringEquals: {
                  'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      Match.arrayWith([
                        Match.stringLikeRegexp(
                          ':receipt-rule-set/switchboard-inbound:receipt-rule/store-and-process$',
                        ),
                      ]),
                    ],
                  },
                },
              },
            }),
          ]),
        },
      });
    });

    it('lets CloudWatch Logs and alarms use it only within this account', () => {
      // Assess
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: {
                Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
            }),
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              }),
            }),
          ]),
        },
      });
    });
  });

  describe('conversation table', () => {
    it('is on-demand, point-in-time recoverable and encrypted with the key', () => {
      // Assess
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
        DeletionProtectionEnabled: true,
      });
    });

    it('has the shared key schema, the TTL attribute, a keys-only by-customer index and the queues with every attribute', () => {
      // Assess
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byCustomerKeys',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
          {
            IndexName: 'byStatus',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'byAssignee',
            KeySchema: [
              { AttributeName: 'gsi3pk', KeyType: 'HASH' },
              { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
    });

    it('keeps the retired by-customer index beside its replacement only while an upgrade asks for it', () => {
      // Prepare / Act
      const { template: upgrading } = synthesizeSwitchboard({ config: { keepRetiredIndexes: true } });
      const indexesOf = (synthesized: Template) =>
        Object.values(synthesized.findResources('AWS::DynamoDB::Table')).flatMap((table) =>
          (table.Properties.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[]).map(
            (index) => [index.IndexName, index.Projection],
          ),
        );
      const queryResources = identityStatements(upgrading)
        .filter((statement) => asArray(statement.Action).includes('dynamodb:Query'))
        .flatMap((statement) => asArray(statement.Resource))
        .map((resource) => JSON.stringify(resource));

      // Assess: one index more than a new installation has (one creation per table update)
      expect(indexesOf(upgrading)).toEqual([
        ['byCustomerKeys', { ProjectionType: 'KEYS_ONLY' }],
        ['byStatus', { ProjectionType: 'ALL' }],
        ['byAssignee', { ProjectionType: 'ALL' }],
        ['byCustomer', { ProjectionType: 'ALL' }],
      ]);
      expect(indexesOf(template).map(([name]) => name)).toEqual(['byCustomerKeys', 'byStatus', 'byAssignee']);
      // The readers fall back to it while the new index backfills, so they may query it.
      expect(queryResources.some((resource) => resource.includes('/index/byCustomer"'))).toBe(true);
    });

    it('is retained by default', () => {
      // Assess
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('mail bucket', () => {
    it('is encrypted with the key (bucket key on), private and versioned, logging to the log bucket', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
              },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.anyValue() }, LogFilePrefix: 'mail/' },
      });
    });

    it('expires raw mail after the configured days and cleans up uploads and old versions', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 90, Status: 'Enabled' }),
            Match.objectLike({
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            }),
          ]),
        },
      });
    });

    it('refuses requests without TLS', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: mailBucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('lets SES put objects only under the raw-mail prefix, for this account and receipt rule', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: mailBucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'SesReceiptRuleStoresRawMail',
              Effect: 'Allow',
              Principal: { Service: 'ses.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [mailBucketId, 'Arn'] }, '/inbound/*']] },
              Condition: {
                StringEquals: {
                  'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                  'aws:SourceArn': Match.objectLike({ 'Fn::Join': Match.anyValue() }),
                },
              },
            },
          ]),
        },
      });
    });

    it('takes the raw-mail retention from the deployment config', () => {
      // Prepare / Act
      const { template: shortRetention } = synthesizeSwitchboard({ config: { rawMailRetentionDays: 30 } });

      // Assess
      shortRetention.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 30 })]),
        },
      });
    });
  });

  describe('SES receipt rule', () => {
    it('scans, requires TLS and stores the raw mail before invoking the function asynchronously', () => {
      // Assess
      template.hasResourceProperties('AWS::SES::ReceiptRule', {
        Rule: {
          Name: 'store-and-process',
          Enabled: true,
          Recipients: ['support.example.com'],
          ScanEnabled: true,
          TlsPolicy: 'Require',
          Actions: [
            { S3Action: { BucketName: { Ref: mailBucketId }, ObjectKeyPrefix: 'inbound/' } },
            {
              LambdaAction: {
                FunctionArn: { 'Fn::GetAtt': [inboundFunctionId, 'Arn'] },
                InvocationType: 'Event',
              },
            },
          ],
        },
      });
    });

    it('leaves encryption to the bucket (no client-side KMS key on the S3 action)', () => {
      // Assess
      const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0] as { Properties: Json };
      expect(JSON.stringify(rule.Properties)).not.toContain('KmsKeyArn');
    });

    it('is created after the bucket policy and the invoke permission it depends on', () => {
      // Assess
      const [rule] = Object.values(template.findResources('AWS::SES::ReceiptRule')) as {
        DependsOn: string[];
      }[];
      const permissionId = logicalIdOf(template, 'AWS::Lambda::Permission', {
        Principal: 'ses.amazonaws.com',
      });
      const bucketPolicyId = logicalIdOf(template, 'AWS::S3::BucketPolicy', {
        Bucket: { Ref: mailBucketId },
      });
      expect(rule?.DependsOn).toEqual(expect.arrayContaining([permissionId, bucketPolicyId]));
    });

    it('lets only SES of this account, for this rule, invoke the function', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [inboundFunctionId, 'Arn'] },
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      });
    });

    it('retries a failed invocation twice, then keeps it in an encrypted failed-events queue', () => {
      // Assess
      const [config] = Object.values(
        template.findResources('AWS::Lambda::EventInvokeConfig', {
          Properties: { FunctionName: { Ref: inboundFunctionId }, MaximumRetryAttempts: 2 },
        }),
      ) as {
        Properties: { DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [string, string] } } } };
      }[];
      const [queueId] = config?.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'] ?? [];
      expect(template.toJSON().Resources[queueId ?? '']).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, MessageRetentionPeriod: 1_209_600 },
      });
    });

    it('creates the domain identity unless told the domain is already one', () => {
      // Prepare / Act
      const { template: existingIdentity } = synthesizeSwitchboard({
        config: { createEmailIdentity: false },
      });

      // Assess
      template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'support.example.com' });
      existingIdentity.resourceCountIs('AWS::SES::EmailIdentity', 0);
    });
  });

  describe('outbound queue', () => {
    it('is encrypted with the key, redrives to its DLQ after 5 receives and outlasts six dispatcher timeouts', () => {
      // Assess
      const dispatcher = template.toJSON().Resources[dispatcherFunctionId] as {
        Properties: { Timeout: number };
      };
      const [queue] = Object.values(
        template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }),
      ) as { Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } } } }[];
      expect(queue?.Properties).toMatchObject({
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        RedrivePolicy: { maxReceiveCount: 5 },
        VisibilityTimeout: dispatcher.Properties.Timeout * 6,
      });
      const [dlqId] = queue?.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'] ?? [];
      expect(template.toJSON().Resources[dlqId ?? '']).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, MessageRetentionPeriod: 1_209_600 },
      });
    });

    it('encrypts every queue and refuses requests without TLS', () => {
      // Assess
      const queues = template.findResources('AWS::SQS::Queue');
      for (const [id, queue] of Object.entries(queues)) {
        expect((queue as { Properties: Json }).Properties.KmsMasterKeyId).toEqual({
          'Fn::GetAtt': [keyId, 'Arn'],
        });
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
      // Outbound and its DLQ, the inbound-email failed events, the channel counters' failed
      // batches, the alarm mail subscription's dead-letter queue: the example deploys email only.
      expect(Object.keys(queues)).toHaveLength(5);
    });

    it('feeds the dispatcher in batches of 10 that report partial failures', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: dispatcherFunctionId },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumBatchingWindowInSeconds: Match.anyValue(),
        ScalingConfig: { MaximumConcurrency: 5 },
      });
      const [mapping] = Object.values(
        template.findResources('AWS::Lambda::EventSourceMapping', {
          Properties: { FunctionName: { Ref: dispatcherFunctionId } },
        }),
      ) as {
        Properties: { MaximumBatchingWindowInSeconds: number };
      }[];
      expect(mapping?.Properties.MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(5);
    });
  });

  describe('functions', () => {
    it('run Node.js 22 on arm64 with active tracing and JSON logs into their own log group', () => {
      // Assess
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      // inbound-email, dispatcher and the channel counters: the example deploys email only.
      expect(functions).toHaveLength(3);
      for (const fn of functions as { Properties: Json }[]) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
        });
      }
    });

    it('keep their logs for the configured retention, encrypted with the key', () => {
      // Assess
      const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as {
        Properties: Json;
      }[];
      // One per function (inbound-email, dispatcher, channel counters); no HTTP API in the email-only example.
      expect(logGroups).toHaveLength(3);
      for (const group of logGroups) {
        expect(group.Properties).toMatchObject({
          RetentionInDays: 90,
          KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        });
      }
    });

    it('give the inbound function everything it reads from its environment', () => {
      // Assess
      const fn = template.toJSON().Resources[inboundFunctionId] as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      };
      const variables = fn.Properties.Environment.Variables;
      expect(Object.keys(variables).sort()).toEqual(
        [
          'ATTACHMENT_PREFIX',
          'EVENT_LEASE_SECONDS',
          'MAIL_BUCKET',
          'OUTBOUND_QUEUE_URL',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_SERVICE_NAME',
          'RAW_MAIL_PREFIX',
          'SUPPORT_CONFIG',
          'TABLE_NAME',
        ].sort(),
      );
      expect(variables).toMatchObject({
        RAW_MAIL_PREFIX: 'inbound/',
        ATTACHMENT_PREFIX: 'attachments/',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // One minute's timeout, plus the margin (event-lease.ts).
        EVENT_LEASE_SECONDS: '70',
      });
    });

    it('map stack traces to the TypeScript sources only when sourceMapStackTraces asks for it', () => {
      // Prepare: the maps cost every cold start their reading, so they are off by default
      const { template: mapped } = synthesizeSwitchboard({ config: { sourceMapStackTraces: true } });
      const nodeOptions = (t: Template) =>
        Object.values(t.findResources('AWS::Lambda::Function')).map(
          (fn) =>
            (fn as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties
              .Environment.Variables.NODE_OPTIONS,
        );

      // Assess
      expect(new Set(nodeOptions(template))).toEqual(new Set([undefined]));
      expect(new Set(nodeOptions(mapped))).toEqual(new Set(['--enable-source-maps']));
    });

    it('hand both functions the validated support config, which the functions parse back unchanged', () => {
      // Assess
      for (const id of [inboundFunctionId, dispatcherFunctionId]) {
        const fn = template.toJSON().Resources[id] as {
          Properties: { Environment: { Variables: { SUPPORT_CONFIG: string } } };
        };
        const parsed = supportConfigSchema.parse(
          JSON.parse(fn.Properties.Environment.Variables.SUPPORT_CONFIG),
        );
        expect(parsed).toEqual(config.support);
      }
    });

    it('give the dispatcher its table, config and SES configuration set', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('outbound'),
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: { Ref: Match.anyValue() },
            SUPPORT_CONFIG: Match.anyValue(),
            SES_CONFIGURATION_SET: { Ref: Match.anyValue() },
          }),
        },
      });
    });
  });

  describe('IAM', () => {
    it('lets the dispatcher send mail only as the support domain identity, through its configuration set', () => {
      // Assess
      const sesStatements = identityStatements(template).filter((s) =>
        asArray(s.Action).some((action) => action.startsWith('ses:')),
      );
      expect(sesStatements).toHaveLength(1);
      const [statement] = sesStatements;
      expect(asArray(statement?.Action ?? []).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resources = JSON.stringify(statement?.Resource);
      expect(resources).toContain(':identity/support.example.com"');
      expect(resources).toContain(':configuration-set/');
      expect(asArray(statement?.Resource)).not.toContain('*');
    });

    it('uses a `*` resource only for X-Ray and ListStreams, which have no resource-level permissions', () => {
      // Assess
      const starStatements = identityStatements(template).filter((s) => asArray(s.Resource).includes('*'));
      expect(starStatements.length).toBeGreaterThan(0);
      for (const statement of starStatements) {
        const actions = asArray(statement.Action).sort();
        // The channel counters' event source mapping lists the table's streams.
        if (actions.includes('dynamodb:ListStreams')) expect(actions).toEqual(['dynamodb:ListStreams']);
        else expect(actions).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
    });

    it('grants no wildcard actions and never Scan', () => {
      // Assess
      const actions = identityStatements(template).flatMap((s) => asArray(s.Action));
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
      expect(actions).not.toContain('dynamodb:Scan');
    });

    it('uses no AWS managed policies', () => {
      // Assess
      for (const role of Object.values(template.findResources('AWS::IAM::Role')) as { Properties: Json }[]) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('observability', () => {
    it('alarms on the first message in each dead-letter queue', () => {
      // Assess
      const fed = new Set(
        Object.keys(
          template.findResources('AWS::SQS::Queue', {
            Properties: Match.objectLike({ RedrivePolicy: Match.anyValue() }),
          }),
        ),
      );
      const queueIds = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => !fed.has(id));
      // The outbound DLQ, the inbound-email failed events, the channel counters' failed batches,
      // undelivered alarm mail.
      expect(queueIds).toHaveLength(4);
      for (const queueId of queueIds) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: Match.anyValue() }],
        });
      }
    });

    it('alarms on errors and throttles of every function', () => {
      // Assess
      for (const functionId of [inboundFunctionId, dispatcherFunctionId]) {
        for (const metric of ['Errors', 'Throttles']) {
          template.hasResourceProperties('AWS::CloudWatch::Alarm', {
            MetricName: metric,
            Namespace: 'AWS/Lambda',
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
            TreatMissingData: 'notBreaching',
          });
        }
      }
    });

    it('notifies an encrypted, TLS-only topic that CloudWatch alarms of this account may publish to', () => {
      // Assess
      const topicId = logicalIdOf(template, 'AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              }),
            }),
          ]),
        },
      });
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: Json;
      }[]) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      }
    });

    it('subscribes the alarm email only when one is configured', () => {
      // Prepare / Act
      const { template: withEmail } = synthesizeSwitchboard({ config: { alarmEmail: 'oncall@example.com' } });

      // Assess
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      withEmail.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
      });
    });
  });

  describe('outputs', () => {
    it('name the table, bucket, queue and the receipt rule set to activate', () => {
      // Assess
      template.hasOutput('ConversationTableName', {});
      template.hasOutput('MailBucketName', {});
      template.hasOutput('OutboundQueueUrl', {});
      template.hasOutput('ReceiptRuleSetName', {
        Description: Match.stringLikeRegexp(
          'aws ses set-active-receipt-rule-set --rule-set-name switchboard-inbound',
        ),
      });
    });
  });

  describe('throw-away installations', () => {
    it('drop data, key and deletion protection when retainData is false', () => {
      // Prepare / Act
      const { template: disposable } = synthesizeSwitchboard({ config: { retainData: false } });

      // Assess
      disposable.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      });
      disposable.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
      disposable.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    });
  });
});
