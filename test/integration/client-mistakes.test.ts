// Client mistakes answer a client code (never INTERNAL_SERVER_ERROR) and are not logged as internal errors:
// persisted queries with a wrong hash or version, a subscription over HTTP, control characters in text inputs.
// (A WebSocket variable that fails coercion: row IN11d of test/security/edges.rows.ts.)
import { createHash } from 'node:crypto';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

describe('client mistakes', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  beforeAll(async () => {
    sandbox = await startSandbox();
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: 'whsec_clientMistakes0123456789',
    });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  const post = async (body: unknown) => {
    const res = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: res.status, codes: (json.errors ?? []).map((e) => e.extensions?.code), json };
  };
  const internalLogged = () =>
    gw.logs.filter((l) => /"level":(50|"error")/.test(l) || /unexpected error/.test(l));

  it.each([
    [
      'a persisted query whose hash does not match its text',
      {
        query: '{ viewer { partnerId } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
      },
      'BAD_USER_INPUT',
    ],
    [
      'a persisted query of an unknown version',
      {
        query: '{ viewer { partnerId } }',
        extensions: {
          persistedQuery: {
            version: 2,
            sha256Hash: createHash('sha256').update('{ viewer { partnerId } }').digest('hex'),
          },
        },
      },
      'BAD_USER_INPUT',
    ],
    [
      'a subscription sent over HTTP',
      { query: 'subscription { financialAccountRefreshed(accountId: "fca_123") { feature } }' },
      'BAD_REQUEST',
    ],
    [
      'a NUL, CR or LF in a text input',
      {
        query: 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
        variables: { i: { email: 'jenny@example.com', name: 'Jenny\r\nX-Injected: 1\u0000' } },
      },
      'BAD_USER_INPUT',
    ],
  ])('should answer %s with a client code, logging no internal error', async (_what, body, code) => {
    const before = internalLogged().length;
    const stripeBefore = gw.stripeRequests();
    const r = await post(body);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.codes).toEqual([code]);
    expect(internalLogged().length).toBe(before);
    expect(gw.stripeRequests()).toBe(stripeBefore);
  });
});
