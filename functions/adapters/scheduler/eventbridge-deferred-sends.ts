import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { DeferredSend, DeferredSends } from '../../core/ports/outbound.ts';

export interface SchedulerSettings {
  /** The schedule group every deferred send goes into (deleting the group deletes them all). */
  readonly groupName: string;
  /** The outbound queue: the schedule's target. */
  readonly targetQueueArn: string;
  /** The role EventBridge Scheduler takes to send to that queue (sqs:SendMessage only). */
  readonly targetRoleArn: string;
  /** Encrypts the schedule's payload (customer phone and text) with the stack's key. */
  readonly kmsKeyArn?: string;
  /**
   * Where EventBridge Scheduler puts a due send it could not deliver to the queue after its
   * retries, instead of dropping it.
   */
  readonly deadLetterQueueArn?: string;
}

/**
 * Deferred sends as one-time EventBridge Scheduler schedules: `at(...)` in UTC, no flexible
 * window (a quiet-hours end or a reminder time is meant to the minute), deleted by the service
 * once they fired, with the outbound request as the SQS message body.
 */
export class EventBridgeDeferredSends implements DeferredSends {
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: SchedulerSettings,
  ) {}

  async schedule(send: DeferredSend): Promise<void> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: scheduleName(send.id),
          GroupName: this.settings.groupName,
          ScheduleExpression: `at(${atExpression(send.at)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          KmsKeyArn: this.settings.kmsKeyArn,
          Description: 'switchboard deferred send',
          Target: {
            Arn: this.settings.targetQueueArn,
            RoleArn: this.settings.targetRoleArn,
            Input: JSON.stringify(send.request),
            // A queue that is briefly unavailable gets a few tries within the hour.
            RetryPolicy: { MaximumEventAgeInSeconds: 3_600, MaximumRetryAttempts: 10 },
            ...(this.settings.deadLetterQueueArn
              ? { DeadLetterConfig: { Arn: this.settings.deadLetterQueueArn } }
              : {}),
          },
          // Same send, same token: a retried create within the token's lifetime is the same call.
          ClientToken: scheduleName(send.id),
        }),
      );
    } catch (error) {
      // The schedule exists: a redelivery of the request that created it.
      if (error instanceof ConflictException) return;
      throw error;
    }
  }

  async cancel(id: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(id), GroupName: this.settings.groupName }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
  }
}

/**
 * Schedule names allow 64 of `[0-9a-zA-Z-_.]`; our ids allow anything, so the name is a hash
 * of the id (deterministic: the same id always finds its schedule).
 */
export function scheduleName(id: string): string {
  return `send-${createHash('sha256').update(id).digest('hex').slice(0, 48)}`;
}

/** `yyyy-mm-ddThh:mm:ss`, no zone (the zone is ScheduleExpressionTimezone), rounded up to the second. */
export function atExpression(at: Date): string {
  const seconds = Math.ceil(at.getTime() / 1000) * 1000;
  return new Date(seconds).toISOString().slice(0, 19);
}
