// Driving the sandbox's hosted Financial Connections flow from a page that opened it (the demo).
import type { FrameLocator, Page } from 'playwright-core';

/**
 * Clicks through the sandbox's hosted flow (opened by its Stripe.js-compatible script) at Bank (Non-OAuth) and links
 * one of its accounts (`checking` ••••6789 unless told; `savings` is ••••4321).
 */
export async function linkThroughHostedFlow(
  page: Page,
  shot: (name: string, docsName?: string) => Promise<unknown> = async () => undefined,
  accountKey = 'checking',
): Promise<void> {
  const frame: FrameLocator = page.frameLocator('iframe[name="stripe-sandbox-financial-connections"]');
  const atStep = (step: string) => frame.locator(`main[data-step="${step}"]`).waitFor();
  await atStep('consent');
  await shot('02-hosted-flow-consent');
  await frame.getByTestId('consent-agree').click();
  await atStep('institution');
  await frame.getByTestId('institution-search').fill('bank non');
  await frame.locator('[data-testid="institution-list"][data-query="bank non"]').waitFor();
  await frame.getByTestId('institution-option').filter({ hasText: 'Bank (Non-OAuth)' }).click();
  await atStep('login');
  await frame.getByTestId('username').fill('jenny');
  await frame.getByTestId('password').fill('hunter2');
  await frame.getByTestId('login-submit').click();
  await atStep('accounts');
  await frame.locator(`[data-testid="account-option"][data-key="${accountKey}"] input`).check();
  await shot('03-hosted-flow-accounts', 'demo-hosted-flow');
  await frame.getByTestId('link-accounts').click();
  await atStep('success');
  await frame.getByTestId('done').click();
}

/**
 * Clicks through the sandbox's hosted flow to its manual entry: routing 110000000 and `accountNumber` typed twice
 * (an account Stripe then verifies with microdeposits).
 */
export async function enterBankDetailsManually(page: Page, accountNumber: string): Promise<void> {
  const frame: FrameLocator = page.frameLocator('iframe[name="stripe-sandbox-financial-connections"]');
  const atStep = (step: string) => frame.locator(`main[data-step="${step}"]`).waitFor();
  await atStep('consent');
  await frame.getByTestId('consent-agree').click();
  await atStep('institution');
  await frame.getByTestId('manual-entry').click();
  await atStep('manual');
  await frame.getByTestId('routing-number').fill('110000000');
  await frame.getByTestId('account-number').fill(accountNumber);
  await frame.getByTestId('account-number-confirmation').fill(accountNumber);
  await frame.getByTestId('manual-submit').click();
  await atStep('success');
  await frame.getByTestId('done').click();
}
