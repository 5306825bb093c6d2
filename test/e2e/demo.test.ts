// The whole demo story in Chromium: link an account through the hosted flow, see its balance, refresh it and watch
// the result arrive over the subscription, pay by ACH with the mandate accepted and watch it succeed.
import type { Page } from 'playwright-core';
import { collectConsoleErrors } from './console-errors';
import { linkThroughHostedFlow } from './hosted-flow';
import { screenshots } from './screenshots';
import { useDemoStack } from './demo-stack';

jest.setTimeout(90_000);

const stack = useDemoStack();

it('links a bank account, refreshes its balance live, and pays by ACH until it succeeds', async () => {
  const shots = screenshots('demo');
  const page = await stack.browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const consoleErrors = collectConsoleErrors(page);
  // No request of the walk fails (favicons included): neither cancelled nor answered 4xx/5xx.
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.failure()?.errorText} ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  const shot = (name: string, docsName?: string) => shots.take(page, name, docsName);
  try {
    await story(page, shot, requests);
    // No console error at all: no Content-Security-Policy violation, no failed request, no script error.
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual([]);
  } catch (e) {
    // Leave evidence: what the page showed and said when the story stopped.
    await shot('failure').catch(() => undefined);
    console.log(`demo page errors: ${JSON.stringify(consoleErrors)}`);
    throw e;
  } finally {
    await page.context().close();
  }
});

async function story(
  page: Page,
  shot: (name: string, docsName?: string) => Promise<unknown>,
  requests: string[],
): Promise<void> {
  await page.goto(`${stack.gateway.url}/demo`);
  await page.getByTestId('link-button').waitFor();
  // Nothing happened yet: nothing is "Offline" either.
  expect(await page.getByTestId('live-status').textContent()).toBe(
    'Live updates start once you link an account',
  );
  expect(await page.locator('h1').textContent()).toBe('Link your bank account');
  await shot('01-start', 'demo-start');

  // 1. Link: the page mints a customer token through the demo's server route, creates a session through GraphQL,
  //    and the sandbox's Stripe.js-compatible script opens the hosted flow.
  await page.getByTestId('link-button').click();
  await linkThroughHostedFlow(page, shot);

  // 2. The linked account appears with its balance, owners and transactions.
  const card = page.getByTestId('account').first();
  await card.waitFor();
  await page.waitForFunction(
    () =>
      /\$[\d,]+\.\d\d/.test(
        document.querySelector('[data-testid="account"] [data-testid="balance"]')?.textContent ?? '',
      ),
    undefined,
    { timeout: 20_000 },
  );
  await card.getByTestId('owners').waitFor({ timeout: 20_000 });
  await card.getByTestId('transactions').waitFor({ timeout: 20_000 });
  expect(await card.getByTestId('balance').textContent()).toMatch(/\$[\d,]+\.\d\d/);
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
  // The link's prefetch is no refresh the user asked for: no refresh status yet.
  expect(await card.getByTestId('refresh-status').textContent()).toBe('');
  // The IDE's subscription example finds the demo's account here (src/transport/http/ide.ts).
  expect(await page.evaluate(() => localStorage.getItem('fc-demo-account'))).toBe(
    await card.getAttribute('data-account-id'),
  );
  expect(await page.locator('h1').textContent()).toBe('Your linked accounts');
  await shot('04-linked-account', 'demo-linked-account');

  // 3. Refresh: the mutation only starts it; the result arrives over financialAccountRefreshed, without a reload.
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  const asOfBefore = await card.getByTestId('balance-as-of').textContent();
  const balanceBefore = await card.getByTestId('balance').textContent();
  await card.getByTestId('refresh').click();
  // Done when the pushed account shows a newer balance and a settled refresh. The page fetches accounts only on load
  // and after linking, so only a financialAccountRefreshed event can change them now.
  await page.waitForFunction(
    (before) => {
      const q = (id: string) =>
        document.querySelector(`[data-testid="account"] [data-testid="${id}"]`)?.textContent;
      return (
        q('balance-as-of') !== before &&
        q('refresh-status') === 'Refresh: Succeeded' &&
        /balance refresh succeeded/.test(
          Array.from(document.querySelectorAll('[data-testid="activity"] li'), (li) => li.textContent).join(
            '\n',
          ),
        )
      );
    },
    asOfBefore,
    { timeout: 20_000 },
  );
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  // The sandbox's later refresh moves the balance, so what arrived is visible.
  expect(await card.getByTestId('balance').textContent()).toMatch(/\$[\d,]+\.\d\d/);
  expect(await card.getByTestId('balance').textContent()).not.toBe(balanceBefore);
  await shot('05-refreshed-live', 'demo-refreshed');

  // A wrong amount is refused; typing a valid one clears the error at once.
  await page.getByTestId('pay-amount').fill('0.10');
  await page.getByTestId('pay-continue').click();
  await page.getByTestId('payment-error').waitFor();
  expect(await page.getByTestId('payment-error').textContent()).toBe('Enter an amount of at least $0.50.');
  await page.getByTestId('pay-amount').fill('25.00');
  expect(await page.getByTestId('payment-error').count()).toBe(0);

  // 4. Pay: the mandate is shown and must be accepted; the status moves to SUCCEEDED over paymentIntentUpdated.
  await page.getByTestId('pay-amount').fill('25.00');
  await page.getByTestId('pay-continue').click();
  const mandate = page.getByTestId('mandate');
  await mandate.waitFor();
  expect(await mandate.textContent()).toMatch(
    /you authorize Demo Store to debit the bank account ending in \d{4} for \$25\.00/,
  );
  expect(await page.getByTestId('pay-confirm').isDisabled()).toBe(true);
  await page.getByTestId('mandate-accept').check();
  await shot('06-mandate', 'demo-mandate');
  await page.getByTestId('pay-confirm').click();
  await page
    .locator(
      '[data-testid="payment-status"][data-status="PROCESSING"], [data-testid="payment-status"][data-status="SUCCEEDED"]',
    )
    .waitFor();
  await shot('07-payment-processing');
  await page.locator('[data-testid="payment-status"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await shot('08-payment-succeeded', 'demo-payment-succeeded');

  // The Activity log speaks plainly: account names and amounts, no ids or Stripe enum values.
  const activity = (await page.getByTestId('activity').textContent()) ?? '';
  expect(activity).toMatch(/Payment of \$25\.00 from Bank \(Non-OAuth\) Checking •••• 6789: succeeded/);
  expect(activity).not.toMatch(/fca_|pi_|cus_|requires_|_[a-z]+_/);

  // A reload keeps the payment in the Pay card, as the API has it, and the Activity list.
  await page.reload();
  await page.locator('[data-testid="payment-status"][data-status="SUCCEEDED"]').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('activity').textContent()).toContain(activity);
  expect(await page.getByTestId('payment-status').textContent()).toBe('Succeeded');
  expect(await page.getByTestId('mandate').textContent()).toMatch(/for \$25\.00/);

  // Start over: no customer, no live updates, and the badge says so as on first load.
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
  await page.getByRole('button', { name: 'Start over with a new customer' }).click();
  await page.locator('[data-testid="live-status"][data-status="idle"]').waitFor();
  expect(await page.getByTestId('live-status').textContent()).toBe(
    'Live updates start once you link an account',
  );
  expect(await page.getByTestId('activity').count()).toBe(0);
  expect(await page.getByTestId('payment').count()).toBe(0);

  // The browser only ever talked to the gateway (page, bundle, GraphQL, WebSocket) and the sandbox (the flow).
  const origins = new Set(requests.map((u) => new URL(u).origin));
  expect([...origins].sort()).toEqual([stack.gateway.url, stack.sandbox.url].sort());
}

it('starts afresh when the stored demo session no longer works (e.g. after a restart)', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.evaluate(() =>
      sessionStorage.setItem(
        'fc-demo-session',
        JSON.stringify({
          customerId: 'cus_gone',
          token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXNfZ29uZSJ9.invalid',
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        }),
      ),
    );
    await page.reload();
    await page.getByText('Your previous demo session has expired').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('fc-demo-session'))).toBeNull();
    expect(await page.getByTestId('link-button').isEnabled()).toBe(true);
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});

it('logs a flow the user left before linking, and says so', async () => {
  const page = await stack.browser.newPage();
  const consoleErrors = collectConsoleErrors(page);
  try {
    await page.goto(`${stack.gateway.url}/demo`);
    await page.getByTestId('link-button').click();
    const frame = page.frameLocator('iframe[name="stripe-sandbox-financial-connections"]');
    await frame.locator('main[data-step="consent"]').waitFor();
    expect(await page.getByTestId('busy').textContent()).toBe('Finish linking in the dialog on this page…');
    await frame.getByTestId('exit').click();
    await page.getByText('No account was linked: the dialog was closed before the end.').waitFor();
    expect(await page.getByTestId('activity').textContent()).toContain(
      'Linking cancelled: no account was linked',
    );
    expect(await page.getByTestId('account').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.context().close();
  }
});
