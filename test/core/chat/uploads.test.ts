import { describe, expect, it } from 'vitest';
import type { ChatServerFrame } from '../../../functions/core/chat/ports.ts';
import {
  type ChatUploadSlot,
  type ChatUploadStore,
  offerChatUpload,
  sanitizeFilename,
  verifyChatAttachments,
} from '../../../functions/core/chat/uploads.ts';
import { chatAttachmentsSchema } from '../../../functions/core/config.ts';
import { InvalidInputError } from '../../../functions/core/errors.ts';

const LIMITS = chatAttachmentsSchema.parse({});

/** An in-memory bucket: what was presigned, and the objects "stored". */
class MemoryUploads implements ChatUploadStore {
  readonly keyPrefix = 'attachments/chat/';
  readonly slots: ChatUploadSlot[] = [];
  readonly objects = new Map<string, { size: number; contentType?: string }>();

  async presign(slot: ChatUploadSlot) {
    this.slots.push(slot);
    return { url: 'https://bucket.example/', fields: { key: slot.objectKey } };
  }

  async describe(objectKey: string) {
    return this.objects.get(objectKey);
  }
}

function deps() {
  const frames: ChatServerFrame[] = [];
  const uploads = new MemoryUploads();
  return {
    frames,
    uploads,
    deps: {
      gateway: {
        post: async (_id: string, frame: ChatServerFrame) => {
          frames.push(frame);
          return 'sent' as const;
        },
      },
      uploads,
      newUploadId: () => '0b6f1a52-3d2c-4c1e-9a57-2f1d8c4e7a10',
    },
  };
}

const request = { connectionId: 'conn-1', visitorId: 'v-abc', uploadId: 'u-1' };

describe('offerChatUpload', () => {
  it('offers one exact key in the visitor folder, with a clean file name, type and size', async () => {
    // Prepare
    const { deps: d, frames, uploads } = deps();

    // Act
    await offerChatUpload(d, LIMITS, {
      ...request,
      filename: '../Fiş şubat.PNG',
      contentType: 'image/png',
      size: 2048,
    });

    // Assess
    expect(uploads.slots).toEqual([
      {
        objectKey: 'attachments/chat/v-abc/0b6f1a52-3d2c-4c1e-9a57-2f1d8c4e7a10-Fis_subat.PNG',
        contentType: 'image/png',
        size: 2048,
        expiresInSeconds: 300,
      },
    ]);
    expect(frames[0]).toMatchObject({
      type: 'upload-slot',
      uploadId: 'u-1',
      objectKey: uploads.slots[0]?.objectKey,
    });
  });

  it('refuses a type outside the list and a file over the limit, with the reason', async () => {
    // Prepare
    const { deps: d, uploads } = deps();

    // Act
    const exe = offerChatUpload(d, LIMITS, {
      ...request,
      filename: 'a.exe',
      contentType: 'application/x-msdownload',
      size: 10,
    });
    const big = offerChatUpload(d, LIMITS, {
      ...request,
      filename: 'a.png',
      contentType: 'image/png',
      size: LIMITS.maxBytes + 1,
    });

    // Assess
    await expect(exe).rejects.toThrow(/application\/x-msdownload are not accepted: send image\/png/);
    await expect(big).rejects.toThrow(/more than the 10485760 allowed/);
    expect(uploads.slots).toEqual([]);
  });

  it('refuses every upload where the config takes no files', async () => {
    // Prepare
    const { deps: d } = deps();

    // Act
    const offer = offerChatUpload(d, undefined, {
      ...request,
      filename: 'a.png',
      contentType: 'image/png',
      size: 1,
    });

    // Assess
    await expect(offer).rejects.toThrow(InvalidInputError);
    await expect(offer).rejects.toThrow(/takes no files/);
  });
});

describe('verifyChatAttachments', () => {
  const key = 'attachments/chat/v-abc/0b6f-a.png';

  it('turns a stored upload of the declared size and type into an attachment', async () => {
    // Prepare
    const { deps: d, uploads } = deps();
    uploads.objects.set(key, { size: 74, contentType: 'image/png' });

    // Act
    const attachments = await verifyChatAttachments(d, LIMITS, 'v-abc', [
      { objectKey: key, filename: 'a.png', contentType: 'image/png', size: 74 },
    ]);

    // Assess
    expect(attachments).toEqual([{ objectKey: key, filename: 'a.png', contentType: 'image/png', size: 74 }]);
  });

  it('refuses a size that does not match the object, a missing object and another visitor key', async () => {
    // Prepare
    const { deps: d, uploads } = deps();
    uploads.objects.set(key, { size: 74, contentType: 'image/png' });
    const claim = { objectKey: key, filename: 'a.png', contentType: 'image/png', size: 75 };

    // Act
    const wrongSize = verifyChatAttachments(d, LIMITS, 'v-abc', [claim]);
    const missing = verifyChatAttachments(d, LIMITS, 'v-abc', [{ ...claim, objectKey: `${key}x`, size: 74 }]);
    const foreign = verifyChatAttachments(d, LIMITS, 'v-other', [{ ...claim, size: 74 }]);

    // Assess
    await expect(wrongSize).rejects.toThrow(/stored as 74 bytes of image\/png, not the 75 bytes/);
    await expect(missing).rejects.toThrow(/was not uploaded/);
    await expect(foreign).rejects.toThrow(/not an upload of this visitor/);
  });
});

describe('sanitizeFilename', () => {
  it('keeps only safe characters and never an empty or hidden name', () => {
    // Assess
    expect(sanitizeFilename('C:\\Users\\me\\photo (1).jpg')).toBe('photo_1_.jpg');
    expect(sanitizeFilename('..')).toBe('file');
    expect(sanitizeFilename('.htaccess')).toBe('htaccess');
  });
});
