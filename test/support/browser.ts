import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: `npx playwright install` cannot download a browser on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Background networking and component updates reach for hosts this machine cannot resolve; QUIC and
// the GPU are not available headless.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** A headless Chromium; playwright gives each launch a fresh, empty profile of its own. */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return { browser, close: () => browser.close() };
}
