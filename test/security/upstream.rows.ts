// Attack rows at the gateway's other edges: a failing or throttling Stripe (UP*) and forged webhooks (WH*).
import { randomUUID } from 'node:crypto';
import { SANDBOX_SECRET_KEY } from '../../src/sandbox/server';
import { startRecordingProxy } from '../helpers/recording-proxy';
import {
  PARTNER_A,
  WEBHOOK_SECRET,
  codes,
  http,
  post,
  startGateway,
  type Harness,
  type HttpProbe,
  type ScenarioProbe,
} from './harness';
import { asHttp, asScenario, type AttackRow } from './rows';

const RATE_LIMIT_TEXT = 'Request rate limit exceeded';
const FAULT_TEXT = 'Injected fault';

/** Runs `fn` with sandbox faults on, always turning them off again. */
async function withFaults<T>(h: Harness, set: (h: Harness) => void, fn: () => Promise<T>): Promise<T> {
  set(h);
  try {
    return await fn();
  } finally {
    h.sandbox.sandbox.setFaults(null);
    h.sandbox.sandbox.setRateLimit(null);
  }
}

/** An id the gateway has never loaded (so no cache answers it and Stripe must be asked). */
const freshAccountId = () => `fca_Up${randomUUID().replace(/-/g, '').slice(0, 20)}`;

const upstreamFailed = (code: string, stripeText: string) => (p: import('./harness').Probe) => {
  const r = asHttp(p);
  expect(codes(r)).toContain(code);
  expect(r.text).not.toContain(stripeText);
  expect(r.text).not.toMatch(/stripe\.com|req_[A-Za-z0-9]{14}\b/); // no Stripe docs link, no Stripe request id
};

export const upstreamRows: AttackRow[] = [
  {
    id: 'UP1',
    attack: 'Stripe answers 429 rate_limit to every request',
    stripeRequests: 3, // the first attempt and STRIPE_MAX_RETRIES (2) retries
    run: (h) =>
      withFaults(
        h,
        (x) => x.sandbox.sandbox.setRateLimit({ requestsPerSecond: 0 }),
        () =>
          post(h.gw(), 'query($id: ID!) { financialAccount(id: $id) { id } }', {
            token: PARTNER_A.apiKey,
            variables: { id: freshAccountId() },
          }),
      ),
    expect: upstreamFailed('UPSTREAM_RATE_LIMITED', RATE_LIMIT_TEXT),
  },
  {
    id: 'UP2a',
    attack: 'Stripe answers 500 api_error to every request',
    stripeRequests: 3, // a 5xx is retried: the first attempt and STRIPE_MAX_RETRIES (2) retries
    run: (h) =>
      withFaults(
        h,
        (x) => x.sandbox.sandbox.setFaults({ errorRate: 1, errorStatus: 500 }),
        () =>
          post(h.gw(), 'query($id: ID!) { financialAccount(id: $id) { id } }', {
            token: PARTNER_A.apiKey,
            variables: { id: freshAccountId() },
          }),
      ),
    expect: upstreamFailed('UPSTREAM_UNAVAILABLE', FAULT_TEXT),
  },
  {
    id: 'UP2b',
    attack: 'Stripe answers 500 with `Stripe-Should-Retry: false`',
    run: async (h) => {
      // A hop that marks the sandbox's injected 500 as not to be retried, as Stripe does for some failures.
      const proxy = await startRecordingProxy(h.sandbox.url, {
        headers: (status): Record<string, string> =>
          status >= 500 ? { 'stripe-should-retry': 'false' } : {},
      });
      const gw = await startGateway({ STRIPE_API_BASE: proxy.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
      try {
        const id = freshAccountId();
        const r = await withFaults(
          h,
          (x) => x.sandbox.sandbox.setFaults({ errorRate: 1, errorStatus: 500 }),
          () =>
            post(gw, 'query($id: ID!) { financialAccount(id: $id) { id } }', {
              token: PARTNER_A.apiKey,
              variables: { id },
            }),
        );
        const lookups = proxy.requests.filter((q) => q.path === `/v1/financial_connections/accounts/${id}`);
        return {
          kind: 'scenario',
          probes: [r],
          text: r.text,
          outcomes: { lookups: lookups.length },
        } as ScenarioProbe;
      } finally {
        await gw.close();
        await proxy.close();
      }
    },
    expect: (p) => {
      const s = asScenario(p);
      // One attempt, not retried; the client sees UPSTREAM_UNAVAILABLE without Stripe's text.
      expect(s.outcomes.lookups).toBe(1);
      upstreamFailed('UPSTREAM_UNAVAILABLE', FAULT_TEXT)(s.probes[0]);
    },
  },
  {
    id: 'UP3',
    attack: 'the connection resets after Stripe created the session (createFinancialConnectionsSession POST)',
    writes: 'expected', // its own customer and session, through its own gateway
    run: async (h) => {
      // A hop that lets the sandbox create the first session, then loses its answer.
      let lost = 0;
      const proxy = await startRecordingProxy(h.sandbox.url, {
        action: (q) =>
          q.method === 'POST' && q.path === '/v1/financial_connections/sessions' && lost++ === 0
            ? 'lose-response'
            : 'forward',
      });
      const gw = await startGateway({ STRIPE_API_BASE: proxy.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
      try {
        const c = await post(
          gw,
          'mutation { createCustomer(input: { email: "up3@example.com" }) { customer { id } } }',
          { token: PARTNER_A.apiKey },
        );
        const customerId = (c.json?.data as { createCustomer: { customer: { id: string } } }).createCustomer
          .customer.id;
        const r = await post(
          gw,
          'mutation($id: ID!) { createFinancialConnectionsSession(input: { customerId: $id, permissions: [BALANCES] }) { session { id } } }',
          { token: PARTNER_A.apiKey, variables: { id: customerId } },
        );
        const posts = h.sandbox.sandbox.requestLog.filter(
          (e) => e.method === 'POST' && e.path === '/v1/financial_connections/sessions' && e.status === 200,
        );
        const sessions = h.sandbox.sandbox.store.sessions
          .newestFirst()
          .filter((s) => (s.account_holder as { customer?: string } | null)?.customer === customerId);
        return {
          kind: 'scenario',
          probes: [c, r],
          text: `${c.text}\n${r.text}`,
          outcomes: {
            sessionId: (r.json?.data as { createFinancialConnectionsSession?: { session: { id: string } } })
              ?.createFinancialConnectionsSession?.session.id,
            attempts: posts.slice(-2).map((e) => ({ key: e.idempotencyKey, replayed: e.replayed })),
            sessions: sessions.map((s) => s.id),
          },
        } as ScenarioProbe;
      } finally {
        await gw.close();
        await proxy.close();
      }
    },
    expect: (p) => {
      const { sessionId, attempts, sessions } = asScenario(p).outcomes as {
        sessionId?: string;
        attempts: { key: string | null; replayed: boolean }[];
        sessions: string[];
      };
      // Retried under the same Idempotency-Key; Stripe replays the first answer: one session, the one returned.
      expect(attempts).toHaveLength(2);
      expect(attempts[0].key).toEqual(expect.any(String));
      expect(attempts.map((a) => a.key)).toEqual([attempts[0].key, attempts[0].key]);
      expect(attempts.map((a) => a.replayed)).toEqual([false, true]);
      expect(sessions).toEqual([sessionId]);
    },
  },
  {
    id: 'UP4',
    attack: 'Stripe never answers one account lookup',
    run: async (h) => {
      const hung = freshAccountId();
      const proxy = await startRecordingProxy(h.sandbox.url, {
        action: (q) => (q.path === `/v1/financial_connections/accounts/${hung}` ? 'hang' : 'forward'),
      });
      const gw = await startGateway({
        STRIPE_API_BASE: proxy.url,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_TIMEOUT_MS: '300',
        STRIPE_DEADLINE_MS: '1000',
      });
      try {
        return await post(
          gw,
          'query($id: ID!) { hung: financialAccount(id: $id) { id } viewer { partnerId } }',
          {
            token: PARTNER_A.apiKey,
            variables: { id: hung },
          },
        );
      } finally {
        await gw.close();
        await proxy.close();
      }
    },
    expect: (p) => {
      // The lookup ends at its deadline as UPSTREAM_UNAVAILABLE (when: test/unit/stripe-client.test.ts, on a fake
      // clock); the other field resolves.
      const r = asHttp(p);
      expect(r.json?.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
        ['UPSTREAM_UNAVAILABLE', ['hung']],
      ]);
      expect(r.json?.data).toEqual({ hung: null, viewer: { partnerId: PARTNER_A.partnerId } });
    },
  },
  {
    id: 'UP6',
    attack: "Stripe refuses the gateway's API key (401)",
    run: async (h) => {
      const refused = freshAccountId();
      const proxy = await startRecordingProxy(h.sandbox.url, {
        action: (q) =>
          q.path === `/v1/financial_connections/accounts/${refused}`
            ? {
                status: 401,
                body: {
                  error: {
                    type: 'invalid_request_error',
                    message: `Invalid API Key provided: ${SANDBOX_SECRET_KEY}`,
                  },
                },
              }
            : 'forward',
      });
      const gw = await startGateway({ STRIPE_API_BASE: proxy.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
      try {
        const r = await post(gw, 'query($id: ID!) { financialAccount(id: $id) { id } }', {
          token: PARTNER_A.apiKey,
          variables: { id: refused },
        });
        return { kind: 'scenario', probes: [r], text: r.text, outcomes: { logs: gw.logs } } as ScenarioProbe;
      } finally {
        await gw.close();
        await proxy.close();
      }
    },
    expect: (p) => {
      const s = asScenario(p);
      const r = s.probes[0];
      // A generic error the client cannot act on; Stripe's message (which quotes the key) is not forwarded.
      expect(r.json?.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['UPSTREAM_ERROR', 'The gateway could not authenticate with Stripe.'],
      ]);
      expect(r.text).not.toContain('Invalid API Key');
      // Never echoed in the gateway's log either.
      const logs = (s.outcomes.logs as string[]).join('\n');
      expect(logs).not.toContain(SANDBOX_SECRET_KEY);
    },
  },
];

/** A snapshot event as Stripe would send it. */
const event = () =>
  JSON.stringify({
    id: `evt_Sec${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    object: 'event',
    api_version: '2025-03-31.basil',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'financial_connections.account.disconnected',
    data: {
      object: { id: 'fca_SecurityWebhook1', object: 'financial_connections.account', status: 'disconnected' },
    },
  });

const webhook = (h: Harness, body: string, signature?: string): Promise<HttpProbe> =>
  http(`${h.gw().url}/webhooks/stripe`, {
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
    body,
  });

const sign = (
  h: Harness,
  payload: string,
  options: { secret?: string; timestamp?: number; scheme?: string } = {},
) =>
  h.sandbox.stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp,
    scheme: options.scheme,
  });

const refused = (p: import('./harness').Probe) => {
  const r = asHttp(p);
  expect(r.status).toBe(400);
  expect(r.text).not.toContain(WEBHOOK_SECRET);
};

export const webhookRows: AttackRow[] = [
  {
    id: 'WH1a',
    attack: 'webhook without Stripe-Signature',
    run: (h) => webhook(h, event()),
    expect: refused,
  },
  {
    id: 'WH1b',
    attack: 'webhook signed with the wrong secret',
    run: (h) => {
      const body = event();
      return webhook(h, body, sign(h, body, { secret: 'whsec_attackerSecret0123456789' }));
    },
    expect: refused,
  },
  {
    id: 'WH1c',
    attack: 'webhook carrying only a v0 signature',
    run: (h) => {
      const body = event();
      return webhook(h, body, sign(h, body, { scheme: 'v0' }));
    },
    expect: refused,
  },
  {
    id: 'WH2',
    attack: 'webhook body re-serialized after signing (whitespace changed)',
    run: (h) => {
      const body = event();
      const signature = sign(h, body);
      return webhook(h, JSON.stringify(JSON.parse(body), null, 2), signature);
    },
    expect: refused,
  },
  {
    id: 'WH3',
    attack: 'valid signature replayed with a timestamp 301 s old',
    run: (h) => {
      const body = event();
      return webhook(h, body, sign(h, body, { timestamp: Math.floor(Date.now() / 1000) - 301 }));
    },
    expect: (p) => {
      refused(p);
      expect(asHttp(p).text).toMatch(/Timestamp outside the tolerance zone/);
    },
  },
  {
    id: 'WH11',
    attack: 'valid signature with a timestamp one hour in the future',
    // The documented choice: accepted. stripe-node's constructEvent bounds only a signature's age (WH3); the
    // signature still proves the secret, and a replay of the same event is stopped by its id (WH4).
    run: (h) => {
      const body = JSON.stringify({ ...JSON.parse(event()), type: 'security.future_timestamp' });
      return webhook(h, body, sign(h, body, { timestamp: Math.floor(Date.now() / 1000) + 3600 }));
    },
    expect: (p) => {
      const r = asHttp(p);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ received: true });
    },
  },
  {
    id: 'WH-size',
    attack: '1 MB webhook body',
    run: (h) => {
      const body = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
      return webhook(h, body, sign(h, body));
    },
    expect: (p) => expect(asHttp(p).status).toBe(413),
  },
];
