// The embedded Stripe-compatible sandbox: options, the route table, and the Sandbox handle tests drive.
// Imports nothing from the gateway.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { registerAuthFlow } from './auth-flow';
import { registerFavicon } from './favicon';
import { Faults, type FaultConfig, type RateLimitConfig } from './faults';
import { IdempotencyStore } from './idempotency';
import { completeSession, type CompleteSessionOptions, type CompletedSession } from './linking';
import { newRequestId, queryOf, type RequestLogEntry, type RouteContext } from './router';
import { registerCustomerRoutes } from './routes/customers';
import { registerEventRoutes } from './routes/events';
import { registerFcAccountRoutes } from './routes/financial-connections/accounts';
import { registerFcSessionRoutes } from './routes/financial-connections/sessions';
import { registerFcTransactionRoutes } from './routes/financial-connections/transactions';
import { registerMicrodepositPage } from './routes/microdeposit-page';
import { registerPaymentIntentRoutes } from './routes/payment-intents';
import { registerPaymentMethodRoutes } from './routes/payment-methods';
import { registerSetupIntentRoutes } from './routes/setup-intents';
import { registerTestHelperRoutes } from './routes/test-helpers';
import { registerTriggerHelperRoutes } from './routes/trigger-helpers';
import { registerV2AccountRoutes } from './routes/v2/core/accounts';
import { createWebhookEndpoint, registerWebhookEndpointRoutes } from './routes/webhook-endpoints';
import { runDailyRefreshes } from './refresh';
import { Store } from './store';
import type { StripeEvent } from './types';
import { EventBus, type Delivery } from './webhooks';

export interface SandboxOptions {
  /** 0 picks a free port. @default 12111 */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** How long an account refresh stays `pending`. @default 1000 */
  refreshDelayMs?: number;
  /** How long an ACH PaymentIntent stays `processing` before it succeeds or fails. @default 3000 */
  achDelayMs?: number;
  /** After a refresh completes, how long until `next_refresh_available_at`. @default 0 (at once) */
  refreshCooldownSeconds?: number;
  /** When institution lifecycles play out after linking (Inactive Accounts deactivating, expiring TANs). @default 2000 */
  deactivationDelayMs?: number;
  /** Seed for ids and generated data. @default 'sandbox' */
  seed?: number | string;
  /** Transactions in an account's history (its first transaction refresh loads them). @default 120 */
  transactionsPerAccount?: number;
  /** A webhook endpoint registered at start-up (receives every event). */
  webhook?: { url: string; secret?: string; enabledEvents?: string[] };
  /** Delays before each webhook retry; the length is the number of retries. @default [1000, 5000, 30000] */
  webhookRetryDelaysMs?: number[];
  /** Stripe-like request budget; absent: unlimited. */
  rateLimit?: RateLimitConfig | null;
  /**
   * Fault injection from the start; switch at run time with Sandbox.setFaults(). `faults.seed` fixes which
   * requests fail (to replay a run); without it the seed is random, and getFaults() reports it.
   */
  faults?: FaultConfig | null;
  /** Keep every response body in the request log (for schema conformance tests). @default false */
  recordResponses?: boolean;
}

export interface Sandbox {
  readonly http: FastifyInstance;
  readonly store: Store;
  /** The base URL once listen() has resolved. */
  readonly url: string | undefined;
  listen(): Promise<string>;
  close(): Promise<void>;
  /** Every API request so far (method, path, status, Idempotency-Key, replayed). */
  readonly requestLog: RequestLogEntry[];
  clearRequestLog(): void;
  /** Fault injection at run time; null turns it off. Same as POST /v1/test_helpers/sandbox/faults. */
  setFaults(faults: FaultConfig | null): void;
  /** The fault settings in use, with the seed that replays them. Same as GET /v1/test_helpers/sandbox/faults. */
  getFaults(): Required<FaultConfig>;
  setRateLimit(rateLimit: RateLimitConfig | null): void;
  /** Every event so far, oldest first. */
  events(): StripeEvent[];
  /** Resolves with the first event (past or future) of that type / matching that predicate. */
  waitForEvent(match: string | ((e: StripeEvent) => boolean), timeoutMs?: number): Promise<StripeEvent>;
  /** Every webhook delivery attempt so far. */
  readonly deliveries: Delivery[];
  waitForDelivery(match: (d: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  /** Registers a webhook endpoint (as POST /v1/webhook_endpoints does); returns its id and whsec_ secret. */
  addWebhookEndpoint(endpoint: { url: string; secret?: string; enabledEvents?: string[] }): {
    id: string;
    secret: string;
  };
  /** The complete helper without HTTP (see linking.ts). */
  completeSession(sessionId: string, options?: CompleteSessionOptions): CompletedSession;
  /** Moves sandbox time forward (e.g. past `next_refresh_available_at`); runs subscriptions' daily refreshes. */
  advanceTime(seconds: number): void;
}

/** The test secret key the sandbox prints; any `sk_test_…` key is accepted. */
export const SANDBOX_SECRET_KEY = 'sk_test_sandbox';

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const http = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const store = new Store({
    seed: options.seed ?? 'sandbox',
    refreshDelayMs: options.refreshDelayMs ?? 1000,
    achDelayMs: options.achDelayMs ?? 3000,
    refreshCooldownSeconds: options.refreshCooldownSeconds ?? 0,
    transactionsPerAccount: options.transactionsPerAccount ?? 120,
    deactivationDelayMs: options.deactivationDelayMs ?? 2000,
  });
  const bus = new EventBus(store, { retryDelaysMs: options.webhookRetryDelaysMs });
  store.emit = (type, object, request, previous) => bus.emit(type, object, request, previous);
  const ctx: RouteContext = {
    store,
    bus,
    faults: new Faults(options.faults, options.rateLimit),
    idempotency: new IdempotencyStore(),
    requestLog: [],
    recordResponses: options.recordResponses ?? false,
  };

  // Bodies are parsed by the route pipeline (qs for forms, JSON for v2), so keep them as raw strings here.
  http.removeAllContentTypeParsers();
  http.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const unrecognized = (request: FastifyRequest, reply: FastifyReply) => {
    const requestId = newRequestId();
    const path = request.url.split('?')[0];
    const body = {
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${path.slice(0, 200)}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      },
    };
    // Unknown routes are requests the client sent too: keep them in the log tests count.
    ctx.requestLog.push({
      method: request.method,
      path,
      query: queryOf(request.url),
      status: 404,
      idempotencyKey: (request.headers['idempotency-key'] as string | undefined) ?? null,
      replayed: false,
      requestId,
      stripeVersion: (request.headers['stripe-version'] as string | undefined) ?? null,
      at: Date.now(),
      ...(ctx.recordResponses ? { responseBody: body } : {}),
    });
    reply.code(404).header('request-id', requestId).send(body);
  };
  http.setNotFoundHandler(unrecognized);
  // Stripe's PaymentIntent search is not modelled: without this route `search` would be read as an intent's id.
  http.get('/v1/payment_intents/search', unrecognized);

  registerCustomerRoutes(http, ctx);
  registerV2AccountRoutes(http, ctx);
  registerFcSessionRoutes(http, ctx);
  registerFcAccountRoutes(http, ctx);
  registerFcTransactionRoutes(http, ctx);
  const verifyPaymentIntent = registerPaymentIntentRoutes(http, ctx);
  const verifySetupIntent = registerSetupIntentRoutes(http, ctx);
  registerPaymentMethodRoutes(http, ctx);
  registerMicrodepositPage(http, ctx, {
    payment_intent: verifyPaymentIntent,
    setup_intent: verifySetupIntent,
  });
  registerEventRoutes(http, ctx);
  registerWebhookEndpointRoutes(http, ctx);
  registerTestHelperRoutes(http, ctx);
  registerTriggerHelperRoutes(http, ctx);
  registerAuthFlow(http, ctx);
  registerFavicon(http);

  if (options.webhook) createWebhookEndpoint(store, options.webhook);

  let url: string | undefined;
  return {
    http,
    store,
    get url() {
      return url;
    },
    async listen() {
      await http.listen({ port: options.port ?? 12111, host: options.host ?? '127.0.0.1' });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host =
        options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      return url;
    },
    async close() {
      store.close();
      await bus.drain();
      await http.close();
    },
    requestLog: ctx.requestLog,
    clearRequestLog: () => {
      ctx.requestLog.length = 0;
    },
    setFaults: (f) => ctx.faults.set(f),
    getFaults: () => ctx.faults.get(),
    setRateLimit: (r) => ctx.faults.setRateLimit(r),
    events: () => store.events.newestFirst().reverse(),
    waitForEvent: (match, timeoutMs) =>
      bus.waitForEvent(typeof match === 'string' ? (e) => e.type === match : match, timeoutMs),
    deliveries: bus.deliveries,
    waitForDelivery: (match, timeoutMs) => bus.waitForDelivery(match, timeoutMs),
    addWebhookEndpoint: (endpoint) => createWebhookEndpoint(store, endpoint),
    completeSession: (sessionId, opts) => completeSession(store, sessionId, opts),
    advanceTime: (seconds) => {
      store.clock.advance(seconds);
      runDailyRefreshes(store);
    },
  };
}
