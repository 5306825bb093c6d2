// Where the Stripe read cache (stripe-reads.ts) keeps its values: an in-process LRU, or Redis shared by every instance
// (with REDIS_URL the gateway puts the LRU in front of it: read-cache-two-level.ts).
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { parseCacheKey, targetCovers, type CacheTarget } from './cache-keys';

/** A cached value and when it expires, on the store's clock (`StripeReadStoreOptions.now`, stripe-reads.ts). */
export interface Cached {
  v: unknown;
  expiresAt: number;
}

/** Where cached values live; errors from it mean "not cached", never a failed query. */
export interface ReadCacheBackend {
  /** `fullKey`: `<tenant>\u0000<key>` ({@link fullKeyOf}). */
  get(fullKey: string): Promise<Cached | typeof MISS>;
  /**
   * `get` answered from this process's memory, synchronously, or undefined when only `get` can tell (the entry is not
   * in this process, or the process's copies are bypassed). Absent: no in-process level (Redis alone).
   */
  getLocal?(fullKey: string): Cached | typeof MISS | undefined;
  /**
   * Two-level backends only: the entry as the shared level holds it now, replacing this instance's copy. The store
   * asks when its copy is due for a refresh ahead of expiry: another instance may have refreshed it already.
   */
  getShared?(fullKey: string): Promise<Cached | typeof MISS>;
  set(fullKey: string, value: unknown, ttlMs: number): Promise<void>;
  /** Forgets what `target` names, for one tenant or for every tenant (`'*'`). */
  delete(tenant: string, target: CacheTarget): Promise<void>;
  /**
   * Calls `fn` for each invalidation another instance made (two-level backends, read-cache-two-level.ts), after this
   * instance's copies are gone: the store then drops what it has in flight for them.
   */
  onRemoteInvalidation?(fn: (tenant: string, target: CacheTarget) => void): void;
  close(): Promise<void>;
}

/** The key a backend stores `key` of `tenant` under (tenant ids never hold `\u0000`). */
export const fullKeyOf = (tenant: string, key: string) => `${tenant}\u0000${key}`;
/** The tenant and key of a full key. */
export function splitFullKey(fullKey: string): { tenant: string; key: string } {
  const sep = fullKey.indexOf('\u0000');
  return { tenant: fullKey.slice(0, sep), key: fullKey.slice(sep + 1) };
}

export const MISS = Symbol('miss');

/** What a backend needs from its store: the longest TTL of any policy, and the store's clock. */
export interface ReadCacheSettings {
  maxTtlMs: number;
  now: () => number;
}

/** A backend, made by its store with the store's settings; chosen by the composition root (src/infrastructure.ts). */
export type ReadCache = (settings: ReadCacheSettings) => ReadCacheBackend;

/** Makes the LRU of an in-process backend (tests pass one that counts what an invalidation touches). */
export type LruFactory = (options: LRUCache.Options<string, Cached, unknown>) => LRUCache<string, Cached>;

/** In this process: an LRU of `maxEntries` Stripe objects (a list page counts as one). */
export function lruReadCache(maxEntries = 20_000, makeLru: LruFactory = (o) => new LRUCache(o)): ReadCache {
  return ({ now }) => lruBackend(maxEntries, now, makeLru);
}

/** Shared by every instance on the same Redis. */
export function redisReadCache(redis: Redis, redisPrefix = 'fcgw:c:'): ReadCache {
  return ({ maxTtlMs, now }) => redisBackend(redis, redisPrefix, maxTtlMs, now);
}

/**
 * Full keys by the object they belong to (cache-keys.ts `scope`), so forgetting an object costs its own keys only.
 * Why: every Stripe webhook forgets an account's keys for all tenants; walking a 20,000-entry LRU for it would be
 * ~80,000 string checks on the event loop per webhook.
 */
class ObjectIndex {
  private readonly byScope = new Map<string, Set<string>>();
  add(fullKey: string): void {
    const scope = parseCacheKey(splitFullKey(fullKey).key).scope;
    let keys = this.byScope.get(scope);
    if (!keys) this.byScope.set(scope, (keys = new Set()));
    keys.add(fullKey);
  }
  remove(fullKey: string): void {
    const scope = parseCacheKey(splitFullKey(fullKey).key).scope;
    const keys = this.byScope.get(scope);
    if (!keys?.delete(fullKey)) return;
    if (keys.size === 0) this.byScope.delete(scope);
  }
  /** The full keys of `scope` (a copy: deleting them changes the index). */
  keysOf(scope: string): string[] {
    return [...(this.byScope.get(scope) ?? [])];
  }
  clear(): void {
    this.byScope.clear();
  }
}

/** Whether the full key `fullKey` is one `target` names for `tenant` (`'*'`: any). */
export function fullKeyMatches(fullKey: string, tenant: string, target: CacheTarget): boolean {
  const parts = splitFullKey(fullKey);
  return (tenant === '*' || parts.tenant === tenant) && targetCovers(target, parts.key);
}

function lruBackend(maxEntries: number, now: () => number, makeLru: LruFactory): ReadCacheBackend {
  const index = new ObjectIndex();
  // Values are the parsed objects themselves (no copy): a hit costs a Map lookup, not a JSON parse.
  // Services treat Stripe objects as read-only (the loaders' mappers build new objects).
  // Expiry is kept here, on the store's clock, rather than as lru-cache's TTL: one clock for expiry and refresh.
  const lru = makeLru({
    max: maxEntries,
    // Evicted or deleted: out of the index too (a replaced value keeps its key, and its place in the index).
    dispose: (_value, key, reason) => {
      if (reason !== 'set') index.remove(key);
    },
  });
  const getLocal = (k: string): Cached | typeof MISS => {
    const e = lru.get(k);
    if (!e) return MISS;
    if (e.expiresAt > now()) return e;
    lru.delete(k);
    return MISS;
  };
  return {
    get: async (k) => getLocal(k),
    getLocal,
    set: async (k, v, ttl) => {
      if (!lru.has(k)) index.add(k);
      lru.set(k, { v, expiresAt: now() + ttl });
    },
    delete: async (tenant, target) => {
      if (target.kind === 'key' && tenant !== '*') {
        lru.delete(fullKeyOf(tenant, target.key));
        return;
      }
      if (target.kind === 'key' || target.kind === 'object') {
        for (const k of index.keysOf(target.scope)) if (fullKeyMatches(k, tenant, target)) lru.delete(k);
        return;
      }
      // A whole resource or everything (tests and benchmarks only): the one walk of every key.
      if (target.kind === 'all' && tenant === '*') {
        lru.clear();
        index.clear();
        return;
      }
      for (const k of [...lru.keys()]) if (fullKeyMatches(k, tenant, target)) lru.delete(k);
    },
    close: async () => {
      lru.clear();
      index.clear();
    },
  };
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * Why an index per object instead of SCAN: invalidations run for every Stripe webhook and completion (for all
 * tenants), and a SCAN walks the whole keyspace, which the queue and delivery log share (bench/partner-webhooks.ts:
 * thousands of SCAN calls per event once the log held tens of thousands of keys). Each cached key is added to
 * its object's set (cache-keys.ts `scope`) in the same MULTI as the SET; the set lives as long as the longest-lived
 * key in it. Every invalidation the gateway makes names a key or an object, so it reads one set and deletes what
 * it names: 2 round trips, never a SCAN. Only a whole resource or everything (tests and benchmarks) SCANs.
 */
function redisBackend(
  redis: Redis,
  redisPrefix: string,
  maxTtlMs: number,
  now: () => number,
): ReadCacheBackend {
  const redisKeyOf = (fullKey: string) => {
    const { tenant, key } = splitFullKey(fullKey);
    return `${redisPrefix}${tenant}:${key}`;
  };
  /** The full key (`<tenant>\u0000<key>`) of a Redis key; tenant ids are [A-Za-z0-9_-] (config): no `:`. */
  const fullKeyOfRedisKey = (redisKey: string) => {
    const rest = redisKey.slice(redisPrefix.length);
    const sep = rest.indexOf(':');
    return fullKeyOf(rest.slice(0, sep), rest.slice(sep + 1));
  };
  // `~` is not in a tenant id, so an index never shares a name with a cached key.
  const indexOf = (scope: string) => `${redisPrefix}~idx:${scope}`;
  return {
    get: async (k) => {
      const key = redisKeyOf(k);
      // One round trip. Not atomic: a key gone between the two reports -2, and its value (live when read) is
      // served once as due for refresh.
      const replies = await redis.pipeline().get(key).pttl(key).exec();
      if (!replies) throw new Error('Redis pipeline aborted');
      const [[getError, text], [ttlError, pttl]] = replies as [
        [Error | null, string | null],
        [Error | null, number],
      ];
      if (getError ?? ttlError) throw getError ?? ttlError;
      if (text === null) return MISS;
      return { v: JSON.parse(text), expiresAt: pttl === -1 ? Infinity : now() + Math.max(0, pttl) };
    },
    set: async (k, v, ttl) => {
      const key = redisKeyOf(k);
      const index = indexOf(parseCacheKey(splitFullKey(k).key).scope);
      await redis
        .multi()
        .set(key, JSON.stringify(v), 'PX', ttl)
        .sadd(index, key)
        .pexpire(index, maxTtlMs)
        .exec();
    },
    delete: async (tenant, target) => {
      if (target.kind === 'key' && tenant !== '*') {
        const key = redisKeyOf(fullKeyOf(tenant, target.key));
        await redis.multi().del(key).srem(indexOf(target.scope), key).exec();
        return;
      }
      if (target.kind === 'key' || target.kind === 'object') {
        const index = indexOf(target.scope);
        const matching = (await redis.smembers(index)).filter((member) =>
          fullKeyMatches(fullKeyOfRedisKey(member), tenant, target),
        );
        if (matching.length)
          await redis
            .multi()
            .del(...matching)
            .srem(index, ...matching)
            .exec();
        return;
      }
      // Tenant ids are [A-Za-z0-9_-] (config), so `*` for the tenant never spans a `:`.
      const what = target.kind === 'all' ? '*' : `${globEscape(target.resource)}:*`;
      const pattern = `${globEscape(redisPrefix)}${tenant === '*' ? '*' : globEscape(tenant)}:${what}`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        // Index sets (`~idx:`) match a `*` tenant too; they go with their keys.
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    },
    close: async () => undefined,
  };
}
