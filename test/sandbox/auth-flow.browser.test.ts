// Chromium clicks through the sandbox's hosted linking flow, opened by the Stripe.js-compatible script (/v3/) from a
// merchant page on another origin, and the promise resolves as Stripe.js's does.
import http from 'node:http';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { launchBrowser, screenshotDir, type LaunchedBrowser } from '../helpers/browser';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

jest.setTimeout(60_000);

/** A merchant page written for Stripe.js; only the script URL points at the sandbox. */
function merchantPage(sandboxUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Merchant</title></head>
<body>
  <h1>Rocket Rides</h1>
  <button id="link">Link your bank account</button>
  <pre id="result"></pre>
  <script src="${sandboxUrl}/v3/"></script>
  <script>
    var stripe = Stripe('pk_test_sandbox');
    document.getElementById('link').addEventListener('click', function () {
      stripe.collectFinancialConnectionsAccounts({ clientSecret: window.clientSecret }).then(function (result) {
        window.linkResult = result;
        document.getElementById('result').textContent = JSON.stringify(result, null, 2);
      });
    });
  </script>
</body></html>`;
}

interface Merchant {
  url: string;
  close(): Promise<void>;
}

/** The merchant's own tiny server: a different origin from the sandbox, as in production. */
async function startMerchant(sandboxUrl: string): Promise<Merchant> {
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(merchantPage(sandboxUrl));
      return;
    }
    if (req.url?.startsWith('/return')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Back at the app</title><h1 id="back">Back at the app</h1>');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  // "localhost" vs the sandbox's "127.0.0.1": same machine, different origin.
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type LinkResult =
  | { financialConnectionsSession: { id: string; accounts: Stripe.FinancialConnections.Account[] } }
  | { error: { type: string; code?: string; message: string } };

describe('hosted linking flow (Chromium)', () => {
  let sb: StartedSandbox;
  let merchant: Merchant;
  let browser: LaunchedBrowser;
  let customer: Stripe.Customer;
  const shots = screenshotDir('auth-flow');

  beforeAll(async () => {
    sb = await startSandbox();
    merchant = await startMerchant(sb.url);
    browser = await launchBrowser();
    customer = await sb.stripe.customers.create({ email: 'jenny.rosen@example.com', name: 'Jenny Rosen' });
    console.log(`auth-flow screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await merchant?.close();
    await sb?.close();
  });

  async function createSession(
    params: Partial<Stripe.FinancialConnections.SessionCreateParams> = {},
  ): Promise<Stripe.FinancialConnections.Session> {
    return sb.stripe.financialConnections.sessions.create({
      account_holder: { type: 'customer', customer: customer.id },
      permissions: ['payment_method', 'balances', 'transactions'],
      prefetch: ['balances'],
      ...params,
    });
  }

  /** Opens the merchant page and clicks its button; returns the flow's frame. */
  async function openFlow(page: Page, clientSecret: string): Promise<FrameLocator> {
    await page.goto(merchant.url);
    await page.evaluate((cs) => {
      (window as unknown as { clientSecret: string }).clientSecret = cs;
    }, clientSecret);
    await page.click('#link');
    return page.frameLocator('iframe[name="stripe-sandbox-financial-connections"]');
  }

  async function atStep(frame: FrameLocator, step: string): Promise<void> {
    await frame.locator(`main[data-step="${step}"]`).waitFor();
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(shots, `${name}.png`) });
  }

  async function result(page: Page): Promise<LinkResult> {
    await page.waitForFunction(
      () => (window as unknown as { linkResult?: unknown }).linkResult !== undefined,
    );
    return page.evaluate(() => (window as unknown as { linkResult: LinkResult }).linkResult);
  }

  it('should link the chosen accounts and resolve with them when the user completes the flow', async () => {
    const session = await createSession();
    const page = await browser.newPage();
    const frame = await openFlow(page, session.client_secret!);

    await atStep(frame, 'consent');
    const permissions = await frame
      .locator('[data-permission]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-permission')));
    expect(permissions).toEqual(['payment_method', 'balances', 'transactions']);
    await shot(page, '1-01-consent');
    await frame.getByTestId('consent-agree').click();

    await atStep(frame, 'institution');
    await frame.getByTestId('institution-search').fill('bank non');
    await frame.locator('[data-testid="institution-list"][data-query="bank non"]').waitFor();
    await shot(page, '1-02-select-institution');
    await frame.getByTestId('institution-option').filter({ hasText: 'Bank (Non-OAuth)' }).click();

    await atStep(frame, 'login');
    await frame.getByTestId('username').fill('jenny');
    await frame.getByTestId('password').fill('hunter2');
    await shot(page, '1-03-login');
    await frame.getByTestId('login-submit').click();

    await atStep(frame, 'accounts');
    await frame.locator('[data-testid="account-option"][data-key="checking"] input').check();
    await frame.locator('[data-testid="account-option"][data-key="savings"] input').check();
    await shot(page, '1-04-select-accounts');
    await frame.getByTestId('link-accounts').click();

    await atStep(frame, 'success');
    await shot(page, '1-05-success');
    await frame.getByTestId('done').click();

    const linked = await result(page);
    expect('financialConnectionsSession' in linked).toBe(true);
    if (!('financialConnectionsSession' in linked)) return;
    const resolved = linked.financialConnectionsSession;
    expect(resolved.id).toBe(session.id);
    expect(resolved.accounts.map((a) => a.display_name).sort()).toEqual(['Checking', 'Savings']);
    expect(resolved.accounts.every((a) => a.institution_name === 'Bank (Non-OAuth)')).toBe(true);
    // The overlay is gone once the promise resolves.
    expect(await page.locator('[data-stripe-sandbox]').count()).toBe(0);
    await shot(page, '1-06-merchant-after');

    const listed = await sb.stripe.financialConnections.accounts.list({ session: session.id });
    expect(listed.data.map((a) => a.id).sort()).toEqual(resolved.accounts.map((a) => a.id).sort());
    const created = sb.sandbox
      .events()
      .filter(
        (e) =>
          e.type === 'financial_connections.account.created' &&
          resolved.accounts.some((a) => a.id === (e.data.object as { id: string }).id),
      );
    expect(created).toHaveLength(2);
    const retrieved = await sb.stripe.financialConnections.sessions.retrieve(session.id);
    expect(retrieved.accounts.data.map((a) => a.id).sort()).toEqual(
      resolved.accounts.map((a) => a.id).sort(),
    );
    await page.context().close();
  });

  it('should link a manually entered account, then verify its microdeposits on the hosted page', async () => {
    const session = await createSession({ permissions: ['payment_method'], prefetch: [] });
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    const frame = await openFlow(page, session.client_secret!);
    await atStep(frame, 'consent');
    await frame.getByTestId('consent-agree').click();
    await atStep(frame, 'institution');
    await frame.getByTestId('manual-entry').click();
    await atStep(frame, 'manual');
    await frame.getByTestId('routing-number').fill('110000000');
    await frame.getByTestId('account-number').fill('000123456789');
    await frame.getByTestId('account-number-confirmation').fill('000123456789');
    await shot(page, '5-01-manual-entry');
    await frame.getByTestId('manual-submit').click();
    await atStep(frame, 'success');
    await frame.getByTestId('done').click();
    const linked = await result(page);
    if (!('financialConnectionsSession' in linked)) throw new Error('manual entry did not link');
    const [account] = linked.financialConnectionsSession.accounts;
    expect([account.institution_name, account.last4]).toEqual(['STRIPE TEST BANK', '6789']);

    const pi = await sb.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { financial_connections_account: account.id },
      } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
      confirm: true,
      mandate_data: {
        customer_acceptance: { type: 'online', online: { ip_address: '203.0.113.7', user_agent: 'e2e' } },
      },
    });
    await page.goto(pi.next_action!.verify_with_microdeposits!.hosted_verification_url);
    await page.locator('main[data-step="verify"]').waitFor();
    await page.getByTestId('descriptor-code').fill('SM12AB');
    await page.getByTestId('verify').click();
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('error').textContent()).toContain('9 verification attempts remaining');
    await page.getByTestId('descriptor-code').fill('SM11AA');
    await shot(page, '5-02-microdeposit-page');
    await page.getByTestId('verify').click();
    await page.getByTestId('verified').waitFor();
    expect((await sb.stripe.paymentIntents.retrieve(pi.id)).status).toBe('processing');
    expect(cspErrors).toEqual([]);
    await page.context().close();
  });

  it('should resolve with a session with no accounts when the user exits early', async () => {
    const session = await createSession();
    const page = await browser.newPage();
    const frame = await openFlow(page, session.client_secret!);

    await atStep(frame, 'consent');
    await shot(page, '2-01-consent');
    await frame.getByTestId('exit').click();

    const exited = await result(page);
    expect(exited).toEqual({
      financialConnectionsSession: expect.objectContaining({ id: session.id, accounts: [] }),
    });
    await shot(page, '2-02-merchant-after-exit');
    const listed = await sb.stripe.financialConnections.accounts.list({ session: session.id });
    expect(listed.data).toHaveLength(0);

    // The session is over: its client secret cannot open the flow again.
    await page.evaluate(() => {
      delete (window as unknown as { linkResult?: unknown }).linkResult;
    });
    await page.click('#link');
    const again = await result(page);
    expect(again).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error' }) });
    await page.context().close();
  });

  it('should end the session with an error when Bank (Non-OAuth) gets the `error` keyword', async () => {
    const session = await createSession();
    const page = await browser.newPage();
    const frame = await openFlow(page, session.client_secret!);

    await atStep(frame, 'consent');
    await frame.getByTestId('consent-agree').click();
    await atStep(frame, 'institution');
    await frame.getByTestId('institution-option').filter({ hasText: 'Bank (Non-OAuth)' }).click();
    await atStep(frame, 'login');
    await frame.getByTestId('username').fill('error');
    await frame.getByTestId('password').fill('anything');
    await shot(page, '3-01-login-error-keyword');
    await frame.getByTestId('login-submit').click();

    await atStep(frame, 'failed');
    await shot(page, '3-02-failed');
    await frame.getByTestId('done').click();

    const failed = await result(page);
    expect(failed).toEqual({
      error: expect.objectContaining({ type: 'api_error', code: 'institution_error' }),
    });
    const listed = await sb.stripe.financialConnections.accounts.list({ session: session.id });
    expect(listed.data).toHaveLength(0);
    const retrieved = await sb.stripe.financialConnections.sessions.retrieve(session.id);
    expect(retrieved.accounts.data).toHaveLength(0);
    await page.context().close();
  });
  it('should pick accounts in the OAuth window of Bank (OAuth)', async () => {
    const session = await createSession();
    const page = await browser.newPage();
    const frame = await openFlow(page, session.client_secret!);

    await atStep(frame, 'consent');
    await frame.getByTestId('consent-agree').click();
    await atStep(frame, 'institution');
    await frame.getByTestId('institution-option').filter({ hasText: 'Bank (OAuth)' }).click();
    await atStep(frame, 'oauth');
    await shot(page, '4-01-oauth-continue');
    await frame.getByTestId('oauth-continue').click();
    const oauthWindow = frame.getByTestId('oauth-window');
    await oauthWindow.waitFor({ state: 'visible' });
    await oauthWindow.locator('[data-testid="account-option"][data-key="checking"] input').check();
    await shot(page, '4-02-oauth-window');
    await frame.getByTestId('oauth-authorize').click();
    await atStep(frame, 'success');
    await frame.getByTestId('done').click();

    const linked = await result(page);
    expect(linked).toEqual({
      financialConnectionsSession: expect.objectContaining({
        id: session.id,
        accounts: [expect.objectContaining({ institution_name: 'Bank (OAuth)', display_name: 'Checking' })],
      }),
    });
    await page.context().close();
  });

  it('should walk the further prompts that the `options` keyword triggers', async () => {
    const session = await createSession();
    const page = await browser.newPage();
    const frame = await openFlow(page, session.client_secret!);

    await atStep(frame, 'consent');
    await frame.getByTestId('consent-agree').click();
    await atStep(frame, 'institution');
    await frame.getByTestId('institution-option').filter({ hasText: 'Bank (Non-OAuth)' }).click();
    await atStep(frame, 'login');
    await frame.getByTestId('username').fill('options');
    await frame.getByTestId('password').fill('x');
    await frame.getByTestId('login-submit').click();
    await atStep(frame, 'prompt-options');
    await frame.getByTestId('option-email').check();
    await shot(page, '5-01-options');
    await frame.getByTestId('prompt-submit').click();
    await atStep(frame, 'prompt-mfa');
    await frame.getByTestId('prompt-answer').fill('246810');
    await shot(page, '5-02-mfa-code');
    await frame.getByTestId('prompt-submit').click();
    await atStep(frame, 'accounts');
    await frame.locator('[data-testid="account-option"][data-key="savings"] input').check();
    await frame.getByTestId('link-accounts').click();
    await atStep(frame, 'success');
    await frame.getByTestId('done').click();

    const linked = await result(page);
    expect(linked).toEqual({
      financialConnectionsSession: expect.objectContaining({
        accounts: [expect.objectContaining({ display_name: 'Savings' })],
      }),
    });
    await page.context().close();
  });

  it('should return to return_url with the session id when the flow is opened as a page', async () => {
    const returnUrl = `${merchant.url}return?from=bank`;
    const session = await createSession({ return_url: returnUrl });
    const page = await browser.newPage();
    await page.goto(
      `${sb.url}/link/start#${new URLSearchParams({ client_secret: session.client_secret! }).toString()}`,
    );
    await page.locator('main[data-step="consent"]').waitFor();
    // The client secret does not stay in the address bar.
    expect(page.url()).not.toContain('secret');
    await page.getByTestId('consent-agree').click();
    await page.locator('main[data-step="institution"]').waitFor();
    await page.getByTestId('institution-option').filter({ hasText: 'Test (Non-OAuth)' }).click();
    await page.locator('main[data-step="accounts"]').waitFor();
    await page.locator('[data-testid="account-option"][data-key="checking"] input').check();
    await page.getByTestId('link-accounts').click();
    await page.locator('main[data-step="success"]').waitFor();
    await shot(page, '6-01-standalone-success');
    await page.getByTestId('done').click();

    await page.locator('#back').waitFor();
    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}`).toBe(`${merchant.url}return`);
    expect(landed.searchParams.get('from')).toBe('bank');
    expect(landed.searchParams.get('session_id')).toBe(session.id);
    const listed = await sb.stripe.financialConnections.accounts.list({ session: session.id });
    expect(listed.data.map((a) => a.display_name)).toEqual(['Checking']);
    await page.context().close();
  });
  it('should refuse a secret key and a missing clientSecret with IntegrationErrors, as Stripe.js does', async () => {
    const page = await browser.newPage();
    await page.goto(merchant.url);
    const errors = await page.evaluate(() => {
      const w = window as unknown as {
        Stripe: (key: string) => { collectFinancialConnectionsAccounts(o: object): Promise<unknown> };
      };
      const caught: [string, string][] = [];
      for (const attempt of [
        () => w.Stripe('sk_test_do_not_echo'),
        () => w.Stripe(''),
        () => w.Stripe('pk_test_sandbox').collectFinancialConnectionsAccounts({}),
      ]) {
        try {
          attempt();
          caught.push(['none', '']);
        } catch (e) {
          caught.push([(e as Error).name, (e as Error).message]);
        }
      }
      return caught;
    });
    expect(errors.map(([name]) => name)).toEqual([
      'IntegrationError',
      'IntegrationError',
      'IntegrationError',
    ]);
    expect(errors[0][1]).toContain('secret key');
    expect(errors[0][1]).not.toContain('sk_test_do_not_echo');
    expect(await page.locator('[data-stripe-sandbox]').count()).toBe(0);
    await page.context().close();
  });
});
