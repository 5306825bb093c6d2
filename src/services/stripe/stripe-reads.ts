// The one door every Stripe GET of the gateway goes through, scoped to one tenant (partner): a cross-request
// cache (in-process LRU, or Redis when REDIS_URL is set) with short per-resource TTLs and in-flight de-duplication.
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';

/**
 * Reads of Stripe objects for one partner. `key` names the object or list call exactly
 * (e.g. `fca:fca_123`, `txns:fca_123:{"limit":10}`); two callers with the same key and tenant
 * may share one upstream call and one cached result. Writes call `invalidate` for what they change.
 */
export interface StripeReads {
  get<T>(key: string, fetch: () => Promise<T>): Promise<T>;
  /**
   * Stores `value` under `key` as if a `get` had fetched it: for objects that arrived embedded in
   * another response (`expand[]`), so a later read of the object itself costs no request.
   */
  prime(key: string, value: unknown): Promise<void>;
  /**
   * The value cached under `key` now, or undefined (a remembered "no such object" too): never calls Stripe, counts
   * no metrics. With the in-process store a hit is the very object `get` returned, so a caller can tell whether
   * what it read is still current (transport/response-cache.ts).
   */
  peek<T>(key: string): Promise<T | undefined>;
  /** Forget `key` (exact) or every key starting with `prefix*`. */
  invalidate(key: string): Promise<void>;
}

/** Process-wide store behind the per-tenant views. */
export interface StripeReadStore {
  forTenant(partnerId: string): StripeReads;
  /**
   * Forget `key` or `prefix*` for every tenant. For events that arrive without a tenant
   * (webhooks, the refresh poller): `fca:fca_123*` after that account's refresh completes.
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

export const resourceOf = (key: string): string => {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
};

export interface StripeReadStoreOptions {
  metrics?: Metrics;
  log?: Logger;
  /** Shared cache across instances; absent → in-process LRU. */
  redis?: Redis;
  /** LRU capacity in Stripe objects (a list page counts as one). @default 20000 */
  maxEntries?: number;
  /** Per-resource overrides of {@link DEFAULT_POLICIES}. */
  policies?: Record<string, ResourcePolicy>;
  /** @default 'fcgw:c:' */
  redisPrefix?: string;
}

/** Where cached values live; errors from it mean "not cached", never a failed query. */
interface Backend {
  get(fullKey: string): Promise<unknown>;
  set(fullKey: string, value: unknown, ttlMs: number): Promise<void>;
  /** `pattern` is a full key, or a full-key prefix when `prefix` is true; tenant may be '*' (all). */
  delete(tenant: string, key: string, prefix: boolean): Promise<void>;
  close(): Promise<void>;
}

const MISS = Symbol('miss');

function lruBackend(maxEntries: number): Backend {
  // Values are the parsed objects themselves (no copy): a hit costs a Map lookup, not a JSON parse.
  // Services treat Stripe objects as read-only (the loaders' mappers build new objects).
  const lru = new LRUCache<string, { v: unknown }>({ max: maxEntries, ttlAutopurge: false });
  return {
    get: async (k) => {
      const e = lru.get(k);
      return e ? e.v : MISS;
    },
    set: async (k, v, ttl) => {
      lru.set(k, { v }, { ttl });
    },
    delete: async (tenant, key, prefix) => {
      if (tenant !== '*' && !prefix) {
        lru.delete(`${tenant}\u0000${key}`);
        return;
      }
      for (const k of [...lru.keys()]) {
        const sep = k.indexOf('\u0000');
        if (tenant !== '*' && k.slice(0, sep) !== tenant) continue;
        const rest = k.slice(sep + 1);
        if (prefix ? rest.startsWith(key) : rest === key) lru.delete(k);
      }
    },
    close: async () => lru.clear(),
  };
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * The object a key belongs to (its first two segments, `fca:fca_123` for `fca:fca_123:{"expand":…}`), or null
 * for a prefix too short to name one (`fca:`), which only a SCAN can match.
 */
function objectOf(key: string, prefix: boolean): string | null {
  const first = key.indexOf(':');
  if (first < 0) return prefix ? null : key;
  const second = key.indexOf(':', first + 1);
  if (second < 0) return prefix ? null : key;
  return key.slice(0, second);
}

/**
 * Why an index per object instead of SCAN: invalidations run for every Stripe webhook and completion (for all
 * tenants), and a SCAN walks the whole keyspace, which the queue and delivery log share (bench/partner-webhooks.ts:
 * thousands of SCAN calls per event once the log held tens of thousands of keys). Each cached key is added to
 * its object's set in the same MULTI as the SET; the set lives as long as the longest-lived key in it.
 */
function redisBackend(redis: Redis, redisPrefix: string, maxTtlMs: number): Backend {
  const full = (tenant: string, key: string) => `${redisPrefix}${tenant}:${key}`;
  // `~` is not in a tenant id, so an index never shares a name with a cached key.
  const indexOf = (object: string) => `${redisPrefix}~idx:${object}`;
  return {
    get: async (k) => {
      const text = await redis.get(`${redisPrefix}${k.replace('\u0000', ':')}`);
      return text === null ? MISS : JSON.parse(text);
    },
    set: async (k, v, ttl) => {
      const sep = k.indexOf('\u0000');
      const key = `${redisPrefix}${k.slice(0, sep)}:${k.slice(sep + 1)}`;
      const index = indexOf(objectOf(k.slice(sep + 1), false)!);
      await redis
        .multi()
        .set(key, JSON.stringify(v), 'PX', ttl)
        .sadd(index, key)
        .pexpire(index, maxTtlMs)
        .exec();
    },
    delete: async (tenant, key, prefix) => {
      if (tenant !== '*' && !prefix) {
        await redis.del(full(tenant, key));
        return;
      }
      const object = objectOf(key, prefix);
      if (object !== null) {
        const index = indexOf(object);
        const matching = (await redis.smembers(index)).filter((member) => {
          const rest = member.slice(redisPrefix.length);
          const sep = rest.indexOf(':');
          if (tenant !== '*' && rest.slice(0, sep) !== tenant) return false;
          const cached = rest.slice(sep + 1);
          return prefix ? cached.startsWith(key) : cached === key;
        });
        if (matching.length)
          await redis
            .multi()
            .del(...matching)
            .srem(index, ...matching)
            .exec();
        return;
      }
      // Tenant ids are [A-Za-z0-9_-] (config), so `*` for the tenant never spans a `:`.
      const pattern = `${globEscape(redisPrefix)}${tenant === '*' ? '*' : globEscape(tenant)}:${globEscape(key)}${prefix ? '*' : ''}`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    },
    close: async () => undefined,
  };
}

/**
 * The cross-request store. Tenancy: every cache and in-flight key starts with the partner id, so a
 * value fetched for one partner is never served to another — even for the same Stripe id (the
 * ownership checks then run on each tenant's own copy).
 */
export function createStripeReadStore(options: StripeReadStoreOptions = {}): StripeReadStore {
  const policies = { ...DEFAULT_POLICIES, ...options.policies };
  const maxTtlMs = Math.max(FALLBACK_POLICY.ttlMs, ...Object.values(policies).map((p) => p.ttlMs));
  const backend = options.redis
    ? redisBackend(options.redis, options.redisPrefix ?? 'fcgw:c:', maxTtlMs)
    : lruBackend(options.maxEntries ?? 20_000);
  const inflight = new Map<string, Promise<unknown>>();
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

  const invalidate = async (tenant: string, key: string) => {
    generation += 1;
    const prefix = key.endsWith('*');
    const bare = prefix ? key.slice(0, -1) : key;
    for (const k of [...inflight.keys()]) {
      const sep = k.indexOf('\u0000');
      if (tenant !== '*' && k.slice(0, sep) !== tenant) continue;
      const rest = k.slice(sep + 1);
      if (prefix ? rest.startsWith(bare) : rest === bare) inflight.delete(k);
    }
    try {
      await backend.delete(tenant, bare, prefix);
    } catch (error) {
      warn(error, 'invalidate');
    }
  };

  const forTenant = (tenant: string): StripeReads => ({
    async get<T>(key: string, fetch: () => Promise<T>): Promise<T> {
      const full = `${tenant}\u0000${key}`;
      const resource = resourceOf(key);
      const joined = inflight.get(full);
      if (joined) {
        options.metrics?.cacheLookups.inc({ resource, result: 'hit' });
        return joined as Promise<T>;
      }
      let cached: unknown = MISS;
      try {
        cached = await backend.get(full);
      } catch (error) {
        warn(error, 'read');
      }
      if (cached !== MISS) {
        options.metrics?.cacheLookups.inc({ resource, result: 'hit' });
        if (isMissingMarker(cached)) throw missingError(cached);
        return cached as T;
      }
      // Another caller may have started the same fetch while the backend answered.
      const raced = inflight.get(full);
      if (raced) {
        options.metrics?.cacheLookups.inc({ resource, result: 'hit' });
        return raced as Promise<T>;
      }
      options.metrics?.cacheLookups.inc({ resource, result: 'miss' });
      const startedAt = generation;
      const policy = policies[resource] ?? FALLBACK_POLICY;
      const call: Promise<T> = fetch().then(
        (value) => {
          // Waiters get the value now; the entry stays in flight until the backend holds it, so
          // a caller arriving meanwhile joins this call instead of missing a slow Redis write.
          const keep = generation === startedAt && (policy.cacheable?.(value) ?? true);
          const stored = keep
            ? backend.set(full, value, policy.ttlMs).catch((error: unknown) => warn(error, 'write'))
            : Promise.resolve();
          void stored.then(() => {
            if (inflight.get(full) === call) inflight.delete(full);
          });
          return value;
        },
        (error: unknown) => {
          // Failures are never cached (the next caller after this one's waiters tries again),
          // except Stripe's "no such object", remembered briefly (NEGATIVE_TTL_MS).
          const remember =
            isMissingError(error) && generation === startedAt
              ? backend
                  .set(
                    full,
                    { __stripeMissing: { code: error.code, param: error.param } } satisfies MissingMarker,
                    Math.min(NEGATIVE_TTL_MS, policy.ttlMs),
                  )
                  .catch((e: unknown) => warn(e, 'write'))
              : Promise.resolve();
          void remember.then(() => {
            if (inflight.get(full) === call) inflight.delete(full);
          });
          throw error;
        },
      );
      inflight.set(full, call);
      return call;
    },
    async prime(key: string, value: unknown): Promise<void> {
      const full = `${tenant}\u0000${key}`;
      // A fetch of the same key in flight will store its own (equally fresh) copy.
      if (inflight.has(full)) return;
      const policy = policies[resourceOf(key)] ?? FALLBACK_POLICY;
      if (!(policy.cacheable?.(value) ?? true)) return;
      try {
        await backend.set(full, value, policy.ttlMs);
      } catch (error) {
        warn(error, 'write');
      }
    },
    async peek<T>(key: string): Promise<T | undefined> {
      try {
        const cached = await backend.get(`${tenant}\u0000${key}`);
        return cached === MISS || isMissingMarker(cached) ? undefined : (cached as T);
      } catch (error) {
        warn(error, 'read');
        return undefined;
      }
    },
    invalidate: (key) => invalidate(tenant, key),
  });

  return {
    forTenant,
    invalidateAllTenants: (key) => invalidate('*', key),
    close: () => backend.close(),
  };
}
