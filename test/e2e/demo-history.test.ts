// The hosted flow behaves like a modal in the browser's history: linking adds no entries, one Back leaves /demo.
import { collectConsoleErrors } from './console-errors';
import { linkThroughHostedFlow } from './hosted-flow';
import { useDemoStack } from './demo-stack';

jest.setTimeout(90_000);

const stack = useDemoStack();

it('leaves /demo with one Back press after a completed flow', async () => {
  const page = await stack.browser.newPage();
  // Errors of the demo and the flow; /healthz is plain JSON, and the browser asks for its /favicon.ico.
  const consoleErrors = collectConsoleErrors(page, (url) => url.endsWith('/favicon.ico'));
  try {
    await page.goto(`${stack.gateway.url}/healthz`); // the page the user came from
    await page.goto(`${stack.gateway.url}/demo`);
    const entriesBefore = await page.evaluate(() => history.length);
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page);
    await page.getByTestId('account').first().waitFor();
    expect(await page.locator('iframe[name="stripe-sandbox-financial-connections"]').count()).toBe(0);
    expect(await page.evaluate(() => history.length)).toBe(entriesBefore);
    expect(consoleErrors).toEqual([]);

    await page.goBack();
    expect(page.url()).toBe(`${stack.gateway.url}/healthz`);
  } finally {
    await page.context().close();
  }
});
