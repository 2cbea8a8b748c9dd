import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ChatUploads } from '../../../functions/adapters/s3/chat-uploads.ts';

describe('S3ChatUploads.presign', () => {
  it('signs a POST policy pinning the bucket, the exact key, the exact length and the type', async () => {
    // Prepare
    const s3 = new S3Client({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const uploads = new S3ChatUploads(s3, 'mail-bucket', 'attachments/');
    const objectKey = 'attachments/chat/v-abc/0b6f-a.png';

    // Act
    const post = await uploads.presign({
      objectKey,
      contentType: 'image/png',
      size: 74,
      expiresInSeconds: 300,
    });

    // Assess
    expect(uploads.keyPrefix).toBe('attachments/chat/');
    expect(post.url).toContain('mail-bucket');
    expect(post.fields).toMatchObject({
      key: objectKey,
      'Content-Type': 'image/png',
      'Content-Disposition': 'attachment',
    });
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'mail-bucket' },
        { key: objectKey },
        ['content-length-range', 74, 74],
        { 'Content-Type': 'image/png' },
        { 'Content-Disposition': 'attachment' },
      ]),
    );
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(300_000);
  });
});
