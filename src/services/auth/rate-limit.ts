// Per-caller rate limit (operations per minute): in memory, or a Redis counter shared by every instance and spent
// from leases (leased-window.ts); the failed-authentication budget on the same stores.
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../../platform/logger';
import type { Caller } from './auth';
import { leasedWindow } from './leased-window';

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
 * The failed-authentication budget: `points` per minute per key. With `redis`, counters live there (keys
 * `<keyPrefix>:<key>`, one round trip per failure: failures are not the warm path), so every instance shares one
 * budget. Why an in-memory insurance limiter: while Redis is unreachable, limits keep applying per instance instead
 * of failing open or failing every request.
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

/** One point of one key's per-minute budget, and its return when the operation was refused elsewhere. */
interface PointBudget {
  take(key: string): Promise<RateDecision>;
  giveBack(key: string): void;
}

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

/** The budget of one process (no Redis). */
function memoryBudget(points: number, log: Logger): PointBudget {
  const limiter = new RateLimiterMemory({ points, duration: WINDOW_SECONDS });
  return {
    take: (key) => consumeOne(limiter, key, log),
    giveBack: (key) => void limiter.reward(key, 1),
  };
}

/**
 * The budget shared by every instance through Redis, spent from leases (leased-window.ts): a warm caller costs one
 * Redis round trip per lease (up to MAX_LEASE operations), not one per operation. A window never admits more than
 * `points`; it may refuse up to `earlyRefusalMargin(points, instances)` points early (docs/redis.md).
 * Why an in-memory insurance limiter: while Redis is unreachable, limits keep applying per instance instead of
 * failing open or failing every request; the points already leased are spent first.
 */
function redisBudget(points: number, keyPrefix: string, redis: Redis, log: Logger): PointBudget {
  const shared = leasedWindow({ redis, limit: points, keyPrefix, windowMs: WINDOW_SECONDS * 1000 });
  const insurance = memoryBudget(points, log);
  const fromInsurance = new Set<string>();
  return {
    async take(key) {
      const decision = await shared.take(key);
      if (decision === null) {
        fromInsurance.add(key);
        return insurance.take(key);
      }
      fromInsurance.delete(key);
      return decision.allowed
        ? ALLOWED
        : { allowed: false, retryAfterSeconds: secondsUntil(decision.retryAfterMs) };
    },
    giveBack(key) {
      if (fromInsurance.has(key)) insurance.giveBack(key);
      else shared.giveBack(key);
    },
  };
}

function perMinuteBudget(
  points: number,
  keyPrefix: string,
  redis: Redis | undefined,
  log: Logger,
): PointBudget {
  return redis ? redisBudget(points, keyPrefix, redis, log) : memoryBudget(points, log);
}

/**
 * Operations per minute per caller and per partner (`options.perPartnerPerMinute`); `options.redis` shares both
 * budgets across instances. Both are counted at once; an operation the caller's own budget refuses gives its
 * partner's point back, or one end user's burst would starve the partner's others.
 */
export function createCallerRateLimiter(options: CallerLimiterOptions): CallerRateLimiter {
  const { log, redis } = options;
  const own = perMinuteBudget(options.perMinute, RATE_KEY_PREFIX, redis, log);
  const perPartner = options.perPartnerPerMinute;
  const partner = perPartner ? perMinuteBudget(perPartner, PARTNER_RATE_KEY_PREFIX, redis, log) : undefined;
  return {
    async consume(caller) {
      if (!partner) return own.take(rateKey(caller));
      const [byCaller, byPartner] = await Promise.all([
        own.take(rateKey(caller)),
        partner.take(caller.partnerId),
      ]);
      if (byCaller.allowed) return byPartner;
      if (byPartner.allowed) partner.giveBack(caller.partnerId);
      return byCaller;
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
