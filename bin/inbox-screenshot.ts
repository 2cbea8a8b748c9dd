/**
 * `npm run screenshot:inbox`: starts the sandbox in this process, loads the inbox fixtures
 * (a customer who wrote by email, SMS and WhatsApp, with an order; a second customer), opens the
 * inbox in headless Chromium at 1280 px and writes docs/images/inbox.png from the current build.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { SandboxEngine } from './sandbox/engine.ts';
import { serverPort, startSandboxServer } from './sandbox/server.ts';

const FIXTURES = new URL('../test/fixtures/inbox/', import.meta.url);
const OUTPUT = new URL('../docs/images/inbox.png', import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const engine = await SandboxEngine.start({ now: new Date('2026-11-23T07:00:00Z') });
const server = await startSandboxServer(engine, 0);
const base = `http://127.0.0.1:${serverPort(server)}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  for (const file of (await readdir(FIXTURES)).sort()) {
    const suffix = file.slice(file.indexOf('.') + 1);
    const answer = await fetch(`${base}/sandbox/events/${suffix}`, {
      method: 'POST',
      body: await readFile(new URL(file, FIXTURES)),
    });
    if (!answer.ok) throw new Error(`${file}: ${answer.status} ${await answer.text()}`);
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
  // The page's clock at the sandbox's, so ages and countdowns read as they would live.
  await page.clock.setFixedTime(new Date('2026-11-23T07:05:00Z'));
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: /Elif Demir/ }).click();
  await page.locator('.orders [data-order-id]').first().waitFor();
  await page.locator('.entry[data-channel="whatsapp"]').first().waitFor();
  await page.locator('.live.live').waitFor();
  await mkdir(new URL('.', OUTPUT), { recursive: true });
  await page.screenshot({ path: OUTPUT.pathname });
  process.stderr.write(`wrote ${OUTPUT.pathname}\n`);
} finally {
  await browser.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await engine.stop();
}
