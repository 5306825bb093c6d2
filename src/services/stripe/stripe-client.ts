// Builds the SDK client whose every HTTP attempt takes a budget
// token, is counted, has a deadline, and is retried (429, retryable 5xx, dropped connections) by us.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import { failSpan, type Tracing } from '../../platform/tracing';
import { SpanKind, type Span } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { createLocalRateBudget, SYSTEM_TENANT, type RateBudget } from './rate-budget';

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 for the sandbox; undefined for api.stripe.com. */
  apiBase?: string;
  /** Per HTTP attempt. @default 10000 ms (docs/security-catalogue.md: Stripe timeout 10 s) */
  timeoutMs?: number;
  /** Retries after the first attempt, done by this module (stripe-node's own are off). @default 2 */
  maxRetries?: number;
  /**
   * Total time one SDK call may take: budget waits, every attempt and every backoff. Past it the
   * call fails with a StripeConnectionError (→ UPSTREAM_UNAVAILABLE). @default 30000 ms
   */
  deadlineMs?: number;
  /** First backoff; doubles per retry, with jitter. @default 100 ms */
  backoffBaseMs?: number;
  /** @default 2000 ms */
  backoffMaxMs?: number;
  /** Every attempt takes one token. @default an in-process bucket at 20 req/s */
  budget?: RateBudget;
  /** Stripe-Version of every v1 request. @default the version the installed stripe-node pins */
  apiVersion?: string;
  /** Stripe-Version of every v2 request (v2 Accounts need a preview version). @default apiVersion */
  v2ApiVersion?: string;
  metrics: Metrics;
  log?: Logger;
  /** OpenTelemetry (platform/tracing.ts): a client span per HTTP attempt. Absent: off. */
  tracing?: Tracing;
}

/** The id Stripe gives each request (its `Request-Id` response header), for Stripe's support and logs. */
export const ATTR_STRIPE_REQUEST_ID = 'stripe.request_id';
/** OpenTelemetry's `url.template` (incubating, so spelled here): the path with object ids as `{id}`. */
export const ATTR_URL_TEMPLATE = 'url.template';
/** How long the attempt waited for the shared Stripe budget (STRIPE_MAX_RPS) before it was sent. */
export const ATTR_BUDGET_WAIT_MS = 'gateway.stripe.budget_wait_ms';

/**
 * Stripe object ids in a path become `{id}` so the route label has a bounded set
 * of values (`/v1/financial_connections/accounts/{id}/refresh`).
 */
export function routeTemplate(path: string): string {
  const pathname = path.split('?')[0];
  return pathname
    .split('/')
    .map((seg) => (/^[a-z]+_[A-Za-z0-9_]+$/.test(seg) && !/^v\d$/.test(seg) && /\d/.test(seg) ? '{id}' : seg))
    .join('/');
}

/** A stripe-node client plus a counter of the HTTP requests it has sent (tests read `requestCount`). */
export interface StripeClient {
  /** Calls made for no partner (webhooks, the poller): the budget's system share. */
  stripe: Stripe;
  /**
   * The same client whose calls count against `partnerId`'s fair share of the Stripe budget
   * (services/stripe/rate-budget.ts). One instance per partner, kept (partners are configured).
   */
  forTenant?(partnerId: string): Stripe;
  /** HTTP requests sent so far by this client, retries included. */
  requestCount(): number;
  /**
   * Sequential waves of calls so far: a call is in the wave after the latest wave of any call that had
   * completed when it was made (calls made together, before any of them answered, share one wave).
   * Taken when the SDK hands the call over, before the rate budget spaces attempts, so it measures the
   * gateway's plan, not timing.
   */
  waveCount(): number;
}

type Inner = ReturnType<typeof Stripe.createNodeHttpClient>;
type InnerResponse = Awaited<ReturnType<Inner['makeRequest']>>;
/** stripe-node's HttpClient.makeRequest arguments without its timeout (each attempt sets its own). */
type StripeRequest = Parameters<Inner['makeRequest']> extends [...infer Request, number] ? Request : never;

/** A response whose body was read in full inside the attempt, so a body cut short is retried too. */
class BufferedResponse extends Stripe.HttpClientResponse {
  constructor(
    private readonly inner: InnerResponse,
    private readonly body: Promise<unknown>,
  ) {
    super(inner.getStatusCode(), inner.getHeaders());
  }
  override getRawResponse(): unknown {
    return this.inner.getRawResponse();
  }
  override toStream(done: () => void): NodeJS.ReadableStream {
    const stream = Readable.from(this.body.then((b) => JSON.stringify(b)) as unknown as Iterable<string>);
    stream.once('end', done);
    return stream;
  }
  override toJSON(): Promise<unknown> {
    return this.body;
  }
}

/** An error code stripe-node maps to StripeConnectionError without retrying it again itself. */
function giveUp(reason: 'deadline' | 'unreachable', cause?: unknown): Error {
  const error = new Error(
    reason === 'deadline' ? 'Stripe request deadline exceeded' : 'Stripe could not be reached',
  ) as Error & { code: string; cause?: unknown };
  // ETIMEDOUT is stripe-node's timeout code; anything but ECONNRESET/EPIPE stops its one
  // unconditional closed-connection retry, so retries are never doubled.
  error.code = reason === 'deadline' ? 'ETIMEDOUT' : 'EUPSTREAMUNREACHABLE';
  error.cause = cause;
  return error;
}

const headerValue = (headers: Record<string, unknown>, name: string): string | undefined => {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
};

/**
 * Why retries live here and stripe-node's `maxNetworkRetries` is 0: stripe-node does not retry a
 * plain 429, ignores `Retry-After`, and its timeout is per attempt, so a caller could wait
 * timeout × (1 + retries) with no overall bound. Doing every retry in this one layer gives one
 * deadline for the whole call, one token per attempt (retries included) and one place that counts
 * attempts. Both layers retrying would multiply attempts (3 × 3), so exactly one does.
 */
class BudgetedHttpClient extends Stripe.HttpClient {
  private sent = 0;
  private latestWave = 0;
  private completedWave = 0;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly deadlineMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;

  constructor(
    private readonly inner: Inner,
    private readonly budget: RateBudget,
    private readonly options: StripeClientOptions,
  ) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 100;
    this.backoffMaxMs = options.backoffMaxMs ?? 2_000;
  }

  override getClientName(): string {
    return 'node-budgeted';
  }

  requestCount(): number {
    return this.sent;
  }

  waveCount(): number {
    return this.latestWave;
  }

  override makeRequest(...request: StripeRequest): Promise<InnerResponse> {
    return this.send(SYSTEM_TENANT, request);
  }

  /**
   * One SDK request on behalf of `tenant` (whose share of the budget each attempt takes), counted in waves:
   * a request started while none of the current wave had finished belongs to that wave.
   */
  async send(tenant: string, request: StripeRequest): Promise<InnerResponse> {
    const wave = this.completedWave + 1;
    this.latestWave = Math.max(this.latestWave, wave);
    try {
      return await this.attempts(tenant, request);
    } finally {
      this.completedWave = Math.max(this.completedWave, wave);
    }
  }

  private async attempts(tenant: string, request: StripeRequest): Promise<InnerResponse> {
    const [, , path, method, headers] = request;
    // v2 endpoints take their own (preview) version; stripe-node would send the v1 one.
    if (this.options.v2ApiVersion && path.startsWith('/v2/'))
      headers['Stripe-Version'] = this.options.v2ApiVersion;
    const deadline = performance.now() + this.deadlineMs;
    const route = routeTemplate(path);
    // Mutations are retried only under their idempotency key: stripe-node keys every v1 POST
    // (and v2 POST/DELETE); the same headers object is re-sent, so every retry reuses the key.
    // A non-GET without a key (v1 DELETE) is sent once.
    const hasKey = headerValue(headers, 'Idempotency-Key') !== undefined;
    const retryable = method === 'GET' || hasKey;
    let attempt = 0;
    for (;;) {
      const remaining = deadline - performance.now();
      const waitStarted = performance.now();
      if (remaining <= 0 || !(await this.budget.acquire(remaining, tenant))) throw giveUp('deadline');
      const attemptMs = Math.min(this.timeoutMs, deadline - performance.now());
      if (attemptMs <= 0) throw giveUp('deadline');
      const started = performance.now();
      this.sent += 1;
      const span = this.options.tracing
        ? this.startSpan(this.options.tracing, request, route, attempt, started - waitStarted)
        : undefined;
      let outcome: { response: BufferedResponse; status: number } | { error: unknown };
      try {
        outcome = await this.attempt(request, attemptMs);
      } catch (error) {
        outcome = { error };
      }
      if (span) endSpan(span, outcome);
      const status = 'status' in outcome ? String(outcome.status) : 'error';
      this.options.metrics.stripeRequests.inc({ method, route, status });
      this.options.metrics.stripeRequestDuration.observe(
        { method, route },
        (performance.now() - started) / 1000,
      );

      let retryAfterMs: number | undefined;
      if ('response' in outcome) {
        const h = outcome.response.getHeaders() as Record<string, unknown>;
        const shouldRetry = headerValue(h, 'stripe-should-retry');
        const s = outcome.status;
        const wantsRetry =
          shouldRetry === 'false' ? false : shouldRetry === 'true' || s === 429 || s === 409 || s >= 500;
        if (!wantsRetry || !retryable || attempt >= this.maxRetries) return outcome.response;
        const ra = Number(headerValue(h, 'retry-after'));
        if (Number.isFinite(ra) && ra > 0) retryAfterMs = ra * 1000;
      } else {
        const code = (outcome.error as { code?: string }).code;
        this.options.log?.debug({ method, route, attempt, code }, 'Stripe attempt failed');
        if (!retryable || attempt >= this.maxRetries) {
          throw giveUp(code === 'ETIMEDOUT' ? 'deadline' : 'unreachable', outcome.error);
        }
      }
      const backoff =
        Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt) * (0.5 + Math.random() / 2);
      const delay = Math.max(backoff, retryAfterMs ?? 0);
      if (performance.now() + delay >= deadline) {
        if ('response' in outcome) return outcome.response; // the real error (429/5xx) beats a timeout
        throw giveUp('deadline', outcome.error);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      attempt += 1;
    }
  }

  /**
   * The client span of one HTTP attempt, child of the active span (the GraphQL operation whose resolvers made the
   * call; none for the poller's and the webhooks' calls). Each retry is its own span, as OpenTelemetry's HTTP
   * conventions ask (`http.request.resend_count`), with its own `Request-Id`. The path loses its query string:
   * a list's filters and a customer search's terms are not the trace's business.
   */
  private startSpan(
    tracing: Tracing,
    request: StripeRequest,
    route: string,
    attempt: number,
    waitedMs: number,
  ): Span {
    const [host, port, path, method] = request;
    return tracing.startSpan(`${method} ${route}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_PATH]: path.split('?')[0],
        [ATTR_URL_TEMPLATE]: route,
        [ATTR_SERVER_ADDRESS]: host,
        ...(port ? { [ATTR_SERVER_PORT]: Number(port) } : {}),
        ...(attempt > 0 ? { [ATTR_HTTP_REQUEST_RESEND_COUNT]: attempt } : {}),
        [ATTR_BUDGET_WAIT_MS]: Math.round(waitedMs),
      },
    });
  }

  /** One HTTP attempt with a hard timer over headers and body (the socket timeout is only an idle timer). */
  private attempt(
    request: StripeRequest,
    attemptMs: number,
  ): Promise<{ response: BufferedResponse; status: number }> {
    return new Promise((resolve, reject) => {
      let raw: IncomingMessage | undefined;
      const timer = setTimeout(() => {
        const e = Stripe.HttpClient.makeTimeoutError();
        raw?.destroy(e);
        reject(e);
      }, attemptMs);
      this.inner
        .makeRequest(...request, attemptMs)
        .then((res) => {
          raw = res.getRawResponse() as IncomingMessage;
          const body = res.toJSON();
          // A body that is not JSON is an answer (a proxy's HTML 502), not a transport failure.
          return body.then(
            (json) => ({ res, body: Promise.resolve(json) }),
            (e: unknown) => {
              if (!(e instanceof SyntaxError)) throw e;
              const failed = Promise.reject(e);
              failed.catch(() => undefined);
              return { res, body: failed };
            },
          );
        })
        .then(
          ({ res, body }) => {
            clearTimeout(timer);
            resolve({ response: new BufferedResponse(res, body), status: res.getStatusCode() });
          },
          (e: unknown) => {
            clearTimeout(timer);
            reject(e);
          },
        );
    });
  }
}

/** Ends an attempt's span: its status and `Request-Id`, ERROR for a 4xx or 5xx (`error.type` the status) or no answer. */
function endSpan(
  span: Span,
  outcome: { response: BufferedResponse; status: number } | { error: unknown },
): void {
  if ('response' in outcome) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
    const requestId = headerValue(outcome.response.getHeaders() as Record<string, unknown>, 'request-id');
    if (requestId && /^[A-Za-z0-9_]{1,64}$/.test(requestId))
      span.setAttribute(ATTR_STRIPE_REQUEST_ID, requestId);
    if (outcome.status >= 400) failSpan(span, String(outcome.status));
  } else {
    const code = (outcome.error as { code?: unknown } | null)?.code;
    failSpan(span, typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? code : 'error');
  }
  span.end();
}

/** The budgeted client as seen by one tenant: every request is sent on its behalf. */
class TenantHttpClient extends Stripe.HttpClient {
  constructor(
    private readonly shared: BudgetedHttpClient,
    private readonly tenant: string,
  ) {
    super();
  }
  override getClientName(): string {
    return 'node-budgeted';
  }
  override makeRequest(...request: StripeRequest): Promise<InnerResponse> {
    return this.shared.send(this.tenant, request);
  }
}

/**
 * Creates the SDK client. Counting happens in {@link BudgetedHttpClient}, once per HTTP attempt
 * (so retries are counted, as Stripe counts them).
 */
export function createStripeClient(options: StripeClientOptions): StripeClient {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const budget = options.budget ?? createLocalRateBudget({ ratePerSecond: 20, metrics: options.metrics });
  const httpClient = new BudgetedHttpClient(Stripe.createNodeHttpClient(), budget, options);
  const sdk = (client: Stripe.HttpClient) =>
    new Stripe(options.secretKey, {
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === 'https:' ? 443 : 80),
            protocol: base.protocol.replace(':', '') as 'http' | 'https',
          }
        : {}),
      httpClient: client,
      // Pinned explicitly: an SDK upgrade must not change the version every request carries.
      apiVersion: (options.apiVersion ?? Stripe.API_VERSION) as typeof Stripe.API_VERSION,
      // stripe-node's per-attempt timer is a socket idle timer; ours bounds each attempt and the call.
      timeout: options.timeoutMs ?? 10_000,
      maxNetworkRetries: 0,
      telemetry: false,
      appInfo: { name: 'fc-graphql-gateway' },
    });
  const stripe = sdk(httpClient);
  const tenants = new Map<string, Stripe>();
  const forTenant = (partnerId: string): Stripe => {
    let s = tenants.get(partnerId);
    if (!s) {
      s = sdk(new TenantHttpClient(httpClient, partnerId));
      // Listeners of `stripe.on('request'|'response')` (the refresh poller) see every tenant's calls too:
      // stripe-node emits on each instance's own emitter, which it does not let us share.
      const shared = (stripe as unknown as { _emitter: NodeJS.EventEmitter })._emitter;
      s.on('request', (e: Stripe.RequestEvent) => shared.emit('request', e));
      s.on('response', (e: Stripe.ResponseEvent) => shared.emit('response', e));
      tenants.set(partnerId, s);
    }
    return s;
  };
  return {
    stripe,
    forTenant,
    requestCount: () => httpClient.requestCount(),
    waveCount: () => httpClient.waveCount(),
  };
}
