// Every setting the gateway reads from the environment, validated once at start-up.
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

const port = z.coerce
  .number({ error: 'must be a port number (1-65535)' })
  .int({ error: 'must be a port number (1-65535)' })
  .min(0, { error: 'must be a port number (1-65535)' })
  .max(65535, { error: 'must be a port number (1-65535)' });

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

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(4000),
  /** /metrics protection (src/transport/metrics-route.ts): a Bearer token, and/or a separate port. */
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
   * HTTP timeouts (src/transport/http-timeouts.ts): request headers, the whole request received (headers and
   * body: a slow body is cut), and the whole request answered.
   */
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  HTTP_BODY_TIMEOUT_MS: positiveInt.default(30_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(90_000),
  /** `jit`: graphql-jit compiled queries; `graphql-js`: Apollo's own execution (for comparison). */
  GRAPHQL_EXECUTOR: z.enum(['jit', 'graphql-js']).default('jit'),
  /** Origins allowed to open WebSockets and call with credentials; `*` allows any. */
  ALLOWED_ORIGINS: z.string().default('*'),
  /** Hosts (comma-separated) a session's returnUrl may point to; empty allows any https host. */
  RETURN_URL_HOSTS: z.string().default(''),
  // Query limits shared by HTTP and WebSocket (src/transport/limits.ts); starting numbers from docs/security-catalogue.md.
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
  AUTH_FAILURES_PER_MINUTE: positiveInt.default(30),
});

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

  let partners = c.PARTNER_KEYS;
  if (!partners) {
    if (sandboxMode || c.NODE_ENV !== 'production') {
      partners = [{ partnerId: 'demo', apiKey: 'demo_partner_key' }];
    } else {
      problems.push('Invalid PARTNER_KEYS: required when NODE_ENV=production');
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
    },
    graphql: {
      executor: c.GRAPHQL_EXECUTOR,
    },
    httpTimeouts: {
      headersMs: c.HTTP_HEADERS_TIMEOUT_MS,
      bodyMs: c.HTTP_BODY_TIMEOUT_MS,
      requestMs: c.HTTP_REQUEST_TIMEOUT_MS,
    },
    redisUrl: c.REDIS_URL,
    partners: partners!,
    /** A random per-process secret when unset outside production: tokens then die with the process. */
    tokenSecret: c.TOKEN_SECRET,
    allowedOrigins: c.ALLOWED_ORIGINS.split(',')
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
    authFailuresPerMinute: c.AUTH_FAILURES_PER_MINUTE,
    returnUrlHosts: c.RETURN_URL_HOSTS.split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  };
}
