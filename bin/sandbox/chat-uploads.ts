import { createHmac, timingSafeEqual } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * The browser upload S3 takes (a presigned POST: multipart form with a signed policy), for the
 * sandbox: its S3 stand-in does not take POST uploads. It checks what S3 checks — the SigV4
 * signature of the policy, its expiry, and every condition (bucket, key, exact fields,
 * content-length-range) — then writes the file through the real S3 client.
 */

type Condition = Record<string, string> | [string, string | number, string | number];

export interface PresignedPostCheck {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly secretAccessKey: string;
  readonly now: Date;
}

export async function acceptPresignedPost(
  body: Buffer,
  contentType: string,
  check: PresignedPostCheck,
): Promise<{ status: number; body: string }> {
  let form: FormData;
  try {
    form = await new Request('http://sandbox/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch {
    return refuse(400, 'MalformedPOSTRequest', 'the body is not multipart/form-data');
  }
  const field = (name: string): string | undefined => {
    for (const [key, value] of form)
      if (key.toLowerCase() === name.toLowerCase() && typeof value === 'string') return value;
    return undefined;
  };
  const file = form.get('file');
  const policy = field('Policy');
  const signature = field('X-Amz-Signature');
  const credential = field('X-Amz-Credential');
  if (!(file instanceof Blob) || !policy || !signature || !credential) {
    return refuse(
      400,
      'InvalidArgument',
      'a presigned POST needs file, Policy, X-Amz-Credential and X-Amz-Signature',
    );
  }
  const [, date, region, service] = credential.split('/');
  if (!date || !region || !service) return refuse(400, 'InvalidArgument', 'X-Amz-Credential is malformed');
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${check.secretAccessKey}`, date), region), service),
    'aws4_request',
  );
  const expected = Buffer.from(createHmac('sha256', signingKey).update(policy).digest('hex'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return refuse(403, 'SignatureDoesNotMatch', 'the policy signature does not match');
  }
  const document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as {
    expiration: string;
    conditions: Condition[];
  };
  if (Date.parse(document.expiration) < check.now.getTime()) {
    return refuse(403, 'AccessDenied', 'the policy has expired');
  }
  const size = file.size;
  const values: Record<string, string | undefined> = { bucket: check.bucket };
  for (const condition of document.conditions) {
    if (Array.isArray(condition)) {
      const [operator, name, value] = condition;
      if (operator === 'content-length-range') {
        if (size < Number(name) || size > Number(value)) {
          return refuse(400, 'EntityTooLarge', `the file is ${size} bytes, outside ${name}..${value}`);
        }
        continue;
      }
      const actual = String(name).startsWith('$')
        ? (values[String(name).slice(1)] ?? field(String(name).slice(1)))
        : undefined;
      const ok =
        operator === 'eq'
          ? actual === value
          : operator === 'starts-with' && actual?.startsWith(String(value));
      if (!ok) return refuse(403, 'AccessDenied', `policy condition failed: ${operator} ${name}`);
      continue;
    }
    for (const [name, value] of Object.entries(condition)) {
      const actual = name === 'bucket' ? check.bucket : field(name);
      if (actual !== value) return refuse(403, 'AccessDenied', `policy condition failed: ${name}`);
    }
  }
  const key = field('key');
  if (!key) return refuse(400, 'InvalidArgument', 'the form has no key');
  await check.s3.send(
    new PutObjectCommand({
      Bucket: check.bucket,
      Key: key,
      Body: new Uint8Array(await file.arrayBuffer()),
      ContentType: field('Content-Type'),
      ContentDisposition: field('Content-Disposition'),
    }),
  );
  return { status: 204, body: '' };
}

function refuse(status: number, code: string, message: string): { status: number; body: string } {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  };
}
