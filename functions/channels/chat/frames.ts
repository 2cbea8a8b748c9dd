import * as z from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import type { AttachmentRef, Identity, InboundMessage, Language } from '../../core/model.ts';
import type { ChatIdentityClaims } from './identity-token.ts';

/**
 * The frames the widget sends on the chat WebSocket. API Gateway picks the route from `action`
 * (`$request.body.action`); every frame is checked here again, since anyone can open a socket.
 */

/** API Gateway's own limit for one WebSocket frame; a bigger one never reaches a handler. */
export const MAX_FRAME_BYTES = 32 * 1024;

/** A chat message is typed by a person: longer is a paste that belongs in an attachment. */
export const MAX_CHAT_TEXT_LENGTH = 4_000;

/**
 * A random id the widget makes once the chat is opened (`v-` and 14 characters); no slash, as it
 * is part of the message's provider id.
 */
export const visitorIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'use 1 to 80 letters, digits, ".", ":", "-" or "_"');

const clientMessageId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'use 1 to 80 letters, digits, ".", ":", "-" or "_"');
const language = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'use a BCP 47 language tag such as "tr" or "en-GB"')
  .transform((tag) => tag.slice(0, tag.indexOf('-') > 0 ? tag.indexOf('-') : undefined).toLowerCase());

/** Files one chat message may carry. */
export const MAX_CHAT_ATTACHMENTS = 5;

/** What the widget says it uploaded: checked against the stored object before it counts. */
export const chatAttachmentClaimSchema = z.object({
  objectKey: z.string().min(1).max(400),
  filename: z.string().min(1).max(255),
  contentType: z.string().min(3).max(100),
  size: z.number().int().positive(),
});
export type ChatAttachmentClaim = z.infer<typeof chatAttachmentClaimSchema>;

/** The widget asks where to upload one file (before the message that carries it). */
export const uploadFrameSchema = z.object({
  action: z.literal('upload'),
  /** The widget's own id for this upload, echoed in the answer. */
  uploadId: clientMessageId,
  filename: z.string().trim().min(1).max(255),
  contentType: z.string().trim().toLowerCase().min(3).max(100),
  size: z.number().int().positive(),
});
export type UploadFrame = z.infer<typeof uploadFrameSchema>;

export const sendFrameSchema = z.object({
  action: z.literal('send'),
  /** When given it must be the connection's own visitor (the replay file and the widget carry it). */
  visitorId: visitorIdSchema.optional(),
  clientMessageId,
  text: z.string().max(MAX_CHAT_TEXT_LENGTH * 2),
  /** The browser's language (navigator.language). */
  language: language.optional(),
  /** What an anonymous visitor said their name is (the pre-chat form); a signed identity's wins. */
  name: z.string().trim().min(1).max(120).optional(),
  /** Files the widget uploaded through an upload slot first; the server checks each is there. */
  attachments: z.array(chatAttachmentClaimSchema).max(MAX_CHAT_ATTACHMENTS).default([]),
});
export type SendFrame = z.infer<typeof sendFrameSchema>;

/** Suggestions look at the start of a question: a paste is not looked up whole. */
export const MAX_SUGGEST_TEXT_LENGTH = 500;

export const clientFrameSchema = z.discriminatedUnion('action', [
  sendFrameSchema,
  uploadFrameSchema,
  /** Help-center articles for what the visitor is typing; nothing is sent or stored. */
  z.object({
    action: z.literal('suggest'),
    text: z.string().trim().min(1).max(MAX_SUGGEST_TEXT_LENGTH),
    language: language.optional(),
  }),
  z.object({ action: z.literal('typing'), state: z.enum(['start', 'stop']).default('start') }),
  /** History since `after` (or all of it): after a reconnect, or going back online. */
  z.object({
    action: z.literal('resync'),
    after: z.iso.datetime().optional(),
    language: language.optional(),
  }),
  /** The widget showed (`delivered`) or the visitor saw (`read`) these messages of ours. */
  z.object({
    action: z.literal('read'),
    state: z.enum(['delivered', 'read']).default('read'),
    messageIds: z.array(z.string().min(1).max(200)).min(1).max(100),
  }),
  /** An anonymous visitor leaves an email: linked only once they confirm it from the mail we send. */
  z.object({ action: z.literal('link-email'), email: z.email().max(254), language: language.optional() }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** The frame as JSON (bytes as the socket delivered them); throws InvalidInputError with a reason. */
export function parseClientFrame(body: string | undefined): ClientFrame {
  if (body === undefined || body === '') throw new InvalidInputError('the frame is empty');
  if (Buffer.byteLength(body, 'utf8') > MAX_FRAME_BYTES) {
    throw new InvalidInputError(`the frame is larger than ${MAX_FRAME_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidInputError('the frame is not JSON', { cause: error });
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) throw new InvalidInputError(`not a chat frame: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Who is on the other end of a connection, as the $connect authorizer established it. */
export interface ChatVisitor {
  readonly visitorId: string;
  /** Verified claims of the shop's signed token; absent: anonymous. */
  readonly identity?: ChatIdentityClaims;
}

/**
 * The widget's message as the core's inbound message. The provider id is the visitor's own id for
 * the message, so a resend (a reconnect, a double click) is the same event.
 */
export function chatInboundMessage(
  frame: SendFrame,
  visitor: ChatVisitor,
  receivedAt: string,
  attachments: readonly AttachmentRef[] = [],
): InboundMessage {
  if (frame.visitorId !== undefined && frame.visitorId !== visitor.visitorId) {
    throw new InvalidInputError('visitorId is not the visitor of this connection', { field: 'visitorId' });
  }
  const text = frame.text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .trim();
  if (text === '' && attachments.length === 0) {
    throw new InvalidInputError('text must not be empty', { field: 'text' });
  }
  if (text.length > MAX_CHAT_TEXT_LENGTH) {
    throw new InvalidInputError(`text is longer than ${MAX_CHAT_TEXT_LENGTH} characters`, { field: 'text' });
  }
  const identity = visitor.identity;
  return {
    channel: 'chat',
    providerMessageId: `${visitor.visitorId}/${frame.clientMessageId}`,
    from: { kind: 'chat', value: visitor.visitorId },
    ...((identity?.name ?? frame.name) ? { fromName: identity?.name ?? frame.name } : {}),
    receivedAt,
    text,
    attachments,
    chat: {
      visitorId: visitor.visitorId,
      ...(identity ? { identified: signedIdentityOf(visitor) } : {}),
      ...(frame.language ? { browserLanguage: frame.language as Language } : {}),
    },
  };
}

/** The email (else the phone) the shop signed for the visitor: the customer is found by it. */
export function signedIdentityOf(visitor: ChatVisitor): Identity | undefined {
  const identity = visitor.identity;
  if (identity?.email) return { kind: 'email', value: identity.email };
  if (identity?.phone) return { kind: 'phone', value: identity.phone };
  return undefined;
}

/** The widget's own id for a message we stored from it (`<visitorId>/<clientMessageId>`). */
export function clientMessageIdOf(providerMessageId: string | undefined): string | undefined {
  const slash = providerMessageId?.indexOf('/') ?? -1;
  return slash > 0 ? providerMessageId?.slice(slash + 1) : undefined;
}
