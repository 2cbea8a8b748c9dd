import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_AGENT_TOKEN } from '../../bin/sandbox/agents.ts';
import { type LaunchedBrowser, launchBrowser } from '../support/browser.ts';
import { sandboxServerForTests } from '../support/sandbox-server.ts';

// Monday 10:00 in Istanbul: the team is in.
const NOW = new Date('2026-11-23T07:00:00Z');
const sandbox = sandboxServerForTests(NOW);
/** Live updates arrive well within this; the offline poll would not (15 s). */
const LIVE = { timeout: 10_000 };

let launched: LaunchedBrowser;

beforeAll(async () => {
  launched = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await launched?.close();
});

const fixture = (name: string) => readFileSync(new URL(`../fixtures/inbox/${name}`, import.meta.url));

/** One fixture through `POST /sandbox/events/<suffix>`, as a mail server, carrier or shop would send it. */
async function sendEvent(name: string): Promise<void> {
  const suffix = name.slice(name.indexOf('.') + 1);
  const answer = await fetch(`${sandbox.base}/sandbox/events/${suffix}`, {
    method: 'POST',
    body: fixture(name),
  });
  expect(answer.status, await answer.clone().text()).toBe(200);
}

interface OutboxEntry {
  kind: string;
  channel: string;
  to: string;
  text: string;
  conversationId?: string;
}

async function outbox(): Promise<OutboxEntry[]> {
  return ((await (await fetch(`${sandbox.base}/sandbox/outbox`)).json()) as { items: OutboxEntry[] }).items;
}

async function agentApi<T>(path: string): Promise<T> {
  const answer = await fetch(`${sandbox.base}${path}`, {
    headers: { authorization: `Bearer ${DEFAULT_SANDBOX_AGENT_TOKEN}` },
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as T;
}

/** A canned response that names the order: the one the tests pick after `/`. */
async function orderCannedResponse(): Promise<{ shortcut: string; text: string }> {
  const { items } = await agentApi<{ items: Array<{ shortcut: string; text: string; language?: string }> }>(
    '/canned-responses',
  );
  const found = items.find((item) => item.text.includes('{order.id}'));
  expect(found, 'the sandbox has a canned response with {order.id}').toBeDefined();
  return found as { shortcut: string; text: string };
}

/** The inbox as a Turkish agent opens it, at 1280 px, with the page clock at the sandbox's. */
async function openInbox(options: { locale?: string; width?: number; height?: number } = {}): Promise<Page> {
  const context = await launched.browser.newContext({
    locale: options.locale ?? 'tr-TR',
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(NOW.getTime() + 5 * 60_000));
  await page.goto(`${sandbox.base}/`);
  await page.locator('.live.live').waitFor(LIVE);
  return page;
}

const ELIF = [
  '01-elif-question-tr.eml',
  '02-elif-order-shipped.order.json',
  '03-elif-sms-tr.sms.json',
  '04-elif-whatsapp-photo-tr.meta.json',
];

const row = (page: Page, text: string | RegExp) => page.locator('.rows .row').filter({ hasText: text });
const timeline = (page: Page) => page.locator('.timeline [role="log"]');

describe('the agent inbox at GET /', () => {
  it('serves the built app and a config.json signed in as the sandbox agent', async () => {
    // Act
    const page = await fetch(`${sandbox.base}/`);
    const html = await page.text();
    const config = (await (await fetch(`${sandbox.base}/config.json`)).json()) as Record<string, unknown>;
    const script = html.match(/src="(assets\/inbox-[0-9a-f]+\.js)"/)?.[1];
    const asset = await fetch(`${sandbox.base}/${script}`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(config).toEqual({
      apiBaseUrl: '',
      webSocketUrl: `${sandbox.base.replace('http', 'ws')}/chat/ws`,
      signIn: { kind: 'token', token: DEFAULT_SANDBOX_AGENT_TOKEN },
      defaultLanguage: 'tr',
    });
  });

  it('shows a new customer’s name and message without a reload, and on a fresh load', async () => {
    // Prepare
    const page = await openInbox();

    // Act
    await sendEvent('07-deniz-question-tr.eml');

    // Assess
    await row(page, 'Deniz Kaya').filter({ hasText: 'kurumsal olarak kesebilir' }).waitFor(LIVE);
    const fresh = await openInbox();
    await row(fresh, 'Deniz Kaya').filter({ hasText: 'kurumsal olarak kesebilir' }).waitFor(LIVE);
    await page.context().close();
    await fresh.context().close();
  });

  it('puts a new mail in the open queue live; one timeline holds the SMS and WhatsApp, the order is beside it', async () => {
    // Prepare
    const page = await openInbox();

    // Act: a mail arrives while the agent looks at the queue
    await sendEvent('01-elif-question-tr.eml');

    // Assess
    await row(page, 'Elif Demir').filter({ hasText: '100481' }).first().waitFor(LIVE);

    // Act: the shop's order event links her phone; she writes by SMS and WhatsApp
    await sendEvent('02-elif-order-shipped.order.json');
    await sendEvent('03-elif-sms-tr.sms.json');
    await sendEvent('04-elif-whatsapp-photo-tr.meta.json');
    await row(page, 'Elif Demir').filter({ hasText: 'E-posta' }).click();

    // Assess: every channel on one timeline, quoted history folded, the order in the sidebar
    await timeline(page)
      .locator('.entry[data-channel="sms"]')
      .filter({ hasText: 'Kargo takip' })
      .waitFor(LIVE);
    await timeline(page)
      .locator('.entry[data-channel="whatsapp"]')
      .filter({ hasText: 'kutu ezik' })
      .waitFor();
    const email = timeline(page).locator('.entry.inbound[data-channel="email"]');
    expect(await email.locator('.text').innerText()).not.toContain('Siparişiniz alındı');
    expect(await email.locator('details.quoted').count()).toBe(1);
    await page.locator('.sidebar [data-order-id="100481"]').waitFor();
    expect(await page.locator('.sidebar').innerText()).toContain('+905551234567');
    await page.context().close();
  });

  it('replies with a canned response filled from the order, keeps a note private, assigns and closes with the survey', async () => {
    // Prepare: Elif's contacts (a redelivery changes nothing when the test before sent them)
    for (const name of ELIF) await sendEvent(name);
    const canned = await orderCannedResponse();
    const page = await openInbox();
    await row(page, 'Elif Demir').filter({ hasText: 'E-posta' }).click();
    await page.locator('.sidebar [data-order-id="100481"]').waitFor();
    const composer = page.locator('#composer-text');

    // Act: a canned response after `/`
    await composer.fill(`/${canned.shortcut}`);
    await page.locator('.canned [role="option"]').filter({ hasText: canned.shortcut }).first().click();

    // Assess: the variables are filled
    await expect.poll(() => composer.inputValue()).toContain('100481');
    expect(await composer.inputValue()).not.toMatch(/\{order\.id\}/);

    // Act: send it
    const reply = await composer.inputValue();
    await page.getByRole('button', { name: /Gönder/ }).click();

    // Assess: in the outbox, to her address
    await expect
      .poll(
        async () => (await outbox()).filter((o) => o.kind === 'agent-reply' && o.text.includes('100481')),
        LIVE,
      )
      .toEqual([expect.objectContaining({ to: 'elif.demir@example.com', channel: 'email' })]);
    expect((await outbox()).find((o) => o.kind === 'agent-reply')?.text).toContain(reply.split('\n')[0]);
    await expect.poll(() => composer.inputValue()).toBe('');

    // Act: a private note
    await page.getByRole('button', { name: /Özel not/ }).click();
    await composer.fill('İç not: kargo firmasını aradım, yarın teslim.');
    await page.getByRole('button', { name: /Not ekle/ }).click();

    // Assess: on the timeline as a note, never sent
    await timeline(page).locator('.entry.note').filter({ hasText: 'kargo firmasını aradım' }).waitFor(LIVE);
    expect((await outbox()).some((o) => o.text.includes('kargo firmasını aradım'))).toBe(false);

    // Act: assign to me, then close
    await page.getByRole('button', { name: /Bana ata/ }).click();
    await expect.poll(() => page.locator('[data-assignee]').innerText(), LIVE).toBe('dev-agent');
    await page.getByRole('button', { name: /^Kapat/ }).click();

    // Assess: closed, and the survey went out
    await page.locator('.conversation-header .status.s-closed').waitFor(LIVE);
    await expect
      .poll(
        async () => (await outbox()).filter((o) => o.kind === 'survey' && o.to === 'elif.demir@example.com'),
        LIVE,
      )
      .toHaveLength(1);
    expect((await outbox()).some((o) => o.text.includes('kargo firmasını aradım'))).toBe(false);
    await page.context().close();
  });

  it('does the same with the keyboard only', async () => {
    // Prepare
    const canned = await orderCannedResponse();
    await sendEvent('05-can-question-en.eml');
    await sendEvent('06-can-order-delayed.order.json');
    const page = await openInbox();
    await row(page, 'Can Öztürk').waitFor(LIVE);
    const title = page.locator('#conversation-title');

    // Act: j until Can's conversation is open (rows are newest first)
    const rows = await page.locator('.rows .row').count();
    for (let step = 0; step < rows; step += 1) {
      await page.keyboard.press('j');
      await title.waitFor();
      if ((await title.innerText()).includes('Can Öztürk')) break;
    }
    await page.locator('.sidebar [data-order-id="100502"]').waitFor();

    // Act: / opens the canned responses; Enter takes the first match; Ctrl+Enter sends
    await page.keyboard.press('/');
    await page.keyboard.type(canned.shortcut);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#composer-text').inputValue()).toContain('100502');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(
        async () => (await outbox()).filter((o) => o.kind === 'agent-reply' && o.text.includes('100502')),
        LIVE,
      )
      .toEqual([expect.objectContaining({ to: 'can.ozturk@example.org' })]);

    // Act: Escape leaves the composer; n writes a note
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.keyboard.type('Not: değişim için L beden stokta var.');
    await page.keyboard.press('Control+Enter');
    await timeline(page).locator('.entry.note').filter({ hasText: 'L beden stokta' }).waitFor(LIVE);

    // Act: a assigns to me, e closes, ? shows the help
    await page.keyboard.press('Escape');
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('[data-assignee]').innerText(), LIVE).toBe('dev-agent');
    await page.keyboard.press('e');
    await page.locator('.conversation-header .status.s-closed').waitFor(LIVE);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Klavye kısayolları' }).waitFor();
    await page.keyboard.press('Escape');

    // Assess
    await expect
      .poll(
        async () => (await outbox()).filter((o) => o.kind === 'survey' && o.to === 'can.ozturk@example.org'),
        LIVE,
      )
      .toHaveLength(1);
    expect((await outbox()).some((o) => o.text.includes('L beden stokta'))).toBe(false);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.context().close();
  });

  it('speaks English to an English browser and fits a phone: the list, then the conversation with a way back', async () => {
    // Prepare
    const page = await openInbox({ locale: 'en-GB', width: 390, height: 844 });

    // Act
    await page.getByRole('tab', { name: 'All' }).click();
    await row(page, 'Deniz Kaya').click();

    // Assess
    await page.locator('#conversation-title').waitFor();
    expect(await page.locator('.queue').isVisible()).toBe(false);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: /Back to the list/ }).click();
    await row(page, 'Deniz Kaya').waitFor();
    await page.context().close();
  });
});
