// The one door every Stripe GET of the gateway goes through, scoped to one tenant (partner).
// Today a pass-through; issue 8 puts the cross-request cache and in-flight de-duplication behind it.

/**
 * Reads of Stripe objects for one partner. `key` names the object or list call exactly
 * (e.g. `fca:fca_123`, `txns:fca_123:{"limit":10}`); two callers with the same key and tenant
 * may share one upstream call and one cached result. Writes call `invalidate` for what they change.
 */
export interface StripeReads {
  get<T>(key: string, fetch: () => Promise<T>): Promise<T>;
  /** Forget `key` (exact) or every key starting with `prefix*`. */
  invalidate(key: string): Promise<void>;
}

/** Process-wide store behind the per-tenant views. */
export interface StripeReadStore {
  forTenant(partnerId: string): StripeReads;
}

/** No caching, no sharing: every get is an upstream call (the per-request DataLoaders still dedupe). */
export function createPassThroughReadStore(): StripeReadStore {
  const reads: StripeReads = {
    get: (_key, fetch) => fetch(),
    invalidate: async () => undefined,
  };
  return { forTenant: () => reads };
}
