// The security suite's harness: gateways per configuration, raw HTTP/WS probes, and the common assertions.
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import {
  PARTNER_A,
  PARTNER_B,
  TEST_TOKEN_SECRET,
  startGateway,
  type StartedGateway,
} from '../helpers/gateway';
import type { StartedRedis } from '../helpers/redis';
import type { StartedSandbox } from '../helpers/sandbox';

/** The gateway configurations the rows run against. */
export type GatewayName =
  'dev' | 'prod' | 'rate' | 'origin' | 'wide' | 'redisA' | 'redisB' | 'edges' | 'fair' | 'caps';

export const ALLOWED_ORIGIN = 'https://app.example.com';
export const RATE_LIMIT = 5;

/** Configured everywhere: the gateways then do not register themselves with the sandbox for webhooks, so no
 * background Stripe traffic disturbs the per-row request counts, and the webhook rows know the secret. */
export const WEBHOOK_SECRET = 'whsec_securitySuiteSecret0123456789';

/** Two instances sharing one Redis (DS8: one rate-limit budget per caller across instances). */
export const REDIS_RATE_LIMIT = 10;

/** The Stripe budget (STRIPE_MAX_RPS) of the `fair` gateway, where a noisy partner floods it (DS11). */
export const FAIR_BUDGET = 20;

export function gatewayEnvs(redisUrl: string): Record<GatewayName, Record<string, string>> {
  const common = { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET };
  return {
    dev: common,
    prod: { ...common, NODE_ENV: 'production' },
    rate: { ...common, RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) },
    origin: { ...common, ALLOWED_ORIGINS: ALLOWED_ORIGIN },
    // Raised token and length limits, so the validation-error cap (DS6) is what stops a 10k-field query.
    wide: { ...common, GRAPHQL_MAX_TOKENS: '50000', GRAPHQL_MAX_QUERY_LENGTH: '90000' },
    redisA: { ...common, REDIS_URL: redisUrl, RATE_LIMIT_PER_MINUTE: String(REDIS_RATE_LIMIT) },
    redisB: { ...common, REDIS_URL: redisUrl, RATE_LIMIT_PER_MINUTE: String(REDIS_RATE_LIMIT) },
    // A small failed-authentication budget and short receive timeouts (AU11, IN10).
    edges: {
      ...common,
      AUTH_FAILURES_PER_MINUTE: '5',
      HTTP_BODY_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '500',
    },
    // Its own Stripe budget, so the noisy-neighbour scenario (DS11) and its background calls touch no other row.
    fair: { ...common, STRIPE_MAX_RPS: String(FAIR_BUDGET) },
    // What one partner may hold, its key and customer tokens together (WS7, DS12: test/security/trust.rows.ts).
    caps: { ...common, WS_MAX_CONNECTIONS_PER_PARTNER: '3', PARTNER_RATE_LIMIT_PER_MINUTE: '8' },
  };
}

/** What one HTTP probe saw. */
export interface HttpProbe {
  kind: 'http';
  url: string;
  status: number;
  headers: Headers;
  text: string;
  json: {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
  } | null;
}

/** What one WebSocket probe saw. */
export interface WsProbe {
  kind: 'ws';
  /** Close code, or undefined if the socket was still open when the probe ended. */
  closeCode?: number;
  closeReason?: string;
  /** Set when the handshake itself was refused. */
  handshakeStatus?: number;
  messages: { type: string; id?: string; payload?: unknown }[];
  text: string;
}

/** What a scenario row saw: several operations (each answer is checked like a single probe's), and its outcomes. */
export interface ScenarioProbe {
  kind: 'scenario';
  probes: HttpProbe[];
  /** Every answer's text, for the leak checks. */
  text: string;
  outcomes: Record<string, unknown>;
}

export type Probe = HttpProbe | WsProbe | ScenarioProbe;

export interface Harness {
  sandbox: StartedSandbox;
  redis: StartedRedis;
  gw(name?: GatewayName): StartedGateway;
  /** Every secret the suite used; none may appear in a response or a log line. */
  secrets: Set<string>;
  /** Data set up through the gateway for the cross-tenant rows (empty until the resolvers exist). */
  tenants: Tenants;
}

/** Objects owned by partner A (and its customers) and by partner B, created through the gateway. */
export interface Tenants {
  ready: boolean;
  a: TenantObjects;
  b: TenantObjects;
  /** A second customer of partner A, with its own token (the "another customer" attacker). */
  a2: TenantObjects;
  /** Why set-up failed, when it did. */
  error?: string;
}

export interface TenantObjects {
  partnerKey: string;
  customerId: string;
  customerToken: string;
  sessionId: string;
  accountId: string;
  /** The account's Ownership and one AccountOwner, by the ids the API gives them (`fcaowns_….fca_…`, `fcaown_….fca_…`). */
  ownershipId?: string;
  ownerId?: string;
  transactionId?: string;
  paymentIntentId?: string;
  setupIntentId?: string;
  /** The account the SetupIntent saved, and its multi-use mandate. */
  paymentMethodId?: string;
  mandateId?: string;
  /** Why an optional object (payment, transaction) could not be set up. */
  setupError?: string;
}

export async function http(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<HttpProbe> {
  const body =
    typeof init.body === 'string' || init.body === undefined
      ? init.body
      : new Blob([new Uint8Array(init.body)]);
  const res = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body });
  const text = await res.text();
  let json: HttpProbe['json'] = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { kind: 'http', url, status: res.status, headers: res.headers, text, json };
}

/** A JSON POST of `{ query, variables }` with a bearer credential. */
export function post(
  gw: StartedGateway,
  query: string,
  options: { token?: string; variables?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpProbe> {
  return http(gw.graphqlUrl, {
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
}

export const codes = (p: HttpProbe) => (p.json?.errors ?? []).map((e) => e.extensions?.code);

/**
 * A raw graphql-transport-ws session: sends `frames` (objects are JSON-encoded; strings/Buffers sent as is)
 * and collects messages until the socket closes or `until` says stop.
 */
export async function wsSession(
  gw: StartedGateway,
  options: {
    origin?: string;
    frames?: (unknown | ((messages: WsProbe['messages']) => unknown))[];
    /** Resolves the probe early once the messages satisfy it (the socket is then closed by us). */
    until?: (messages: WsProbe['messages']) => boolean;
    /** Wait for the ack before sending frames after the first. */
    awaitAck?: boolean;
  },
): Promise<WsProbe> {
  const messages: WsProbe['messages'] = [];
  let raw = '';
  const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws', {
    headers: options.origin ? { origin: options.origin } : {},
  });
  return new Promise<WsProbe>((resolve) => {
    let done = false;
    const finish = (extra: Partial<WsProbe>) => {
      if (done) return;
      done = true;
      resolve({ kind: 'ws', messages, text: raw, ...extra });
    };
    socket.on('unexpected-response', (_req, res) => {
      finish({ handshakeStatus: res.statusCode });
      socket.terminate();
    });
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => finish({ closeCode: code, closeReason: reason.toString() }));
    const frames = [...(options.frames ?? [])];
    const sendNext = () => {
      while (frames.length) {
        const f = frames.shift();
        const value = typeof f === 'function' ? (f as (m: WsProbe['messages']) => unknown)(messages) : f;
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.send(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
        if (options.awaitAck && messages.every((m) => m.type !== 'connection_ack')) return;
      }
    };
    socket.on('open', sendNext);
    socket.on('message', (data) => {
      raw += String(data);
      const msg = JSON.parse(String(data));
      messages.push(msg);
      if (msg.type === 'connection_ack' && options.awaitAck) sendNext();
      if (options.until?.(messages)) {
        finish({});
        socket.close(1000);
      }
    });
  });
}

export const init = (authorization?: string) => ({
  type: 'connection_init',
  payload: authorization ? { authorization: `Bearer ${authorization}` } : {},
});

export const subscribe = (id: string, query: string, variables?: unknown) => ({
  type: 'subscribe',
  id,
  payload: { query, variables },
});

/** Messages for `id` are complete when an `error` or `complete` arrived for it. */
export const settled = (id: string) => (messages: WsProbe['messages']) =>
  messages.some((m) => m.id === id && (m.type === 'error' || m.type === 'complete'));

/** A customer token signed with the test secret, with any claims and header (for expired/forged rows). */
export async function signToken(
  claims: Record<string, unknown>,
  options: { secret?: string; alg?: string; expSecondsFromNow?: number; iss?: string; aud?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ pid: PARTNER_A.partnerId, ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(String(claims.sub ?? 'cus_SecurityTest1'))
    .setIssuer(options.iss ?? 'fc-graphql-gateway')
    .setAudience(options.aud ?? 'fc-graphql-gateway:customer')
    .setIssuedAt(now - 10)
    .setExpirationTime(now + (options.expSecondsFromNow ?? 600))
    .sign(new TextEncoder().encode(options.secret ?? TEST_TOKEN_SECRET));
}

/** An unsigned `alg: none` token with otherwise valid claims. */
export function algNoneToken(): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
    pid: PARTNER_A.partnerId,
    sub: 'cus_SecurityTest1',
    iss: 'fc-graphql-gateway',
    aud: 'fc-graphql-gateway:customer',
    iat: now,
    exp: now + 600,
  })}.`;
}

const STACK_LINE = /\bat [^\s]+ \(?[^\s]*:\d+:\d+\)?|node_modules|\/work\/|\.ts:\d+/;

/** No stack trace, no secret, no client secret in `text`. */
export function assertNoLeak(text: string, secrets: Iterable<string>, context: string): void {
  expect({ context, stack: STACK_LINE.test(text) }).toEqual({ context, stack: false });
  expect({ context, stacktrace: /stacktrace/i.test(text) }).toEqual({ context, stacktrace: false });
  for (const s of secrets) {
    if (s && text.includes(s)) throw new Error(`${context}: secret ${s.slice(0, 6)}… found in output`);
  }
  expect({ context, clientSecret: /_secret_[A-Za-z0-9]/.test(text) }).toEqual({
    context,
    clientSecret: false,
  });
}

/** Every error of an HTTP response has a code and a request id. */
export function assertErrorShape(p: HttpProbe, context: string): void {
  if (!new URL(p.url).pathname.startsWith('/graphql')) return; // e.g. /webhooks/stripe answers Stripe, not GraphQL
  if (p.status < 300 && !p.json?.errors) return; // a result, or a bodiless 204 (CORS preflight)
  expect({ context, json: p.json !== null }).toEqual({ context, json: true });
  for (const e of p.json?.errors ?? []) {
    expect({ context, code: typeof e.extensions?.code }).toEqual({ context, code: 'string' });
    expect({ context, requestId: typeof e.extensions?.requestId }).toEqual({ context, requestId: 'string' });
  }
}

/** `METHOD /path` of a Stripe call with its ids as `{id}` (resource names are lower case, ids are not). */
export const callOf = (method: string, path: string): string =>
  `${method} ${path
    .split('?')[0]
    .split('/')
    .map((seg) => (/^[a-z]{2,8}_[A-Za-z0-9]{6,}$/.test(seg) && /[A-Z0-9]/.test(seg) ? '{id}' : seg))
    .join('/')}`;

/**
 * Records the Stripe calls the gateway makes (stripe-node's `request` event, once per call however often it is
 * retried; the gateway's client re-emits every partner's calls on its own), as {@link callOf} strings.
 * `settled()` waits until every recorded call has had its `response` (a WebSocket row's probe can end, its socket
 * closed, while the lookup it started is still on its way), or `capMs` passes for a call that ended without one
 * (a connection error, a refusal by the budget).
 */
export function recordStripeCalls(gw: StartedGateway): {
  calls: string[];
  settled(capMs?: number): Promise<void>;
  stop(): void;
} {
  const sdk = gw.gateway.stripeClient.stripe;
  const calls: string[] = [];
  let pending = 0;
  let wake: (() => void) | undefined;
  const onRequest = (e: { method: string; path: string }) => {
    calls.push(callOf(e.method, e.path));
    pending += 1;
  };
  const onResponse = () => {
    pending -= 1;
    if (pending <= 0) wake?.();
  };
  sdk.on('request', onRequest);
  sdk.on('response', onResponse);
  return {
    calls,
    settled: (capMs = 5_000) =>
      pending <= 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, capMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          }),
    stop: () => {
      sdk.off('request', onRequest);
      sdk.off('response', onResponse);
    },
  };
}

/** The next valid request (by `as`, default partner A) on the same gateway still succeeds. */
export async function assertStillServes(gw: StartedGateway, as = PARTNER_A.apiKey): Promise<void> {
  const r = await post(gw, '{ viewer { kind partnerId } }', { token: as });
  expect(r.status).toBe(200);
  expect(r.json?.errors).toBeUndefined();
}

export { PARTNER_A, PARTNER_B, TEST_TOKEN_SECRET, startGateway };
