// Security headers of the HTML pages the gateway serves (GraphQL IDE, demo app): a strict CSP naming each origin.
import type { FastifyReply } from 'fastify';

export interface PagePolicy {
  /** Origins besides our own allowed to serve scripts (the sandbox's or Stripe's Stripe.js). */
  scriptOrigins?: string[];
  /** Origins allowed in iframes (the hosted linking flow). */
  frameOrigins?: string[];
  /** Origins besides our own the page may call. */
  connectOrigins?: string[];
}

/**
 * The Content-Security-Policy of our pages. Why 'unsafe-inline' for styles only: Monaco (GraphiQL) and the sandbox's
 * overlay set inline styles; no inline script runs anywhere (the page settings are a JSON <script> that never runs).
 */
function contentSecurityPolicy(policy: PagePolicy = {}): string {
  const list = (extra: string[] = []) => ["'self'", ...extra].join(' ');
  return [
    "default-src 'self'",
    `script-src ${list(policy.scriptOrigins)}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src ${list(policy.connectOrigins)}`,
    `frame-src ${policy.frameOrigins?.length ? policy.frameOrigins.join(' ') : "'none'"}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Sets the page headers on a reply (HTML only; the API's JSON responses do not need them). */
export function setPageHeaders(reply: FastifyReply, policy: PagePolicy = {}): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', contentSecurityPolicy(policy))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}
