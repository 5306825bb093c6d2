// The GraphQL IDE at GET /graphql: served to browsers from our own bundle, pre-filled, and able to run operations.
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser';
import { collectConsoleErrors } from './console-errors';
import { nextCall } from './next-call';
import { screenshots } from './screenshots';
import { startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

let sandbox: StartedSandbox;
let demoGateway: StartedGateway; // PARTNER_KEYS unset: the built-in demo partner
let partnerGateway: StartedGateway; // real partner keys: nothing may be pre-filled
let browser: LaunchedBrowser;

beforeAll(async () => {
  sandbox = await startSandbox();
  [demoGateway, partnerGateway] = await Promise.all([
    startGateway({ STRIPE_API_BASE: sandbox.url, PARTNER_KEYS: '' }),
    startGateway({ STRIPE_API_BASE: sandbox.url }),
  ]);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([demoGateway?.close(), partnerGateway?.close()]);
  await sandbox?.close();
});

/** A customer of the demo partner with a linked account, through the public API and the sandbox's completion helper. */
async function linkedAccount(): Promise<{ customerId: string; accountId: string }> {
  const key = 'demo_partner_key';
  const customer = await gql<{ createCustomer: { customer: { id: string } } }>(
    demoGateway.graphqlUrl,
    'mutation { createCustomer(input: { email: "ide@example.com" }) { customer { id } } }',
    undefined,
    { token: key },
  );
  const customerId = customer.data!.createCustomer.customer.id;
  const session = await gql<{ createFinancialConnectionsSession: { session: { id: string } } }>(
    demoGateway.graphqlUrl,
    `mutation ($c: ID!) { createFinancialConnectionsSession(input: {
      customerId: $c, permissions: [BALANCES, OWNERSHIP, PAYMENT_METHOD, TRANSACTIONS] }) { session { id } } }`,
    { c: customerId },
    { token: key },
  );
  const completed = sandbox.sandbox.completeSession(
    session.data!.createFinancialConnectionsSession.session.id,
  );
  return { customerId, accountId: String(completed.accounts[0].id) };
}

/** What /demo leaves in a browser after linking: the IDE's tabs read it when the page loads. */
const leaveDemoIds = (page: Page, ids: { customerId: string; accountId: string }) =>
  page.evaluate(({ customerId, accountId }) => {
    localStorage.setItem('fc-demo-customer', customerId);
    localStorage.setItem('fc-demo-account', accountId);
  }, ids);

/** The result pane's text, Monaco's no-break spaces as spaces. */
const resultText = async (page: Page) =>
  ((await page.locator('.result-window').textContent()) ?? '').replace(/\s+/g, ' ');

/** Opens the tab of an operation and shows its variables. */
async function openTab(page: Page, operationName: string) {
  await page
    .locator('.graphiql-tab-button')
    .filter({ hasText: new RegExp(`^\\s*${operationName}\\s*$`) })
    .click();
  await page
    .getByText(new RegExp(`(query|mutation|subscription)\\s${operationName}\\b`))
    .first()
    .waitFor();
}

const ideConfigOf = (html: string) => {
  const m = /<script id="ide-config" type="application\/json">(.*?)<\/script>/s.exec(html);
  return m ? (JSON.parse(m[1]) as { headers: string; tabs: { title: string; query: string }[] }) : undefined;
};

describe('GET /graphql content negotiation', () => {
  it('serves the IDE page to a browser navigation, from /ui/ assets (no CDN)', async () => {
    const res = await fetch(demoGateway.graphqlUrl, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    const html = await res.text();
    const scripts = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((s) => !s.startsWith('data:')); // the inline icon
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s.startsWith('/ui/assets/')).toBe(true);
    const asset = await fetch(`${demoGateway.url}${scripts.find((s) => s.endsWith('.js'))}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('pre-fills the demo partner key when the gateway runs on the built-in demo partner', async () => {
    const html = await (await fetch(demoGateway.graphqlUrl, { headers: { accept: 'text/html' } })).text();
    const config = ideConfigOf(html)!;
    expect(JSON.parse(config.headers)).toEqual({ authorization: 'Bearer demo_partner_key' });
    expect(config.tabs[0].query).toContain('viewer');
    const example = config.tabs.find((t) => t.title === 'AccountRefreshed') as
      { query: string; variables?: string; demoValues?: Record<string, string> } | undefined;
    expect(example?.query).toContain('financialAccountRefreshed(accountId: $accountId)');
    expect([example?.variables, example?.demoValues]).toEqual([
      '{\n  "accountId": ""\n}',
      { accountId: 'accountId' },
    ]);
  });

  it('never writes a configured partner key into the page', async () => {
    const html = await (await fetch(partnerGateway.graphqlUrl, { headers: { accept: 'text/html' } })).text();
    expect(html).not.toContain('key_partner_');
    const config = ideConfigOf(html)!;
    expect(JSON.parse(config.headers).authorization).toBe('Bearer <your partner key or customer token>');
  });

  it('keeps GraphQL for everything else: GET with ?query= and POST', async () => {
    const get = await fetch(`${demoGateway.graphqlUrl}?query=${encodeURIComponent('{ viewer { kind } }')}`, {
      headers: {
        accept: 'application/json',
        authorization: 'Bearer demo_partner_key',
        'apollo-require-preflight': '1',
      },
    });
    expect(await get.json()).toEqual({ data: { viewer: { kind: 'PARTNER' } } });
    const post = await gql(demoGateway.graphqlUrl, '{ viewer { kind } }', undefined, {
      token: 'demo_partner_key',
    });
    expect(post.data).toEqual({ viewer: { kind: 'PARTNER' } });
  });

  it('answers /favicon.ico with the icon (no 404 in the browser console)', async () => {
    const res = await fetch(`${demoGateway.url}/favicon.ico`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    expect(await res.text()).toMatch(/^<svg /);
  });

  it("does not serve Apollo's CDN landing page", async () => {
    const html = await (await fetch(partnerGateway.graphqlUrl, { headers: { accept: 'text/html' } })).text();
    expect(html).not.toMatch(/apollographql|embeddable-sandbox|cdn\./i);
  });
});

describe('the IDE in Chromium', () => {
  it('opens with the schema loaded: no request answered 401, the Docs explorer populated, the result pane empty', async () => {
    const page = await browser.newPage();
    const graphqlStatuses: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/graphql' && r.request().method() === 'POST')
        graphqlStatuses.push(r.status());
    });
    const consoleErrors = collectConsoleErrors(page);
    // The schema arrives as the answer to the IDE's own introspection request.
    const introspected = page.waitForResponse(
      (r) => r.request().method() === 'POST' && /__schema/.test(r.request().postData() ?? ''),
    );
    await page.goto(demoGateway.graphqlUrl);
    expect((await introspected).status()).toBe(200);
    await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().waitFor();
    expect(await docs.locator('.graphiql-doc-explorer-error').count()).toBe(0);
    expect(await docs.textContent()).toContain('Mutation');
    expect(((await page.locator('.result-window').textContent()) ?? '').trim()).toBe('');
    expect(graphqlStatuses).toEqual([200]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('runs a query from the pre-filled tab and shows the result', async () => {
    const shots = screenshots('ide');
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const failed: string[] = [];
    const cspViolations: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && cspViolations.push(m.text()));
    await page.goto(demoGateway.graphqlUrl);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await page.getByText('query Viewer', { exact: false }).first().waitFor();
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.result-window');
    await page.waitForFunction(
      () => document.querySelector('.result-window')?.textContent?.includes('PARTNER') ?? false,
      undefined,
      { timeout: 15_000 },
    );
    // Monaco renders spaces as no-break spaces.
    const text = ((await response.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('"kind": "PARTNER"');
    expect(text).toContain('"partnerId": "demo"');
    await shots.take(page, 'ide-query', 'ide-query');
    // Everything the page loaded came from the gateway itself (machines are offline).
    expect(failed).toEqual([]);
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });

  it("runs the subscription example tab as it stands, on the demo's account, over graphql-ws", async () => {
    const { accountId } = await linkedAccount();

    const shots = screenshots('ide-subscription');
    const page = await browser.newPage();
    // This browser linked the account in /demo, which leaves its id for the IDE's subscription example.
    await page.addInitScript((id) => localStorage.setItem('fc-demo-account', id), accountId);
    await page.goto(demoGateway.graphqlUrl);
    const key = 'demo_partner_key';
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor();
    await page.getByText('query Viewer', { exact: false }).first().waitFor();
    // The example tab runs as it stands: its variables already name the demo's account.
    await openTab(page, 'AccountRefreshed');
    await page.getByRole('button', { name: /^variables$/i }).click();
    await page.getByText(accountId).first().waitFor();
    // The subscription is running on the gateway (over the IDE's WebSocket) before the event is caused.
    const subscribed = nextCall(demoGateway.gateway.metrics.subscribers, 'inc');
    await page.locator('.graphiql-execute-button').click();
    await subscribed;
    const refreshed = await gql(
      demoGateway.graphqlUrl,
      'mutation ($a: ID!) { refreshFinancialAccount(input: { accountId: $a, features: [BALANCE] }) { financialAccount { id } } }',
      { a: accountId },
      { token: key },
    );
    expect(refreshed.errors).toBeUndefined();
    await page.waitForFunction(
      () =>
        /"status":\s*"SUCCEEDED"/.test(
          (document.querySelector('.result-window')?.textContent ?? '').replace(/\s+/g, ' '),
        ),
      undefined,
      { timeout: 15_000 },
    );
    const text = ((await page.locator('.result-window').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain(`"id": "${accountId}"`);
    expect(text).toContain('"feature": "BALANCE"');
    await editor.click();
    await page.keyboard.press('Control+Home'); // scroll the editor back to the start for the picture
    await shots.take(page, 'ide-subscription', 'ide-subscription');
    await page.context().close();
  }, 90_000);

  it('ends a subscription refused for its key with an error in the result pane, not an endless spinner', async () => {
    const ids = await linkedAccount();
    const page = await browser.newPage();
    const consoleErrors = collectConsoleErrors(page);
    await page.goto(demoGateway.graphqlUrl);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await leaveDemoIds(page, ids);
    await page.reload();
    await openTab(page, 'AccountRefreshed');
    // The headers editor: a key the gateway does not know.
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete'); // typing over a selection would wrap it in the typed bracket
    await page.keyboard.type('{"authorization": "Bearer wrong_key_123"'); // Monaco closes the brace itself
    await page.getByText('wrong_key_123').first().waitFor();
    const closed = page
      .waitForEvent('websocket')
      .then((ws) => new Promise<void>((resolve) => ws.on('close', () => resolve())));
    await page.locator('.graphiql-execute-button').click();
    await closed;
    await page.waitForFunction(
      () => /Subscription\sended/.test(document.querySelector('.result-window')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    const text = await resultText(page);
    // A key that will never work closes 4401 (graphql-ws's client does not retry it; docs/errors.md).
    expect(text).toContain('the key or token in Headers was refused (WebSocket close 4401 Unauthorized)');
    expect(text).toContain('"code": "UNAUTHENTICATED"');
    expect(text).not.toContain('wrong_key_123');
    // The run ended: the button offers Run again, not Stop.
    expect(await page.locator('.graphiql-execute-button').getAttribute('aria-label')).toMatch(/execute/i);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('fills the tabs with the account linked last in this browser, read at load, and says what to do without one', async () => {
    const [first, second] = [await linkedAccount(), await linkedAccount()];
    const page = await browser.newPage();
    await page.goto(demoGateway.graphqlUrl);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    // Never linked in this browser: the tab says what to do first.
    await openTab(page, 'AccountRefreshed');
    await page.getByText('open /demo, link an account, then reload this page').first().waitFor();

    for (const ids of [first, second]) {
      await leaveDemoIds(page, ids); // /demo linked (again) in another tab of this browser
      await page.reload();
      await openTab(page, 'AccountRefreshed');
      await page.getByRole('button', { name: /^variables$/i }).click();
      await page.getByText(ids.accountId).first().waitFor();
      expect(await page.getByText('open /demo, link an account').count()).toBe(0);
      await openTab(page, 'CustomerDashboard');
      await page.getByText(ids.customerId).first().waitFor();
    }
    expect(await page.getByText(first.accountId).count()).toBe(0);
    await page.context().close();
  }, 90_000);

  it('runs every example tab as shipped: one operation each, no HTTP 4xx, no GraphQL error, no console error', async () => {
    const config = ideConfigOf(
      await (await fetch(demoGateway.graphqlUrl, { headers: { accept: 'text/html' } })).text(),
    )!;
    const ids = await linkedAccount();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1600, height: 900 });
    const consoleErrors = collectConsoleErrors(page);
    const failed: string[] = [];
    const statuses: number[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      if (new URL(r.url()).pathname === '/graphql' && r.request().method() === 'POST')
        statuses.push(r.status());
    });
    // /demo linked in this browser before the IDE opened (set before load: a reload would cancel the page's loads).
    await page.addInitScript(({ customerId, accountId }) => {
      localStorage.setItem('fc-demo-customer', customerId);
      localStorage.setItem('fc-demo-account', accountId);
    }, ids);
    await page.goto(demoGateway.graphqlUrl);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    const ran: string[] = [];
    for (const { title, query } of config.tabs) {
      const name = /^(?:query|mutation|subscription) (\w+)/m.exec(query)?.[1];
      if (!name) continue;
      await openTab(page, name);
      if (query.includes(`subscription ${name}`)) {
        // A subscription runs until stopped: it is running once the gateway counts its subscriber.
        const subscribed = nextCall(demoGateway.gateway.metrics.subscribers, 'inc');
        await page.locator('.graphiql-execute-button').click();
        await subscribed;
        await page.locator('.graphiql-execute-button').click(); // Stop
      } else {
        await page.locator('.graphiql-execute-button').click();
        await page.waitForFunction(
          () => /"(data|errors)"/.test(document.querySelector('.result-window')?.textContent ?? ''),
          undefined,
          { timeout: 15_000 },
        );
        const text = await resultText(page);
        expect([title, text]).toEqual([title, expect.not.stringContaining('"errors"')]);
      }
      ran.push(name);
    }
    expect(ran).toHaveLength(config.tabs.length);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(failed).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  }, 240_000);
});
