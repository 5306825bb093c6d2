// Attack rows on money and trust edges: backdated mandates on createSetupIntent, off-session debits by an end user,
// cross-origin callers of a production gateway, and what one partner may hold (WebSockets, operations across tokens).
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  PARTNER_A,
  PARTNER_B,
  codes,
  post,
  signToken,
  wsSession,
  init,
  type Harness,
  type HttpProbe,
  type ScenarioProbe,
} from './harness';
import { asHttp, asScenario, asWs, type AttackRow } from './rows';

/** The `caps` gateway's WS_MAX_CONNECTIONS_PER_PARTNER and PARTNER_RATE_LIMIT_PER_MINUTE. */
export const WS_CAP = 3;
export const PARTNER_BUDGET = 8;

const CREATE_SI =
  'mutation($i: CreateSetupIntentInput!) { createSetupIntent(input: $i) { setupIntent { id status mandate { id status } } mandateEvidence { acceptedAt } } }';
const OFF_SESSION =
  'mutation($c: ID!, $p: ID!, $m: ID!, $k: String!) { createPaymentIntent(input: { customerId: $c, paymentMethodId: $p, mandateId: $m, offSession: true, amount: 500, idempotencyKey: $k }) { paymentIntent { id status } } }';

/** createSetupIntent for partner A's customer, with the end user's evidence accepted `msAgo` (or at `at`). */
function setupWithAcceptance(h: Harness, acceptedAt: string): Promise<HttpProbe> {
  return post(h.gw(), CREATE_SI, {
    token: PARTNER_A.apiKey,
    variables: {
      i: {
        customerId: h.tenants.a.customerId,
        financialAccountId: h.tenants.a.accountId,
        billingName: 'Security tenant-a',
        idempotencyKey: randomUUID(),
        mandate: { ipAddress: '203.0.113.9', userAgent: 'Mozilla/5.0 (end user)', acceptedAt },
      },
    },
  });
}

/** Refused on the acceptance time: BAD_USER_INPUT naming it, no SetupIntent in the sandbox. */
const backdatedRefused = (p: Parameters<AttackRow['expect']>[0]) => {
  const r = asHttp(p);
  expect({
    status: r.status,
    errors: r.json?.errors?.map((e) => [e.extensions?.code, e.extensions?.field]),
  }).toEqual({ status: 200, errors: [['BAD_USER_INPUT', 'mandate.acceptedAt']] });
  expect(r.json?.data ?? null).toBeNull();
};

const isoAgo = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Raw graphql-transport-ws sockets that stay open: each resolves to `acked` or the close code it got first. */
function openSocket(
  h: Harness,
  token: string,
): Promise<{ socket: WebSocket; outcome: 'acked' | number; text: string }> {
  const socket = new WebSocket(h.gw('caps').wsUrl, 'graphql-transport-ws');
  let text = '';
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => {
      text += String(data);
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack')
        resolve({ socket, outcome: 'acked', text });
    });
    socket.on('close', (code) => resolve({ socket, outcome: code, text }));
  });
}

const closeAll = (sockets: WebSocket[]) =>
  Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.readyState === WebSocket.CLOSED) return resolve();
          s.once('close', () => resolve());
          s.close(1000);
        }),
    ),
  );

/** Customer tokens of partner A for `n` distinct customers (signed as the gateway signs them; `viewer` reads none). */
const partnerATokens = (n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) => signToken({ sub: `cus_Aggregate${i}x${randomUUID().slice(0, 8)}` })),
  );

export const trustRows: AttackRow[] = [
  {
    id: 'PA1b',
    attack: 'createSetupIntent with a mandate accepted on 1970-01-01 (a saved mandate with a false date)',
    needsTenants: true,
    // mandate-evidence.ts refuses it before the customer or the account is read.
    stripeRequests: [],
    run: (h) => setupWithAcceptance(h, '1970-01-01T00:00:00Z'),
    expect: backdatedRefused,
  },
  {
    id: 'PA1c',
    attack: 'createSetupIntent with a mandate accepted 25 hours ago',
    needsTenants: true,
    stripeRequests: [],
    run: (h) => setupWithAcceptance(h, isoAgo(25 * 3_600_000)),
    expect: backdatedRefused,
  },
  {
    id: 'PA1d',
    attack: 'control: createSetupIntent with a mandate accepted 30 s ago is saved, with that time at Stripe',
    needsTenants: true,
    writes: 'expected',
    // The customer's and the account's checks, the create, and the saved mandate read back (`mandate { status }`).
    stripeRequests: [
      'GET /v1/customers/{id}',
      'GET /v1/financial_connections/accounts/{id}',
      'POST /v1/setup_intents',
      'GET /v1/mandates/{id}',
    ],
    run: (h) => setupWithAcceptance(h, isoAgo(30_000)),
    expect: (p, h) => {
      const r = asHttp(p);
      expect(r.json?.errors).toBeUndefined();
      const si = (
        r.json?.data as {
          createSetupIntent: { setupIntent: { id: string; status: string; mandate: { status: string } } };
        }
      ).createSetupIntent.setupIntent;
      const stored = h.sandbox.sandbox.store.setupIntents.get(si.id)!;
      const mandate = h.sandbox.sandbox.store.mandates.get(stored.mandate as string) as unknown as {
        customer_acceptance: { accepted_at: number };
      };
      const age = Math.floor(Date.now() / 1000) - mandate.customer_acceptance.accepted_at;
      expect({
        status: si.status,
        mandate: si.mandate.status,
        recentEnough: age >= 30 && age < 24 * 3600,
      }).toEqual({
        status: 'SUCCEEDED',
        mandate: 'ACTIVE',
        recentEnough: true,
      });
    },
  },
  {
    id: 'PA4a',
    attack:
      "off-session createPaymentIntent with the customer's own token, from its own saved account and mandate",
    needsTenants: true,
    // Refused before any read: no PaymentIntent, no Stripe request.
    stripeRequests: [],
    run: (h) =>
      post(h.gw(), OFF_SESSION, {
        token: h.tenants.a.customerToken,
        variables: {
          c: h.tenants.a.customerId,
          p: h.tenants.a.paymentMethodId,
          m: h.tenants.a.mandateId,
          k: randomUUID(),
        },
      }),
    expect: (p, h) => {
      const r = asHttp(p);
      expect({ status: r.status, codes: codes(r) }).toEqual({ status: 200, codes: ['FORBIDDEN'] });
      expect(r.json?.data ?? null).toBeNull();
      const debits = [...h.sandbox.sandbox.store.paymentIntents.newestFirst()].filter(
        (pi) => (pi as { mandate?: unknown }).mandate === h.tenants.a.mandateId,
      );
      expect(debits).toEqual([]);
    },
  },
  {
    id: 'PA4b',
    attack:
      "off-session createPaymentIntent with another customer's token from customer A's saved account (answered like PA4a: nothing to probe)",
    needsTenants: true,
    stripeRequests: [],
    run: (h) =>
      post(h.gw(), OFF_SESSION, {
        token: h.tenants.a2.customerToken,
        variables: {
          c: h.tenants.a2.customerId,
          p: h.tenants.a.paymentMethodId,
          m: h.tenants.a.mandateId,
          k: randomUUID(),
        },
      }),
    expect: (p) => expect(codes(asHttp(p))).toEqual(['FORBIDDEN']),
  },
  {
    id: 'PA4c',
    attack:
      "control: detachPaymentMethod with the customer's own token on its own saved account (documented choice)",
    needsTenants: true,
    writes: 'expected',
    // Its set-up (PA1d's four), then the method's ownership lookup and the detach.
    stripeRequests: [
      'GET /v1/customers/{id}',
      'GET /v1/financial_connections/accounts/{id}',
      'POST /v1/setup_intents',
      'GET /v1/mandates/{id}',
      'GET /v1/payment_methods/{id}',
      'POST /v1/payment_methods/{id}/detach',
    ],
    run: async (h) => {
      // A saved account of its own, so the tenants' objects stay as the other rows need them.
      const saved = await setupWithAcceptance(h, isoAgo(30_000));
      const si = (saved.json?.data as { createSetupIntent: { setupIntent: { id: string } } })
        .createSetupIntent.setupIntent.id;
      const pm = h.sandbox.sandbox.store.setupIntents.get(si)!.payment_method as string;
      return post(
        h.gw(),
        'mutation($id: ID!) { detachPaymentMethod(input: { paymentMethodId: $id }) { paymentMethod { id attached } } }',
        { token: h.tenants.a.customerToken, variables: { id: pm } },
      );
    },
    expect: (p) => {
      const r = asHttp(p);
      expect(r.json?.errors).toBeUndefined();
      expect(
        (r.json?.data as { detachPaymentMethod: { paymentMethod: { attached: boolean } } })
          .detachPaymentMethod,
      ).toEqual({ paymentMethod: { id: expect.any(String), attached: false } });
    },
  },
  {
    id: 'AU13a',
    attack:
      'NODE_ENV=production without ALLOWED_ORIGINS: POST /graphql from a foreign Origin with a valid key',
    on: 'prod',
    run: (h) =>
      post(h.gw('prod'), '{ viewer { kind } }', {
        token: PARTNER_A.apiKey,
        headers: { origin: 'https://evil.example' },
      }),
    expect: (p) => {
      const r = asHttp(p);
      expect({ status: r.status, codes: codes(r) }).toEqual({ status: 403, codes: ['FORBIDDEN'] });
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    },
  },
  {
    id: 'AU13b',
    attack: 'NODE_ENV=production without ALLOWED_ORIGINS: WebSocket upgrade from a foreign Origin',
    on: 'prod',
    run: (h) => wsSession(h.gw('prod'), { origin: 'https://evil.example', frames: [init(PARTNER_A.apiKey)] }),
    expect: (p) => expect(asWs(p).handshakeStatus).toBe(403),
  },
  {
    id: 'AU13c',
    attack:
      "control: on that gateway, a page of the gateway's own origin, and a server (no Origin), are served",
    on: 'prod',
    run: async (h) => {
      const gw = h.gw('prod');
      const own = await post(gw, '{ viewer { kind } }', {
        token: PARTNER_A.apiKey,
        headers: { origin: new URL(gw.url).origin },
      });
      const server = await post(gw, '{ viewer { kind } }', { token: PARTNER_A.apiKey });
      return { kind: 'scenario', probes: [own, server], text: own.text + server.text, outcomes: {} };
    },
    expect: (p) => {
      const statuses = asScenario(p).probes.map((r) => [r.status, r.json?.data]);
      expect(statuses).toEqual([
        [200, { viewer: { kind: 'PARTNER' } }],
        [200, { viewer: { kind: 'PARTNER' } }],
      ]);
    },
  },
  {
    id: 'WS7',
    attack: `one partner opens ${WS_CAP + 1} WebSockets (its key and three customer tokens) with WS_MAX_CONNECTIONS_PER_PARTNER=${WS_CAP}`,
    on: 'caps',
    // Partner A's operation budget is DS12's to spend.
    nextAs: () => PARTNER_B.apiKey,
    run: async (h): Promise<ScenarioProbe> => {
      const [t1, t2, t3] = await partnerATokens(3);
      const held: WebSocket[] = [];
      const outcomes: Record<string, unknown> = {};
      let text = '';
      try {
        // One after the other, so which socket is over the cap is known.
        for (const [name, token] of [
          ['key', PARTNER_A.apiKey],
          ['token1', t1],
          ['token2', t2],
          ['token3', t3],
          ['partnerB', PARTNER_B.apiKey],
        ] as const) {
          const s = await openSocket(h, token);
          held.push(s.socket);
          outcomes[name] = s.outcome;
          text += s.text;
        }
      } finally {
        await closeAll(held);
      }
      return { kind: 'scenario', probes: [], text, outcomes };
    },
    expect: (p) =>
      expect(asScenario(p).outcomes).toEqual({
        key: 'acked',
        token1: 'acked',
        token2: 'acked',
        token3: 1013,
        partnerB: 'acked',
      }),
  },
  {
    id: 'DS12',
    attack: `partner A mints four customer tokens and runs 3 operations with each, PARTNER_RATE_LIMIT_PER_MINUTE=${PARTNER_BUDGET}`,
    on: 'caps',
    // Partner A's minute is spent; the next valid request is another partner's.
    nextAs: () => PARTNER_B.apiKey,
    run: async (h): Promise<ScenarioProbe> => {
      const tokens = await partnerATokens(4);
      const probes: HttpProbe[] = [];
      for (let round = 0; round < 3; round++)
        for (const token of tokens) probes.push(await post(h.gw('caps'), '{ viewer { kind } }', { token }));
      const key = await post(h.gw('caps'), '{ viewer { kind } }', { token: PARTNER_A.apiKey });
      const other = await post(h.gw('caps'), '{ viewer { kind } }', { token: PARTNER_B.apiKey });
      probes.push(key, other);
      return {
        kind: 'scenario',
        probes,
        text: probes.map((r) => r.text).join('\n'),
        outcomes: {
          tokenStatuses: probes.slice(0, 12).map((r) => r.status),
          tokenCodes: [...new Set(probes.slice(0, 12).flatMap(codes))],
          key: [key.status, codes(key)],
          retryAfter: Number(key.headers.get('retry-after')) >= 1,
          otherPartner: [other.status, codes(other)],
        },
      };
    },
    expect: (p) =>
      expect(asScenario(p).outcomes).toEqual({
        // Each token's customer is far below RATE_LIMIT_PER_MINUTE; together they spend the partner's budget.
        tokenStatuses: [
          ...Array<number>(PARTNER_BUDGET).fill(200),
          ...Array<number>(12 - PARTNER_BUDGET).fill(429),
        ],
        tokenCodes: ['RATE_LIMITED'],
        key: [429, ['RATE_LIMITED']],
        retryAfter: true,
        otherPartner: [200, []],
      }),
  },
];
