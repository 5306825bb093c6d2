// The demo's recurring path: save a linked account once, "Pay again with saved account" with no new authorization,
// a failed payment's reason, and an account saved through the sandbox's hosted microdeposit verification page.
import { collectConsoleErrors } from './console-errors';
import { enterBankDetailsManually, linkThroughHostedFlow } from './hosted-flow';
import { useDemoStack } from './demo-stack';

jest.setTimeout(120_000);

const stack = useDemoStack({ achDelayMs: 300 });

it('saves Checking, pays again twice without a new authorization, and shows why a payment from a failing account failed', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'checking');
    await page.getByTestId('account').first().waitFor();

    const saved = page.getByTestId('saved-accounts');
    expect(await saved.getByTestId('recurring-mandate').textContent()).toMatch(
      /ending in 6789 for future payments/,
    );
    await saved.getByTestId('save-accept').check();
    await saved.getByTestId('save-account').click();
    await saved.locator('[data-testid="saved-account"][data-status="USABLE"]').first().waitFor();
    expect(await saved.getByTestId('saved-list').textContent()).toContain('6789');
    const mandatesBefore = stack.sandbox.sandbox.store.mandates.newestFirst().length;

    // Pay again, twice: confirmed at once under the saved mandate, settled live.
    for (const amount of ['9.99', '12.50']) {
      await saved.getByTestId('repeat-amount').fill(amount);
      await saved.getByTestId('pay-again').click();
    }
    await saved
      .locator('[data-testid="repeat-payment"][data-status="SUCCEEDED"]')
      .nth(1)
      .waitFor({ timeout: 30_000 });
    expect(await saved.getByTestId('repeat-payments').textContent()).toMatch(/\$12\.50[\s\S]*\$9\.99/);
    expect(stack.sandbox.sandbox.store.mandates.newestFirst()).toHaveLength(mandatesBefore);

    // An account whose debits bounce: saved like any other, its payment fails and says why.
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'insufficient_funds');
    await page.locator('[data-testid="account"]').nth(1).waitFor();
    const failing = saved.getByTestId('save-from').locator('option', { hasText: 'Insufficient Funds' });
    await saved.getByTestId('save-from').selectOption((await failing.getAttribute('value'))!);
    await saved.getByTestId('save-accept').check();
    await saved.getByTestId('save-account').click();
    await saved.locator('[data-testid="saved-account"]').nth(1).waitFor();
    const other = saved.getByTestId('repeat-from').locator('option').filter({ hasNotText: '6789' });
    await saved.getByTestId('repeat-from').selectOption((await other.getAttribute('value'))!);
    await saved.getByTestId('repeat-amount').fill('30.00');
    await saved.getByTestId('pay-again').click();
    const failure = saved.locator('[data-testid="payment-failure"][data-code="insufficient_funds"]');
    await failure.waitFor({ timeout: 30_000 });
    expect(await failure.textContent()).toMatch(/insufficient funds/i);
    expect(
      await saved.locator('[data-testid="repeat-payment"][data-status="REQUIRES_PAYMENT_METHOD"]').count(),
    ).toBe(1);
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});

it('saves an account verified on the hosted microdeposit page', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page, (url) => !url.startsWith(stack.gateway.url));
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'checking');
    await page.getByTestId('account').first().waitFor();

    const saved = page.getByTestId('saved-accounts');
    await saved.getByTestId('save-microdeposits').check();
    await saved.getByTestId('save-accept').check();
    await saved.getByTestId('save-account').click();
    const link = saved.getByTestId('verify-link');
    await link.waitFor();

    // The end user opens the bank's deposits page (the sandbox's hosted_verification_url) and types the amounts.
    const [verification] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await verification.getByTestId('amount-1').waitFor();
    await verification.getByTestId('amount-1').fill('11');
    await verification.getByTestId('amount-2').fill('22');
    await verification.getByTestId('verify').click();
    await verification.getByTestId('error').waitFor();
    await verification.getByTestId('amount-1').fill('32');
    await verification.getByTestId('amount-2').fill('45');
    await verification.getByTestId('verify').click();
    await verification.getByTestId('verified').waitFor();

    await saved.getByTestId('verify-check').click();
    await saved.locator('[data-testid="saved-account"][data-status="USABLE"]').first().waitFor();
    expect(await saved.getByTestId('saved-list').textContent()).toContain('6789');
    await saved.getByTestId('pay-again').click();
    await saved
      .locator('[data-testid="repeat-payment"][data-status="SUCCEEDED"]')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});

it('pays from an account typed in by hand once its microdeposit code is entered, with a wrong code refused first', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    await enterBankDetailsManually(page, '000123456789');
    await page.getByTestId('account').first().waitFor();

    await page.getByTestId('pay-amount').fill('15.00');
    await page.getByTestId('pay-continue').click();
    await page.getByTestId('mandate-accept').check();
    await page.getByTestId('pay-confirm').click();
    await page.locator('[data-testid="payment-status"][data-status="REQUIRES_ACTION"]').waitFor();
    expect(await page.getByTestId('pay-verify-link').getAttribute('href')).toMatch(/\/microdeposit\//);

    await page.getByTestId('pay-verify-code').fill('SM99ZZ');
    await page.getByTestId('pay-verify-submit').click();
    expect(await page.getByTestId('payment-error').textContent()).toMatch(/does not match/);
    await page.getByTestId('pay-verify-code').fill('SM11AA');
    await page.getByTestId('pay-verify-submit').click();
    await page
      .locator('[data-testid="payment-status"][data-status="SUCCEEDED"]')
      .waitFor({ timeout: 30_000 });
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});
