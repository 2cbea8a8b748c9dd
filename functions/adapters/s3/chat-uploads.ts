import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  CHAT_UPLOAD_FOLDER,
  type ChatUploadSlot,
  type ChatUploadStore,
  type PresignedUpload,
} from '../../core/chat/uploads.ts';

/**
 * Chat uploads in the mail bucket, under the attachment prefix. The POST is signed with the
 * function's own credentials, so its role needs PutObject on the chat folder; the bucket's
 * default encryption (the stack key) covers the object, no SSE fields in the form.
 */
export class S3ChatUploads implements ChatUploadStore {
  readonly keyPrefix: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    attachmentPrefix: string,
    /** Where browsers POST instead of the bucket's own URL (the sandbox's stand-in route). */
    private readonly postUrl?: () => string,
    /** The folder under the attachment prefix (agents' uploads have their own). */
    folder: string = CHAT_UPLOAD_FOLDER,
  ) {
    this.keyPrefix = `${attachmentPrefix}${folder}`;
  }

  async presign(slot: ChatUploadSlot): Promise<PresignedUpload> {
    const { url, fields } = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: slot.objectKey,
      Fields: { 'Content-Type': slot.contentType, 'Content-Disposition': 'attachment' },
      // The key is pinned by the library's own `key` condition; exact length, exact type.
      Conditions: [
        ['content-length-range', slot.size, slot.size],
        { 'Content-Type': slot.contentType },
        // Files from strangers: never rendered inline from S3.
        { 'Content-Disposition': 'attachment' },
      ],
      Expires: slot.expiresInSeconds,
    });
    return { url: this.postUrl?.() ?? url, fields };
  }

  async describe(objectKey: string): Promise<{ size: number; contentType?: string } | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return {
        size: head.ContentLength ?? 0,
        ...(head.ContentType ? { contentType: head.ContentType } : {}),
      };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if ((error instanceof Error && error.name === 'NotFound') || status === 404) return undefined;
      throw error;
    }
  }
}
