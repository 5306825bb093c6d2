// Every setting the gateway reads from the environment, validated once at start-up.
import proxyAddr from '@fastify/proxy-addr';
import Stripe from 'stripe';
import { z } from 'zod';

/** The gateway's configuration, after validation. */
export type Config = ReturnType<typeof parseConfig>;

/** Thrown by {@link parseConfig}: one line per bad variable, each naming it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** 0 asks the system for any free port (tests start gateways that way), so the message names it. */
const PORT_MESSAGE = 'must be a port number (0-65535; 0: any free port)';
const port = z.coerce
  .number({ error: PORT_MESSAGE })
  .int({ error: PORT_MESSAGE })
  .min(0, { error: PORT_MESSAGE })
  .max(65535, { error: PORT_MESSAGE });

const positiveInt = z.coerce
  .number({ error: 'must be a positive integer' })
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });

const partnerKeys = z.string().transform((raw, ctx) => {
  const pairs = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: { partnerId: string; apiKey: string }[] = [];
  for (const pair of pairs) {
    const sep = pair.indexOf(':');
    const partnerId = pair.slice(0, sep);
    const apiKey = pair.slice(sep + 1);
    // Never echo the key itself in the message: it is a secret.
    if (sep <= 0 || !/^[A-Za-z0-9_-]{1,40}$/.test(partnerId) || apiKey.length < 8) {
      ctx.addIssue({
        code: 'custom',
        message: `each entry must be partnerId:apiKey (partnerId [A-Za-z0-9_-]{1,40}, key at least 8 characters); entry ${out.length + 1} is not`,
      });
      return z.NEVER;
    }
    out.push({ partnerId, apiKey });
  }
  if (out.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must list at least one partnerId:apiKey pair' });
    return z.NEVER;
  }
  return out;
});

/** TRUST_PROXY: which proxies' X-Forwarded-For is believed (src/transport/http/client-address.ts applies it). */
export type TrustProxy = boolean | number | string[];

const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  const value = raw.trim().toLowerCase();
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    proxyAddr.compile(list); // throws on anything that is not an IP, a CIDR or loopback/linklocal/uniquelocal
    return list;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'must be false, true, a hop count, or comma-separated proxy addresses/CIDRs',
    });
    return z.NEVER;
  }
});

/** Stripe's API version shape: `2026-08-26.dahlia`, `2025-10-29.preview`, or a plain date. */
const apiVersion = z.string().regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, {
  error: 'must look like 2026-08-26.dahlia (a date, then .name)',
});

/**
 * The preview version Stripe documents for v2 Accounts (`/v2/core/accounts`, `model: ACCOUNT`):
 * https://docs.stripe.com/accounts-v2/use-accounts-as-customers (preview users must send a preview version;
 * https://docs.stripe.com/changelog/dahlia/2026-04-22/accounts-v2-expanded-availability names 2026-04-22.preview).
 */
export const DEFAULT_STRIPE_V2_API_VERSION = '2026-04-22.preview';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(4000),
  /** /metrics protection (src/transport/http/metrics-route.ts): a Bearer token, and/or a separate port. */
  METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  METRICS_PORT: port.optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, { error: 'must look like sk_test_…, sk_live_… or rk_…' })
    .optional(),
  STRIPE_API_BASE: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Only the demo page (/demo) uses it, to load Stripe.js against real Stripe; sandboxes accept any pk_. */
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9_]+$/, { error: 'must look like pk_test_… or pk_live_…' })
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, { error: 'must look like whsec_…' })
    .optional(),
  SANDBOX_PORT: port.default(12111),
  /** Sent as Stripe-Version on every v1 request; default: the version the installed stripe-node pins. */
  STRIPE_API_VERSION: apiVersion.default(Stripe.API_VERSION),
  /** Sent as Stripe-Version on v2 Accounts calls. */
  STRIPE_V2_API_VERSION: apiVersion.default(DEFAULT_STRIPE_V2_API_VERSION),
  TRUST_PROXY: trustProxy.default(false),
  /** The built-in demo partner and /demo; on by default only when the upstream is a sandbox. */
  DEMO: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  PARTNER_KEYS: partnerKeys.optional(),
  TOKEN_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  STRIPE_MAX_RPS: positiveInt.default(20),
  /** Upstream call bounds: per HTTP attempt, retries after the first, and the whole call. */
  STRIPE_TIMEOUT_MS: positiveInt.default(10_000),
  STRIPE_MAX_RETRIES: z.coerce
    .number({ error: 'must be an integer from 0 to 10' })
    .int({ error: 'must be an integer from 0 to 10' })
    .min(0, { error: 'must be an integer from 0 to 10' })
    .max(10, { error: 'must be an integer from 0 to 10' })
    .default(2),
  STRIPE_DEADLINE_MS: positiveInt.default(30_000),
  /**
   * HTTP timeouts (src/transport/http/http-timeouts.ts): request headers, the whole request received (headers and
   * body: a slow body is cut), and the whole request answered.
   */
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  HTTP_BODY_TIMEOUT_MS: positiveInt.default(30_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(90_000),
  /** `jit`: graphql-jit compiled queries; `graphql-js`: Apollo's own execution (for comparison). */
  GRAPHQL_EXECUTOR: z.enum(['jit', 'graphql-js']).default('jit'),
  /**
   * `on`: operations Apollo Server has already accepted once run on the gateway's fast lane
   * (src/transport/http/fast-lane.ts; needs GRAPHQL_EXECUTOR=jit); `off`: every request goes through Apollo Server.
   */
  GRAPHQL_FAST_LANE: z.enum(['on', 'off']).default('on'),
  /**
   * `on`: the fast lane keeps whole answers of read-only queries while every Stripe read they came from is
   * still current (src/transport/graphql/response-cache.ts); only with the in-process read cache (no REDIS_URL).
   */
  GRAPHQL_RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  /**
   * Origins allowed to open WebSockets and call with credentials; `*` allows any. Unset: `*` outside production,
   * none in production (only requests without an Origin and the gateway's own pages): docs/deploying.md.
   */
  ALLOWED_ORIGINS: z.string().optional(),
  /** Hosts (comma-separated) a session's returnUrl may point to; empty allows any https host. */
  RETURN_URL_HOSTS: z.string().default(''),
  // Query limits shared by HTTP and WebSocket (src/transport/graphql/limits/limits.ts); starting numbers from docs/security-catalogue.md.
  GRAPHQL_MAX_DEPTH: positiveInt.default(8),
  GRAPHQL_MAX_ALIASES: positiveInt.default(15),
  GRAPHQL_MAX_DIRECTIVES: positiveInt.default(50),
  GRAPHQL_MAX_TOKENS: positiveInt.default(2000),
  GRAPHQL_MAX_COST: positiveInt.default(5000),
  GRAPHQL_MAX_STRIPE_CALLS: positiveInt.default(50),
  GRAPHQL_MAX_QUERY_LENGTH: positiveInt.default(32768),
  WS_MAX_SUBSCRIPTIONS: positiveInt.default(20),
  /** Operations per caller (partner key or customer token) per minute, HTTP and WebSocket together. */
  RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
  /**
   * Operations per partner per minute, its key and all its customer tokens together (tokens cannot multiply it).
   * Unset: ten callers' worth (10 × RATE_LIMIT_PER_MINUTE), so raising the per-caller limit raises it too.
   */
  PARTNER_RATE_LIMIT_PER_MINUTE: positiveInt.optional(),
  AUTH_FAILURES_PER_MINUTE: positiveInt.default(30),
  /** WebSocket connections one partner (its key and its customer tokens together) may hold open on one instance. */
  WS_MAX_CONNECTIONS_PER_PARTNER: positiveInt.default(100),
  // Partner webhooks (src/services/partner-webhooks): private/loopback URLs only when explicitly allowed.
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  WEBHOOK_ATTEMPT_TIMEOUT_MS: positiveInt.default(10_000),
  /** First retry delay; doubles per attempt (with jitter) up to WEBHOOK_RETRY_MAX_MS. */
  WEBHOOK_RETRY_BASE_MS: positiveInt.default(30_000),
  WEBHOOK_RETRY_MAX_MS: positiveInt.default(3_600_000),
  /** How long an event is retried, and how long an endpoint may fail before it is disabled (3 days). */
  WEBHOOK_RETRY_WINDOW_MS: positiveInt.default(3 * 24 * 3_600_000),
  WEBHOOK_CONCURRENCY: positiveInt.default(32),
  // Payments followed until they settle (src/services/live/payment-follow-up.ts): the first look after confirm,
  // the cap of the doubling delay between looks, and how long a payment is followed at most.
  PAYMENT_FOLLOW_UP_INITIAL_DELAY_MS: positiveInt.default(60_000),
  PAYMENT_FOLLOW_UP_MAX_DELAY_MS: positiveInt.default(3_600_000),
  PAYMENT_FOLLOW_UP_WINDOW_MS: positiveInt.default(7 * 24 * 3_600_000),
});

/** The public partner the demo acts as when PARTNER_KEYS is unset. */
export const DEMO_PARTNER = { partnerId: 'demo', apiKey: 'demo_partner_key' } as const;

/** Why a gateway whose upstream is Stripe has no partner at all. */
export const NO_PARTNER_WITH_STRIPE =
  'Invalid PARTNER_KEYS: required when the upstream is Stripe (DEMO=true enables the public demo partner)';

/**
 * Validates `env` and derives the settings that depend on each other.
 * @throws {ConfigError} listing every bad variable, one per line, never echoing a secret value.
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `Invalid ${String(issue.path[0] ?? 'setting')}: ${issue.message}`),
    );
  }
  const c = result.data;
  const problems: string[] = [];

  // No key and no base → the embedded sandbox is the upstream (see README "Modes").
  const sandboxMode = !c.STRIPE_SECRET_KEY && !c.STRIPE_API_BASE;
  const embeddedSandboxUrl = `http://127.0.0.1:${c.SANDBOX_PORT}`;
  const stripeApiBase = c.STRIPE_API_BASE ?? (sandboxMode ? embeddedSandboxUrl : undefined);
  const stripeSecretKey = c.STRIPE_SECRET_KEY ?? 'sk_test_sandbox';

  // The built-in demo partner and /demo mint customer tokens for anyone: against a real Stripe account, or under a
  // real partner (PARTNER_KEYS), they would act for it, so without DEMO they are on only for the built-in demo
  // partner when the upstream turns out to be our sandbox (checked at start-up by
  // services/stripe/upstream-identity.ts: a STRIPE_API_BASE may be Stripe behind a proxy). Never in production.
  const demo: 'on' | 'off' | 'if-sandbox' =
    c.NODE_ENV === 'production' || c.DEMO === 'false'
      ? 'off'
      : c.DEMO === 'true'
        ? 'on'
        : c.PARTNER_KEYS
          ? 'off' // /demo would mint tokens for anyone under the first real partner: only with DEMO=true
          : c.STRIPE_SECRET_KEY && !c.STRIPE_API_BASE
            ? 'off' // Stripe itself
            : 'if-sandbox';
  if (c.DEMO === 'true' && c.NODE_ENV === 'production') {
    problems.push(
      'Invalid DEMO: never on with NODE_ENV=production (a public partner key, tokens for anyone)',
    );
  }

  let partners = c.PARTNER_KEYS;
  if (!partners) {
    if (demo !== 'off') {
      partners = [DEMO_PARTNER];
    } else if (c.NODE_ENV === 'production') {
      problems.push('Invalid PARTNER_KEYS: required when NODE_ENV=production');
    } else {
      problems.push(NO_PARTNER_WITH_STRIPE);
    }
  }
  if (!c.TOKEN_SECRET && c.NODE_ENV === 'production') {
    problems.push('Invalid TOKEN_SECRET: required when NODE_ENV=production');
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    nodeEnv: c.NODE_ENV,
    production: c.NODE_ENV === 'production',
    metrics: { token: c.METRICS_TOKEN, port: c.METRICS_PORT },
    logLevel: c.LOG_LEVEL,
    port: c.PORT,
    host: c.HOST,
    sandboxMode,
    sandboxPort: c.SANDBOX_PORT,
    /** The built-in demo partner (when PARTNER_KEYS is unset) and /demo. */
    demo,
    trustProxy: c.TRUST_PROXY,
    stripe: {
      secretKey: stripeSecretKey,
      /** Undefined means api.stripe.com. */
      apiBase: stripeApiBase,
      webhookSecret: c.STRIPE_WEBHOOK_SECRET,
      publishableKey: c.STRIPE_PUBLISHABLE_KEY,
      maxRps: c.STRIPE_MAX_RPS,
      timeoutMs: c.STRIPE_TIMEOUT_MS,
      maxRetries: c.STRIPE_MAX_RETRIES,
      deadlineMs: c.STRIPE_DEADLINE_MS,
      apiVersion: c.STRIPE_API_VERSION,
      v2ApiVersion: c.STRIPE_V2_API_VERSION,
    },
    graphql: {
      executor: c.GRAPHQL_EXECUTOR,
      fastLane: c.GRAPHQL_FAST_LANE === 'on' && c.GRAPHQL_EXECUTOR === 'jit',
      responseCache:
        c.GRAPHQL_RESPONSE_CACHE === 'on' &&
        c.GRAPHQL_FAST_LANE === 'on' &&
        c.GRAPHQL_EXECUTOR === 'jit' &&
        !c.REDIS_URL,
    },
    httpTimeouts: {
      headersMs: c.HTTP_HEADERS_TIMEOUT_MS,
      bodyMs: c.HTTP_BODY_TIMEOUT_MS,
      requestMs: c.HTTP_REQUEST_TIMEOUT_MS,
    },
    redisUrl: c.REDIS_URL,
    partners: partners! as { partnerId: string; apiKey: string }[],
    /** A random per-process secret when unset outside production: tokens then die with the process. */
    tokenSecret: c.TOKEN_SECRET,
    // Why no origin by default in production: a customer token in a page of any site could otherwise call the
    // gateway; servers send no Origin and the gateway's own pages are same-origin, so both keep working.
    allowedOrigins: (c.ALLOWED_ORIGINS ?? (c.NODE_ENV === 'production' ? '' : '*'))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    limits: {
      maxDepth: c.GRAPHQL_MAX_DEPTH,
      maxAliases: c.GRAPHQL_MAX_ALIASES,
      maxDirectives: c.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: c.GRAPHQL_MAX_TOKENS,
      maxCost: c.GRAPHQL_MAX_COST,
      maxStripeCalls: c.GRAPHQL_MAX_STRIPE_CALLS,
      maxQueryLength: c.GRAPHQL_MAX_QUERY_LENGTH,
      maxSubscriptionsPerSocket: c.WS_MAX_SUBSCRIPTIONS,
    },
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    partnerRateLimitPerMinute: c.PARTNER_RATE_LIMIT_PER_MINUTE ?? 10 * c.RATE_LIMIT_PER_MINUTE,
    wsMaxConnectionsPerPartner: c.WS_MAX_CONNECTIONS_PER_PARTNER,
    authFailuresPerMinute: c.AUTH_FAILURES_PER_MINUTE,
    partnerWebhooks: {
      allowPrivateUrls: c.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
      attemptTimeoutMs: c.WEBHOOK_ATTEMPT_TIMEOUT_MS,
      retryBaseMs: c.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: c.WEBHOOK_RETRY_MAX_MS,
      retryWindowMs: c.WEBHOOK_RETRY_WINDOW_MS,
      concurrency: c.WEBHOOK_CONCURRENCY,
    },
    paymentFollowUp: {
      initialDelayMs: c.PAYMENT_FOLLOW_UP_INITIAL_DELAY_MS,
      maxDelayMs: c.PAYMENT_FOLLOW_UP_MAX_DELAY_MS,
      windowMs: c.PAYMENT_FOLLOW_UP_WINDOW_MS,
    },
    returnUrlHosts: c.RETURN_URL_HOSTS.split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  };
}
