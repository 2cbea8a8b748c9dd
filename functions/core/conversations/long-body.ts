import type { Message, StoredBody } from '../model.ts';
import type {
  AppendEffect,
  AppendedMessage,
  AttachmentStore,
  ConversationStore,
  MessageBodyReader,
} from '../ports/conversations.ts';

/*
 * Long message bodies live beside the message item, in the attachments bucket. A DynamoDB write
 * costs 1 write unit per KB of the item, and an email's text with its quoted history can be up to
 * 64 KB each (the parser's cap), so one such message item cost up to 130 write units, and every
 * later read of its conversation paid for it again. Above the threshold the item keeps the text's
 * first kilobyte (the queue row's preview and the timeline's first lines) and the object key.
 *
 * The threshold: an item with a body of B KB costs about B + 1 write units; kept aside it costs 2
 * plus one S3 PUT, which is priced like about 8 write request units (on-demand, list prices), and
 * one GET when an agent opens it. Below 4 KB (most replies, quoted history included) the inline
 * item is cheaper in every way; from 4 KB it trades a little money for at most 2 write units on
 * the table, its stream and every later read, and from about 10 KB it is cheaper outright.
 */

/** Bodies (text and fullText together, UTF-8) up to this size stay on the message item. */
export const INLINE_BODY_BYTES = 4 * 1024;
/** What of `text` the item keeps when the body is kept aside. */
export const BODY_PREVIEW_BYTES = 1024;
/** The folder of the attachments the kept bodies go to (read-only to the agent API). */
export const MESSAGE_BODY_FOLDER = 'message-bodies/';
const BODY_CONTENT_TYPE = 'application/json; charset=utf-8';

const utf8 = new TextEncoder();

function utf8Bytes(text: string | undefined): number {
  return text === undefined ? 0 : utf8.encode(text).length;
}

/** The start of `text` in at most `bytes` UTF-8 bytes, never cutting a character in two. */
export function utf8Prefix(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const character of text) {
    const size = utf8Bytes(character);
    if (used + size > bytes) break;
    used += size;
    end += character.length;
  }
  return text.slice(0, end);
}

/** How many UTF-8 bytes the message's body fields take together. */
export function bodyBytes(message: Pick<Message, 'text' | 'fullText'>): number {
  return utf8Bytes(message.text) + utf8Bytes(message.fullText);
}

/**
 * Where a message's body is kept: derived from the conversation and the message id, so a
 * redelivery writes the same object again instead of another one.
 */
export function bodyKey(message: Pick<Message, 'conversationId' | 'id'>): string {
  return `${MESSAGE_BODY_FOLDER}${message.conversationId}/${message.id}.json`;
}

interface WholeBody {
  readonly text: string;
  readonly fullText?: string;
}

function encodeBody(message: Message): Uint8Array {
  const body: WholeBody = {
    text: message.text,
    ...(message.fullText === undefined ? {} : { fullText: message.fullText }),
  };
  return utf8.encode(JSON.stringify(body));
}

function decodeBody(content: Uint8Array): WholeBody | undefined {
  try {
    const body = JSON.parse(new TextDecoder().decode(content)) as Partial<WholeBody>;
    if (typeof body.text !== 'string') return undefined;
    return typeof body.fullText === 'string'
      ? { text: body.text, fullText: body.fullText }
      : { text: body.text };
  } catch {
    return undefined;
  }
}

/**
 * The message as its item keeps it: unchanged when its body fits, else with the body stored
 * under {@link bodyKey} and the item holding the text's beginning and the key.
 */
export async function withBodyKeptAside(attachments: AttachmentStore, message: Message): Promise<Message> {
  const bytes = bodyBytes(message);
  if (bytes <= INLINE_BODY_BYTES) return message;
  const objectKey = await attachments.put(bodyKey(message), encodeBody(message), BODY_CONTENT_TYPE);
  const { fullText: _whole, ...rest } = message;
  const storedBody: StoredBody = { objectKey, bytes };
  return { ...rest, text: utf8Prefix(message.text, BODY_PREVIEW_BYTES), storedBody };
}

/** The message with its whole body read back; as stored when there is none to read. */
export async function withWholeBody(bodies: MessageBodyReader, message: Message): Promise<Message> {
  if (!message.storedBody) return message;
  const content = await bodies.read(message.storedBody.objectKey);
  const body = content === undefined ? undefined : decodeBody(content);
  if (!body) return message;
  const { storedBody: _kept, ...rest } = message;
  return { ...rest, ...body };
}

/**
 * A conversation store that keeps long bodies aside before the message item is written (email,
 * whose bodies can be long; the other channels' providers cap a message at a few KB). The body
 * is stored first, so a crash between the two leaves an object the redelivery writes again under
 * the same key, never an item pointing at nothing.
 */
export function keepingLongBodies(store: ConversationStore, attachments: AttachmentStore): ConversationStore {
  return {
    get: (conversationId) => store.get(conversationId),
    create: (conversation) => store.create(conversation),
    appendMessage: async (message: Message, effect?: AppendEffect): Promise<AppendedMessage | undefined> =>
      store.appendMessage(await withBodyKeptAside(attachments, message), effect),
    findByEmailReference: (messageIds) => store.findByEmailReference(messageIds),
    recordEmailReference: (messageId, reference) => store.recordEmailReference(messageId, reference),
    latestOpenConversation: (customerId, channel) => store.latestOpenConversation(customerId, channel),
    // The continuation writes the conversation's clocks and preview, never the body itself.
    continueConversation: (message, condition, effect) =>
      store.continueConversation(message, condition, effect),
    storeMessage: async (message, countAs) =>
      store.storeMessage(await withBodyKeptAside(attachments, message), countAs),
    conversationHolding: (conversationIds, messageId) =>
      store.conversationHolding(conversationIds, messageId),
  };
}
