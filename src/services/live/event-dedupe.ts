// Remembers which webhook events and completions were already handled, and the newest event time per object.
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

/**
 * Why 4 days: Stripe retries a live-mode delivery for up to 3 days (docs/stripe-facts.md §3); an event id must
 * be remembered for longer than any retry of it can arrive (docs/security-catalogue.md WH4).
 */
const DEDUPE_TTL_SECONDS = 4 * 24 * 3600;

/** The de-duplication store is unreachable: the caller must not process (the webhook answers 503). */
export class DedupeUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`de-duplication store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DedupeUnavailableError';
  }
}

export interface EventDedupe {
  /**
   * Claims `key` (an event id or a completion key) for `ttlSeconds`. Exactly one caller across all
   * instances sharing the store gets `true`; every later (or concurrent) caller gets `false`.
   * @throws {DedupeUnavailableError} when the store cannot answer: never treat that as "new".
   */
  claim(key: string, ttlSeconds?: number): Promise<boolean>;
  /**
   * The order guard. Records `created` (unix seconds) as the newest time seen for `objectId` and
   * returns true, unless a strictly newer time is already recorded (then false, nothing changes).
   * Equal times pass: Stripe's `created` has one-second resolution, and two different events for one
   * object in the same second (balance and ownership refreshes) are both real.
   * @throws {DedupeUnavailableError}
   */
  advance(objectId: string, created: number): Promise<boolean>;
  /** True when the store can answer right now. */
  ready(): boolean;
}

/** In-process store: bounded (oldest keys are forgotten first past `maxKeys`), per instance only. */
export function createMemoryDedupe(options: { maxKeys?: number } = {}): EventDedupe {
  const max = options.maxKeys ?? 200_000;
  const claims = new LRUCache<string, true>({ max, ttl: DEDUPE_TTL_SECONDS * 1000, ttlAutopurge: false });
  const newest = new LRUCache<string, number>({ max, ttl: DEDUPE_TTL_SECONDS * 1000 });
  return {
    async claim(key, ttlSeconds = DEDUPE_TTL_SECONDS) {
      if (claims.has(key)) return false;
      claims.set(key, true, { ttl: ttlSeconds * 1000 });
      return true;
    },
    async advance(objectId, created) {
      const seen = newest.get(objectId);
      if (seen !== undefined && seen > created) return false;
      newest.set(objectId, created);
      return true;
    },
    ready: () => true,
  };
}

/** Keeps the larger of the stored and the given time; 0 when the stored one is strictly newer. */
const ADVANCE_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`;

/** Shared store: `SET NX EX` for claims, one atomic Lua script for the order guard. */
export function createRedisDedupe(redis: Redis, options: { prefix?: string } = {}): EventDedupe {
  const prefix = options.prefix ?? 'fcgw:';
  const wrap = async <T>(op: () => Promise<T>): Promise<T> => {
    if (redis.status !== 'ready') throw new DedupeUnavailableError(`redis ${redis.status}`);
    try {
      return await op();
    } catch (e) {
      throw new DedupeUnavailableError(e);
    }
  };
  return {
    claim: (key, ttlSeconds = DEDUPE_TTL_SECONDS) =>
      wrap(async () => (await redis.set(`${prefix}claim:${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK'),
    advance: (objectId, created) =>
      wrap(
        async () =>
          (await redis.eval(
            ADVANCE_LUA,
            1,
            `${prefix}newest:${objectId}`,
            String(created),
            DEDUPE_TTL_SECONDS,
          )) === 1,
      ),
    ready: () => redis.status === 'ready',
  };
}
