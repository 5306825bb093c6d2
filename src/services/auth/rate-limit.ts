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
const PARTNER_RATE_KEY_PREFIX = 'fcgw:partnerrate';

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

/** The options of {@link createCallerRateLimiter}. */
interface CallerLimiterOptions extends LimiterOptions {
  /**
   * Operations per minute of one partner: its key and every customer token it minted, together. Why: the
   * per-caller budget is per key or per token's customer, so minting tokens would multiply a partner's budget.
   * @default no aggregate budget
   */
  perPartnerPerMinute?: number;
}

const ALLOWED: RateDecision = { allowed: true };

/** Refused by a limiter, or allowed when its store failed (logged): the request is served rather than failed. */
async function consumeOne(limiter: RateLimiterAbstract, key: string, log: Logger): Promise<RateDecision> {
  try {
    await limiter.consume(key, 1);
    return ALLOWED;
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: secondsUntil(e.msBeforeNext) };
    }
    // The store itself failed (and so did the insurance limiter): serve rather than fail every request.
    log.error({ err: e }, 'rate limiter failed; request allowed');
    return ALLOWED;
  }
}

/**
 * Operations per minute per caller and per partner (`options.perPartnerPerMinute`); `options.redis` shares both
 * budgets across instances. Both are counted at once (one round trip to Redis, not two); an operation the caller's
 * own budget refuses gives its partner's point back, or one end user's burst would starve the partner's others.
 */
export function createCallerRateLimiter(options: CallerLimiterOptions): CallerRateLimiter {
  const { log } = options;
  const limiter = perMinuteLimiter(options.perMinute, RATE_KEY_PREFIX, options.redis);
  const perPartner = options.perPartnerPerMinute;
  const partnerLimiter = perPartner
    ? perMinuteLimiter(perPartner, PARTNER_RATE_KEY_PREFIX, options.redis)
    : undefined;
  return {
    async consume(caller) {
      if (!partnerLimiter) return consumeOne(limiter, rateKey(caller), log);
      const [own, partner] = await Promise.all([
        consumeOne(limiter, rateKey(caller), log),
        consumeOne(partnerLimiter, caller.partnerId, log),
      ]);
      if (own.allowed) return partner;
      if (partner.allowed) {
        await partnerLimiter.reward(caller.partnerId, 1).catch((e: unknown) => {
          log.error({ err: e }, "partner's rate-limit point not given back");
        });
      }
      return own;
    },
  };
}

/**
 * Failed authentications, counted twice: per client address and per presented credential (its fingerprint,
 * auth.ts credentialFingerprint). Why this shape:
 * - it applies only after a credential failed: a valid key or token is verified first and always served, so
 *   junk from a shared address (a partner's NAT, a load balancer) never locks out the valid partners behind it;
 * - per address, one client spraying junk meets 429 (with Retry-After) instead of an answer per guess, and its
 *   failures cost one counter update each, never an upstream request;
 * - per credential, one bad credential (an expired token, a revoked key) replayed from many addresses meets
 *   429 too.
 * What keeps keys and tokens unguessable is their entropy (192-bit keys as docs/deploying.md advises, HMAC-signed
 * tokens); this budget bounds the work and log noise of trying, and tells misbehaving clients to back off.
 */
export interface AuthFailureLimiter {
  /**
   * Counts one failed authentication from `ip` with the credential of `fingerprint` (null: none presented, counted
   * against the address only).
   * @returns the seconds until they may try again when the address or the credential is over its budget, else null
   */
  recordFailure(ip: string, fingerprint: string | null): Promise<number | null>;
}

export function createAuthFailureLimiter(options: LimiterOptions): AuthFailureLimiter {
  const limiter = perMinuteLimiter(options.perMinute, AUTH_FAILURE_KEY_PREFIX, options.redis);
  const count = (key: string): Promise<number | null> =>
    limiter.consume(key, 1).then(
      () => null,
      (e: unknown) => {
        if (e instanceof RateLimiterRes) return secondsUntil(e.msBeforeNext);
        // The store failed (and so did its insurance): the failure is answered 401, uncounted.
        options.log.error({ err: e }, 'authentication failure not counted');
        return null;
      },
    );
  return {
    async recordFailure(ip, fingerprint) {
      const [byAddress, byCredential] = await Promise.all([
        count(`ip:${ip}`),
        fingerprint === null ? null : count(`credential:${fingerprint}`),
      ]);
      if (byAddress === null) return byCredential;
      return byCredential === null ? byAddress : Math.max(byAddress, byCredential);
    },
  };
}
