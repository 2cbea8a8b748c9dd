import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));
const AUTH = { authorization: 'Bearer dev-agent-token' };

/** 800 numbered lines of a complaint, about 60 KB of UTF-8 (the parser keeps up to 64 KB). */
const BODY = Array.from(
  { length: 800 },
  (_, line) => `Satır ${line + 1}: siparişim hâlâ gelmedi, kargo takip numarası çalışmıyor.`,
).join('\n');

/** A 100 KB mail: the long plain text and an HTML copy of it. */
function longMail(): Uint8Array {
  const html = `<html><body><p>${BODY.split('\n').join('</p>\n<p>')}</p></body></html>`;
  const mail = [
    'Return-Path: <uzun.mektup@example.com>',
    'MIME-Version: 1.0',
    'From: Uzun Mektup <uzun.mektup@example.com>',
    'Date: Mon, 23 Nov 2026 12:58:03 +0300',
    'Message-ID: <long-mail-100kb@mail.example.com>',
    'Subject: Uzun bir şikâyet',
    'To: support@support.example.com',
    'Content-Type: multipart/alternative; boundary="long-mail-boundary"',
    '',
    '--long-mail-boundary',
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    BODY,
    '',
    '--long-mail-boundary',
    'Content-Type: text/html; charset="UTF-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
    '',
    '--long-mail-boundary--',
    '',
  ].join('\r\n');
  return new TextEncoder().encode(mail);
}

async function agent(path: string) {
  const response = await fetch(`${sandbox.base}${path}`, { headers: AUTH });
  return (await response.json()) as {
    items: Array<{ id: string; subject?: string }>;
    messages: Array<{ direction: string; text: string; fullText?: string; storedBody?: unknown }>;
  };
}

describe('a 100 KB mail through the sandbox', () => {
  it('keeps a short item, and the agent API shows its whole text', async () => {
    // Prepare
    const raw = longMail();
    expect(raw.length).toBeGreaterThan(100 * 1024);

    // Act
    const injected = await fetch(`${sandbox.base}/sandbox/events/eml`, { method: 'POST', body: raw });
    const listed = await agent('/conversations?channel=email');
    const conversationId = listed.items.find((c) => c.subject === 'Uzun bir şikâyet')?.id ?? '';
    const read = await agent(`/conversations/${conversationId}`);
    const items = await documentClient(sandbox.engine.standIns.clients.dynamo).send(
      new QueryCommand({
        TableName: sandbox.engine.standIns.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :message)',
        ExpressionAttributeValues: { ':pk': `CONVERSATION#${conversationId}`, ':message': 'MESSAGE#' },
      }),
    );

    // Assess: the whole text round-trips
    expect(injected.status).toBe(200);
    const message = read.messages.find((m) => m.direction === 'inbound');
    expect(message?.text).toBe(BODY);
    expect(message?.fullText).toBe(BODY);
    expect(message?.storedBody).toBeUndefined();
    // … while the item holds its first kilobyte and where the rest is
    const item = items.Items?.find((i) => i.direction === 'inbound');
    expect(item?.fullText).toBeUndefined();
    expect(item?.storedBody).toMatchObject({
      objectKey: expect.stringMatching(/^attachments\/message-bodies\//),
    });
    expect(new TextEncoder().encode(JSON.stringify(item)).length).toBeLessThan(2 * 1024);
  });
});
