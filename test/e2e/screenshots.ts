// Screenshot paths for the e2e tests: every run writes to test-output/<name>/ (printed); with UPDATE_SCREENSHOTS=1
// the README's pictures in docs/screenshots/ are replaced too (they are committed, so not on every run).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshotFolder } from './chromium';

const DOCS_DIR = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

export function screenshots(name: string) {
  const dir = screenshotFolder(name);
  console.log(`${name} screenshots: ${dir}`);
  return {
    dir,
    /** Saves `<file>.png` in the run's folder, and as docs/screenshots/<docsName>.png when asked to update them. */
    async take(page: Page, file: string, docsName?: string): Promise<string> {
      const out = path.join(dir, `${file}.png`);
      await page.screenshot({ path: out, fullPage: true });
      if (docsName && process.env.UPDATE_SCREENSHOTS === '1') {
        fs.mkdirSync(DOCS_DIR, { recursive: true });
        fs.copyFileSync(out, path.join(DOCS_DIR, `${docsName}.png`));
      }
      return out;
    },
  };
}
