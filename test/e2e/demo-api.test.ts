// The demo's server route: mints a customer token through the gateway's own GraphQL API; the partner key stays here.
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

let sandbox: StartedSandbox;
let gateway: StartedGateway;

beforeAll(async () => {
  sandbox = await startSandbox();
  // Real partner keys: /demo mints under the first of them only because DEMO=true says so.
  gateway = await startGateway({ STRIPE_API_BASE: sandbox.url, DEMO: 'true' });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

const mint = (init: RequestInit = {}) =>
  fetch(`${gateway.url}/demo/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    ...init,
  });

it('returns a customer token for a new customer of the first partner, and nothing else', async () => {
  const res = await mint();
  const text = await res.text();
  if (res.status !== 200) console.log(text, gateway.logs.slice(-20).join('\n'));
  expect(res.status).toBe(200);
  expect(text).not.toContain(PARTNER_A.apiKey);
  const body = JSON.parse(text) as Record<string, string>;
  expect(Object.keys(body).sort()).toEqual(['customerId', 'expiresAt', 'token']);
  expect(body.customerId).toMatch(/^cus_/);

  const viewer = await gql(gateway.graphqlUrl, '{ viewer { kind partnerId customer { id } } }', undefined, {
    token: body.token,
  });
  expect(viewer.data).toEqual({
    viewer: { kind: 'CUSTOMER', partnerId: PARTNER_A.partnerId, customer: { id: body.customerId } },
  });
  // The customer really belongs to that partner: the partner sees it, through the public API.
  const asPartner = await gql(
    gateway.graphqlUrl,
    'query ($id: ID!) { customer(id: $id) { id } }',
    { id: body.customerId },
    {
      token: PARTNER_A.apiKey,
    },
  );
  expect(asPartner.data).toEqual({ customer: { id: body.customerId } });
});

it('refuses a cross-site form or text/plain POST (CSRF)', async () => {
  const res = await mint({ headers: { 'content-type': 'text/plain' }, body: 'x' });
  expect(res.status).toBe(415);
  const form = await mint({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
  expect(form.status).toBe(415);
});

it('serves the demo page with its Stripe.js settings and no partner key', async () => {
  const res = await fetch(`${gateway.url}/demo`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).not.toContain(PARTNER_A.apiKey);
  const config = JSON.parse(
    /<script id="demo-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1],
  );
  expect(config).toEqual({
    mode: 'sandbox',
    stripeJsUrl: `${sandbox.url}/v3/`,
    publishableKey: 'pk_test_sandbox',
  });
});

it('is not served in production', async () => {
  const prod = await startGateway({ STRIPE_API_BASE: sandbox.url, NODE_ENV: 'production' });
  try {
    expect((await fetch(`${prod.url}/demo`)).status).toBe(404);
    expect((await fetch(`${prod.url}/demo/api/session`, { method: 'POST' })).status).toBe(404);
  } finally {
    await prod.close();
  }
});

describe('POST /demo/api/pay-again (the off-session debit a partner server starts)', () => {
  const payAgain = (authorization: string, body: unknown) =>
    fetch(`${gateway.url}/demo/api/pay-again`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(body),
    });
  const debit = { paymentMethodId: 'pm_Unknown000001', mandateId: 'mandate_Unknown0001', amount: 999 };

  it('should debit only the customer of the token it is given, refusing a partner key (FORBIDDEN) and junk (UNAUTHENTICATED)', async () => {
    const minted = (await (await mint()).json()) as { token: string };
    const before = gateway.stripeRequests();
    // A partner key is not a customer token; neither is junk.
    for (const authorization of [`Bearer ${PARTNER_A.apiKey}`, 'Bearer junk', '']) {
      const res = await payAgain(authorization, { ...debit, idempotencyKey: 'demo-pay-again-1' });
      const text = await res.text();
      expect({
        status: res.status,
        code: (JSON.parse(text) as { error: { code: string } }).error.code,
      }).toEqual({
        status: 400,
        code: authorization === `Bearer ${PARTNER_A.apiKey}` ? 'FORBIDDEN' : 'UNAUTHENTICATED',
      });
      expect(text).not.toContain(PARTNER_A.apiKey);
    }
    expect(gateway.stripeRequests()).toBe(before);
    // With the customer's token, the partner key debits that customer: an unknown saved account is NOT_FOUND.
    const res = await payAgain(`Bearer ${minted.token}`, { ...debit, idempotencyKey: 'demo-pay-again-2' });
    expect({ status: res.status, body: await res.json() }).toMatchObject({
      status: 400,
      body: { error: { code: 'NOT_FOUND' } },
    });
  });
});
