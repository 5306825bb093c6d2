// The Pay card has a way on from every waiting state: a payment that never settles, and one waiting for authorization.
import { collectConsoleErrors } from './console-errors';
import { linkThroughHostedFlow } from './hosted-flow';
import { useDemoStack } from './demo-stack';

jest.setTimeout(120_000);

const stack = useDemoStack();

it('should leave a never-settling payment and cancel one waiting for authorization, also after Reload', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'processing'); // "Always Processing": ACH never settles
    await page.getByTestId('account').first().waitFor();

    await page.getByTestId('pay-amount').fill('7.77');
    await page.getByTestId('pay-continue').click();
    await page.getByTestId('mandate-accept').check();
    await page.getByTestId('pay-confirm').click();
    await page.locator('[data-testid="payment-status"][data-status="PROCESSING"]').waitFor();
    await page.reload();
    // Reload brings the processing payment back, with the way on.
    await page.locator('[data-testid="payment-status"][data-status="PROCESSING"]').waitFor();
    await page.getByTestId('pay-processing-hint').waitFor();
    await page.getByTestId('pay-new').click();
    await page.getByTestId('pay-amount').waitFor();
    expect(await page.getByTestId('payment-status').count()).toBe(0);
    await page.reload();
    await page.getByTestId('pay-amount').waitFor(); // the left payment does not come back
    expect(await page.getByTestId('payment-status').count()).toBe(0);

    // "Waiting for your authorization": Reload, then cancel instead of accepting.
    await page.getByTestId('pay-amount').fill('8.88');
    await page.getByTestId('pay-continue').click();
    await page.locator('[data-testid="payment-status"][data-status="REQUIRES_CONFIRMATION"]').waitFor();
    await page.reload();
    await page.locator('[data-testid="payment-status"][data-status="REQUIRES_CONFIRMATION"]').waitFor();
    await page.getByTestId('pay-cancel').click();
    await page.getByTestId('pay-amount').waitFor();
    expect(await page.getByTestId('payment-status').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});
