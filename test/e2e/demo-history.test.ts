// The hosted flow behaves like a modal in the browser's history: Back during it stays on /demo, and after it one
// Back leaves /demo; no request of the walk fails and nothing is logged as an error.
import { collectConsoleErrors } from './console-errors';
import { linkThroughHostedFlow } from './hosted-flow';
import { useDemoStack } from './demo-stack';

jest.setTimeout(90_000);

const stack = useDemoStack();

it('should stay on /demo when Back is pressed inside the hosted flow, and leave /demo with one Back after it', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.failure()?.errorText} ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  try {
    await page.goto(`${stack.gateway.url}/healthz`); // the page the user came from
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    const frame = page.frameLocator('iframe[name="stripe-sandbox-financial-connections"]');
    await frame.locator('main[data-step="consent"]').waitFor();

    // Back, twice, inside the flow: still /demo, the dialog still open where it was, and a word on how to leave it.
    for (let i = 0; i < 2; i++) {
      await page.goBack();
      expect(page.url()).toBe(`${stack.gateway.url}/demo`);
      await frame.locator('main[data-step="consent"]').waitFor();
    }
    // Said above the dialog, where the user looks.
    const hint = page.getByTestId('dialog-hint');
    expect(await hint.textContent()).toMatch(/still open/);
    expect(await page.evaluate(() => document.body.lastElementChild?.getAttribute('data-testid'))).toBe(
      'dialog-hint',
    );

    await linkThroughHostedFlow(page);
    await page.getByTestId('account').first().waitFor();
    expect(await page.locator('iframe[name="stripe-sandbox-financial-connections"]').count()).toBe(0);
    expect(await page.getByTestId('dialog-hint').count()).toBe(0);

    // Up to here nothing failed: each step of the flow loaded once, nothing was cancelled.
    expect(failed).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.goBack();
    expect(page.url()).toBe(`${stack.gateway.url}/healthz`);
  } finally {
    await page.context().close();
  }
});
