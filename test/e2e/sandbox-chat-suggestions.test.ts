import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { ITEM_PREFIX } from '../../functions/adapters/dynamodb/key-prefixes.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

const sandbox = sandboxServerForTests(new Date('2026-11-23T07:00:00Z'));

interface Frame {
  type: string;
  articles?: { slug: string; title: string; summary: string; url: string }[];
  reason?: string;
}

async function visitorSocket(visitorId: string): Promise<{ socket: WebSocket; frames: Frame[] }> {
  const url = `${sandbox.base.replace('http', 'ws')}/chat/ws?${new URLSearchParams({ visitorId })}`;
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames };
}

/** Every key in the sandbox's table (it is small: one scan page). */
async function tableKeys(): Promise<string[]> {
  const db = documentClient(sandbox.engine.standIns.clients.dynamo);
  const keys: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: sandbox.engine.standIns.tableName, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) keys.push(`${String(item.pk)}|${String(item.sk)}`);
    start = page.LastEvaluatedKey;
  } while (start);
  return keys.sort();
}

const suggestionsOf = (frames: Frame[]) => frames.filter((f) => f.type === 'suggestions');

describe('the suggest route of the chat WebSocket', () => {
  it('answers a Turkish question with up to three help-center articles and stores nothing', async () => {
    // Prepare
    const { socket, frames } = await visitorSocket('v-suggest-tr');
    await expect.poll(() => sandbox.engine.chat.openSockets('v-suggest-tr')).toBe(1);
    const before = await tableKeys();
    const outboxBefore = sandbox.engine.outbox.length;

    // Act
    socket.send(JSON.stringify({ action: 'suggest', text: 'Ürünü nasıl iade edebilirim', language: 'tr' }));
    await expect.poll(() => suggestionsOf(frames).length).toBe(1);

    // Assess
    const articles = suggestionsOf(frames)[0]?.articles ?? [];
    expect(articles.length).toBeGreaterThanOrEqual(1);
    expect(articles.length).toBeLessThanOrEqual(3);
    expect(articles[0]?.slug).toBe('returns-refunds');
    for (const article of articles) {
      expect(article.url).toMatch(/\/help\/tr\/[a-z0-9-]+$/);
      expect(article.title).not.toBe('');
      expect(article.summary).not.toBe('');
    }
    const after = await tableKeys();
    expect(after).toEqual(before);
    expect(sandbox.engine.outbox.length).toBe(outboxBefore);
    // The visitor's connection is all the table knows of them: no customer, no conversation.
    const ofVisitor = after.filter((key) => key.includes('v-suggest-tr'));
    expect(ofVisitor.length).toBeGreaterThan(0);
    expect(ofVisitor.every((key) => key.startsWith(ITEM_PREFIX.chatVisitor))).toBe(true);
    socket.close();
  });

  it('suggests nothing for an off-topic question', async () => {
    // Prepare
    const { socket, frames } = await visitorSocket('v-suggest-en');

    // Act
    socket.send(
      JSON.stringify({ action: 'suggest', text: 'Who will win the match tomorrow?', language: 'en' }),
    );
    await expect.poll(() => suggestionsOf(frames).length).toBe(1);

    // Assess
    expect(suggestionsOf(frames)[0]?.articles).toEqual([]);
    socket.close();
  });

  it('refuses an empty suggest frame with a reason', async () => {
    // Prepare
    const { socket, frames } = await visitorSocket('v-suggest-empty');

    // Act
    socket.send(JSON.stringify({ action: 'suggest', text: '   ' }));
    await expect.poll(() => frames.filter((f) => f.type === 'error').length).toBe(1);

    // Assess
    expect(frames.find((f) => f.type === 'error')?.reason).toMatch(/text/);
    expect(suggestionsOf(frames)).toEqual([]);
    socket.close();
  });
});
