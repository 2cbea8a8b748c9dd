import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MESSAGE_BODY_FOLDER } from '../../core/conversations/long-body.ts';
import { InvalidInputError, PermanentDeliveryError } from '../../core/errors.ts';
import type { AttachmentStore, MessageBodyReader, RawMailSource } from '../../core/ports/conversations.ts';

/** SES writes each received mail under the receipt rule's prefix, named by its SES message id. */
export class S3RawMailSource implements RawMailSource {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async read(sesMessageId: string): Promise<Uint8Array> {
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(sesMessageId)) {
      throw new InvalidInputError('the SES message id has characters an object key cannot have', {
        field: 'mail.messageId',
      });
    }
    try {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${sesMessageId}` }),
      );
      if (!object.Body) throw new InvalidInputError('the stored mail object is empty');
      return await object.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchKey') {
        throw new InvalidInputError(
          `no raw mail under ${this.prefix}<messageId>: is the receipt rule's S3 action before the Lambda action?`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

export class S3AttachmentStore implements AttachmentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async put(key: string, content: Uint8Array, contentType: string): Promise<string> {
    const objectKey = `${this.prefix}${key}`;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: content,
        ContentType: contentType,
        // Attachments come from strangers: never let a browser render them inline from S3.
        ContentDisposition: 'attachment',
      }),
    );
    return objectKey;
  }
}

/** Reads an attachment an outbound mail carries (agent uploads), by its object key. */
export class S3AttachmentContent {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Only keys under here are read: an outbound request cannot make the dispatcher read raw mail. */
    private readonly prefix: string,
  ) {}

  async read(objectKey: string): Promise<Uint8Array> {
    if (!objectKey.startsWith(this.prefix) || objectKey.includes('..')) {
      throw new PermanentDeliveryError('an attachment of this message is not under the attachment prefix');
    }
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      if (!object.Body) throw new PermanentDeliveryError('an attachment of this message is empty');
      return await object.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchKey') {
        throw new PermanentDeliveryError('an attachment of this message is no longer stored', {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/** Reads back long message bodies (core/conversations/long-body.ts), from their folder only. */
export class S3MessageBodies implements MessageBodyReader {
  private readonly folder: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    attachmentPrefix: string,
  ) {
    this.folder = `${attachmentPrefix}${MESSAGE_BODY_FOLDER}`;
  }

  async read(objectKey: string): Promise<Uint8Array | undefined> {
    // A stored item names the key; still, nothing outside the bodies' folder is read.
    if (!objectKey.startsWith(this.folder) || objectKey.includes('..')) return undefined;
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return object.Body ? await object.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
