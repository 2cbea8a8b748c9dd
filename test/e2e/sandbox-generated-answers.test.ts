import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxEngine } from '../../bin/sandbox/engine.ts';
import { sandboxHelpBaseUrl } from '../../bin/sandbox/help-center.ts';
import { sandboxSupportConfig } from '../../local/config.ts';

/**
 * Generated answers switched on in the sandbox: the real inbound email handler answers from the
 * retrieved passages through the local stand-in composer, with citations and the article links.
 */

const FOLDER = 'test/fixtures/replay/self-service';
let engine: SandboxEngine;

beforeAll(async () => {
  engine = await SandboxEngine.start({
    now: new Date('2026-11-23T07:10:00Z'),
    config: {
      ...sandboxSupportConfig,
      assistant: {
        modelId: 'amazon.nova-lite-v1:0',
        guardrailId: 'a1b2c3d4e5f6',
        guardrailVersion: '1',
        maxAnswerCharacters: 600,
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

async function acknowledgementOf(file: string, to: string, folder = FOLDER) {
  await engine.processEvent(file, readFileSync(`${folder}/${file}`));
  return engine.outbox.find((o) => o.to === to && o.kind === 'auto-reply');
}

describe('sandbox with generated answers on', () => {
  it('answers a returns question from the passages with citations, and links the cited article', async () => {
    // Act
    const entry = await acknowledgementOf('01-returns-question-tr.eml', 'elif.demir@example.com');

    // Assess
    const url = `${sandboxHelpBaseUrl()}/tr/returns-refunds`;
    expect(entry?.articles?.[0]).toEqual({ slug: 'returns-refunds', url });
    expect(entry?.text).toMatch(/Ürünleri teslimattan itibaren 14 gün içinde iade edebilirsiniz;[^\n]*\[1\]/);
    expect(entry?.text).toContain(`[1] ${url}`);
  });

  it('answers a chat returns question from the passages too, with the cited article linked', async () => {
    // Act
    const entry = await acknowledgementOf(
      '01-returns-question-tr.chat.json',
      'v-8d41e7',
      'test/fixtures/replay/chat-self-service',
    );

    // Assess
    const url = `${sandboxHelpBaseUrl()}/tr/returns-refunds`;
    expect(entry?.channel).toBe('chat');
    expect(entry?.articles?.[0]).toEqual({ slug: 'returns-refunds', url });
    expect(entry?.text).toMatch(/14 gün içinde iade[^\n]*\[1\]/);
    expect(entry?.text).toContain(`[1] ${url}`);
  });

  it('keeps the plain acknowledgement for an off-topic message', async () => {
    // Act
    const entry = await acknowledgementOf('03-off-topic-en.eml', 'lena.hoffmann@example.net');

    // Assess
    expect(entry).toBeDefined();
    expect(entry?.articles).toBeUndefined();
    expect(entry?.text).not.toMatch(/\[\d\]/);
  });
});
