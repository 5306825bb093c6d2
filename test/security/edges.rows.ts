// Attack rows at the edges an outside probe found soft: Stripe-call cost, negative cache, lock-out by shape,
// token encodings, control characters, slow bodies, client mistakes, mandate times, /metrics.
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
import { PARTNER_A, codes, http, post, type HttpProbe } from './harness';
import { asHttp, rejected, tooComplex, type AttackRow } from './rows';

const FAN_OUT =
  '{ customers(first: 100) { nodes { id financialAccounts(first: 1) { nodes { id } } paymentIntents(first: 1) { nodes { id } } } } }';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same token with its signature's last character spelled differently (same bytes: unused low bits set). */
function nonCanonical(token: string): string {
  const last = token[token.length - 1];
  return token.slice(0, -1) + BASE64URL[BASE64URL.indexOf(last) ^ 1];
}

/** Headers declaring a 100,000-byte body, then one byte; what the server sent before it closed the connection. */
function slowBody(baseUrl: string): Promise<HttpProbe> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{`,
      ),
    );
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      // Node's own 408 answer on the raw socket, not a GraphQL response.
      resolve({ kind: 'http', url: `${baseUrl}/`, status, headers: new Headers(), text, json: null });
    });
  });
}

const freshId = () => `fca_Neg${Math.random().toString(36).slice(2, 14)}`;

export const edgeRows: AttackRow[] = [
  {
    id: 'DS9',
    attack:
      'fan-out under the cost limit: customers(first:100) × financialAccounts × paymentIntents (~200 Stripe calls)',
    run: (h) => post(h.gw(), FAN_OUT, { token: PARTNER_A.apiKey }),
    expect: tooComplex('stripeCalls'),
  },
  {
    id: 'DS10',
    attack: 'the same missing id looked up twice (second answered from the negative cache)',
    stripeRequests: { max: 1 },
    run: async (h) => {
      const id = freshId();
      const q = 'query($id: ID!) { financialAccount(id: $id) { id } }';
      await post(h.gw(), q, { token: PARTNER_A.apiKey, variables: { id } });
      return post(h.gw(), q, { token: PARTNER_A.apiKey, variables: { id } });
    },
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(200);
      expect((r.json?.data as { financialAccount: unknown }).financialAccount ?? null).toBeNull();
    },
  },
  {
    id: 'AU11',
    attack: 'one client behind a shared address spends the failed-authentication budget with junk keys',
    on: 'edges',
    run: async (h) => {
      for (let i = 0; i < 5; i++) await post(h.gw('edges'), '{ viewer { kind } }', { token: `junk${i}` });
      const junk = await post(h.gw('edges'), '{ viewer { kind } }', { token: 'junk9' });
      expect(junk.status).toBe(429);
      return post(h.gw('edges'), '{ viewer { partnerId } }', { token: PARTNER_A.apiKey });
    },
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(200);
      expect(r.json?.data).toEqual({ viewer: { partnerId: PARTNER_A.partnerId } });
    },
  },
  {
    id: 'AU12a',
    attack:
      "a valid customer token with its signature's last character changed (non-canonical base64url, same bytes)",
    needsTenants: true,
    run: (h) => post(h.gw(), '{ viewer { kind } }', { token: nonCanonical(h.tenants.a.customerToken) }),
    expect: rejected(401, 'UNAUTHENTICATED'),
  },
  {
    id: 'AU12b',
    attack: 'a valid customer token with `=` padding appended',
    needsTenants: true,
    run: (h) => post(h.gw(), '{ viewer { kind } }', { token: `${h.tenants.a.customerToken}=` }),
    expect: rejected(401, 'UNAUTHENTICATED'),
  },
  {
    id: 'IN9',
    attack: 'billingName with NUL, CR and LF',
    needsTenants: true,
    run: (h) =>
      post(
        h.gw(),
        'mutation($i: CreatePaymentIntentInput!) { createPaymentIntent(input: $i) { paymentIntent { id } } }',
        {
          token: PARTNER_A.apiKey,
          variables: {
            i: {
              customerId: h.tenants.a.customerId,
              financialAccountId: h.tenants.a.accountId,
              amount: 1000,
              billingName: 'Jenny\u0000\r\nX-Injected: 1',
              idempotencyKey: 'in9-control-characters',
            },
          },
        },
      ),
    expect: rejected(400, 'BAD_USER_INPUT'),
  },
  {
    id: 'IN10',
    attack: 'POST /graphql declaring 100,000 bytes and sending one (slow body)',
    on: 'edges',
    run: (h) => slowBody(h.gw('edges').url),
    expect: (p) => expect(asHttp(p).status).toBe(408),
  },
  {
    id: 'IN11a',
    attack: 'persisted query whose sha256Hash does not match the query',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: JSON.stringify({
          query: '{ viewer { kind } }',
          extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
        }),
      }),
    expect: rejected(400, 'BAD_USER_INPUT', /hash does not match/),
  },
  {
    id: 'IN11b',
    attack: 'persisted query of an unknown version',
    run: (h) =>
      http(h.gw().graphqlUrl, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PARTNER_A.apiKey}` },
        body: JSON.stringify({
          query: '{ viewer { kind } }',
          extensions: {
            persistedQuery: {
              version: 3,
              sha256Hash: createHash('sha256').update('{ viewer { kind } }').digest('hex'),
            },
          },
        }),
      }),
    expect: rejected(400, 'BAD_USER_INPUT', /version/),
  },
  {
    id: 'IN11c',
    attack: 'a subscription sent over HTTP',
    run: (h) =>
      post(h.gw(), 'subscription { financialAccountRefreshed(accountId: "fca_123") { feature } }', {
        token: PARTNER_A.apiKey,
      }),
    expect: rejected(400, 'BAD_REQUEST', /WebSocket/),
  },
  {
    id: 'PA1',
    attack: 'confirm with a backdated mandate (mandateAcceptedAt 1970-01-01)',
    needsTenants: true,
    stripeRequests: 'any', // the ownership lookup reads the payment; nothing is written
    run: (h) =>
      post(
        h.gw(),
        'mutation($i: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $i) { paymentIntent { id status } } }',
        {
          token: PARTNER_A.apiKey,
          variables: {
            i: { paymentIntentId: h.tenants.a.paymentIntentId, mandateAcceptedAt: '1970-01-01T00:00:00Z' },
          },
        },
      ),
    expect: (p) => {
      const r = asHttp(p);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.json?.errors?.[0].extensions?.field).toBe('mandateAcceptedAt');
    },
  },
  {
    id: 'OB1',
    attack: 'GET /metrics on a production gateway without METRICS_TOKEN',
    on: 'prod',
    run: (h) => http(`${h.gw('prod').url}/metrics`, { method: 'GET' }),
    expect: (p) => expect(asHttp(p).status).toBe(404),
  },
  {
    id: 'OB2',
    attack: "operation names read from /metrics (one partner's names visible to anyone scraping it)",
    run: async (h) => {
      await post(h.gw(), 'query PartnerSecretOperationName { viewer { kind } }', { token: PARTNER_A.apiKey });
      return http(`${h.gw().url}/metrics`, { method: 'GET' });
    },
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain('PartnerSecretOperationName');
    },
  },
  {
    id: 'DM1',
    attack: '/demo/api/session on a gateway with real partner keys and no DEMO=true (tokens for anyone)',
    run: (h) => http(`${h.gw().url}/demo/api/session`, { method: 'POST' }),
    expect: (p) => expect(asHttp(p).status).toBe(404),
  },
];
