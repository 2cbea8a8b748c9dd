import * as z from 'zod';
import { InvalidInputError } from '../errors.ts';
import { CHANNELS, type OutboundRequest } from '../model.ts';
import { reminderQueueMessageSchema } from '../reminders/reminders.ts';
import { responseDeadlineDueSchema } from '../service-levels/deadlines.ts';
import { firstIssue } from '../validation.ts';

/** The outbound queue's message body. Anything that does not match is refused with its reason. */
export const outboundRequestSchema = z.object({
  id: z.string().min(1).max(200),
  kind: z.enum(['auto-reply', 'order-status', 'reminder', 'survey', 'agent-reply', 'missed-call']),
  channel: z.enum(CHANNELS),
  customerId: z.string().min(1).max(200),
  conversationId: z.string().min(1).max(200).optional(),
  to: z.string().min(1).max(320),
  language: z.string().regex(/^[a-z]{2}$/),
  subject: z.string().max(998).optional(),
  text: z.string().min(1).max(100_000),
  email: z
    .object({
      inReplyTo: z.string().max(998).optional(),
      references: z.array(z.string().max(998)).max(100),
      replyToken: z.string().max(200).optional(),
    })
    .optional(),
  headers: z.record(z.string().max(200), z.string().max(998)),
  requestedAt: z.iso.datetime(),
  agentId: z.string().min(1).max(200).optional(),
  answering: z
    .object({ openedAt: z.iso.datetime(), channel: z.enum(CHANNELS), answered: z.boolean() })
    .optional(),
  unlessSeenInChat: z.string().min(1).max(200).optional(),
  template: z
    .object({
      name: z.string().regex(/^[a-z0-9_]{1,512}$/),
      language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
      parameters: z.array(z.string().max(1024)).max(10),
    })
    .optional(),
  articles: z
    .array(z.object({ slug: z.string().regex(/^[a-z0-9-]{1,60}$/), url: z.url().max(500) }))
    .max(5)
    .optional(),
  fallback: z.object({ from: z.enum(CHANNELS), reason: z.string().min(1).max(500) }).optional(),
  /** Files of an agent's email answer, as stored (their content is read from the mail bucket). */
  attachments: z
    .array(
      z.object({
        filename: z.string().min(1).max(255),
        contentType: z.string().min(1).max(255),
        size: z.number().int().positive(),
        objectKey: z.string().min(1).max(1024),
      }),
    )
    .max(10)
    .optional(),
}) satisfies z.ZodType<OutboundRequest>;

/**
 * Every kind of message the outbound queue carries, told apart by `type`: a send (no `type`, the
 * queue's first kind), a due reminder (`reminder`: a stored one by id, or a whole one from an
 * external scheduler) and a response-time deadline (`response-deadline`). The dispatcher parses
 * each record once with this, and branches on `type`.
 */
export const outboundQueueMessageSchema = z.discriminatedUnion('type', [
  outboundRequestSchema.extend({ type: z.undefined().optional() }),
  // Two shapes share the one `type`: the reminder schema tells them apart.
  z
    .object({ type: z.literal('reminder') })
    .loose()
    .pipe(reminderQueueMessageSchema),
  responseDeadlineDueSchema,
]);
export type OutboundQueueMessage = z.infer<typeof outboundQueueMessageSchema>;

/** An outbound queue record's body, parsed; InvalidInputError with the first wrong field otherwise. */
export function parseOutboundQueueMessage(body: string): OutboundQueueMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidInputError('the outbound message body is not JSON', { cause: error });
  }
  const parsed = outboundQueueMessageSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const { field, reason } = firstIssue(parsed.error, json);
  throw new InvalidInputError(`the outbound message is malformed: ${reason}`, { field });
}
