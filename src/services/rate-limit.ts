// Per-caller rate limit (operations per minute): in memory, or a Redis counter shared by every instance.
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import type { Caller } from './auth';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface CallerRateLimiter {
  /** Counts one operation for `caller`; says whether it may run and, if not, when to retry. */
  consume(caller: Caller): Promise<RateDecision>;
}

/** One bucket per partner key, one per customer token's customer (so one end user cannot starve a partner). */
export function rateKey(caller: Caller): string {
  return caller.kind === 'partner'
    ? `partner:${caller.partnerId}`
    : `customer:${caller.partnerId}:${caller.customerId}`;
}

const WINDOW_SECONDS = 60;
export const RATE_KEY_PREFIX = 'fcgw:rate';

/**
 * @param options.redis when given, counters live in Redis (keys `fcgw:rate:<caller>`), so every instance
 *   shares one budget per caller. Why an in-memory insurance limiter: while Redis is unreachable, limits
 *   keep applying per instance instead of failing open or failing every request.
 */
export function createCallerRateLimiter(options: {
  perMinute: number;
  /** A fail-fast command connection (no offline queue); its owner closes it. */
  redis?: Redis;
  log: Logger;
}): CallerRateLimiter {
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        points: options.perMinute,
        duration: WINDOW_SECONDS,
        keyPrefix: RATE_KEY_PREFIX,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: options.perMinute, duration: WINDOW_SECONDS }),
      })
    : new RateLimiterMemory({
        points: options.perMinute,
        duration: WINDOW_SECONDS,
        keyPrefix: RATE_KEY_PREFIX,
      });
  return {
    async consume(caller) {
      try {
        await limiter.consume(rateKey(caller), 1);
        return { allowed: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
        }
        // The store itself failed (and so did the insurance limiter): serve rather than fail every request.
        options.log.error({ err: e }, 'rate limiter failed; request allowed');
        return { allowed: true };
      }
    },
  };
}
