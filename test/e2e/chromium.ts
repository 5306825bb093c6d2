// The e2e tests' Chromium: Debian's /usr/bin/chromium through playwright-core, headless, loopback only.
// Why not test/helpers/browser.ts: its launchBrowser() passes --user-data-dir to launch(), which playwright refuses;
// Playwright already gives each launch a fresh temporary profile.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface E2eBrowser {
  browser: Browser;
  /** A fresh page in a fresh context (no cookies or storage shared between cases). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Flags from stack-notes: no sandbox (root in containers), no GPU, no background networking (machines are offline). */
export async function launchChromium(): Promise<E2eBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      return context.newPage();
    },
    close: () => browser.close().catch(() => undefined),
  };
}

/** An empty folder under test-output/ (git-ignored) for one test's screenshots. */
export function screenshotFolder(name: string): string {
  const dir = path.resolve(__dirname, '..', '..', 'test-output', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
