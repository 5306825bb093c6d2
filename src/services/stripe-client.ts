// The only module that imports 'stripe': builds the SDK client and counts every request it sends.
import Stripe from 'stripe';
import type { Metrics } from './metrics';

export { Stripe };

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 for the sandbox; undefined for api.stripe.com. */
  apiBase?: string;
  /** @default 10000 ms per attempt (security-catalogue: Stripe timeout 10 s) */
  timeoutMs?: number;
  /** @default 2, stripe-node's own default */
  maxNetworkRetries?: number;
  metrics: Metrics;
}

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
  stripe: Stripe;
  /** HTTP requests sent so far by this client, retries included. */
  requestCount(): number;
}

/**
 * Creates the SDK client. Counting hooks stripe-node's `response` event, which
 * fires once per HTTP attempt (so retries are counted, as Stripe counts them).
 */
export function createStripeClient(options: StripeClientOptions): StripeClient {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const stripe = new Stripe(options.secretKey, {
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
    timeout: options.timeoutMs ?? 10_000,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    telemetry: false,
    appInfo: { name: 'fc-graphql-gateway' },
  });
  let count = 0;
  stripe.on('response', (event: Stripe.ResponseEvent) => {
    count += 1;
    const route = routeTemplate(event.path);
    options.metrics.stripeRequests.inc({ method: event.method, route, status: String(event.status) });
    options.metrics.stripeRequestDuration.observe({ method: event.method, route }, event.elapsed / 1000);
  });
  return { stripe, requestCount: () => count };
}
