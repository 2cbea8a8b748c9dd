import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EventBridgeDeferredSends,
  scheduleName,
} from '../../../functions/adapters/scheduler/eventbridge-deferred-sends.ts';
import { reminderScheduleId } from '../../../functions/core/reminders/reminders.ts';

const client = new SchedulerClient({
  region: 'eu-central-1',
  credentials: { accessKeyId: 't', secretAccessKey: 't' },
});
const scheduler = mockClient(client);
const schedules = new EventBridgeDeferredSends(client, {
  groupName: 'Switchboard-reminders',
  targetQueueArn: 'arn:aws:sqs:eu-central-1:111122223333:switchboard-outbound',
  targetRoleArn: 'arn:aws:iam::111122223333:role/switchboard-reminder-scheduler',
});

beforeEach(() => {
  scheduler.reset();
});

describe('reminders as EventBridge Scheduler schedules', () => {
  it('creates a one-time schedule named from the reminder id, deleted after it fires, carrying the due reminder', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:x', $metadata: {} });

    // Act
    await schedules.schedule({
      id: reminderScheduleId('rem-cart-77'),
      at: new Date('2026-11-24T09:00:00Z'),
      request: { type: 'reminder', reminderId: 'rem-cart-77' },
    });

    // Assess
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: scheduleName('reminder#rem-cart-77'),
      GroupName: 'Switchboard-reminders',
      ScheduleExpression: 'at(2026-11-24T09:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:sqs:eu-central-1:111122223333:switchboard-outbound',
        RoleArn: 'arn:aws:iam::111122223333:role/switchboard-reminder-scheduler',
      },
    });
    expect(JSON.parse(input?.Target?.Input ?? '{}')).toEqual({ type: 'reminder', reminderId: 'rem-cart-77' });
  });

  it('deletes that same schedule when the reminder is cancelled', async () => {
    // Prepare
    scheduler.on(DeleteScheduleCommand).resolves({ $metadata: {} });

    // Act
    await schedules.cancel(reminderScheduleId('rem-cart-77'));

    // Assess
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: scheduleName('reminder#rem-cart-77'),
      GroupName: 'Switchboard-reminders',
    });
  });
});
