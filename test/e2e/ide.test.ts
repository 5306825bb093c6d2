// The GraphQL IDE at GET /graphql: served to browsers from our own bundle, pre-filled, and able to run operations.
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
    const example = config.tabs.find((t) => t.title === 'subscription') as
      { query: string; variables?: string; demoAccountVariable?: string } | undefined;
    expect(example?.query).toContain('financialAccountRefreshed(accountId: $accountId)');
    expect([example?.variables, example?.demoAccountVariable]).toEqual([
      '{\n  "accountId": ""\n}',
      'accountId',
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
    // A linked account of the demo partner, through the public API and the sandbox's completion helper.
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
      `mutation ($c: ID!) { createFinancialConnectionsSession(input: { customerId: $c, permissions: [BALANCES] }) {
        session { id } } }`,
      { c: customerId },
      { token: key },
    );
    const completed = sandbox.sandbox.completeSession(
      session.data!.createFinancialConnectionsSession.session.id,
    );
    const accountId = String(completed.accounts[0].id);

    const shots = screenshots('ide-subscription');
    const page = await browser.newPage();
    // This browser linked the account in /demo, which leaves its id for the IDE's subscription example.
    await page.addInitScript((id) => localStorage.setItem('fc-demo-account', id), accountId);
    await page.goto(demoGateway.graphqlUrl);
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor();
    await page.getByText('query Viewer', { exact: false }).first().waitFor();
    // The example tab runs as it stands: its variables already name the demo's account.
    await page.locator('.graphiql-tab').filter({ hasText: 'AccountRefreshed' }).click();
    await page.getByText('subscription AccountRefreshed', { exact: false }).first().waitFor();
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
  });
});
