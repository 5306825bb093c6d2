// Every setting the gateway reads from the environment, validated once at start-up.
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { z } from 'zod';
import {
  apiVersion,
  encryptionKey,
  intFrom,
  partnerKeys,
  port,
  positiveInt,
  ratio,
  TRACES_SAMPLERS,
  trustProxy,
} from './config-values';

export type { TracesSampler, TrustProxy } from './config-values';

/** The gateway's configuration, after validation. */
export type Config = ReturnType<typeof parseConfig>;

/** Thrown by {@link parseConfig}: one line per bad variable, each naming it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * The preview version Stripe documents for v2 Accounts (`/v2/core/accounts`, `model: ACCOUNT`):
 * https://docs.stripe.com/accounts-v2/use-accounts-as-customers (preview users must send a preview version;
 * https://docs.stripe.com/changelog/dahlia/2026-04-22/accounts-v2-expanded-availability names 2026-04-22.preview).
 */
export const DEFAULT_STRIPE_V2_API_VERSION = '2026-04-22.preview';

// Each variable's `.describe()` text is its row in docs/configuration.md (src/docs/configuration-docs.ts renders
// it): say what it does in one or two sentences; longer explanations belong in that page's prose.
const schema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      '`production` turns off introspection, field suggestions and the demo app, and requires `PARTNER_KEYS` and `TOKEN_SECRET`',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level; logs are JSON on stdout, secrets redacted'),
  PORT: port.default(4000).describe('HTTP and WebSocket port (`0`: any free port, logged at start-up)'),
  METRICS_TOKEN: z
    .string()
    .min(16, { error: 'must be at least 16 characters' })
    .optional()
    .describe(
      'Bearer token `/metrics` requires (at least 16 characters; src/transport/http/metrics-route.ts)',
    ),
  METRICS_PORT: port
    .optional()
    .describe('serve `/metrics` on this port only; in production without it or `METRICS_TOKEN`: 404'),
  HOST: z.string().min(1).default('0.0.0.0').describe('interface to listen on'),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, { error: 'must look like sk_test_…, sk_live_… or rk_…' })
    .optional()
    .describe(
      'Stripe secret or restricted key; absent (and no `STRIPE_API_BASE`): the embedded sandbox is started and used',
    ),
  STRIPE_API_BASE: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe(
      'another upstream: a sandbox elsewhere (`http://127.0.0.1:12111`) or Stripe behind an egress proxy; it counts as the sandbox only when `GET /v1/test_helpers/sandbox` answers with its identity',
    ),
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9_]+$/, { error: 'must look like pk_test_… or pk_live_…' })
    .optional()
    .describe(
      '`pk_…` key the demo page (/demo) gives Stripe.js against real Stripe; sandboxes accept any `pk_`',
    ),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, { error: 'must look like whsec_…' })
    .optional()
    .describe(
      '`whsec_…` secret that signs webhooks to `/webhooks/stripe`; required in production against Stripe (src/app.ts)',
    ),
  SANDBOX_PORT: port.default(12111).describe('where the embedded sandbox (and `npm run sandbox`) listens'),
  STRIPE_API_VERSION: apiVersion
    .default(Stripe.API_VERSION)
    .describe('`Stripe-Version` of every v1 request (default: the one the installed stripe-node pins)'),
  STRIPE_V2_API_VERSION: apiVersion
    .default(DEFAULT_STRIPE_V2_API_VERSION)
    .describe('`Stripe-Version` of v2 Accounts calls (`model: ACCOUNT`), which need a preview version'),
  TRUST_PROXY: trustProxy
    .default(false)
    .describe(
      'whose `X-Forwarded-For` is believed (mandates, rate limits, logs): `false`, `true` (every hop), a hop count, or proxy addresses/CIDRs',
    ),
  DEMO: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .describe(
      'the public demo partner and `/demo` (tokens for anyone); unset: on only against a sandbox with `PARTNER_KEYS` unset; never in production',
    ),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional()
    .describe(
      'shared state for several instances (pub/sub, cache, rate limits, jobs, partner webhooks); absent: all in the process',
    ),
  PARTNER_KEYS: partnerKeys
    .optional()
    .describe(
      '`partnerId:apiKey` pairs, comma-separated (two pairs with one `partnerId` during a key rotation); absent: the demo partner when the demo is on',
    ),
  PARTNER_KEYS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'instead of `PARTNER_KEYS`: a file of the same pairs (commas or line breaks), read at start-up and again on `SIGHUP`',
    ),
  TOKEN_SECRET: z
    .string()
    .min(32, { error: 'must be at least 32 characters' })
    .optional()
    .describe(
      'HS256 secret (≥ 32 characters) of customer tokens and sync cursors; absent: random per process',
    ),
  TOKEN_SECRET_PREVIOUS: z
    .string()
    .min(32, { error: 'must be at least 32 characters' })
    .optional()
    .describe(
      'a second secret customer tokens and sync cursors are verified with, never signed with: a rotation of `TOKEN_SECRET` (docs/deploying.md)',
    ),
  PARTNER_SECRETS_KEY: encryptionKey
    .optional()
    .describe(
      'AES-256-GCM key (64 hex characters: `openssl rand -hex 32`) sealing partner webhook signing secrets in Redis',
    ),
  PARTNER_SECRETS_KEY_PREVIOUS: encryptionKey
    .optional()
    .describe(
      'a second key that opens sealed secrets, never seals; start-up seals them all again with `PARTNER_SECRETS_KEY` (a rotation: docs/deploying.md)',
    ),
  STRIPE_MAX_RPS: positiveInt
    .default(20)
    .describe(
      'Stripe requests per second for all instances together, shared max-min fairly between partners',
    ),
  STRIPE_TIMEOUT_MS: positiveInt.default(10_000).describe('one HTTP attempt to Stripe'),
  STRIPE_MAX_RETRIES: intFrom(0, 10)
    .default(2)
    .describe(
      'retries of 429s, retryable 5xx and dropped connections (POSTs only under their idempotency key)',
    ),
  STRIPE_DEADLINE_MS: positiveInt
    .default(30_000)
    .describe('one whole Stripe call, budget wait and retries included; past it: `UPSTREAM_UNAVAILABLE`'),
  // HTTP timeouts: src/transport/http/http-timeouts.ts.
  HTTP_HEADERS_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('request headers must arrive within it (408)'),
  HTTP_BODY_TIMEOUT_MS: positiveInt
    .default(30_000)
    .describe('the whole request, body included, must arrive within it: a slow body is cut (408)'),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt
    .default(90_000)
    .describe('a request not answered within it gets 503 `UPSTREAM_UNAVAILABLE`'),
  GRAPHQL_EXECUTOR: z
    .enum(['jit', 'graphql-js'])
    .default('jit')
    .describe('`jit`: graphql-jit compiled queries; `graphql-js`: Apollo Server’s own execution'),
  GRAPHQL_FAST_LANE: z
    .enum(['on', 'off'])
    .default('on')
    .describe(
      '`on`: operations Apollo Server accepted once run on the fast lane (src/transport/http/fast-lane.ts; needs `GRAPHQL_EXECUTOR=jit`)',
    ),
  GRAPHQL_RESPONSE_CACHE: z
    .enum(['on', 'off'])
    .default('on')
    .describe(
      '`on`: the fast lane keeps whole answers of read-only queries while their Stripe reads are current (in each instance; with `REDIS_URL`, dropped on every instance by the same invalidations as the read cache)',
    ),
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .describe(
      'browser origins allowed to call `/graphql` and open WebSockets, comma-separated; `*` any. Unset: `*` outside production, none in production',
    ),
  RETURN_URL_HOSTS: z
    .string()
    .default('')
    .describe('hosts (comma-separated) a session’s `returnUrl` may point to; empty: any https host'),
  // Query limits shared by HTTP and WebSocket (src/transport/graphql/limits/limits.ts); starting numbers from docs/security-catalogue.md.
  GRAPHQL_MAX_DEPTH: positiveInt.default(8).describe('deepest field nesting (fragments expanded)'),
  GRAPHQL_MAX_ALIASES: positiveInt
    .default(15)
    .describe('aliases per operation (each fragment spread counted)'),
  GRAPHQL_MAX_DIRECTIVES: positiveInt.default(50).describe('directives per operation'),
  GRAPHQL_MAX_TOKENS: positiveInt.default(2000).describe('lexical tokens; parsing stops at the limit'),
  GRAPHQL_MAX_COST: positiveInt
    .default(5000)
    .describe('list-aware cost: each field 1, a connection multiplies its subtree by its `first`'),
  GRAPHQL_MAX_STRIPE_CALLS: positiveInt
    .default(50)
    .describe('Stripe requests of one operation, estimated before it runs from each field’s `@Cost`'),
  GRAPHQL_MAX_QUERY_LENGTH: positiveInt
    .default(32768)
    .describe('characters of `query`, checked before parsing (413)'),
  WS_MAX_SUBSCRIPTIONS: positiveInt.default(20).describe('operations running at once on one WebSocket'),
  SUBSCRIPTION_RESUME_WINDOW_MS: intFrom(0, 3_600_000)
    .default(120_000)
    .describe(
      'how long a subscription whose socket closed (an expired token, a dropped network) may come back, with the same graphql-ws subscription id, and still receive every push made meanwhile; events are kept that long (in Redis with `REDIS_URL`); 0: off',
    ),
  RATE_LIMIT_PER_MINUTE: positiveInt
    .default(600)
    .describe(
      'operations per caller (a partner key or one customer token) per minute, HTTP and WebSocket together; with `REDIS_URL`, for all instances together (never more; refused at most a few points early, docs/redis.md)',
    ),
  PARTNER_RATE_LIMIT_PER_MINUTE: positiveInt
    .optional()
    .describe(
      'operations per partner per minute, its key and all its tokens together; unset: 10 × `RATE_LIMIT_PER_MINUTE`',
    ),
  AUTH_FAILURES_PER_MINUTE: positiveInt
    .default(30)
    .describe('failed authentications per minute per client address and per presented credential; then 429'),
  WS_MAX_CONNECTIONS_PER_PARTNER: positiveInt
    .default(100)
    .describe(
      'WebSockets one partner (key and tokens together) may hold open on one instance; then close 1013',
    ),
  // Partner webhooks (src/services/partner-webhooks): private/loopback URLs only when explicitly allowed.
  WEBHOOK_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .describe(
      '`true` lets partner webhook endpoints point at loopback and private addresses (development only)',
    ),
  WEBHOOK_ATTEMPT_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('one partner webhook delivery attempt (connect, send, response)'),
  WEBHOOK_RETRY_BASE_MS: positiveInt
    .default(30_000)
    .describe('first retry delay of a partner webhook; doubles per attempt (with jitter) up to the maximum'),
  WEBHOOK_RETRY_MAX_MS: positiveInt
    .default(3_600_000)
    .describe('longest delay between two delivery attempts'),
  WEBHOOK_RETRY_WINDOW_MS: positiveInt
    .default(3 * 24 * 3_600_000)
    .describe('how long an event is retried, and how long an endpoint may fail before it is disabled'),
  WEBHOOK_CONCURRENCY: positiveInt.default(32).describe('delivery attempts one instance runs at once'),
  // Payments followed until they settle: src/services/live/payment-follow-up.ts.
  PAYMENT_FOLLOW_UP_INITIAL_DELAY_MS: positiveInt
    .default(60_000)
    .describe('first look at a payment after this gateway confirmed it'),
  PAYMENT_FOLLOW_UP_MAX_DELAY_MS: positiveInt
    .default(3_600_000)
    .describe('cap of the doubling delay between two looks at a payment'),
  PAYMENT_FOLLOW_UP_WINDOW_MS: positiveInt
    .default(7 * 24 * 3_600_000)
    .describe('how long a payment is followed at most; giving up is logged'),
  // Traces (src/platform/tracing.ts, docs/tracing.md): OpenTelemetry's own variable names; off unless an endpoint is set.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe(
      'OTLP/HTTP collector (`http://collector:4318`): spans of GraphQL operations and Stripe calls go to its `/v1/traces`; unset (with the next one): no tracing',
    ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe('the full URL spans are sent to, taken as it is; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`'),
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .describe('`true`: no tracing even with an endpoint set'),
  OTEL_SERVICE_NAME: z.string().min(1).default('fc-graphql-gateway').describe('`service.name` of every span'),
  OTEL_TRACES_SAMPLER: z
    .enum(TRACES_SAMPLERS)
    .default('parentbased_always_on')
    .describe('which operations are traced (`traceidratio`: a share of them, `OTEL_TRACES_SAMPLER_ARG`)'),
  OTEL_TRACES_SAMPLER_ARG: ratio
    .default(1)
    .describe('share of traces kept by the `*traceidratio` samplers, from 0 to 1'),
});

/** Every variable with its `.describe()` text: what docs/configuration.md is generated from. */
export const CONFIG_SCHEMA = schema;

/** The public partner the demo acts as when PARTNER_KEYS is unset. */
export const DEMO_PARTNER = { partnerId: 'demo', apiKey: 'demo_partner_key' } as const;

/** Why a gateway whose upstream is Stripe has no partner at all. */
export const NO_PARTNER_WITH_STRIPE =
  'Invalid PARTNER_KEYS: required when the upstream is Stripe (DEMO=true enables the public demo partner)';

/**
 * The partners listed in the file PARTNER_KEYS_FILE names (start-up, and again on SIGHUP).
 * @throws {ConfigError} when the file cannot be read or an entry is malformed (never echoing a key).
 */
export function readPartnerKeysFile(file: string): { partnerId: string; apiKey: string }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([
      `Invalid PARTNER_KEYS_FILE: cannot read it (${(e as NodeJS.ErrnoException).code})`,
    ]);
  }
  const result = partnerKeys.safeParse(text);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `Invalid PARTNER_KEYS_FILE: ${issue.message}`));
  }
  return result.data;
}

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

  // No key and no base → the embedded sandbox is the upstream (docs/configuration.md, Modes).
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
        : c.PARTNER_KEYS || c.PARTNER_KEYS_FILE
          ? 'off' // /demo would mint tokens for anyone under the first real partner: only with DEMO=true
          : c.STRIPE_SECRET_KEY && !c.STRIPE_API_BASE
            ? 'off' // Stripe itself
            : 'if-sandbox';
  if (c.DEMO === 'true' && c.NODE_ENV === 'production') {
    problems.push(
      'Invalid DEMO: never on with NODE_ENV=production (a public partner key, tokens for anyone)',
    );
  }

  if (c.PARTNER_KEYS && c.PARTNER_KEYS_FILE) {
    problems.push('Invalid PARTNER_KEYS_FILE: set PARTNER_KEYS or PARTNER_KEYS_FILE, not both');
  }
  let partners =
    c.PARTNER_KEYS ?? (c.PARTNER_KEYS_FILE ? readPartnerKeysFile(c.PARTNER_KEYS_FILE) : undefined);
  if (!partners) {
    if (demo !== 'off') {
      partners = [DEMO_PARTNER];
    } else if (c.NODE_ENV === 'production') {
      problems.push('Invalid PARTNER_KEYS: required when NODE_ENV=production (or PARTNER_KEYS_FILE)');
    } else {
      problems.push(NO_PARTNER_WITH_STRIPE);
    }
  }
  if (!c.TOKEN_SECRET && c.NODE_ENV === 'production') {
    problems.push('Invalid TOKEN_SECRET: required when NODE_ENV=production');
  }
  if (c.TOKEN_SECRET_PREVIOUS && !c.TOKEN_SECRET) {
    problems.push(
      'Invalid TOKEN_SECRET_PREVIOUS: only with TOKEN_SECRET (it is the second secret of a rotation)',
    );
  }
  // Why required: the signing secrets of partner endpoints live only in Redis, and whoever reads a backup or a
  // replica could otherwise sign deliveries in the gateway's name.
  if (!c.PARTNER_SECRETS_KEY && c.REDIS_URL && c.NODE_ENV === 'production') {
    problems.push(
      'Invalid PARTNER_SECRETS_KEY: required when NODE_ENV=production with REDIS_URL (partner webhook secrets are encrypted in Redis)',
    );
  }
  if (c.PARTNER_SECRETS_KEY_PREVIOUS && !c.PARTNER_SECRETS_KEY) {
    problems.push(
      'Invalid PARTNER_SECRETS_KEY_PREVIOUS: only with PARTNER_SECRETS_KEY (it is the second key of a rotation)',
    );
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
        c.GRAPHQL_RESPONSE_CACHE === 'on' && c.GRAPHQL_FAST_LANE === 'on' && c.GRAPHQL_EXECUTOR === 'jit',
    },
    httpTimeouts: {
      headersMs: c.HTTP_HEADERS_TIMEOUT_MS,
      bodyMs: c.HTTP_BODY_TIMEOUT_MS,
      requestMs: c.HTTP_REQUEST_TIMEOUT_MS,
    },
    redisUrl: c.REDIS_URL,
    partners: partners! as { partnerId: string; apiKey: string }[],
    /** Re-read on SIGHUP (src/main.ts); partners then come from it alone. */
    partnerKeysFile: c.PARTNER_KEYS_FILE,
    /** A random per-process secret when unset outside production: tokens then die with the process. */
    tokenSecret: c.TOKEN_SECRET,
    /** Still accepted for verifying, during a rotation of TOKEN_SECRET. */
    tokenSecretPrevious: c.TOKEN_SECRET_PREVIOUS,
    /** Seals partner endpoints' signing secrets in Redis (the previous key only opens them). */
    partnerSecretsKeys: c.PARTNER_SECRETS_KEY
      ? { current: c.PARTNER_SECRETS_KEY, previous: c.PARTNER_SECRETS_KEY_PREVIOUS }
      : undefined,
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
    subscriptionResumeWindowMs: c.SUBSCRIPTION_RESUME_WINDOW_MS,
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
    /**
     * OpenTelemetry traces (platform/tracing.ts): `endpoint` is the URL spans are POSTed to, undefined when tracing
     * is off (no endpoint, or OTEL_SDK_DISABLED=true).
     */
    tracing: {
      endpoint:
        c.OTEL_SDK_DISABLED === 'true'
          ? undefined
          : (c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
            (c.OTEL_EXPORTER_OTLP_ENDPOINT
              ? `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
              : undefined)),
      serviceName: c.OTEL_SERVICE_NAME,
      sampler: c.OTEL_TRACES_SAMPLER,
      samplerRatio: c.OTEL_TRACES_SAMPLER_ARG,
    },
    returnUrlHosts: c.RETURN_URL_HOSTS.split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  };
}
