import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_AGENT_TOKEN } from '../../bin/sandbox/agents.ts';
import { type LaunchedBrowser, launchBrowser } from '../support/browser.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

// Monday 10:00 in Istanbul: the team is in.
const sandbox = sandboxServerForTests(new Date('2026-11-23T07:00:00Z'));

let launched: LaunchedBrowser;

beforeAll(async () => {
  launched = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await launched?.close();
});

async function agentApi(path: string, method = 'GET', body?: unknown): Promise<Record<string, unknown>> {
  const answer = await fetch(`${sandbox.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(answer.status).toBeLessThan(300);
  return (await answer.json()) as Record<string, unknown>;
}

async function chatConversationIds(): Promise<string[]> {
  const listed = (await agentApi('/conversations?channel=chat')) as { items: Array<{ id: string }> };
  return listed.items.map((c) => c.id);
}

const panelLog = (page: Page) => page.locator('[data-switchboard-chat] [role="log"]');

describe('the read tick in the chat widget', () => {
  it("shows ✓✓ on the visitor's message once an agent reads the conversation, live and after a reload", async () => {
    // Prepare: a visitor asks something
    const context = await launched.browser.newContext({ locale: 'tr-TR' });
    const page = await context.newPage();
    await page.goto(`${sandbox.base}/chat/demo`);
    const before = new Set(await chatConversationIds());
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();
    await page.getByRole('button', { name: 'Sohbeti başlat' }).click();
    await page.getByRole('textbox', { name: 'Mesajınızı yazın…' }).fill('Kapıda ödeme var mı?');
    await page.keyboard.press('Enter');
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toMatch(/✓ İletildi/);
    let conversationId: string | undefined;
    await expect
      .poll(async () => {
        conversationId = (await chatConversationIds()).find((id) => !before.has(id));
        return conversationId;
      })
      .toBeDefined();
    expect(await panelLog(page).innerText()).not.toMatch(/Okundu/);

    // Act: the agent opens it
    const read = await agentApi(`/conversations/${conversationId}/read`, 'POST', {});

    // Assess: the tick arrives without a reload, and is still there after one
    expect(read.receipts).toBe(1);
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toMatch(/✓✓ Okundu/);
    await page.reload();
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();
    await expect
      .poll(() => panelLog(page).innerText(), { timeout: 15_000 })
      .toMatch(/Kapıda ödeme var mı\?\s*Siz · ✓✓ Okundu/);
    await context.close();
  });
});
