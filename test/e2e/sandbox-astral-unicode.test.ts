import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAstral, encodeAstral } from '../../bin/sandbox/astral-sqs.ts';
import type { OutboxEntry } from '../../bin/sandbox/engine.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

/**
 * Characters outside the Basic Multilingual Plane (emoji, mathematical letters, rare CJK) go
 * through the sandbox as they go through AWS: its SQS stand-in refuses them on its own.
 */
const sandbox = sandboxServerForTests(new Date('2026-11-23T10:00:00Z'));

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/replay/unicode-astral/${name}`, import.meta.url));
const AUTH = { authorization: 'Bearer dev-agent-token', 'content-type': 'application/json' };

async function inject(suffix: string, content: Uint8Array) {
  const response = await fetch(`${sandbox.base}/sandbox/events/${suffix}`, { method: 'POST', body: content });
  return { status: response.status, body: (await response.json()) as { accepted: boolean; reason?: string } };
}

async function agent(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.base}${path}`, {
    method,
    headers: AUTH,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function newestConversation(channel: string): Promise<string> {
  const listed = await agent('GET', `/conversations?channel=${channel}`);
  return ((listed.body.items as { id: string }[])[0]?.id ?? '') as string;
}

const replies = (conversationId: string): OutboxEntry[] =>
  sandbox.engine.outbox.filter((o) => o.conversationId === conversationId && o.kind === 'agent-reply');

describe.each([
  {
    channel: 'email',
    suffix: 'eml',
    file: '01-email-emoji-subject.eml',
    inbound: 'hediye paketim 🎁 hâlâ gelmedi. 𠀋',
    reply: 'Paketiniz 🎁 yarın geliyor 🚚 𝐒𝐚𝐲𝐠𝚤𝐥𝐚𝐫𝐥𝐚',
  },
  {
    channel: 'sms',
    suffix: 'sms.json',
    file: '02-sms-emoji.sms.json',
    inbound: 'Kargom nerede? 📦🚚 Çok bekledim 😩',
    reply: 'Kargonuz yolda 🚚 yarın sizde 📦',
  },
  {
    channel: 'whatsapp',
    suffix: 'meta.json',
    file: '03-whatsapp-emoji.meta.json',
    inbound: 'Siparişim 🎁 yolda mı? 🙂 𝄞',
    reply: 'Evet 🙂 yarın teslim 🎁 𝄞',
  },
])(
  'astral characters on $channel, end to end through the sandbox',
  ({ channel, suffix, file, inbound, reply }) => {
    let conversationId: string;
    let injected: Awaited<ReturnType<typeof inject>>;

    beforeAll(async () => {
      injected = await inject(suffix, fixture(file));
      conversationId = await newestConversation(channel);
    });

    it('takes the inbound message and stores its text as written', async () => {
      // Act
      const read = await agent('GET', `/conversations/${conversationId}`);

      // Assess
      expect(injected.body.accepted, injected.body.reason).toBe(true);
      const texts = (read.body.messages as { direction: string; text: string }[])
        .filter((m) => m.direction === 'inbound')
        .map((m) => m.text);
      expect(texts.join('\n')).toContain(inbound);
      if (channel === 'email') expect(read.body.subject).toBe('Hediye paketim 🎁 nerede? 😟 𝐀𝐂𝐈𝐋');
    });

    it("sends an agent's reply with them through the outbound queue, unchanged", async () => {
      // Act
      const answer = await agent('POST', `/conversations/${conversationId}/replies`, { text: reply });

      // Assess
      expect(answer.status).toBe(202);
      const [sent] = replies(conversationId);
      expect(sent?.channel).toBe(channel);
      expect(sent?.text).toContain(reply);
      if (channel === 'email') expect(sent?.subject).toBe('Re: Hediye paketim 🎁 nerede? 😟 𝐀𝐂𝐈𝐋');
    });
  },
);

describe('the sandbox queue encoding', () => {
  it('gives back every string it was given, and writes only characters fauxqs accepts (1,000 runs)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        // Act
        const encoded = encodeAstral(text);

        // Assess
        expect(decodeAstral(encoded)).toBe(text);
        expect(/[\u{10000}-\u{10FFFF}]/u.test(encoded)).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });
});
