// Screenshot paths for the e2e tests: every run writes to test-output/<name>/ (printed); with UPDATE_SCREENSHOTS=1
// the README's pictures in docs/screenshots/ are replaced too (they are committed, so not on every run).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshotDir } from '../helpers/browser';

const DOCS_DIR = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

export function screenshots(name: string) {
  const dir = screenshotDir(name);
  console.log(`${name} screenshots: ${dir}`);
  return {
    dir,
    /** Saves `<file>.png` in the run's folder, and as docs/screenshots/<docsName>.png when asked to update them. */
    async take(page: Page, file: string, docsName?: string): Promise<string> {
      const out = path.join(dir, `${file}.png`);
      // One size for every picture, so the README's screenshots match.
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.screenshot({ path: out, fullPage: true });
      if (docsName && process.env.UPDATE_SCREENSHOTS === '1') {
        fs.mkdirSync(DOCS_DIR, { recursive: true });
        fs.copyFileSync(out, path.join(DOCS_DIR, `${docsName}.png`));
      }
      return out;
    },
  };
}
