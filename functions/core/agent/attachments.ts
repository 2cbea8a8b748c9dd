import { type ChatUploadStore, sanitizeFilename, storedUpload } from '../chat/uploads.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { AttachmentRef, Channel } from '../model.ts';
import type { AgentConversations } from '../ports/conversations.ts';
import type { Clock } from '../ports/runtime.ts';

/**
 * Files an agent sends with a reply go from the browser straight to the mail bucket (a presigned
 * POST for one exact key, type and size), never through the API's 64 KB body; the reply names
 * them, and each counts only once the stored object is there as declared. Email carries them in
 * the MIME message; SMS, WhatsApp, Messenger, Instagram and chat answers refuse them (see
 * ATTACHMENT_CHANNELS) rather than send a link the customer cannot tell from phishing.
 */

/** Under the mail bucket's attachment prefix, beside the chat uploads: `attachments/agent/<conversation>/`. */
export const AGENT_UPLOAD_FOLDER = 'agent/';

/** A slot is good for this long: the app uploads right after asking. */
export const AGENT_UPLOAD_SLOT_SECONDS = 300;

/** The channels whose sends carry files. */
export const ATTACHMENT_CHANNELS: ReadonlySet<Channel> = new Set(['email']);

/** What an agent may attach (the deployment's `agents.attachments`). */
export interface AgentAttachmentLimits {
  readonly contentTypes: readonly string[];
  /** Largest file in bytes. */
  readonly maxBytes: number;
  /** Files per reply. */
  readonly maxCount: number;
}

export interface AgentUploadDeps {
  readonly clock: Clock;
  readonly conversations: Pick<AgentConversations, 'get'>;
  /** The mail bucket, as uploads see it (same store as the chat widget's, another folder). */
  readonly uploads: ChatUploadStore;
  readonly limits: AgentAttachmentLimits;
  /** Random, unguessable (a UUID): an upload's key must not be predictable. */
  readonly newUploadId: () => string;
}

export interface AttachmentClaim {
  readonly objectKey: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

export interface AgentUploadSlot {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly objectKey: string;
  readonly expiresAt: string;
}

/** The folder of one conversation's agent uploads; a claim outside it is not this conversation's. */
export function agentUploadFolder(keyPrefix: string, conversationId: string): string {
  return `${keyPrefix}${conversationId}/`;
}

function checkLimits(limits: AgentAttachmentLimits, file: { contentType: string; size: number }): void {
  if (!limits.contentTypes.includes(file.contentType)) {
    throw new InvalidInputError(
      `files of type ${file.contentType} are not accepted: attach ${limits.contentTypes.join(', ')}`,
      { field: 'contentType' },
    );
  }
  if (!Number.isInteger(file.size) || file.size < 1 || file.size > limits.maxBytes) {
    throw new InvalidInputError(
      `the file is ${file.size} bytes; files of 1 to ${limits.maxBytes} bytes are accepted`,
      {
        field: 'size',
      },
    );
  }
}

/** `POST /conversations/{id}/attachments`: a presigned POST for one exact key of this conversation. */
export async function offerAgentUpload(
  deps: AgentUploadDeps,
  input: {
    readonly conversationId: string;
    readonly filename: string;
    readonly contentType: string;
    readonly size: number;
  },
): Promise<AgentUploadSlot> {
  checkLimits(deps.limits, input);
  const conversation = await deps.conversations.get(input.conversationId);
  if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} does not exist`);
  const objectKey = `${agentUploadFolder(deps.uploads.keyPrefix, conversation.id)}${deps.newUploadId()}-${sanitizeFilename(input.filename)}`;
  const upload = await deps.uploads.presign({
    objectKey,
    contentType: input.contentType,
    size: input.size,
    expiresInSeconds: AGENT_UPLOAD_SLOT_SECONDS,
  });
  const expiresAt = new Date(deps.clock.now().getTime() + AGENT_UPLOAD_SLOT_SECONDS * 1000).toISOString();
  return { url: upload.url, fields: upload.fields, objectKey, expiresAt };
}

/**
 * The files a reply names, as attachments, once each is this conversation's upload and stored
 * with the declared size and type. Throws InvalidInputError (field `attachments`) naming the first
 * that is not.
 */
export async function verifyAgentAttachments(
  deps: Pick<AgentUploadDeps, 'uploads' | 'limits'>,
  conversationId: string,
  claims: readonly AttachmentClaim[],
): Promise<AttachmentRef[]> {
  if (claims.length > deps.limits.maxCount) {
    throw new InvalidInputError(`a reply takes at most ${deps.limits.maxCount} files`, {
      field: 'attachments',
    });
  }
  const folder = agentUploadFolder(deps.uploads.keyPrefix, conversationId);
  const verified: AttachmentRef[] = [];
  for (const claim of claims) {
    if (!claim.objectKey.startsWith(folder) || claim.objectKey.slice(folder.length).includes('/')) {
      throw new InvalidInputError(
        `${claim.filename} is not an upload of this conversation: upload it with POST /conversations/${conversationId}/attachments`,
        { field: 'attachments' },
      );
    }
    try {
      checkLimits(deps.limits, claim);
    } catch (error) {
      if (error instanceof InvalidInputError)
        throw new InvalidInputError(error.reason, { field: 'attachments' });
      throw error;
    }
    verified.push(await storedUpload(deps.uploads, claim));
  }
  return verified;
}
