// Where the Stripe read cache (stripe-reads.ts) keeps its values: an in-process LRU, or Redis shared by every instance.
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** A cached value and when it expires, on the store's clock (`StripeReadStoreOptions.now`, stripe-reads.ts). */
export interface Cached {
  v: unknown;
  expiresAt: number;
}

/** Where cached values live; errors from it mean "not cached", never a failed query. */
export interface ReadCacheBackend {
  get(fullKey: string): Promise<Cached | typeof MISS>;
  set(fullKey: string, value: unknown, ttlMs: number): Promise<void>;
  /** `pattern` is a full key, or a full-key prefix when `prefix` is true; tenant may be '*' (all). */
  delete(tenant: string, key: string, prefix: boolean): Promise<void>;
  close(): Promise<void>;
}

export const MISS = Symbol('miss');

/** What a backend needs from its store: the longest TTL of any policy, and the store's clock. */
export interface ReadCacheSettings {
  maxTtlMs: number;
  now: () => number;
}

/** A backend, made by its store with the store's settings; chosen by the composition root (src/infrastructure.ts). */
export type ReadCache = (settings: ReadCacheSettings) => ReadCacheBackend;

/** In this process: an LRU of `maxEntries` Stripe objects (a list page counts as one). */
export function lruReadCache(maxEntries = 20_000): ReadCache {
  return ({ now }) => lruBackend(maxEntries, now);
}

/** Shared by every instance on the same Redis. */
export function redisReadCache(redis: Redis, redisPrefix = 'fcgw:c:'): ReadCache {
  return ({ maxTtlMs, now }) => redisBackend(redis, redisPrefix, maxTtlMs, now);
}

function lruBackend(maxEntries: number, now: () => number): ReadCacheBackend {
  // Values are the parsed objects themselves (no copy): a hit costs a Map lookup, not a JSON parse.
  // Services treat Stripe objects as read-only (the loaders' mappers build new objects).
  // Expiry is kept here, on the store's clock, rather than as lru-cache's TTL: one clock for expiry and refresh.
  const lru = new LRUCache<string, Cached>({ max: maxEntries });
  return {
    get: async (k) => {
      const e = lru.get(k);
      if (!e) return MISS;
      if (e.expiresAt > now()) return e;
      lru.delete(k);
      return MISS;
    },
    set: async (k, v, ttl) => {
      lru.set(k, { v, expiresAt: now() + ttl });
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
function redisBackend(
  redis: Redis,
  redisPrefix: string,
  maxTtlMs: number,
  now: () => number,
): ReadCacheBackend {
  const full = (tenant: string, key: string) => `${redisPrefix}${tenant}:${key}`;
  // `~` is not in a tenant id, so an index never shares a name with a cached key.
  const indexOf = (object: string) => `${redisPrefix}~idx:${object}`;
  return {
    get: async (k) => {
      const key = `${redisPrefix}${k.replace('\u0000', ':')}`;
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
