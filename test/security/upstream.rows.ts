// Attack rows at the gateway's other edges: a failing or throttling Stripe (UP*) and forged webhooks (WH*).
import { randomUUID } from 'node:crypto';
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
    id: 'WH-size',
    attack: '1 MB webhook body',
    run: (h) => {
      const body = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
      return webhook(h, body, sign(h, body));
    },
    expect: (p) => expect(asHttp(p).status).toBe(413),
  },
];
