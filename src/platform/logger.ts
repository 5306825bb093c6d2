// Structured logging (pino) that never writes a secret: known secret fields are
// censored by path, and every string is scrubbed of secret-shaped substrings.
import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Secrets recognisable by their own format, scrubbed wherever they appear (logs and error messages).
 * Why pattern scrubbing as well as path redaction: secrets reach logs inside
 * free text (a Stripe error message quoting a key, a URL with a token), where
 * pino's path-based `redact` cannot see them.
 */
const SECRET_PATTERNS: RegExp[] = [
  /\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9_]+/g, // Stripe API keys
  /\bwhsec_[A-Za-z0-9+/=_-]+/g, // webhook signing secrets (base64, base64url or Stripe's)
  /\b[A-Za-z0-9]+_[A-Za-z0-9]+_secret_[A-Za-z0-9_]+/g, // client secrets (fcsess_…_secret_…, pi_…_secret_…)
  /\b[A-Za-z0-9]*_client_secret_[A-Za-z0-9_]+/g,
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, // JWTs (customer tokens)
];

/**
 * Logs only: whatever follows "Bearer" (a partner key has no format of its own). Not applied to what a client
 * reads: there the only such text is the gateway's own wording ("Authorization: Bearer credential"), which the
 * pattern cannot tell from a key.
 */
const LOG_ONLY_PATTERNS: RegExp[] = [/\bBearer\s+[^\s"',]+/gi];

const REDACTED = '[REDACTED]';

/** Returns `text` with every substring shaped like a known secret format replaced. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) out = out.replace(re, REDACTED);
  return out;
}

/** `scrubSecrets` plus the log-only patterns. */
function scrubLogText(text: string): string {
  let out = scrubSecrets(text);
  for (const re of LOG_ONLY_PATTERNS) out = out.replace(re, REDACTED);
  return out;
}

const SECRET_KEYS =
  /^(authorization|cookie|set-cookie|client_secret|clientsecret|secret|token|apikey|api_key|password|stripe-signature|secretkey|tokensecret|webhooksecret)$/i;

/**
 * Deep copy of `value` with secret fields censored and strings scrubbed. Cycles become "[Circular]".
 * @param scrub `scrubSecrets` for what a client reads (the default), `scrubLogText` for logs
 */
export function redactValue(
  value: unknown,
  scrub: (text: string) => string = scrubSecrets,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, scrub, seen));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrub(value.message),
      stack: value.stack ? scrub(value.stack) : undefined,
      ...(redactValue({ ...value }, scrub, seen) as object),
    };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.test(k) ? REDACTED : redactValue(v, scrub, seen);
  }
  return out;
}

const redactForLog = (value: unknown) => redactValue(value, scrubLogText);

/**
 * Creates the process logger.
 * @param level pino level; `silent` in tests unless LOG_LEVEL says otherwise.
 * @param destination where lines go; tests pass a stream to scan output for secrets.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log: (obj) => redactForLog(obj) as Record<string, unknown>,
    },
    hooks: {
      // The message string is scrubbed too (formatters.log sees only the object).
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubLogText(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    serializers: { err: (e: unknown) => redactForLog(e) },
  };
  return destination ? pino(options, destination) : pino(options);
}
