// What a page reports as wrong while a browser test runs: console errors and uncaught exceptions.
import type { Page } from 'playwright-core';

/**
 * Starts collecting the page's console errors and uncaught exceptions (the list fills as they happen); the browser
 * tests of the demo and the IDE assert it stays empty. `ignoreUrl` leaves out errors of pages outside the test.
 */
export function collectConsoleErrors(
  page: Page,
  ignoreUrl: (url: string) => boolean = () => false,
): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignoreUrl(m.location().url)) errors.push(`${m.location().url}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
