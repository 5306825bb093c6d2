// Who the upstream is: our sandbox only when it says so; anything else (api.stripe.com, or Stripe behind an
// egress proxy at STRIPE_API_BASE) is Stripe, in test or live mode by the key.
import type { Logger } from '../../platform/logger';

/** What the sandbox answers at GET /v1/test_helpers/sandbox (src/sandbox/routes/test-helpers.ts). */
const SANDBOX_IDENTITY = {
  path: '/v1/test_helpers/sandbox',
  object: 'sandbox',
  name: 'fc-graphql-gateway-sandbox',
};

export type UpstreamMode = 'sandbox' | 'stripe-test' | 'stripe-live';

/** The one start-up line's wording for each mode. */
export const UPSTREAM_MODE_LABEL: Record<UpstreamMode, string> = {
  sandbox: 'sandbox',
  'stripe-test': 'Stripe test mode',
  'stripe-live': 'Stripe live mode',
};

/**
 * Asks `apiBase` who it is. Without a base the upstream is api.stripe.com and nothing is sent. An upstream
 * that cannot be reached or answers anything but the sandbox's identity is Stripe: the safe reading, since
 * sandbox mode relaxes defaults (demo partner, webhook self-registration).
 */
export async function identifyUpstream(options: {
  apiBase: string | undefined;
  secretKey: string;
  timeoutMs: number;
  log: Logger;
}): Promise<UpstreamMode> {
  const stripeMode: UpstreamMode = /^(sk|rk)_live_/.test(options.secretKey) ? 'stripe-live' : 'stripe-test';
  if (!options.apiBase) return stripeMode;
  try {
    const response = await fetch(new URL(SANDBOX_IDENTITY.path, options.apiBase), {
      headers: { authorization: `Bearer ${options.secretKey}` },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) return stripeMode;
    const body = (await response.json().catch(() => null)) as { object?: unknown; name?: unknown } | null;
    return body?.object === SANDBOX_IDENTITY.object && body.name === SANDBOX_IDENTITY.name
      ? 'sandbox'
      : stripeMode;
  } catch (e) {
    options.log.warn(
      { reason: (e as Error).message },
      'could not ask STRIPE_API_BASE who it is; treating it as Stripe behind a proxy',
    );
    return stripeMode;
  }
}
