// The Stripe request budget shared by every gateway instance: a token bucket at STRIPE_MAX_RPS (Redis when set).
import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';

/**
 * One token per HTTP attempt to Stripe. `acquire` waits for the caller's slot (bursts queue, they
 * do not fail) unless the slot lies beyond `maxWaitMs`, in which case it takes nothing and
 * returns `false` so the caller can fail within its own deadline.
 */
export interface RateBudget {
  /** Resolves true once a token is taken; false (no token taken) when the wait would exceed `maxWaitMs`. */
  acquire(maxWaitMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface RateBudgetOptions {
  /** Tokens per second (STRIPE_MAX_RPS). */
  ratePerSecond: number;
  metrics?: Metrics;
  /** Shared bucket across instances; absent → in-process bucket. */
  redis?: Redis;
  /** Redis key prefix of the shared bucket. @default 'fcgw:stripe-budget' */
  redisKey?: string;
  log?: Logger;
}

// Timers have whole-millisecond resolution and may fire up to 1 ms early against performance.now().
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(ms) + 1));

/**
 * Spacing between tokens. Why 2% slower than 1/R: a request spaced exactly 1/R after another can
 * reach Stripe a few ms closer to it (timer rounding, network jitter) and land R+1 requests in one
 * second as Stripe counts it; the margin absorbs ~20 ms of jitter per second at any rate.
 *
 * Why the bucket holds a single token: with a capacity of C and rate R, any one-second window can
 * see C + R requests. The budget promises "never more than STRIPE_MAX_RPS in any second" (how
 * Stripe and the sandbox count), so requests are spaced 1/R apart; a queue still flows at R.
 */
export const tokenInterval = (ratePerSecond: number) => (1000 / ratePerSecond) * 1.02;

/**
 * Two steps. (1) Reserve: virtual scheduling (GCRA, the reservation form of a token bucket) gives
 * each caller the slot max(now, next) and moves `next` one interval on, so a burst queues in
 * arrival order without polling, and a caller whose slot lies beyond its deadline is refused
 * before it takes anything. (2) Confirm on waking: a timer that fires late would bunch the grants
 * after it, so a grant also waits until one interval after the previous *actual* grant. Together:
 * consecutive grants are always at least one interval apart.
 */
export function createLocalRateBudget(options: RateBudgetOptions): RateBudget {
  const interval = tokenInterval(options.ratePerSecond);
  let next = 0;
  let lastGrant = -Infinity;
  return {
    async acquire(maxWaitMs) {
      const start = performance.now();
      const slot = Math.max(start, next);
      if (slot - start > maxWaitMs) return false;
      next = slot + interval;
      if (slot > start) await sleep(slot - start);
      for (;;) {
        const now = performance.now();
        const gap = lastGrant + interval - now;
        if (gap <= 0) {
          lastGrant = now;
          break;
        }
        await sleep(gap);
      }
      options.metrics?.rateBudgetWaits.observe((performance.now() - start) / 1000);
      return true;
    },
    close: async () => undefined,
  };
}

/**
 * The same two steps in Redis, each atomic in one Lua script on the server's clock (instances'
 * clocks may disagree; Redis's is the one clock they share).
 * RESERVE returns the wait in ms, or -1 when it would exceed ARGV[2] (nothing reserved).
 */
const RESERVE_LUA = `
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextAt)
local wait = slot - now
if wait > maxWait then return -1 end
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', math.ceil(wait + interval + 1000))
return tostring(wait)
`;
/** CONFIRM returns 0 and records the grant, or the ms still to wait after the previous actual grant. */
const CONFIRM_LUA = `
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local gap = last + interval - now
if gap > 0 then return tostring(gap) end
redis.call('SET', KEYS[1], tostring(now), 'PX', math.ceil(interval + 1000))
return '0'
`;

/**
 * Redis-backed budget shared by all instances. When Redis cannot answer (down, slow), the
 * instance falls back to its own in-process bucket at the same rate: Stripe keeps being
 * protected per instance, and queries keep working (never fail a query for the budget's sake).
 */
export function createRedisRateBudget(options: RateBudgetOptions & { redis: Redis }): RateBudget {
  const interval = tokenInterval(options.ratePerSecond);
  const key = options.redisKey ?? 'fcgw:stripe-budget';
  const fallback = createLocalRateBudget({ ...options, metrics: undefined });
  let warned = 0;
  // Why wait for the first connection: a fresh instance's commands fail until Redis is connected
  // (no offline queue), and falling back then would let every starting instance send at the full
  // rate at once. Only an outage after the first connection falls back without waiting.
  let everReady = options.redis.status === 'ready';
  const firstReady = new Promise<void>((resolve) => {
    if (everReady) return resolve();
    options.redis.once('ready', () => {
      everReady = true;
      resolve();
    });
  });
  const usable = async (maxWaitMs: number): Promise<boolean> => {
    if (options.redis.status === 'ready') return true;
    if (everReady) return false;
    let timer: NodeJS.Timeout | undefined;
    const ready = await Promise.race([
      firstReady.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.min(2_000, maxWaitMs));
      }),
    ]);
    clearTimeout(timer);
    return ready;
  };
  return {
    async acquire(maxWaitMs) {
      const start = performance.now();
      try {
        if (!(await usable(maxWaitMs))) throw new Error('Redis is not connected');
        const wait = Number(await options.redis.eval(RESERVE_LUA, 1, `${key}:next`, interval, maxWaitMs));
        if (wait < 0) return false;
        if (wait > 0) await sleep(wait);
        for (;;) {
          const gap = Number(await options.redis.eval(CONFIRM_LUA, 1, `${key}:last`, interval));
          if (gap <= 0) break;
          await sleep(gap);
        }
      } catch (error) {
        if (Date.now() - warned > 10_000) {
          warned = Date.now();
          options.log?.warn(
            { err: (error as Error).message },
            'Stripe budget: Redis unavailable, using the in-process bucket',
          );
        }
        const remaining = maxWaitMs - (performance.now() - start);
        if (!(await fallback.acquire(Math.max(0, remaining)))) return false;
      }
      options.metrics?.rateBudgetWaits.observe((performance.now() - start) / 1000);
      return true;
    },
    close: async () => undefined,
  };
}

/** The budget for this process: shared through Redis when a client is given, else in-process. */
export function createRateBudget(options: RateBudgetOptions): RateBudget {
  return options.redis
    ? createRedisRateBudget({ ...options, redis: options.redis })
    : createLocalRateBudget(options);
}
