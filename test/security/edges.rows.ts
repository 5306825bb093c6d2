// Attack rows at the edges an outside probe found soft: Stripe-call cost, negative cache, lock-out of a valid key,
// token encodings, control characters, slow bodies, client mistakes, mandate times, /metrics.
import { connect } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { linkAccounts, ONLINE_MANDATE } from '../sandbox/support';
import {
  FAIR_BUDGET,
  PARTNER_A,
  PARTNER_B,
  codes,
  http,
  init,
  post,
  settled,
  subscribe,
  wsSession,
  type Harness,
  type HttpProbe,
  type ScenarioProbe,
} from './harness';
import { asHttp, asScenario, asWs, rejected, tooComplex, wsErrors, type AttackRow } from './rows';

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

/** Fifteen lookups of ids nobody has: each one Stripe call, never cached (a fresh id each time). */
const randomLookups = () =>
  `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: financialAccount(id: "fca_N${randomUUID().replace(/-/g, '').slice(0, 20)}") { id }`).join(' ')} }`;
const NOISY_OPERATIONS_IN_FLIGHT = 8;
/** The quiet partner's operations at most, while it waits for the noisy one's first refusal. */
const MAX_QUIET_OPERATIONS = 40;

/**
 * DS11 on the `fair` gateway: partner B keeps 8 operations of 15 random-id lookups in flight (far more than the
 * budget), while partner A creates a customer and reads it back, one operation after the other, until B has been
 * refused at least once. Outcomes, not times: what each partner's operations answered.
 */
async function noisyNeighbour(h: Harness): Promise<ScenarioProbe> {
  const gw = h.gw('fair');
  const probes: HttpProbe[] = [];
  const noisyErrors: { code: unknown; retryAfter: unknown }[] = [];
  let stop = false;
  let noisyAnswered!: () => void;
  const budgetFull = new Promise<void>((resolve) => (noisyAnswered = resolve));
  const noisy = async () => {
    while (!stop) {
      const r = await post(gw, randomLookups(), { token: PARTNER_B.apiKey });
      probes.push(r);
      for (const e of r.json?.errors ?? [])
        noisyErrors.push({ code: e.extensions?.code, retryAfter: e.extensions?.retryAfter });
      noisyAnswered();
    }
  };
  const refused = () => noisyErrors.some((e) => e.code === 'UPSTREAM_RATE_LIMITED');
  const workers = Array.from({ length: NOISY_OPERATIONS_IN_FLIGHT }, noisy);
  // The quiet partner starts once the noisy one's first operation was answered: the budget is full by then.
  await budgetFull;
  const quiet: HttpProbe[] = [];
  try {
    for (let i = 0; i < MAX_QUIET_OPERATIONS && !refused(); i += 2) {
      const created = await post(
        gw,
        'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
        {
          token: PARTNER_A.apiKey,
          variables: { i: { email: `quiet.${i}@example.com`, name: `Quiet ${i}` } },
        },
      );
      quiet.push(created);
      const id = (created.json?.data as { createCustomer?: { customer: { id: string } } } | undefined)
        ?.createCustomer?.customer.id;
      quiet.push(
        await post(gw, 'query($id: ID!) { customer(id: $id) { id financialAccounts { nodes { id } } } }', {
          token: PARTNER_A.apiKey,
          variables: { id: id ?? 'cus_missing' },
        }),
      );
    }
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  probes.push(...quiet);
  return {
    kind: 'scenario',
    probes,
    text: probes.map((p) => p.text).join('\n'),
    outcomes: {
      quietOperations: quiet.length,
      quietFailures: quiet.filter((p) => p.status !== 200 || p.json?.errors).map((p) => p.text.slice(0, 300)),
      noisyErrors,
    },
  };
}

/** Partner A's ACH payment from the sandbox's "always processing" account, made in the sandbox directly. */
async function processingPayment(h: Harness): Promise<string> {
  const { customer, accounts } = await linkAccounts(h.sandbox, {
    accounts: ['processing'],
    metadata: { gateway_partner_id: PARTNER_A.partnerId },
  });
  const pi = await h.sandbox.stripe.paymentIntents.create({
    amount: 4200,
    currency: 'usd',
    customer: customer.id,
    payment_method_types: ['us_bank_account'],
    payment_method_data: {
      type: 'us_bank_account',
      us_bank_account: { financial_connections_account: accounts[0].id },
    } as never,
    confirm: true,
    mandate_data: ONLINE_MANDATE,
  });
  if (pi.status !== 'processing') throw new Error(`set-up: the payment is ${pi.status}, not processing`);
  return pi.id;
}

/** Log lines a client mistake must not produce: error level, or the masked "unexpected error". */
const internalErrors = (lines: string[]) =>
  lines.filter((l) => /"level":(50|60|"error"|"fatal")/.test(l) || /unexpected error/i.test(l));
let logMark = 0;
let processingId = '';

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
    // The first lookup reaches Stripe; the repeat is answered from the negative cache.
    stripeRequests: ['GET /v1/financial_connections/accounts/{id}'],
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
    attack:
      "one client behind a shared address sends 40 junk keys of a valid key's length, then the valid key, then junk again",
    on: 'edges',
    run: async (h): Promise<ScenarioProbe> => {
      const gw = h.gw('edges');
      const junk = (i: number) => `junk${i}`.padEnd(PARTNER_A.apiKey.length, 'x');
      const probes: HttpProbe[] = [];
      for (let i = 0; i < 40; i++) probes.push(await post(gw, '{ viewer { kind } }', { token: junk(i) }));
      const valid = await post(gw, '{ viewer { partnerId } }', { token: PARTNER_A.apiKey });
      const junkAgain = await post(gw, '{ viewer { kind } }', { token: junk(40) });
      probes.push(valid, junkAgain);
      return {
        kind: 'scenario',
        probes,
        text: probes.map((p) => p.text).join('\n'),
        outcomes: {
          junk: probes.slice(0, 40).map((p) => [p.status, codes(p)[0]]),
          valid: [valid.status, valid.json?.data, valid.json?.errors],
          junkAgain: [junkAgain.status, codes(junkAgain)],
        },
      };
    },
    // The `edges` gateway's budget is 5 failures a minute per address (and per credential).
    expect: (p) =>
      expect(asScenario(p).outcomes).toEqual({
        junk: [
          ...Array.from({ length: 5 }, () => [401, 'UNAUTHENTICATED']),
          ...Array.from({ length: 35 }, () => [429, 'RATE_LIMITED']),
        ],
        valid: [200, { viewer: { partnerId: PARTNER_A.partnerId } }, undefined],
        junkAgain: [429, ['RATE_LIMITED']],
      }),
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
    // The evidence rules (services/domain/mandate-evidence.ts) refuse a backdated acceptance before the payment is read.
    stripeRequests: [],
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
    id: 'IN11d',
    attack: 'over WebSocket, a variable that fails coercion (`$n: Int` given "not a number")',
    run: (h) => {
      logMark = h.gw().logs.length;
      return wsSession(h.gw(), {
        awaitAck: true,
        frames: [
          init(PARTNER_A.apiKey),
          subscribe('1', 'query($n: Int) { customers(first: $n) { nodes { id } } }', { n: 'not a number' }),
        ],
        until: settled('1'),
      });
    },
    expect: (p, h) => {
      const w = asWs(p);
      expect(w.closeCode).toBeUndefined();
      expect(wsErrors(w, '1').map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(internalErrors(h.gw().logs.slice(logMark))).toEqual([]);
    },
  },
  {
    id: 'SB5',
    attack: 'cancelPaymentIntent on an ACH payment that is already processing',
    // The ownership lookup, then the cancel Stripe refuses (payment_intent_unexpected_state).
    stripeRequests: ['GET /v1/payment_intents/{id}', 'POST /v1/payment_intents/{id}/cancel'],
    writes: 'expected', // the processing payment is set up in the sandbox directly
    run: async (h) => {
      const id = (processingId = await processingPayment(h));
      return post(
        h.gw(),
        'mutation($i: CancelPaymentIntentInput!) { cancelPaymentIntent(input: $i) { paymentIntent { id status } } }',
        { token: PARTNER_A.apiKey, variables: { i: { paymentIntentId: id } } },
      );
    },
    expect: (p, h) => {
      const r = asHttp(p);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.json?.data ?? null).toBeNull();
      expect(h.sandbox.sandbox.store.paymentIntents.get(processingId)?.status).toBe('processing');
    },
  },
  {
    id: 'DS11',
    attack: `noisy neighbour: partner B floods a ${FAIR_BUDGET} req/s Stripe budget with random-id lookups while partner A works`,
    on: 'fair',
    // Exactly: three per quiet pair (the customer created, then read with its accounts) and one per noisy lookup
    // answered not found; a lookup refused over its share costs none.
    stripeRequests: (p) => {
      const { quietOperations, noisyErrors } = asScenario(p).outcomes as {
        quietOperations: number;
        noisyErrors: { code: unknown }[];
      };
      return (quietOperations / 2) * 3 + noisyErrors.filter((e) => e.code === 'NOT_FOUND').length;
    },
    writes: 'expected', // the quiet partner's customers
    run: noisyNeighbour,
    expect: (p) => {
      const { quietOperations, quietFailures, noisyErrors } = asScenario(p).outcomes as {
        quietOperations: number;
        quietFailures: string[];
        noisyErrors: { code: unknown; retryAfter: unknown }[];
      };
      // Every operation of the quiet partner succeeded, while the noisy one was refused over its share.
      expect(quietOperations).toBeGreaterThan(0);
      expect(quietFailures).toEqual([]);
      const refusals = noisyErrors.filter((e) => e.code === 'UPSTREAM_RATE_LIMITED');
      expect(refusals.length).toBeGreaterThan(0);
      for (const e of refusals) expect(e.retryAfter).toEqual(expect.any(Number));
      // Its random ids are not found; nothing else (no UPSTREAM_UNAVAILABLE, no internal error).
      expect(
        noisyErrors.filter((e) => !['NOT_FOUND', 'UPSTREAM_RATE_LIMITED'].includes(String(e.code))),
      ).toEqual([]);
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
