// Per-caller rate limit (operations per minute): in memory, or a Redis counter shared by every instance.
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../../platform/logger';
import type { Caller } from './auth';

type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface CallerRateLimiter {
  /** Counts one operation for `caller`; says whether it may run and, if not, when to retry. */
  consume(caller: Caller): Promise<RateDecision>;
}

/** One bucket per partner key, one per customer token's customer (so one end user cannot starve a partner). */
function rateKey(caller: Caller): string {
  return caller.kind === 'partner'
    ? `partner:${caller.partnerId}`
    : `customer:${caller.partnerId}:${caller.customerId}`;
}

const WINDOW_SECONDS = 60;
const RATE_KEY_PREFIX = 'fcgw:rate';
const AUTH_FAILURE_KEY_PREFIX = 'fcgw:authfail';

/**
 * `points` per minute per key. With `redis`, counters live there (keys `<keyPrefix>:<key>`), so every
 * instance shares one budget. Why an in-memory insurance limiter: while Redis is unreachable, limits keep
 * applying per instance instead of failing open or failing every request.
 */
function perMinuteLimiter(points: number, keyPrefix: string, redis: Redis | undefined): RateLimiterAbstract {
  return redis
    ? new RateLimiterRedis({
        storeClient: redis,
        points,
        duration: WINDOW_SECONDS,
        keyPrefix,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS }),
      })
    : new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix });
}

/** Whole seconds until a limiter lets the key through again (at least 1, for Retry-After). */
const secondsUntil = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));

interface LimiterOptions {
  perMinute: number;
  /** A fail-fast command connection (no offline queue) shared by every instance; its owner closes it. */
  redis?: Redis;
  log: Logger;
}

/** Operations per minute per caller; `options.redis` shares the budget across instances. */
export function createCallerRateLimiter(options: LimiterOptions): CallerRateLimiter {
  const limiter = perMinuteLimiter(options.perMinute, RATE_KEY_PREFIX, options.redis);
  return {
    async consume(caller) {
      try {
        await limiter.consume(rateKey(caller), 1);
        return { allowed: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: secondsUntil(e.msBeforeNext) };
        }
        // The store itself failed (and so did the insurance limiter): serve rather than fail every request.
        options.log.error({ err: e }, 'rate limiter failed; request allowed');
        return { allowed: true };
      }
    },
  };
}

/**
 * Failed authentications per client address and credential shape (auth.ts credentialShape). Why: the
 * per-caller limit only starts once a caller is known, so without this an anonymous client could try API
 * keys and tokens as fast as the gateway answers. A blocked (address, shape) gets 429 before its credential
 * is even checked, right or wrong; credentials of other shapes from the same address are unaffected, so a
 * client guessing behind a shared address does not lock out the valid keys there.
 */
export interface AuthFailureLimiter {
  /** When (`ip`, `shape`) is over its budget of failures, the seconds until it may try again; else null. */
  blockedFor(ip: string, shape: string): Promise<number | null>;
  /** Counts one failed authentication from `ip` with a credential of `shape`. */
  recordFailure(ip: string, shape: string): Promise<void>;
}

const failureKey = (ip: string, shape: string) => `${ip}|${shape}`;

export function createAuthFailureLimiter(options: LimiterOptions): AuthFailureLimiter {
  const limiter = perMinuteLimiter(options.perMinute, AUTH_FAILURE_KEY_PREFIX, options.redis);
  return {
    async blockedFor(ip, shape) {
      try {
        const res = await limiter.get(failureKey(ip, shape));
        if (!res || res.consumedPoints < options.perMinute) return null;
        return secondsUntil(res.msBeforeNext);
      } catch (e) {
        options.log.error({ err: e }, 'authentication failure limiter failed; request allowed');
        return null;
      }
    },
    async recordFailure(ip, shape) {
      // Over the budget the consume rejects with a RateLimiterRes; the next blockedFor() reports it.
      await limiter.consume(failureKey(ip, shape), 1).catch((e: unknown) => {
        if (!(e instanceof RateLimiterRes))
          options.log.error({ err: e }, 'authentication failure not counted');
      });
    },
  };
}
