// Attack rows at the gateway's other edges: a failing or throttling Stripe (UP*) and forged webhooks (WH*).
import { randomUUID } from 'node:crypto';
import { PARTNER_A, WEBHOOK_SECRET, codes, http, post, type Harness, type HttpProbe } from './harness';
import { asHttp, type AttackRow } from './rows';

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
    stripeRequests: 'any',
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
    id: 'UP2',
    attack: 'Stripe answers 500 api_error to every request',
    stripeRequests: 'any',
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
    expect: (p, h) => {
      const r = asHttp(p);
      expect(codes(r).some((c) => c === 'UPSTREAM_UNAVAILABLE' || c === 'INTERNAL_SERVER_ERROR')).toBe(true);
      upstreamFailed(codes(r)[0] as string, FAULT_TEXT)(p);
      // A masked error's details went to the log under the same request id.
      const masked = r.json!.errors!.find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
      if (masked) {
        const requestId = masked.extensions!.requestId as string;
        expect(h.gw().logs.some((l) => l.includes(requestId))).toBe(true);
      }
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
