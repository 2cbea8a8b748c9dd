import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SANDBOX_AGENT_TOKEN } from '../../bin/sandbox/agents.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T07:00:00Z'));
const PNG = readFileSync(new URL('../fixtures/chat/receipt.png', import.meta.url));

interface Frame {
  type: string;
  [field: string]: unknown;
}

interface UploadSlot {
  objectKey: string;
  url: string;
  fields: Record<string, string>;
}

async function visitorSocket(visitorId: string): Promise<{ socket: WebSocket; frames: Frame[] }> {
  const socket = new WebSocket(`${sandbox.base.replace('http', 'ws')}/chat/ws?visitorId=${visitorId}`);
  const frames: Frame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames };
}

async function askForSlot(
  visitor: { socket: WebSocket; frames: Frame[] },
  request: { uploadId: string; filename: string; contentType: string; size: number },
): Promise<UploadSlot> {
  visitor.socket.send(JSON.stringify({ action: 'upload', ...request }));
  await expect
    .poll(() => visitor.frames.find((f) => f.type === 'upload-slot' && f.uploadId === request.uploadId))
    .toBeDefined();
  return visitor.frames.find((f) => f.uploadId === request.uploadId) as unknown as UploadSlot;
}

async function post(slot: UploadSlot, content: Uint8Array, type: string): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
  form.append('file', new Blob([content], { type }), 'receipt.png');
  return fetch(slot.url, { method: 'POST', body: form });
}

async function conversationMessages(visitorId: string): Promise<Array<Record<string, unknown>>> {
  const conversationId = sandbox.engine.outbox.find((o) => o.to === visitorId)?.conversationId;
  const answer = await fetch(`${sandbox.base}/conversations/${conversationId}`, {
    headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}` },
  });
  const body = (await answer.json()) as { messages: Array<Record<string, unknown>> };
  return body.messages;
}

describe('chat uploads in the sandbox', () => {
  it('takes a file through the upload slot and stores it on the message', async () => {
    // Prepare
    const visitor = await visitorSocket('v-uploads');
    const slot = await askForSlot(visitor, {
      uploadId: 'u-1',
      filename: 'my receipt.png',
      contentType: 'image/png',
      size: PNG.length,
    });

    // Act
    const uploaded = await post(slot, PNG, 'image/png');
    visitor.socket.send(
      JSON.stringify({
        action: 'send',
        clientMessageId: 'c-1',
        text: 'Here is my receipt',
        attachments: [
          {
            objectKey: slot.objectKey,
            filename: 'my receipt.png',
            contentType: 'image/png',
            size: PNG.length,
          },
        ],
      }),
    );
    await expect.poll(() => visitor.frames.some((f) => f.type === 'received')).toBe(true);
    await expect.poll(() => sandbox.engine.outbox.some((o) => o.to === 'v-uploads')).toBe(true);

    // Assess
    expect(uploaded.status).toBe(204);
    expect(slot.objectKey).toMatch(/^attachments\/chat\/v-uploads\/[0-9a-f-]{36}-my_receipt\.png$/);
    const messages = await conversationMessages('v-uploads');
    const inbound = messages.find((m) => m.direction === 'inbound');
    expect(inbound?.attachments).toEqual([
      expect.objectContaining({
        filename: 'my receipt.png',
        contentType: 'image/png',
        size: PNG.length,
        objectKey: slot.objectKey,
      }),
    ]);
    visitor.socket.close();
  });

  it('refuses a type or size outside the limits with the reason, and a file not the size declared', async () => {
    // Prepare
    const visitor = await visitorSocket('v-upload-refused');
    const slot = await askForSlot(visitor, {
      uploadId: 'u-2',
      filename: 'receipt.png',
      contentType: 'image/png',
      size: PNG.length,
    });
    await post(slot, PNG, 'image/png');

    // Act
    visitor.socket.send(
      JSON.stringify({
        action: 'upload',
        uploadId: 'u-3',
        filename: 'a.exe',
        contentType: 'application/x-msdownload',
        size: 10,
      }),
    );
    visitor.socket.send(
      JSON.stringify({
        action: 'upload',
        uploadId: 'u-4',
        filename: 'big.png',
        contentType: 'image/png',
        size: 50 * 1024 * 1024,
      }),
    );
    const tooShort = await post(slot, PNG.subarray(0, 10), 'image/png');
    visitor.socket.send(
      JSON.stringify({
        action: 'send',
        clientMessageId: 'c-lies',
        text: 'bigger than it is',
        attachments: [
          {
            objectKey: slot.objectKey,
            filename: 'receipt.png',
            contentType: 'image/png',
            size: PNG.length + 1,
          },
        ],
      }),
    );

    // Assess
    const errors = () => visitor.frames.filter((f) => f.type === 'error');
    await expect.poll(() => errors().length).toBe(3);
    expect(errors().find((f) => f.clientMessageId === 'u-3')?.reason).toMatch(/not accepted/);
    expect(errors().find((f) => f.clientMessageId === 'u-4')?.reason).toMatch(
      /more than the 10485760 allowed/,
    );
    expect(errors().find((f) => f.clientMessageId === 'c-lies')?.reason).toMatch(
      /not the \d+ bytes of image\/png declared/,
    );
    expect(tooShort.status).toBe(400);
    expect(visitor.frames.some((f) => f.type === 'received')).toBe(false);
    visitor.socket.close();
  });
});

describe('read state of chat messages in the sandbox', () => {
  it('shows an agent reply the visitor read as read (with when) in the agent API', async () => {
    // Prepare
    const visitor = await visitorSocket('v-reader');
    visitor.socket.send(
      JSON.stringify({ action: 'send', clientMessageId: 'c-1', text: 'Where is my parcel?' }),
    );
    await expect.poll(() => sandbox.engine.outbox.some((o) => o.to === 'v-reader')).toBe(true);
    const conversationId = sandbox.engine.outbox.find((o) => o.to === 'v-reader')?.conversationId;
    await fetch(`${sandbox.base}/conversations/${conversationId}/replies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'It is out for delivery.' }),
    });
    const replyFrame = () =>
      visitor.frames
        .filter((f) => f.type === 'message')
        .map((f) => f.message as { id: string; text: string })
        .find((m) => m.text === 'It is out for delivery.');
    await expect.poll(replyFrame).toBeDefined();
    const replyId = replyFrame()?.id;
    const reply = async () =>
      (await conversationMessages('v-reader')).find((m) => m.text === 'It is out for delivery.');
    const sentStatus = (await reply())?.status;

    // Act
    visitor.socket.send(JSON.stringify({ action: 'read', state: 'read', messageIds: [replyId] }));

    // Assess
    await expect.poll(async () => (await reply())?.status).toBe('read');
    expect(sentStatus).not.toBe('read');
    expect((await reply())?.readAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    visitor.socket.close();
  });
});
