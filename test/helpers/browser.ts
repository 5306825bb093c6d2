// launchBrowser(): Debian's /usr/bin/chromium driven by playwright-core (no browser download), headless and offline.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export interface LaunchedBrowser {
  browser: Browser;
  /** A fresh page in a fresh context (no shared cookies between cases). */
  newPage(): Promise<Page>;
  /** Closes the browser (Playwright deletes its temporary profile). */
  close(): Promise<void>;
}

/** Where Debian installs Chromium; Playwright's own browser download does not work on these machines. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Launches headless Chromium with a throwaway profile.
 * Why these flags: no sandbox (containers run as root), no GPU, and every background network feature off
 * (QUIC, component updates, sync) so a test never waits on, or talks to, anything outside loopback.
 * The profile: Playwright refuses `--user-data-dir` in `launch()` args; it already passes a fresh temporary
 * `--user-data-dir` of its own to every launch and deletes it on close, which is what we want.
 * @throws when /usr/bin/chromium is missing (`apt-get install -y chromium`).
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  }
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
      // Clicks inside a cross-origin iframe (the sandbox's flow in a merchant page, the demo's overlay) time out
      // with Debian's Chromium 156 + playwright-core 1.65 when that frame runs in its own process. Keeping frames
      // in-process changes no web-visible behaviour: origins, postMessage checks and CSP work as before.
      '--disable-site-isolation-trials',
      '--disable-features=IsolateOrigins,site-per-process',
    ],
  });
  return {
    browser,
    async newPage() {
      const context = await browser.newContext();
      return context.newPage();
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

/** A folder for a test's screenshots under test-output/ (git-ignored), created empty. */
export function screenshotDir(name: string): string {
  const dir = path.resolve(__dirname, '..', '..', 'test-output', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
