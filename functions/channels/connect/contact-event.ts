import * as z from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import type { ContactEvent } from '../../core/voice/contact-events.ts';

/** Any timestamp Date can read; normalized to ISO UTC with milliseconds. */
const timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'must be an ISO 8601 time' })
  .transform((value) => new Date(value).toISOString());

const queueInfoSchema = z.object({
  queueArn: z.string().optional(),
  queueName: z.string().optional(),
  queueType: z.string().optional(),
  enqueueTimestamp: timestamp.optional(),
});

const agentInfoSchema = z.object({
  agentArn: z.string().optional(),
  connectedToAgentTimestamp: timestamp.optional(),
});

/**
 * The EventBridge "Amazon Connect Contact Event". Connect's samples spell the agent block both
 * `agentInfo` and `AgentInfo` (with `AgentArn`), so both are read.
 */
export const contactEventSchema = z.object({
  id: z.string().min(1),
  source: z.literal('aws.connect'),
  'detail-type': z.literal('Amazon Connect Contact Event'),
  time: timestamp,
  detail: z.object({
    eventType: z.string().regex(/^[A-Z_]{1,64}$/, 'must be an upper-case event type such as DISCONNECTED'),
    contactId: z.string().min(1).max(256),
    channel: z.string().min(1),
    instanceArn: z.string().optional(),
    initiationMethod: z.string().optional(),
    initiationTimestamp: timestamp.optional(),
    disconnectTimestamp: timestamp.optional(),
    disconnectReason: z.string().max(128).optional(),
    queueInfo: queueInfoSchema.nullish(),
    agentInfo: agentInfoSchema.nullish(),
    AgentInfo: z
      .object({ AgentArn: z.string().optional(), connectedToAgentTimestamp: timestamp.optional() })
      .nullish(),
  }),
});

export interface ParsedContactEvent {
  readonly eventId: string;
  readonly instanceArn?: string;
  readonly event: ContactEvent;
}

/** Throws InvalidInputError (with the reason) for anything that is not a contact event. */
export function parseContactEvent(raw: unknown): ParsedContactEvent {
  const parsed = contactEventSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidInputError(`not an Amazon Connect contact event: ${z.prettifyError(parsed.error)}`, {
      field: parsed.error.issues[0]?.path.join('.'),
    });
  }
  const { detail, time, id } = parsed.data;
  const agentArn = detail.agentInfo?.agentArn ?? detail.AgentInfo?.AgentArn;
  const connectedAt =
    detail.agentInfo?.connectedToAgentTimestamp ?? detail.AgentInfo?.connectedToAgentTimestamp;
  const queue = detail.queueInfo
    ? {
        ...(detail.queueInfo.queueName ? { name: detail.queueInfo.queueName } : {}),
        ...(detail.queueInfo.queueArn ? { arn: detail.queueInfo.queueArn } : {}),
        ...(detail.queueInfo.enqueueTimestamp ? { enqueuedAt: detail.queueInfo.enqueueTimestamp } : {}),
      }
    : undefined;
  const agent =
    agentArn || connectedAt
      ? { ...(agentArn ? { arn: agentArn } : {}), ...(connectedAt ? { connectedAt } : {}) }
      : undefined;
  // Each event's own moment: a redelivery carries the same, so its timeline entry is the same.
  const ownTime: Record<string, string | undefined> = {
    INITIATED: detail.initiationTimestamp,
    QUEUED: queue?.enqueuedAt,
    CONNECTED_TO_AGENT: connectedAt,
    DISCONNECTED: detail.disconnectTimestamp,
  };
  return {
    eventId: id,
    ...(detail.instanceArn ? { instanceArn: detail.instanceArn } : {}),
    event: {
      contactId: detail.contactId,
      eventType: detail.eventType,
      channel: detail.channel.toUpperCase(),
      ...(detail.initiationMethod ? { initiationMethod: detail.initiationMethod.toUpperCase() } : {}),
      at: ownTime[detail.eventType] ?? time,
      ...(detail.initiationTimestamp ? { initiatedAt: detail.initiationTimestamp } : {}),
      ...(queue ? { queue } : {}),
      ...(agent ? { agent } : {}),
      ...(detail.disconnectTimestamp ? { disconnectedAt: detail.disconnectTimestamp } : {}),
      ...(detail.disconnectReason ? { disconnectReason: detail.disconnectReason } : {}),
    },
  };
}
