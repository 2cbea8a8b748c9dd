import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import type { IConstruct } from 'constructs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeDeferredSends } from '../../functions/adapters/scheduler/eventbridge-deferred-sends.ts';
import { schedulerSettingsFromEnvironment } from '../../functions/composition/shared/settings.ts';
import { leaseSecondsFor } from '../../functions/core/event-lease.ts';
import type { DeploymentConfigInput } from '../../lib/config.ts';
import { acknowledgementRequest } from '../support/builders.ts';
import { acknowledgementsIn, exampleConfig, synthesizeSwitchboard } from './synth.ts';

/**
 * DESIGN §4 "nothing is lost" as properties of the synthesized template. Every assertion iterates
 * over all resources of a type, so a construct added later (voice, agent API, dashboards) is held
 * to the same rules without touching this file.
 */

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
}

/**
 * Every optional part switched on: SMS, Meta (already in cdk.json), the shop API, the agent API,
 * the Connect voice channel, alarm mail. A new optional part belongs here.
 */
function everyChannel(): Partial<DeploymentConfigInput> {
  const example = exampleConfig();
  return {
    alarmEmail: 'ops@example.com',
    shop: {},
    agents: {},
    connect: {
      instanceArn: 'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de',
    },
    support: example.support,
    sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef', ownNumbers: ['+908501234567'] },
  };
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, or undefined. */
function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const object = value as Json;
  if (typeof object.Ref === 'string') return object.Ref;
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** Every logical id referenced anywhere inside `value`. */
function referencedIds(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown) => {
    const id = referencedId(node);
    if (id) found.add(id);
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) Object.values(node).forEach(visit);
  };
  visit(value);
  return found;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const MANAGED_IDENTIFIER = (name: string) => `:dataprotection::aws:data-identifier/${name}`;

describe('reliability and security of the synthesized stack (every channel on)', () => {
  let resources: Record<string, Resource>;
  let validationReport: {
    pluginReports: {
      pluginName: string;
      conclusion: string;
      violations: unknown[];
      suppressedViolations?: { acknowledgedAt: string; acknowledgedId: string; reason: string }[];
    }[];
  };
  let root: IConstruct;
  let stackPath: string;

  const ofType = (type: string): [string, Json][] =>
    Object.entries(resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id, resource]) => [id, resource.Properties ?? {}]);
  let keys: Set<string>;
  let queues: Set<string>;
  /** Queue id → the event source mapping that consumes it. */
  let consumed: Map<string, Json>;
  const keyIds = () => keys;
  const queueIds = () => queues;
  const consumedQueues = () => consumed;

  beforeAll(() => {
    // Prepare / Act: synthesize the fullest installation once for the whole file
    const synthesized = synthesizeSwitchboard({ config: everyChannel() });
    resources = synthesized.template.toJSON().Resources as Record<string, Resource>;
    validationReport = JSON.parse(
      readFileSync(join(synthesized.assemblyDirectory, 'validation-report.json'), 'utf8'),
    );
    root = synthesized.app;
    stackPath = synthesized.stack.node.path;
    keys = new Set(ofType('AWS::KMS::Key').map(([id]) => id));
    queues = new Set(ofType('AWS::SQS::Queue').map(([id]) => id));
    consumed = new Map(
      ofType('AWS::Lambda::EventSourceMapping').flatMap(([, mapping]) => {
        const queue = referencedId(mapping.EventSourceArn);
        return queue && queues.has(queue) ? [[queue, mapping] as const] : [];
      }),
    );
  });

  describe('queues', () => {
    it('gives every consumed queue a dead-letter queue after 5 to 10 receives', () => {
      // Assess
      expect(consumedQueues().size).toBeGreaterThan(0);
      for (const [queueId] of consumedQueues()) {
        const redrive = resources[queueId]?.Properties?.RedrivePolicy as Json | undefined;
        expect(redrive, queueId).toBeDefined();
        expect(queueIds(), queueId).toContain(referencedId(redrive?.deadLetterTargetArn));
        expect(redrive?.maxReceiveCount, queueId).toBeGreaterThanOrEqual(5);
        expect(redrive?.maxReceiveCount, queueId).toBeLessThanOrEqual(10);
      }
    });

    it('keeps every message invisible for at least six times its consumer timeout', () => {
      // Assess
      for (const [queueId, mapping] of consumedQueues()) {
        const functionId = referencedId(mapping.FunctionName) ?? '';
        // Lambda's default timeout when none is set.
        const timeout = Number(resources[functionId]?.Properties?.Timeout ?? 3);
        const visibility = Number(resources[queueId]?.Properties?.VisibilityTimeout ?? 30);
        expect(visibility, `${queueId} consumed by ${functionId}`).toBeGreaterThanOrEqual(6 * timeout);
      }
    });

    it('tells every consumer its dead-letter queue and receive limit, and lets it send there with the queue key', () => {
      // Assess: the consumer dead-letters a record itself on its last receive, with the reason.
      for (const [queueId, mapping] of consumedQueues()) {
        const functionId = referencedId(mapping.FunctionName) ?? '';
        const fn = resources[functionId]?.Properties ?? {};
        const variables = (fn.Environment as { Variables?: Json } | undefined)?.Variables ?? {};
        const redrive = resources[queueId]?.Properties?.RedrivePolicy as Json | undefined;
        const dlqId = referencedId(redrive?.deadLetterTargetArn) ?? '';
        expect(referencedId(variables.DEAD_LETTER_QUEUE_URL), functionId).toBe(dlqId);
        expect(variables.MAX_RECEIVE_COUNT, functionId).toBe(String(redrive?.maxReceiveCount));
        const roleId = referencedId(fn.Role) ?? '';
        const statements = Object.values(resources)
          .filter((r) => r.Type === 'AWS::IAM::Policy' && referencedIds(r.Properties?.Roles).has(roleId))
          .flatMap((r) =>
            asArray((r.Properties?.PolicyDocument as { Statement?: Json[] } | undefined)?.Statement),
          );
        const allows = (action: string, resourceId: string) =>
          statements.some(
            (st) =>
              asArray(st.Action as string | string[]).includes(action) &&
              asArray(st.Resource).some((r) => referencedId(r) === resourceId),
          );
        expect(allows('sqs:SendMessage', dlqId), `${functionId} → ${dlqId}`).toBe(true);
        const dlqKeyId = referencedId(resources[dlqId]?.Properties?.KmsMasterKeyId) ?? '';
        expect(allows('kms:GenerateDataKey', dlqKeyId), `${functionId} → ${dlqKeyId}`).toBe(true);
      }
    });

    it('has every consumer report partial batch failures', () => {
      // Assess
      for (const [queueId, mapping] of consumedQueues()) {
        expect(mapping.FunctionResponseTypes, queueId).toContain('ReportBatchItemFailures');
      }
    });

    it('treats every queue nobody consumes as a dead-letter queue: something sends its failures there', () => {
      // Prepare: everything that can name a dead-letter queue
      const deadLetterTargets = new Set<string>();
      for (const [, queue] of ofType('AWS::SQS::Queue')) {
        const target = referencedId((queue.RedrivePolicy as Json | undefined)?.deadLetterTargetArn);
        if (target) deadLetterTargets.add(target);
      }
      for (const [, config] of ofType('AWS::Lambda::EventInvokeConfig')) {
        const destination = (config.DestinationConfig as Json | undefined)?.OnFailure as Json | undefined;
        const target = referencedId(destination?.Destination);
        if (target) deadLetterTargets.add(target);
      }
      // A stream source (the live-updates consumer) sends what it gives up on to its on-failure queue.
      for (const [, mapping] of ofType('AWS::Lambda::EventSourceMapping')) {
        const destination = (mapping.DestinationConfig as Json | undefined)?.OnFailure as Json | undefined;
        const target = referencedId(destination?.Destination);
        if (target) deadLetterTargets.add(target);
      }
      for (const [, subscription] of ofType('AWS::SNS::Subscription')) {
        const target = referencedId((subscription.RedrivePolicy as Json | undefined)?.deadLetterTargetArn);
        if (target) deadLetterTargets.add(target);
      }
      for (const [, fn] of ofType('AWS::Lambda::Function')) {
        const variables = ((fn.Environment as Json | undefined)?.Variables ?? {}) as Json;
        const target = referencedId(variables.SCHEDULE_DEAD_LETTER_QUEUE_ARN);
        if (target) deadLetterTargets.add(target);
        const dlq = referencedId((fn.DeadLetterConfig as Json | undefined)?.TargetArn);
        if (dlq) deadLetterTargets.add(dlq);
      }
      for (const [, rule] of ofType('AWS::Events::Rule')) {
        for (const target of asArray(rule.Targets as Json[] | undefined)) {
          const dlq = referencedId((target.DeadLetterConfig as Json | undefined)?.Arn);
          if (dlq) deadLetterTargets.add(dlq);
        }
      }

      // Assess
      for (const queueId of queueIds()) {
        if (consumedQueues().has(queueId)) continue;
        expect(deadLetterTargets, `${queueId} is neither consumed nor anyone's dead-letter queue`).toContain(
          queueId,
        );
      }
    });

    it('alarms on the first message in every dead-letter queue', () => {
      // Prepare
      const alarmedQueues = new Set(
        ofType('AWS::CloudWatch::Alarm')
          .filter(
            ([, alarm]) =>
              alarm.Namespace === 'AWS/SQS' &&
              alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
              alarm.Threshold === 0 &&
              alarm.ComparisonOperator === 'GreaterThanThreshold' &&
              asArray(alarm.AlarmActions as unknown[]).length > 0,
          )
          .flatMap(([, alarm]) =>
            asArray(alarm.Dimensions as Json[])
              .filter((dimension) => dimension.Name === 'QueueName')
              .map((dimension) => referencedId(dimension.Value)),
          ),
      );
      const deadLetterQueues = [...queueIds()].filter((id) => !consumedQueues().has(id));

      // Assess
      expect(deadLetterQueues.length).toBeGreaterThanOrEqual(consumedQueues().size);
      for (const queueId of deadLetterQueues) {
        expect(alarmedQueues, queueId).toContain(queueId);
        // The longest SQS keeps a message: time to look at it and redrive it.
        expect(resources[queueId]?.Properties?.MessageRetentionPeriod, queueId).toBe(14 * 24 * 3600);
      }
    });
  });

  describe('asynchronous invocations', () => {
    const ASYNC_INVOKERS = [
      'ses.amazonaws.com',
      'sns.amazonaws.com',
      'events.amazonaws.com',
      's3.amazonaws.com',
      'scheduler.amazonaws.com',
    ];

    it("lets every function's event claims outlive one attempt and end before the platform's next try", () => {
      // Prepare: a claim may outlive its attempt by at most this before a retry would find it held.
      const asyncFunctions = new Set(
        ofType('AWS::Lambda::Permission')
          .filter(([, permission]) => ASYNC_INVOKERS.includes(String(permission.Principal)))
          .map(([, permission]) => referencedId(permission.FunctionName)),
      );
      // Lambda retries a failed asynchronous invocation after one minute at the earliest.
      const FIRST_ASYNC_RETRY_SECONDS = 60;
      const visibilityOf = new Map(
        [...consumedQueues()].map(([queueId, mapping]) => [
          referencedId(mapping.FunctionName),
          Number(resources[queueId]?.Properties?.VisibilityTimeout ?? 30),
        ]),
      );
      const tableFunctions = ofType('AWS::Lambda::Function').filter(
        ([, fn]) => ((fn.Environment as Json | undefined)?.Variables as Json | undefined)?.TABLE_NAME,
      );

      // Assess
      expect(tableFunctions.length).toBeGreaterThan(5);
      for (const [functionId, fn] of tableFunctions) {
        const variables = (fn.Environment as Json).Variables as Json;
        const timeout = Number(fn.Timeout ?? 3);
        const lease = Number(variables.EVENT_LEASE_SECONDS);
        expect(lease, functionId).toBe(leaseSecondsFor(timeout));
        expect(lease, functionId).toBeGreaterThan(timeout);
        if (asyncFunctions.has(functionId)) {
          expect(lease, `${functionId} (asynchronous)`).toBeLessThan(timeout + FIRST_ASYNC_RETRY_SECONDS);
        }
        const visibility = visibilityOf.get(functionId);
        if (visibility !== undefined) expect(lease, `${functionId} (SQS)`).toBeLessThan(visibility);
      }
    });

    it('sends every asynchronously invoked function’s failed events to a queue', () => {
      // Prepare
      const asyncFunctions = new Set(
        ofType('AWS::Lambda::Permission')
          .filter(([, permission]) => ASYNC_INVOKERS.includes(String(permission.Principal)))
          .map(([, permission]) => referencedId(permission.FunctionName)),
      );
      const onFailure = new Map(
        ofType('AWS::Lambda::EventInvokeConfig').map(([, config]) => [
          referencedId(config.FunctionName),
          referencedId(
            ((config.DestinationConfig as Json | undefined)?.OnFailure as Json | undefined)?.Destination,
          ),
        ]),
      );

      // Assess
      expect(asyncFunctions.size).toBeGreaterThan(0);
      for (const functionId of asyncFunctions) {
        const functionDlq = referencedId(
          (resources[functionId ?? '']?.Properties?.DeadLetterConfig as Json | undefined)?.TargetArn,
        );
        const destination = onFailure.get(functionId) ?? functionDlq;
        expect(queueIds(), `${functionId} keeps no failed event`).toContain(destination);
      }
    });

    it('gives every SNS subscription a dead-letter queue', () => {
      // Assess
      const subscriptions = ofType('AWS::SNS::Subscription');
      expect(subscriptions.length).toBeGreaterThan(0);
      for (const [id, subscription] of subscriptions) {
        const redrive = subscription.RedrivePolicy as Json | undefined;
        expect(queueIds(), id).toContain(referencedId(redrive?.deadLetterTargetArn));
      }
    });

    it('gives every EventBridge rule target and every schedule in the template a dead-letter queue', () => {
      // Assess
      for (const [id, rule] of ofType('AWS::Events::Rule')) {
        for (const target of asArray(rule.Targets as Json[] | undefined)) {
          expect(queueIds(), `${id} target ${String(target.Id)}`).toContain(
            referencedId((target.DeadLetterConfig as Json | undefined)?.Arn),
          );
        }
      }
      for (const [id, schedule] of ofType('AWS::Scheduler::Schedule')) {
        const target = schedule.Target as Json | undefined;
        expect(queueIds(), id).toContain(referencedId((target?.DeadLetterConfig as Json | undefined)?.Arn));
      }
    });

    it('hands every function that creates schedules a dead-letter queue its schedules name, reachable by their role', () => {
      // Prepare
      const groups = ofType('AWS::Scheduler::ScheduleGroup').map(([, group]) => String(group.Name));
      const schedulers = ofType('AWS::Lambda::Function').filter(([, fn]) => {
        const variables = ((fn.Environment as Json | undefined)?.Variables ?? {}) as Json;
        return variables.SCHEDULE_GROUP !== undefined;
      });

      // Assess
      expect(groups.length).toBeGreaterThan(0);
      expect(
        new Set(schedulers.map(([, fn]) => ((fn.Environment as Json).Variables as Json).SCHEDULE_GROUP)),
      ).toEqual(new Set(groups));
      for (const [id, fn] of schedulers) {
        const variables = (fn.Environment as Json).Variables as Json;
        const deadLetterQueue = referencedId(variables.SCHEDULE_DEAD_LETTER_QUEUE_ARN);
        expect(queueIds(), id).toContain(deadLetterQueue);
        const roleId = referencedId(variables.SCHEDULE_ROLE_ARN) ?? '';
        const statements = asArray(resources[roleId]?.Properties?.Policies as Json[]).flatMap((policy) =>
          asArray((policy.PolicyDocument as Json).Statement as Json[]),
        );
        const canSend = statements.some(
          (statement) =>
            asArray(statement.Action as string[]).includes('sqs:SendMessage') &&
            referencedIds(statement.Resource).has(deadLetterQueue ?? ''),
        );
        expect(canSend, `${roleId} may not send to ${deadLetterQueue}`).toBe(true);
      }
    });
  });

  describe('encryption at rest', () => {
    it('uses only customer-managed keys that rotate', () => {
      // Assess
      expect(keyIds().size).toBeGreaterThan(0);
      for (const [id, key] of ofType('AWS::KMS::Key')) expect(key.EnableKeyRotation, id).toBe(true);
    });

    it('encrypts the table, every queue, topic, log group and secret with one of them', () => {
      // Assess
      for (const [id, table] of ofType('AWS::DynamoDB::Table')) {
        const sse = table.SSESpecification as Json;
        expect(sse.SSEType, id).toBe('KMS');
        expect(keyIds(), id).toContain(referencedId(sse.KMSMasterKeyId));
      }
      for (const [id, queue] of ofType('AWS::SQS::Queue'))
        expect(keyIds(), id).toContain(referencedId(queue.KmsMasterKeyId));
      for (const [id, topic] of ofType('AWS::SNS::Topic'))
        expect(keyIds(), id).toContain(referencedId(topic.KmsMasterKeyId));
      for (const [id, group] of ofType('AWS::Logs::LogGroup'))
        expect(keyIds(), id).toContain(referencedId(group.KmsKeyId));
      for (const [id, secret] of ofType('AWS::SecretsManager::Secret'))
        expect(keyIds(), id).toContain(referencedId(secret.KmsKeyId));
    });

    it('encrypts every bucket with a customer-managed key, except server access log buckets (S3 allows only SSE-S3 there)', () => {
      // Prepare
      const logBuckets = new Set(
        ofType('AWS::S3::Bucket').flatMap(([, bucket]) => {
          const target = referencedId(
            (bucket.LoggingConfiguration as Json | undefined)?.DestinationBucketName,
          );
          return target ? [target] : [];
        }),
      );

      // Assess
      const buckets = ofType('AWS::S3::Bucket');
      expect(buckets.length).toBeGreaterThan(logBuckets.size);
      for (const [id, bucket] of buckets) {
        const rule = (
          (bucket.BucketEncryption as Json).ServerSideEncryptionConfiguration as Json[]
        )[0] as Json;
        const byDefault = rule.ServerSideEncryptionByDefault as Json;
        if (logBuckets.has(id)) {
          expect(byDefault.SSEAlgorithm, id).toBe('AES256');
          continue;
        }
        expect(byDefault.SSEAlgorithm, id).toBe('aws:kms');
        expect(keyIds(), id).toContain(referencedId(byDefault.KMSMasterKeyID));
      }
    });
  });

  describe('encryption in transit', () => {
    /** Resources a Deny-unless-aws:SecureTransport statement of some policy of `policyType` covers. */
    function tlsOnly(policyType: string, targetsKey: string): Set<string> {
      const covered = new Set<string>();
      for (const [, policy] of ofType(policyType)) {
        const statements = asArray((policy.PolicyDocument as Json).Statement as Json[]);
        const deniesPlainText = statements.some(
          (statement) =>
            statement.Effect === 'Deny' &&
            ((statement.Condition as Json | undefined)?.Bool as Json | undefined)?.['aws:SecureTransport'] ===
              'false',
        );
        if (!deniesPlainText) continue;
        const targets = targetsKey === 'Bucket' ? [policy.Bucket] : asArray(policy[targetsKey] as unknown[]);
        for (const target of targets) {
          const id = referencedId(target);
          if (id) covered.add(id);
        }
      }
      return covered;
    }

    it('refuses plain-text access to every queue, topic and bucket', () => {
      // Assess
      const queues = tlsOnly('AWS::SQS::QueuePolicy', 'Queues');
      const topics = tlsOnly('AWS::SNS::TopicPolicy', 'Topics');
      const buckets = tlsOnly('AWS::S3::BucketPolicy', 'Bucket');
      for (const id of queueIds()) expect(queues, id).toContain(id);
      for (const [id] of ofType('AWS::SNS::Topic')) expect(topics, id).toContain(id);
      for (const [id] of ofType('AWS::S3::Bucket')) expect(buckets, id).toContain(id);
    });
  });

  describe('logs', () => {
    it('sets a retention on every log group and gives every function one of them', () => {
      // Assess
      const logGroups = new Set(ofType('AWS::Logs::LogGroup').map(([id]) => id));
      for (const [id, group] of ofType('AWS::Logs::LogGroup'))
        expect(group.RetentionInDays, id).toBeGreaterThan(0);
      for (const [id, fn] of ofType('AWS::Lambda::Function')) {
        // Without an explicit group Lambda creates /aws/lambda/<name>: no retention, no protection.
        expect(logGroups, id).toContain(referencedId((fn.LoggingConfig as Json | undefined)?.LogGroup));
      }
    });

    it('masks email addresses and phone numbers in every log group', () => {
      // Assess
      for (const [id, group] of ofType('AWS::Logs::LogGroup')) {
        const policy = group.DataProtectionPolicy as Json | undefined;
        expect(policy, id).toBeDefined();
        const statements = asArray(policy?.Statement as Json[]);
        const operations = statements.map((statement) => Object.keys(statement.Operation as Json)[0]);
        expect(operations, id).toEqual(expect.arrayContaining(['Audit', 'Deidentify']));
        for (const statement of statements) {
          const identifiers = JSON.stringify(statement.DataIdentifier);
          expect(identifiers, id).toContain(MANAGED_IDENTIFIER('EmailAddress'));
          expect(identifiers, id).toContain(MANAGED_IDENTIFIER('PhoneNumber-US'));
          // E.164 numbers of every country (Turkey has no managed identifier).
          expect(identifiers, id).toContain('E164PhoneNumber');
          expect(identifiers, id).toContain('NationalPhoneNumber');
        }
        const custom = JSON.stringify((policy?.Configuration as Json | undefined)?.CustomDataIdentifier);
        expect(custom, id).toContain('E164PhoneNumber');
        // National form with a trunk 0 (`0532 999 88 77`), as customers and providers write it.
        expect(custom, id).toContain('NationalPhoneNumber');
      }
    });
  });

  describe('cdk-nag', () => {
    it.each(['AwsSolutions', 'Serverless'])('leaves no unacknowledged %s finding', (pack) => {
      // Assess
      const report = validationReport.pluginReports.find((plugin) => plugin.pluginName === pack);
      expect(report).toBeDefined();
      expect(report?.violations).toEqual([]);
      expect(report?.conclusion).toBe('success');
    });

    it('acknowledges each finding on the construct it concerns, with a reason, and none that is not reported', () => {
      // Prepare
      const acknowledgements = acknowledgementsIn(root);
      const used = new Set(
        validationReport.pluginReports.flatMap((report) =>
          (report.suppressedViolations ?? []).map((v) => `${v.acknowledgedAt} ${v.acknowledgedId}`),
        ),
      );

      // Assess
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const acknowledgement of acknowledgements) {
        expect(acknowledgement.id, acknowledgement.path).toMatch(/^(AwsSolutions|Serverless)::/);
        expect(acknowledgement.reason.trim().length, acknowledgement.id).toBeGreaterThan(40);
        expect(acknowledgement.path, acknowledgement.id).not.toBe(stackPath);
        expect(used, `${acknowledgement.path} ${acknowledgement.id}`).toContain(
          `${acknowledgement.path} ${acknowledgement.id}`,
        );
      }
    });
  });
});

describe('deferred sends at run time', () => {
  const scheduler = mockClient(SchedulerClient);
  afterEach(() => scheduler.reset());

  it('names the dead-letter queue the stack hands over on every schedule it creates', async () => {
    // Prepare
    const settings = schedulerSettingsFromEnvironment({
      SCHEDULE_GROUP: 'Switchboard-deferred',
      SCHEDULE_TARGET_QUEUE_ARN: 'arn:aws:sqs:eu-central-1:123456789012:outbound',
      SCHEDULE_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
      SCHEDULE_DEAD_LETTER_QUEUE_ARN: 'arn:aws:sqs:eu-central-1:123456789012:deferred-dlq',
    });
    scheduler.onAnyCommand().resolves({});
    const sends = new EventBridgeDeferredSends(scheduler as unknown as SchedulerClient, settings ?? never());

    // Act
    await sends.schedule({
      id: 'out-1',
      at: new Date('2026-11-24T05:00:00Z'),
      request: acknowledgementRequest(),
    });

    // Assess
    const input = scheduler.calls()[0]?.args[0].input as { Target?: { DeadLetterConfig?: { Arn?: string } } };
    expect(input.Target?.DeadLetterConfig?.Arn).toBe('arn:aws:sqs:eu-central-1:123456789012:deferred-dlq');
  });
});

function never(): never {
  throw new Error('the scheduler settings are incomplete');
}
