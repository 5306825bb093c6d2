// The value types of the gateway's environment variables (config.ts): each parses a string and names what it wants.
import proxyAddr from '@fastify/proxy-addr';
import { z } from 'zod';

/** 0 asks the system for any free port (tests start gateways that way), so the message names it. */
const PORT_MESSAGE = 'must be a port number (0-65535; 0: any free port)';
export const port = z.coerce
  .number({ error: PORT_MESSAGE })
  .int({ error: PORT_MESSAGE })
  .min(0, { error: PORT_MESSAGE })
  .max(65535, { error: PORT_MESSAGE });

export const positiveInt = z.coerce
  .number({ error: 'must be a positive integer' })
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });

/** `partnerId:apiKey` pairs separated by commas or line breaks (PARTNER_KEYS, or the file PARTNER_KEYS_FILE names). */
export const partnerKeys = z.string().transform((raw, ctx) => {
  const pairs = raw
    .split(/[,\n]/)
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

export const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
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
export const apiVersion = z.string().regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, {
  error: 'must look like 2026-08-26.dahlia (a date, then .name)',
});

/** An integer from `min` to `max`, the range named in the message. */
export const intFrom = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** A probability, 0 to 1 (OTEL_TRACES_SAMPLER_ARG). */
export const ratio = z.coerce
  .number({ error: 'must be a number from 0 to 1' })
  .min(0, { error: 'must be a number from 0 to 1' })
  .max(1, { error: 'must be a number from 0 to 1' });

/** The samplers OpenTelemetry's `OTEL_TRACES_SAMPLER` names (platform/tracing.ts builds them). */
export const TRACES_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];
/**
 * A 256-bit key: 64 hex characters (`openssl rand -hex 32`) or its base64 form (`openssl rand -base64 32`).
 * The message never echoes the value: it is a secret.
 */
export const encryptionKey = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
      ? Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64')
      : undefined;
  if (key?.length !== 32) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be 32 bytes as 64 hex characters (openssl rand -hex 32) or base64',
    });
    return z.NEVER;
  }
  return key;
});
