import type { ChatAttachmentLimits } from '../config.ts';
import { InvalidInputError } from '../errors.ts';
import type { AttachmentRef } from '../model.ts';
import type { ChatGateway } from './ports.ts';

/**
 * Visitors' files go straight from the browser to the mail bucket (a presigned POST), never
 * through a WebSocket frame (32 KB) or a Lambda. The slot pins the exact key, type and size; the
 * message that carries the file is only stored once the object is there as declared.
 */

/** Under the mail bucket's attachment prefix: chat uploads sit beside email attachments. */
export const CHAT_UPLOAD_FOLDER = 'chat/';

/** A slot is good for this long: the widget uploads at once. */
export const UPLOAD_SLOT_SECONDS = 300;

/** One presigned POST: the exact key, its type and size bounds, and until when it is valid. */
export interface ChatUploadSlot {
  readonly objectKey: string;
  readonly contentType: string;
  /** The declared size: the POST must be exactly this long. */
  readonly size: number;
  readonly expiresInSeconds: number;
}

/** What the browser POSTs to (multipart form: `fields` first, then `file`). */
export interface PresignedUpload {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** The mail bucket, as the chat sees it: presigned uploads and what is stored under a key. */
export interface ChatUploadStore {
  /** Where keys start (`attachments/chat/`): the bucket's attachment prefix plus the chat folder. */
  readonly keyPrefix: string;
  presign(slot: ChatUploadSlot): Promise<PresignedUpload>;
  /** The stored object's size and type; absent: nothing under that key. */
  describe(objectKey: string): Promise<{ readonly size: number; readonly contentType?: string } | undefined>;
}

export interface ChatUploadDeps {
  readonly gateway: ChatGateway;
  /** Absent: this deployment takes no uploads. */
  readonly uploads?: ChatUploadStore;
  /** Random, unguessable (a UUID): the key of an upload must not be predictable. */
  readonly newUploadId: () => string;
}

/** A file name as part of an object key: letters, digits, ".", "-", "_" only, at most 100. */
export function sanitizeFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-100);
  return cleaned === '' ? 'file' : cleaned;
}

/** The folder of one visitor's uploads; a claim outside it is someone else's file. */
export function visitorUploadFolder(keyPrefix: string, visitorId: string): string {
  return `${keyPrefix}${visitorId}/`;
}

/** Checks a requested upload against the limits; throws InvalidInputError with the reason. */
export function checkUploadRequest(
  limits: ChatAttachmentLimits | undefined,
  request: { readonly contentType: string; readonly size: number },
): void {
  if (!limits) throw new InvalidInputError('this chat takes no files');
  if (!limits.contentTypes.includes(request.contentType)) {
    throw new InvalidInputError(
      `files of type ${request.contentType} are not accepted: send ${limits.contentTypes.join(', ')}`,
      { field: 'contentType' },
    );
  }
  if (request.size > limits.maxBytes) {
    throw new InvalidInputError(
      `the file is ${request.size} bytes, more than the ${limits.maxBytes} allowed`,
      { field: 'size' },
    );
  }
}

/** Answers an `upload` frame with a presigned POST for one exact key of this visitor. */
export async function offerChatUpload(
  deps: ChatUploadDeps,
  limits: ChatAttachmentLimits | undefined,
  input: {
    readonly connectionId: string;
    readonly visitorId: string;
    readonly uploadId: string;
    readonly filename: string;
    readonly contentType: string;
    readonly size: number;
  },
): Promise<ChatUploadSlot> {
  if (!deps.uploads) throw new InvalidInputError('this chat takes no files');
  checkUploadRequest(limits, input);
  const slot: ChatUploadSlot = {
    objectKey: `${visitorUploadFolder(deps.uploads.keyPrefix, input.visitorId)}${deps.newUploadId()}-${sanitizeFilename(input.filename)}`,
    contentType: input.contentType,
    size: input.size,
    expiresInSeconds: UPLOAD_SLOT_SECONDS,
  };
  const upload = await deps.uploads.presign(slot);
  await deps.gateway.post(input.connectionId, {
    type: 'upload-slot',
    uploadId: input.uploadId,
    objectKey: slot.objectKey,
    url: upload.url,
    fields: upload.fields,
  });
  return slot;
}

/**
 * The files a message claims, as attachments, once each is in the visitor's folder with the
 * declared size and type. Throws InvalidInputError naming the first that is not.
 */
export async function verifyChatAttachments(
  deps: Pick<ChatUploadDeps, 'uploads'>,
  limits: ChatAttachmentLimits | undefined,
  visitorId: string,
  claims: readonly {
    readonly objectKey: string;
    readonly filename: string;
    readonly contentType: string;
    readonly size: number;
  }[],
): Promise<AttachmentRef[]> {
  if (claims.length === 0) return [];
  const uploads = deps.uploads;
  if (!uploads) throw new InvalidInputError('this chat takes no files');
  const folder = visitorUploadFolder(uploads.keyPrefix, visitorId);
  const verified: AttachmentRef[] = [];
  for (const claim of claims) {
    if (!claim.objectKey.startsWith(folder) || claim.objectKey.slice(folder.length).includes('/')) {
      throw new InvalidInputError(`${claim.filename} is not an upload of this visitor`, {
        field: 'attachments',
      });
    }
    checkUploadRequest(limits, claim);
    verified.push(await storedUpload(uploads, claim));
  }
  return verified;
}

/**
 * The attachment a claimed upload is, once the stored object matches what was declared: a file
 * that never arrived, or arrived as other bytes or another type, never reaches a message.
 */
export async function storedUpload(
  uploads: Pick<ChatUploadStore, 'describe'>,
  claim: {
    readonly objectKey: string;
    readonly filename: string;
    readonly contentType: string;
    readonly size: number;
  },
): Promise<AttachmentRef> {
  const stored = await uploads.describe(claim.objectKey);
  if (!stored) {
    throw new InvalidInputError(
      `${claim.filename} was not uploaded (or the upload failed): upload it again`,
      {
        field: 'attachments',
      },
    );
  }
  if (stored.size !== claim.size || (stored.contentType ?? '') !== claim.contentType) {
    throw new InvalidInputError(
      `${claim.filename} is stored as ${stored.size} bytes of ${stored.contentType ?? 'unknown type'}, not the ${claim.size} bytes of ${claim.contentType} declared`,
      { field: 'attachments' },
    );
  }
  return {
    filename: claim.filename,
    contentType: claim.contentType,
    size: claim.size,
    objectKey: claim.objectKey,
  };
}
