// The one door every Stripe GET of the gateway goes through, scoped to one tenant (partner): a cross-request
// cache (read-cache-backends.ts: in-process LRU; with REDIS_URL, read-cache-two-level.ts: in process in front of Redis)
// with short per-resource TTLs and in-flight de-duplication.
import Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import { parseInvalidation, resourceOf, targetCovers, type CacheTarget } from './cache-keys';
import {
  fullKeyOf,
  lruReadCache,
  MISS,
  splitFullKey,
  type Cached,
  type ReadCache,
} from './read-cache-backends';

export { resourceOf };

/**
 * Reads of Stripe objects for one partner. `key` names the object or list call exactly
 * (e.g. `fca:fca_123`, `txns:fca_123:{"limit":10}`); two callers with the same key and tenant
 * may share one upstream call and one cached result. Writes call `invalidate` for what they change.
 */
export interface StripeReads {
  /**
   * The cached value, else `fetch()`'s. On a hit late in the entry's life `fetch` is also called, in the background,
   * to replace the entry before it expires (refresh ahead): its caller may be long done by then, so whatever `fetch`
   * wants cached besides its value (embedded objects) it must prime itself, from what it fetched.
   */
  get<T>(key: string, fetch: () => Promise<T>): Promise<T>;
  /**
   * Stores `value` under `key` as if a `get` had fetched it: for objects that arrived embedded in
   * another response (`expand[]`), so a later read of the object itself costs no request.
   */
  prime(key: string, value: unknown): Promise<void>;
  /**
   * The value cached under `key` now, or undefined (a remembered "no such object" too): never calls Stripe, counts
   * no metrics. With the in-process store a hit is the very object `get` returned, so a caller can tell whether
   * what it read is still current (transport/graphql/response-cache.ts).
   */
  peek<T>(key: string): Promise<T | undefined>;
  /**
   * As `peek`, but undefined also while the entry is due for a refresh ahead of its expiry that no `get` has
   * started yet: a caller that answers from cached values without a `get` (transport/graphql/response-cache.ts) then runs
   * one, which starts the refresh, instead of serving until the entry expires and then waiting for Stripe.
   */
  peekFresh<T>(key: string): Promise<T | undefined>;
  /**
   * `peek` (or, with `fresh`, `peekFresh`) answered synchronously from this process's memory, or {@link NOT_HERE}
   * when only an asynchronous read can tell (no in-process level, or its copy is missing or bypassed). Why: a kept
   * answer (transport/graphql/response-cache.ts) checks every read it was built from on each hit; a promise per
   * read was most of the cost of serving it.
   */
  peekHere<T>(key: string, fresh: boolean): T | undefined | typeof NOT_HERE;
  /**
   * Forget `key` (exact), or every key of one object (`<resource>:<object>:*`), as cache-keys.ts builds them.
   * @throws CacheKeyError (rejects) for a pattern outside that grammar
   */
  invalidate(key: string): Promise<void>;
}

/** {@link StripeReads.peekHere}'s "ask asynchronously". */
export const NOT_HERE = Symbol('not in this process');

/** Process-wide store behind the per-tenant views. */
export interface StripeReadStore {
  forTenant(partnerId: string): StripeReads;
  /**
   * Forget `key` or `<resource>:<object>:*` for every tenant. For events that arrive without a tenant
   * (webhooks, the refresh poller): `fca:fca_123:*` after that account's refresh completes. Tests and benchmarks
   * may also forget a whole resource (`fca:*`) or everything (`*`).
   */
  invalidateAllTenants(key: string): Promise<void>;
  close(): Promise<void>;
}

/** No caching, no sharing: every get is an upstream call (the per-request DataLoaders still dedupe). */
export function createPassThroughReadStore(): StripeReadStore {
  const reads: StripeReads = {
    get: (_key, fetch) => fetch(),
    prime: async () => undefined,
    peek: async () => undefined,
    peekFresh: async () => undefined,
    peekHere: () => undefined,
    invalidate: async () => undefined,
  };
  return {
    forTenant: () => reads,
    invalidateAllTenants: async () => undefined,
    close: async () => undefined,
  };
}

/** A resource's cache policy: how long its objects live, and which values may be kept at all. */
interface ResourcePolicy {
  ttlMs: number;
  /** False: served to this call's waiters but not kept (e.g. a session that can still gain accounts). */
  cacheable?: (value: unknown) => boolean;
}

/**
 * Why these TTLs: each is short enough that data changed outside the gateway (a link completed in
 * Stripe.js, a payment settling) shows within seconds even if its webhook is lost, and long enough
 * that a dashboard reloaded by many users costs Stripe one call per object per TTL. Events
 * (refresh completed, account created, the gateway's own writes) invalidate sooner.
 * The resource is the key's prefix up to the first `:`.
 */
const DEFAULT_POLICIES: Record<string, ResourcePolicy> = {
  fca: { ttlMs: 30_000 },
  fcas: { ttlMs: 10_000 },
  owners: { ttlMs: 60_000 },
  txns: { ttlMs: 30_000 },
  fctxn: { ttlMs: 60_000 },
  cus: { ttlMs: 60_000 },
  acct: { ttlMs: 60_000 },
  cussearch: { ttlMs: 5_000 },
  // A session gains its accounts when the user finishes linking, outside the gateway: only a
  // session that already has them is final enough to keep.
  fcsess: {
    ttlMs: 60_000,
    cacheable: (v) => ((v as { accounts?: { data?: unknown[] } })?.accounts?.data?.length ?? 0) > 0,
  },
  pi: { ttlMs: 2_000 },
  seti: { ttlMs: 2_000 },
  // Saved bank accounts change on the gateway's writes and on payment_method.* / mandate.updated events,
  // which invalidate them; a debit reads its method and mandate fresh (payment-methods.service.ts).
  pm: { ttlMs: 10_000 },
  pms: { ttlMs: 10_000 },
  mandate: { ttlMs: 10_000 },
  setis: { ttlMs: 10_000 },
};
const FALLBACK_POLICY: ResourcePolicy = { ttlMs: 5_000 };

/**
 * Negative cache: Stripe's "no such object" (404 `resource_missing`) for one tenant's key is kept this
 * long, so repeating a missing id costs no Stripe call. Why short: an id is missing only until its
 * object exists (an account linked a moment later); ids are random, so a miss is rarely retried for
 * long in good faith. Kept per tenant like every other entry.
 */
export const NEGATIVE_TTL_MS = 10_000;

/**
 * Refresh ahead: a hit in the last 20% of its resource's TTL starts the fetch that replaces the entry, in the
 * background, and is served the cached value. Why: a hot entry otherwise expires under load, and every request
 * of the next burst waits for Stripe (hundreds of ms); 20% of a 10 s TTL leaves 2 s for the call, retries included.
 */
export const REFRESH_AHEAD_FRACTION = 0.2;

/** The stored form of a "no such object" answer (JSON-safe, so it crosses Redis). */
interface MissingMarker {
  __stripeMissing: { code?: string; param?: string; type?: string };
}
const isMissingError = (error: unknown): error is Stripe.errors.StripeError =>
  error instanceof Stripe.errors.StripeError &&
  (error.statusCode === 404 || error.code === 'resource_missing');
const isMissingMarker = (value: unknown): value is MissingMarker =>
  typeof value === 'object' && value !== null && '__stripeMissing' in value;
/** Re-raises a remembered miss as the error Stripe sent (its message text is not kept). */
const missingError = (marker: MissingMarker) =>
  new Stripe.errors.StripeInvalidRequestError({
    type: 'invalid_request_error',
    message: 'No such object.',
    statusCode: 404,
    code: marker.__stripeMissing.code ?? 'resource_missing',
    param: marker.__stripeMissing.param,
  });

export interface StripeReadStoreOptions {
  metrics?: Metrics;
  log?: Logger;
  /** Where values live (read-cache-backends.ts). @default lruReadCache() (this process) */
  cache?: ReadCache;
  /** Per-resource overrides of {@link DEFAULT_POLICIES}. */
  policies?: Record<string, ResourcePolicy>;
  /** Milliseconds on a monotonic clock: the in-process entries' expiry and the refresh-ahead window. @default performance.now */
  now?: () => number;
}

/**
 * The cross-request store. Tenancy: every cache and in-flight key starts with the partner id, so a
 * value fetched for one partner is never served to another — even for the same Stripe id (the
 * ownership checks then run on each tenant's own copy).
 */
export function createStripeReadStore(options: StripeReadStoreOptions = {}): StripeReadStore {
  const policies = { ...DEFAULT_POLICIES, ...options.policies };
  const maxTtlMs = Math.max(FALLBACK_POLICY.ttlMs, ...Object.values(policies).map((p) => p.ttlMs));
  const now = options.now ?? (() => performance.now());
  const backend = (options.cache ?? lruReadCache())({ maxTtlMs, now });
  /** Upstream calls under way, by full key; `refresh`: started by a hit, while the entry is still served. */
  const inflight = new Map<string, { call: Promise<unknown>; refresh: boolean }>();
  /**
   * Entries whose refresh failed or was not kept, until they expire: one attempt per entry, so a Stripe outage or
   * a rate limit is not met with a refresh per hit (the entry just expires, as it would without refresh ahead).
   */
  const refreshFailed = new Map<string, number>();
  /**
   * Bumped by every invalidation. A fetch that started before an invalidation of its key may
   * return data older than the write that caused it: it is served to its waiters but not cached.
   */
  let generation = 0;
  let lastWarn = 0;
  const warn = (error: unknown, what: string) => {
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    options.log?.warn(
      { err: (error as Error)?.message },
      `Stripe read cache unavailable (${what}); serving uncached`,
    );
  };
  let lastRefreshWarn = 0;
  // Stripe's error type and code only: no key (a search key holds the query) and no message text.
  const warnRefresh = (error: unknown, resource: string) => {
    if (Date.now() - lastRefreshWarn < 10_000) return;
    lastRefreshWarn = Date.now();
    const e = error as Partial<Stripe.errors.StripeError>;
    options.log?.warn(
      { resource, type: e?.type, code: e?.code, statusCode: e?.statusCode },
      'Stripe read cache: refresh ahead of expiry failed; the entry expires on time',
    );
  };

  /**
   * What an invalidation does to this store's own state, whichever instance made it: fetches under way started
   * before it, so their results are served to their waiters but not kept (`generation`), and later callers do not
   * join them. Calls in flight are few (one per key being fetched), so they are walked.
   */
  const forgetInFlight = (tenant: string, target: CacheTarget) => {
    generation += 1;
    for (const k of [...inflight.keys()]) {
      const parts = splitFullKey(k);
      if ((tenant === '*' || parts.tenant === tenant) && targetCovers(target, parts.key)) inflight.delete(k);
    }
  };
  const invalidate = async (tenant: string, pattern: string) => {
    const target = parseInvalidation(pattern);
    forgetInFlight(tenant, target);
    try {
      await backend.delete(tenant, target);
    } catch (error) {
      warn(error, 'invalidate');
    }
  };
  backend.onRemoteInvalidation?.(forgetInFlight);

  const policyOf = (resource: string) => policies[resource] ?? FALLBACK_POLICY;

  /** Whether the hit `cached` (of `full`) should start its refresh ahead of expiry now. */
  const refreshDue = (full: string, resource: string, cached: Cached): boolean => {
    if (isMissingMarker(cached.v) || inflight.has(full)) return false;
    const t = now();
    if (cached.expiresAt - t > policyOf(resource).ttlMs * REFRESH_AHEAD_FRACTION) return false;
    const failedUntil = refreshFailed.get(full);
    if (failedUntil === undefined) return true;
    if (t < failedUntil) return false;
    refreshFailed.delete(full);
    return true;
  };
  const markRefreshFailed = (full: string, expiresAt: number) => {
    // Bounded: expired marks are dropped when seen again; past this size, all of them (costing a retry at most).
    if (refreshFailed.size >= 10_000) refreshFailed.clear();
    refreshFailed.set(full, expiresAt);
  };

  /**
   * The upstream call for `full`, registered in flight until its result is stored. A refresh differs from a miss
   * only in what a failure leaves: nothing (not even a "no such object" marker; the old entry expires on time),
   * and it hears through `refresh.notKept` when its result was not stored or the call failed.
   */
  const startFetch = <T>(
    full: string,
    resource: string,
    fetch: () => Promise<T>,
    refresh?: { notKept: (error?: unknown) => void },
  ) => {
    const startedAt = generation;
    const policy = policyOf(resource);
    const call: Promise<T> = fetch().then(
      (value) => {
        // Waiters get the value now; the entry stays in flight until the backend holds it, so
        // a caller arriving meanwhile joins this call instead of missing a slow Redis write.
        const keep = generation === startedAt && (policy.cacheable?.(value) ?? true);
        if (!keep) refresh?.notKept();
        const stored = keep
          ? backend.set(full, value, policy.ttlMs).catch((error: unknown) => warn(error, 'write'))
          : Promise.resolve();
        void stored.then(() => {
          if (inflight.get(full)?.call === call) inflight.delete(full);
        });
        return value;
      },
      (error: unknown) => {
        // Failures are never cached (the next caller after this one's waiters tries again),
        // except Stripe's "no such object", remembered briefly (NEGATIVE_TTL_MS).
        refresh?.notKept(error);
        const remember =
          !refresh && isMissingError(error) && generation === startedAt
            ? backend
                .set(
                  full,
                  { __stripeMissing: { code: error.code, param: error.param } } satisfies MissingMarker,
                  Math.min(NEGATIVE_TTL_MS, policy.ttlMs),
                )
                .catch((e: unknown) => warn(e, 'write'))
            : Promise.resolve();
        void remember.then(() => {
          if (inflight.get(full)?.call === call) inflight.delete(full);
        });
        throw error;
      },
    );
    inflight.set(full, { call, refresh: refresh !== undefined });
    return call;
  };

  /** Starts the refresh of a due hit; it never rejects anywhere (a caller that joined it gets its own copy). */
  const refreshAhead = (full: string, resource: string, cached: Cached, fetch: () => Promise<unknown>) => {
    const notKept = (error?: unknown) => {
      markRefreshFailed(full, cached.expiresAt);
      if (error !== undefined) warnRefresh(error, resource);
    };
    try {
      startFetch(full, resource, fetch, { notKept }).catch(() => undefined);
    } catch (error) {
      notKept(error); // a fetch that throws before returning its promise
    }
  };

  const readBackend = async (full: string): Promise<Cached | typeof MISS> => {
    try {
      return await backend.get(full);
    } catch (error) {
      warn(error, 'read');
      return MISS;
    }
  };

  const forTenant = (tenant: string): StripeReads => {
    /**
     * The full keys this view's peeks built. Why: a kept answer (response-cache.ts) peeks the same keys through the
     * view it was recorded with on every hit, and building a key anew (and hashing it) cost ~8× the look-up itself.
     */
    const peeked = new Map<string, { full: string; resource: string }>();
    const peekedKey = (key: string) => {
      let known = peeked.get(key);
      if (known === undefined)
        peeked.set(key, (known = { full: fullKeyOf(tenant, key), resource: resourceOf(key) }));
      return known;
    };
    return {
      async get<T>(key: string, fetch: () => Promise<T>): Promise<T> {
        const full = fullKeyOf(tenant, key);
        const resource = resourceOf(key);
        const joined = inflight.get(full);
        // A refresh in flight leaves the entry being served: read it rather than wait for Stripe.
        if (joined && !joined.refresh) {
          options.metrics?.cacheLookups.inc({ resource, result: 'hit' });
          return joined.call as Promise<T>;
        }
        let cached = await readBackend(full);
        if (cached !== MISS && backend.getShared && refreshDue(full, resource, cached)) {
          // This instance's copy is due: another instance may have refreshed the shared one already (one Stripe call
          // per entry per TTL for all instances, not one per instance).
          const current = await backend.getShared(full).catch((): typeof MISS => MISS);
          if (current !== MISS) cached = current;
        }
        if (cached !== MISS) {
          options.metrics?.cacheLookups.inc({ resource, result: 'hit' });
          if (isMissingMarker(cached.v)) throw missingError(cached.v);
          if (refreshDue(full, resource, cached)) refreshAhead(full, resource, cached, fetch);
          return cached.v as T;
        }
        // Another caller may have started the same fetch while the backend answered (or the entry
        // expired while its refresh was under way).
        const raced = inflight.get(full);
        if (raced) {
          options.metrics?.cacheLookups.inc({ resource, result: 'hit' });
          return raced.call as Promise<T>;
        }
        options.metrics?.cacheLookups.inc({ resource, result: 'miss' });
        return startFetch(full, resource, fetch);
      },
      async prime(key: string, value: unknown): Promise<void> {
        const full = fullKeyOf(tenant, key);
        // A fetch of the same key in flight will store its own (equally fresh) copy.
        if (inflight.has(full)) return;
        const policy = policyOf(resourceOf(key));
        if (!(policy.cacheable?.(value) ?? true)) return;
        try {
          await backend.set(full, value, policy.ttlMs);
        } catch (error) {
          warn(error, 'write');
        }
      },
      async peek<T>(key: string): Promise<T | undefined> {
        const cached = await readBackend(peekedKey(key).full);
        return cached === MISS || isMissingMarker(cached.v) ? undefined : (cached.v as T);
      },
      async peekFresh<T>(key: string): Promise<T | undefined> {
        const { full, resource } = peekedKey(key);
        const cached = await readBackend(full);
        if (cached === MISS || isMissingMarker(cached.v) || refreshDue(full, resource, cached))
          return undefined;
        return cached.v as T;
      },
      peekHere<T>(key: string, fresh: boolean): T | undefined | typeof NOT_HERE {
        if (!backend.getLocal) return NOT_HERE;
        const { full, resource } = peekedKey(key);
        let cached: Cached | typeof MISS | undefined;
        try {
          cached = backend.getLocal(full);
        } catch (error) {
          warn(error, 'read');
          return undefined;
        }
        if (cached === undefined) return NOT_HERE;
        if (cached === MISS || isMissingMarker(cached.v)) return undefined;
        if (fresh && refreshDue(full, resource, cached)) return undefined;
        return cached.v as T;
      },
      invalidate: (key) => invalidate(tenant, key),
    };
  };

  return {
    forTenant,
    invalidateAllTenants: (key) => invalidate('*', key),
    close: () => backend.close(),
  };
}
