// The GraphQL IDE at GET /graphql: served to browsers from our own bundle, pre-filled, and able to run operations.
import { launchChromium, screenshotFolder, type E2eBrowser } from './chromium';
import { startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

let sandbox: StartedSandbox;
let demoGateway: StartedGateway; // PARTNER_KEYS unset: the built-in demo partner
let partnerGateway: StartedGateway; // real partner keys: nothing may be pre-filled
let browser: E2eBrowser;

beforeAll(async () => {
  sandbox = await startSandbox();
  [demoGateway, partnerGateway] = await Promise.all([
    startGateway({ STRIPE_API_BASE: sandbox.url, PARTNER_KEYS: '' }),
    startGateway({ STRIPE_API_BASE: sandbox.url }),
  ]);
  browser = await launchChromium();
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
    const html = await res.text();
    const scripts = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
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
  it('runs a query from the pre-filled tab and shows the result', async () => {
    const shots = screenshotFolder('ide');
    console.log(`IDE screenshots: ${shots}`);
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
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
    await page.screenshot({ path: `${shots}/ide-query.png` });
    // Everything the page loaded came from the gateway itself (machines are offline).
    expect(failed).toEqual([]);
    await page.context().close();
  });
});
