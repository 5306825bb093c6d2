// The demo names the account a payment was made from, as the payment says, whatever is linked afterwards.
import { collectConsoleErrors } from './console-errors';
import { linkThroughHostedFlow } from './hosted-flow';
import { useDemoStack } from './demo-stack';

jest.setTimeout(90_000);

const stack = useDemoStack();

it('keeps naming Checking ••••6789 on a finished payment after Savings ••••4321 is linked', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'checking');
    await page.getByTestId('account').first().waitFor();

    const payment = page.getByTestId('payment');
    await page.getByTestId('pay-amount').fill('25.00');
    await page.getByTestId('pay-continue').click();
    await page.getByTestId('mandate-accept').check();
    await page.getByTestId('pay-confirm').click();
    await page
      .locator('[data-testid="payment-status"][data-status="SUCCEEDED"]')
      .waitFor({ timeout: 30_000 });
    const paidFrom = /debit the bank account ending in 6789 for \$25\.00/;
    expect(await page.getByTestId('mandate').textContent()).toMatch(paidFrom);
    expect(await payment.getByTestId('paid-from').textContent()).toMatch(/Checking ••••\s6789/);

    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'savings');
    await page.locator('[data-testid="account"]').nth(1).waitFor();
    expect(await page.getByTestId('accounts').textContent()).toContain('4321');

    expect(await page.getByTestId('mandate').textContent()).toMatch(paidFrom);
    expect(await payment.getByTestId('paid-from').textContent()).toMatch(/Checking ••••\s6789/);
    expect(await payment.textContent()).not.toContain('4321');
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});
