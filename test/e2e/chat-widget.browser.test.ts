import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_AGENT_TOKEN } from '../../bin/sandbox/agents.ts';
import { type LaunchedBrowser, launchBrowser } from '../support/browser.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

// Monday 10:00 in Istanbul: the team is in, and answers within two business hours.
const sandbox = sandboxServerForTests(new Date('2026-11-23T07:00:00Z'));
const SCREENSHOTS = process.env.CHAT_SCREENSHOTS_DIR;
const PNG = readFileSync(new URL('../fixtures/chat/receipt.png', import.meta.url));

let launched: LaunchedBrowser;

beforeAll(async () => {
  launched = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await launched?.close();
});

async function turkishVisitor(): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
  const context = await launched.browser.newContext({ locale: 'tr-TR' });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  page.on('websocket', (socket) => requests.push(new URL(socket.url()).pathname));
  await page.goto(`${sandbox.base}/chat/demo`);
  await page.locator('[data-switchboard-chat] button').waitFor();
  return { context, page, requests };
}

async function agentApi(path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
  const answer = await fetch(`${sandbox.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  expect(answer.status).toBeLessThan(300);
  return answer.json();
}

async function chatConversationIds(): Promise<string[]> {
  const listed = (await agentApi('/conversations?channel=chat')) as { items: Array<{ id: string }> };
  return listed.items.map((c) => c.id);
}

/** Page-side: the focused element inside the widget's Shadow DOM (tests run without DOM types). */
const FOCUSED_IN_WIDGET = "document.querySelector('[data-switchboard-chat]')?.shadowRoot?.activeElement";

const panelLog = (page: Page) => page.locator('[data-switchboard-chat] [role="log"]');

describe('the chat widget on the demo shop page', () => {
  it('makes no request, sets no cookie and stores nothing before the visitor opens it', async () => {
    // Prepare
    const { context, page, requests } = await turkishVisitor();

    // Act
    await page.waitForLoadState('networkidle');
    const storage = await page.evaluate('localStorage.length + sessionStorage.length');
    const cookies = await context.cookies();

    // Assess
    expect(requests).toEqual(['/chat/demo', '/chat/widget.js']);
    expect(storage).toBe(0);
    expect(cookies).toEqual([]);
    await context.close();
  });

  it('answers a Turkish question with the response time, shows an agent reply live, and the history after a reload', async () => {
    // Prepare
    const { context, page, requests } = await turkishVisitor();
    const before = new Set(await chatConversationIds());

    // Act: open, skip the optional pre-chat, ask
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();
    await page.getByRole('button', { name: 'Sohbeti başlat' }).click();
    await page.getByRole('textbox', { name: 'Mesajınızı yazın…' }).fill('Merhaba, iade nasıl yapılır?');
    await page.keyboard.press('Enter');

    // Assess: the acknowledgement, in Turkish, with the FAQ answer and when the team answers
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toMatch(/14 gün/);
    expect(await panelLog(page).innerText()).toMatch(/bugün 12:00/);
    expect(await page.getByRole('status').innerText()).toMatch(/^Buradayız/);
    expect(requests).toContain('/chat/panel.js');
    expect(requests).toContain('/chat/ws');

    // Act: an agent answers through the agent API
    let conversationId: string | undefined;
    await expect
      .poll(async () => {
        conversationId = (await chatConversationIds()).find((id) => !before.has(id));
        return conversationId;
      })
      .toBeDefined();
    await agentApi(`/conversations/${conversationId}/replies`, {
      method: 'POST',
      body: { text: 'Merhaba! İade kodunuzu e-postayla gönderdik.' },
    });

    // Assess: it appears without a reload
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toContain('İade kodunuzu');
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/chat-live.png` });

    // Act: reload and open again
    await page.reload();
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();

    // Assess: the whole history, the question shown once
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toContain('İade kodunuzu');
    const text = await panelLog(page).innerText();
    expect(text.split('Merhaba, iade nasıl yapılır?')).toHaveLength(2);
    expect(text).toMatch(/14 gün/);
    await context.close();
  });

  it('attaches a small PNG: uploaded, sent, shown as delivered, and on the message in the agent API', async () => {
    // Prepare
    const { context, page } = await turkishVisitor();
    const before = new Set(await chatConversationIds());
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();
    await page.getByRole('button', { name: 'Sohbeti başlat' }).click();
    const attach = page.getByRole('button', { name: 'Dosya ekle' });
    await attach.waitFor();

    // Act: the attach button opens the file chooser; the file goes with the typed text
    await page.getByRole('textbox', { name: 'Mesajınızı yazın…' }).fill('Faturam ekte');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), attach.click()]);
    await chooser.setFiles({ name: 'fatura.png', mimeType: 'image/png', buffer: PNG });

    // Assess: shown with the file and delivered once stored
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toMatch(/▤ fatura\.png/);
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toMatch(/✓ İletildi/);
    await page.getByText('Faturam ekte').scrollIntoViewIfNeeded();
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/chat-attachment.png` });
    let conversationId: string | undefined;
    await expect
      .poll(async () => {
        conversationId = (await chatConversationIds()).find((id) => !before.has(id));
        return conversationId;
      })
      .toBeDefined();
    const detail = (await agentApi(`/conversations/${conversationId}`)) as {
      messages: Array<{ direction: string; text: string; attachments: unknown[] }>;
    };
    const inbound = detail.messages.find((m) => m.direction === 'inbound');
    expect(inbound?.text).toBe('Faturam ekte');
    expect(inbound?.attachments).toEqual([
      expect.objectContaining({ filename: 'fatura.png', contentType: 'image/png', size: PNG.length }),
    ]);
    await context.close();
  });

  it('catches up after going offline: a reply sent meanwhile appears once it is back online', async () => {
    // Prepare
    const { context, page } = await turkishVisitor();
    const before = new Set(await chatConversationIds());
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();
    await page.getByRole('button', { name: 'Sohbeti başlat' }).click();
    await page.getByRole('textbox', { name: 'Mesajınızı yazın…' }).fill('Kargo ücreti ne kadar?');
    await page.keyboard.press('Enter');
    let conversationId: string | undefined;
    await expect
      .poll(async () => {
        conversationId = (await chatConversationIds()).find((id) => !before.has(id));
        return conversationId;
      })
      .toBeDefined();
    const visitorId = (await page.evaluate("localStorage.getItem('switchboard.chat.visitorId')")) as
      | string
      | null;
    await expect.poll(() => sandbox.engine.chat.openSockets(visitorId ?? '')).toBe(1);

    // Act
    await context.setOffline(true);
    // The server learns of the dropped socket only when its close reaches it, later on a busy machine.
    await expect.poll(() => sandbox.engine.chat.openSockets(visitorId ?? ''), { timeout: 15_000 }).toBe(0);
    await agentApi(`/conversations/${conversationId}/replies`, {
      method: 'POST',
      body: { text: 'Siparişiniz için kargo ücreti almıyoruz (kod AGT-42).' },
    });
    const whileOffline = await panelLog(page).innerText();
    await context.setOffline(false);

    // Assess: the acknowledgement may quote the shipping article; the agent's words are the mark.
    expect(whileOffline).not.toContain('AGT-42');
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toContain('AGT-42');
    await context.close();
  });

  it('works with the keyboard alone: open, pre-chat, send, and Escape back to the launcher', async () => {
    // Prepare
    const { context, page } = await turkishVisitor();

    // Act: Tab to the launcher (past the page's own button) and open it
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    const focusedFirst = await page.evaluate(`${FOCUSED_IN_WIDGET}?.getAttribute('name')`);
    await page.keyboard.type('Deniz');
    // Name → email → privacy link → start.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Merhaba, değişim yapabilir miyim?');
    await page.keyboard.press('Enter');
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toMatch(/bugün/);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/chat-keyboard.png` });
    await page.keyboard.press('Escape');

    // Assess
    expect(focusedFirst).toBe('name');
    const launcher = page.locator('[data-switchboard-chat] button[aria-haspopup]');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(`${FOCUSED_IN_WIDGET}?.getAttribute('aria-haspopup')`)).toBe('dialog');
    await context.close();
  });
});

describe('help-center suggestions in the chat widget', () => {
  it('offers up to three Turkish articles while the visitor types, without sending anything', async () => {
    // Prepare
    const { context, page } = await turkishVisitor();
    const before = await chatConversationIds();
    const outboxBefore = sandbox.engine.outbox.length;
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();
    await page.getByRole('button', { name: 'Sohbeti başlat' }).click();
    const composer = page.getByRole('textbox', { name: 'Mesajınızı yazın…' });

    // Act
    await composer.pressSequentially('Aldığım ürünü nasıl iade edebilirim?');
    const region = page.getByRole('region', { name: 'Bu makaleler sorunuzu yanıtlayabilir' });
    await region.waitFor({ timeout: 10_000 });
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/chat-suggestions.png` });
    const links = region.getByRole('link');
    const hrefs = await links.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('href') ?? ''));
    const targets = await links.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('target')));
    const pages = await Promise.all(hrefs.map(async (href) => (await fetch(href)).status));
    // Keyboard: back from the composer (past the attach button, when uploads are on) to the articles.
    await composer.focus();
    let focusedHref: unknown = null;
    for (let presses = 0; presses < 3 && !focusedHref; presses++) {
      await page.keyboard.press('Shift+Tab');
      focusedHref = await page.evaluate(`${FOCUSED_IN_WIDGET}?.getAttribute('href')`);
    }

    // Assess
    expect(hrefs.length).toBeGreaterThanOrEqual(1);
    expect(hrefs.length).toBeLessThanOrEqual(3);
    expect(hrefs[0]).toBe(`${sandbox.base}/help/tr/returns-refunds`);
    for (const href of hrefs) expect(href).toMatch(new RegExp(`^${sandbox.base}/help/tr/[a-z0-9-]+$`));
    expect(targets.every((t) => t === '_blank')).toBe(true);
    expect(pages.every((status) => status === 200)).toBe(true);
    expect(await region.innerText()).toMatch(/14 gün/);
    expect(hrefs).toContain(focusedHref);
    expect(await chatConversationIds()).toEqual(before);
    expect(sandbox.engine.outbox.length).toBe(outboxBefore);
    expect(await panelLog(page).innerText()).toBe('');
    await context.close();
  });

  it('asks for nothing before a question is long enough, and clears the articles once sent', async () => {
    // Prepare
    const { context, page } = await turkishVisitor();
    const frames: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', (frame) => frames.push(String(frame.payload))));
    await page.locator('[data-switchboard-chat] button[aria-haspopup]').click();
    await page.getByRole('button', { name: 'Sohbeti başlat' }).click();
    const composer = page.getByRole('textbox', { name: 'Mesajınızı yazın…' });
    const region = page.getByRole('region', { name: 'Bu makaleler sorunuzu yanıtlayabilir' });

    // Act: two short words, a pause, then a question sent
    await composer.pressSequentially('iade?');
    await expect.poll(() => frames.some((f) => f.includes('"typing"'))).toBe(true);
    const suggestAsksWhileShort = frames.filter((f) => f.includes('"suggest"')).length;
    await composer.pressSequentially(' ürünü nasıl iade ederim');
    await region.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await expect.poll(() => panelLog(page).innerText(), { timeout: 15_000 }).toMatch(/bugün/);

    // Assess
    expect(suggestAsksWhileShort).toBe(0);
    expect(await region.isHidden()).toBe(true);
    expect(frames.filter((f) => f.includes('"suggest"')).length).toBeGreaterThanOrEqual(1);
    await context.close();
  });
});
