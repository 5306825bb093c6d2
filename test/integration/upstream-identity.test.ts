// Which upstream the gateway talks to, and under which API versions: our sandbox only when it says so at
// GET /v1/test_helpers/sandbox (anything else is Stripe behind a proxy), STRIPE_API_VERSION on every v1 request and
// STRIPE_V2_API_VERSION on v2 Accounts calls, and a malformed version refused by the sandbox as Stripe refuses it.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startSandbox, stripeFor, type StartedSandbox } from '../helpers/sandbox';

/** A plain HTTP forwarder in front of the sandbox that hides the sandbox-only identity route, as Stripe has none. */
function stripeLikeProxy(target: string): Promise<{ url: string; server: Server }> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/v1/test_helpers/sandbox')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"type":"invalid_request_error"}}');
      return;
    }
    const up = httpRequest(
      { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

describe('upstream identity and API versions', () => {
  let sandbox: StartedSandbox;
  const gateways: StartedGateway[] = [];
  let proxy: { url: string; server: Server } | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.close();
    await new Promise((r) => (proxy ? proxy.server.close(r) : r(undefined)));
    await sandbox?.close();
  });

  it('answers who it is at GET /v1/test_helpers/sandbox', async () => {
    const res = await fetch(`${sandbox.url}/v1/test_helpers/sandbox`, {
      headers: { authorization: `Bearer ${sandbox.secretKey}` },
    });
    expect(await res.json()).toEqual({
      object: 'sandbox',
      name: 'fc-graphql-gateway-sandbox',
      livemode: false,
    });
  });

  it('treats the sandbox as the sandbox: demo on, webhook endpoint self-registered', async () => {
    const gw = await startGateway({ STRIPE_API_BASE: sandbox.url, PARTNER_KEYS: undefined });
    gateways.push(gw);
    expect(gw.gateway.mode).toBe('sandbox');
    expect(gw.gateway.demo).toBe(true);
    const endpoints = await sandbox.stripe.webhookEndpoints.list();
    expect(endpoints.data.map((e) => e.url)).toContain(`${gw.url}/webhooks/stripe`);
  });

  it('treats any other STRIPE_API_BASE as Stripe behind a proxy: no demo, no self-registration', async () => {
    proxy = await stripeLikeProxy(sandbox.url);
    const before = (await sandbox.stripe.webhookEndpoints.list()).data.length;
    const gw = await startGateway({ STRIPE_API_BASE: proxy.url, STRIPE_SECRET_KEY: 'sk_test_sandbox' });
    gateways.push(gw);
    expect(gw.gateway.mode).toBe('stripe-test');
    expect(gw.gateway.demo).toBe(false);
    expect((await fetch(`${gw.url}/demo`)).status).toBe(404);
    expect((await sandbox.stripe.webhookEndpoints.list()).data.length).toBe(before);
    // Calls still go through the proxy.
    const r = await gql(
      gw.graphqlUrl,
      'mutation { createCustomer(input: { name: "P" }) { customer { id } } }',
      undefined,
      {
        token: PARTNER_A.apiKey,
      },
    );
    expect(r.errors).toBeUndefined();
  });

  it('sends STRIPE_API_VERSION on v1 requests and STRIPE_V2_API_VERSION on v2 Accounts calls', async () => {
    const gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_API_VERSION: '2025-03-31.basil',
      STRIPE_V2_API_VERSION: '2026-04-22.preview',
    });
    gateways.push(gw);
    const from = sandbox.sandbox.requestLog.length;
    const created = (model: string) =>
      gql(
        gw.graphqlUrl,
        `mutation { createCustomer(input: { name: "V", model: ${model} }) { customer { id } } }`,
        undefined,
        {
          token: PARTNER_A.apiKey,
        },
      );
    expect((await created('CUSTOMER')).errors).toBeUndefined();
    expect((await created('ACCOUNT')).errors).toBeUndefined();
    const sent = sandbox.sandbox.requestLog
      .slice(from)
      .map((e) => `${e.method} ${e.path} ${e.stripeVersion}`);
    expect(sent).toEqual([
      'POST /v1/customers 2025-03-31.basil',
      'POST /v2/core/accounts 2026-04-22.preview',
    ]);
  });

  it('refuses a malformed Stripe-Version with 400 and echoes a good one', async () => {
    const bad = stripeFor(sandbox.url, sandbox.secretKey, { apiVersion: 'latest' as never });
    await expect(bad.customers.list()).rejects.toMatchObject({
      statusCode: 400,
      message: 'Invalid Stripe API version: latest',
    });
    const res = await fetch(`${sandbox.url}/v1/customers`, {
      headers: { authorization: `Bearer ${sandbox.secretKey}`, 'stripe-version': '2025-03-31.basil' },
    });
    expect(res.headers.get('stripe-version')).toBe('2025-03-31.basil');
  });
});
