import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchBrowser } from '../support/browser.ts';
import { projectRoot, type ServedSandbox, serveSandbox } from '../support/sandbox-process.ts';

const SCREENSHOTS = `${projectRoot}.sandbox/screenshots`;

let sandbox: ServedSandbox;
let launched: LaunchedBrowser;

beforeAll(async () => {
  sandbox = await serveSandbox();
  launched = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await launched?.close();
  if (sandbox?.child.exitCode === null) sandbox.child.kill('SIGINT');
});

describe('the help center in a real browser (npm start)', () => {
  it('reads an article with JavaScript off', async () => {
    // Prepare
    const context = await launched.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();

    // Act
    await page.goto(`${sandbox.base}/help/tr/returns-refunds`);

    // Assess
    await expect(page.locator('h1').textContent()).resolves.toBe('İade ve para iadesi');
    await expect(page.locator('article').textContent()).resolves.toContain('14 gün');
    const alternate = await page.locator('link[rel="alternate"][hreflang="en"]').getAttribute('href');
    expect(alternate).toBe(`${sandbox.base}/help/en/returns-refunds`);
    await context.close();
  });

  it('finds an article with the search box, opens it and stores "was this helpful?"', async () => {
    // Prepare
    const page = await launched.browser.newPage();
    await page.goto(`${sandbox.base}/help`);
    await page.waitForLoadState('load');
    // The browser's own account of what the page loaded: every script, as decoded bytes.
    const scriptBytesOnIndex = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => entry.toJSON() as { initiatorType: string; decodedBodySize: number })
        .filter((entry) => entry.initiatorType === 'script')
        .reduce((sum, entry) => sum + entry.decodedBodySize, 0),
    );

    // Act: search, without accents, as customers type
    await page.locator('input[type="search"]').fill('where is my parcel');
    const result = page.locator('#search-results a').first();
    await result.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/help-search.png`, fullPage: true });
    await result.click();
    await page.waitForURL(/\/help\/en\/order-tracking$/);
    await page.locator('textarea[name="comment"]').fill('Clear, thank you');
    const posted = page.waitForResponse((r) => r.url().endsWith('/help/feedback'));
    await page.locator('form.feedback button[value="yes"]').click();
    const feedback = await posted;
    await page.locator('.feedback-status').filter({ hasText: 'Thank you' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/help-feedback.png`, fullPage: true });

    // Assess
    expect(feedback.status()).toBe(202);
    // Stored: the agents' self-service report counts it on the article.
    const report = await fetch(`${sandbox.base}/reports/self-service`, {
      headers: { authorization: 'Bearer dev-agent-token' },
    });
    const body = (await report.json()) as { articles: { slug: string; language: string; helpful: number }[] };
    expect(body.articles).toContainEqual(
      expect.objectContaining({ slug: 'order-tracking', language: 'en', helpful: 1 }),
    );
    expect(scriptBytesOnIndex).toBeGreaterThan(0);
    expect(scriptBytesOnIndex).toBeLessThanOrEqual(30 * 1024);
    await page.close();
  });
});
