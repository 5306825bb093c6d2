// Saved accounts are named unambiguously and saved once: Save stops offering an account already saved.
import { collectConsoleErrors } from './console-errors';
import { linkThroughHostedFlow } from './hosted-flow';
import { useDemoStack } from './demo-stack';

jest.setTimeout(120_000);

const stack = useDemoStack();

it('should offer each linked account for saving once and list it once, by institution, nickname, type and last4', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'checking');
    await page.getByTestId('account').first().waitFor();

    const saved = page.getByTestId('saved-accounts');
    await saved.getByTestId('save-accept').check();
    await saved.getByTestId('save-account').click();
    await saved.locator('[data-testid="saved-account"][data-status="USABLE"]').waitFor();
    // Nothing left to save: no form offering the saved account again.
    await saved.getByTestId('all-saved').waitFor();
    expect(await saved.getByTestId('save-from').count()).toBe(0);

    // The same bank account linked again is still saved: not offered a second time.
    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'checking');
    await page.locator('[data-testid="account"]').nth(1).waitFor();
    expect(await saved.getByTestId('save-from').count()).toBe(0);
    await saved.getByTestId('all-saved').waitFor();

    await page.getByTestId('link-button').click();
    await linkThroughHostedFlow(page, undefined, 'processing');
    await page.locator('[data-testid="account"]').nth(2).waitFor();
    // Only the account not saved yet is offered, named so it cannot be taken for another.
    const offered = await saved.getByTestId('save-from').locator('option').allTextContents();
    expect(offered).toEqual(['Bank (Non-OAuth) Always Processing (Checking) •••• 0009']);
    await saved.getByTestId('save-accept').check();
    await saved.getByTestId('save-account').click();
    await saved.locator('[data-testid="saved-account"]').nth(1).waitFor();
    await saved.getByTestId('all-saved').waitFor();

    await page.reload();
    await saved.locator('[data-testid="saved-account"]').nth(1).waitFor();
    const listed = (await saved.getByTestId('saved-account').allTextContents()).map((t) => t.trim());
    expect(listed.sort()).toEqual([
      'Bank (Non-OAuth) Always Processing (Checking) •••• 0009',
      'Bank (Non-OAuth) Checking •••• 6789',
    ]);
    expect(await saved.getByTestId('save-from').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});
