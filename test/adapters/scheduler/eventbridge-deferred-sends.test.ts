import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  atExpression,
  EventBridgeDeferredSends,
  scheduleName,
} from '../../../functions/adapters/scheduler/eventbridge-deferred-sends.ts';
import type { OutboundRequest } from '../../../functions/core/model.ts';

const client = new SchedulerClient({
  region: 'eu-central-1',
  credentials: { accessKeyId: 't', secretAccessKey: 't' },
});
const scheduler = mockClient(client);
const settings = {
  groupName: 'switchboard-deferred',
  targetQueueArn: 'arn:aws:sqs:eu-central-1:111122223333:switchboard-outbound',
  targetRoleArn: 'arn:aws:iam::111122223333:role/switchboard-scheduler',
  kmsKeyArn: 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};
const deferred = new EventBridgeDeferredSends(client, settings);
const meta = { $metadata: {} };

const REQUEST: OutboundRequest = {
  id: 'order-100234-shipped',
  kind: 'order-status',
  channel: 'sms',
  customerId: 'cust-1',
  to: '+905321112233',
  language: 'tr',
  text: 'Siparişiniz kargoda.',
  headers: {},
  requestedAt: '2026-11-23T19:30:00.000Z',
};

beforeEach(() => {
  scheduler.reset();
});

describe('EventBridgeDeferredSends', () => {
  it('creates a one-time at() schedule in UTC that puts the request on the outbound queue and deletes itself', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:…' });

    // Act
    await deferred.schedule({
      id: 'order-100234-shipped@2026-11-24T05:00:00.000Z',
      at: new Date('2026-11-24T05:00:00.000Z'),
      request: REQUEST,
    });

    // Assess
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      GroupName: 'switchboard-deferred',
      ScheduleExpression: 'at(2026-11-24T05:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      KmsKeyArn: settings.kmsKeyArn,
      Target: { Arn: settings.targetQueueArn, RoleArn: settings.targetRoleArn },
    });
    expect(JSON.parse(input?.Target?.Input ?? '')).toEqual(REQUEST);
    expect(input?.Name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });

  it('treats an existing schedule as done (a redelivery scheduled it already)', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ ...meta, message: 'exists', Message: 'exists' }));

    // Act
    const attempt = deferred.schedule({ id: 'x', at: new Date('2026-11-24T05:00:00Z'), request: REQUEST });

    // Assess
    await expect(attempt).resolves.toBeUndefined();
  });

  it('cancels by the same derived name, and an unknown schedule is fine', async () => {
    // Prepare
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ ...meta, message: 'gone', Message: 'gone' }));

    // Act
    await deferred.cancel('rem-cart-77');

    // Assess
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: scheduleName('rem-cart-77'),
      GroupName: 'switchboard-deferred',
    });
  });

  it('derives stable, valid names and rounds at() up to the second', () => {
    // Act / Assess
    expect(scheduleName('a')).toBe(scheduleName('a'));
    expect(scheduleName('a')).not.toBe(scheduleName('b'));
    expect(atExpression(new Date('2026-11-24T05:00:00.250Z'))).toBe('2026-11-24T05:00:01');
  });
});
