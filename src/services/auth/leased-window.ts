// A per-key fixed-window budget shared through Redis without a round trip per operation: each instance leases points
// from the window's Redis counter and spends them in process.
import type { Redis } from 'ioredis';

/** What a budget answers for one point. */
export type PointDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * The largest lease one instance takes at once, whatever the limit.
 * Why 100: at the gateway's warm-read rate (thousands of operations per second per instance) one Redis round trip
 * per 100 operations is noise, while it keeps what an instance may hold unspent small next to any limit worth
 * sharing.
 */
export const MAX_LEASE = 100;

/**
 * A lease takes at most this fraction (1/N) of what the window has left. Why: leases shrink as the budget runs out
 * (the last points go one at a time), so what sits unspent on other instances when the budget is gone is small, and
 * a limit of 15 or less is leased point by point (exact across instances).
 */
export const LEASE_DIVISOR = 8;

/**
 * The largest lease for `limit` points per window: `min(MAX_LEASE, max(1, ⌊limit / LEASE_DIVISOR⌋))`.
 */
export function largestLease(limit: number): number {
  return Math.min(MAX_LEASE, Math.max(1, Math.floor(limit / LEASE_DIVISOR)));
}

/**
 * How early a caller may be refused across `instances` instances sharing one Redis, in points: accepted operations
 * in one window are never more than `limit` and never fewer than `limit − earlyRefusalMargin(limit, instances)`
 * while the caller keeps sending. Why this bound: leases are counted in Redis when taken, so the points leased in a
 * window never exceed the limit (never an overshoot); a caller is refused only once Redis has nothing left to lease,
 * and then the points leased but unspent are on the other instances, at most one lease each, whose first point was
 * spent on the operation that took it: `(instances − 1) × (largestLease(limit) − 1)`. Those points are not lost to
 * the caller: they are still spent where they are held, until the window ends. A budget whose points are given back
 * ({@link LeasedWindow.giveBack}: the partner's) may hold that first point again: one more per other instance.
 */
export function earlyRefusalMargin(limit: number, instances: number): number {
  return Math.max(0, instances - 1) * (largestLease(limit) - 1);
}

/**
 * LEASE (KEYS: the window's counter; ARGV: limit, divisor, largest lease, window ms) returns `{granted, pttl}`:
 * `granted` points (0 when the window is spent) added to the counter at once, and the ms the window has left.
 * The counter's first lease opens the window (as rate-limiter-flexible's fixed windows did, same keys).
 */
const LEASE_LUA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local left = tonumber(ARGV[1]) - used
local ttl = redis.call('PTTL', KEYS[1])
local granted = 0
if left > 0 then
  granted = math.min(tonumber(ARGV[3]), math.max(1, math.floor(left / tonumber(ARGV[2]))))
  redis.call('INCRBY', KEYS[1], granted)
end
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  ttl = tonumber(ARGV[4])
end
return {granted, ttl}
`;

/** This instance's share of one key's window. */
interface Share {
  /** Points leased and not spent yet. */
  left: number;
  /** When the window of those points ends, by this process's clock (never later than Redis's). */
  endsAt: number;
  /** Set when Redis had nothing left to lease: refused until then with no round trip. */
  spentUntil: number;
  /** The lease under way (one per key at a time); resolves false when Redis did not answer. */
  leasing?: Promise<boolean>;
}

export interface LeasedWindowOptions {
  redis: Redis;
  /** Points per window per key, for all instances together. */
  limit: number;
  /** Redis key prefix: the counter of `key` is `<keyPrefix>:<key>`. */
  keyPrefix: string;
  windowMs: number;
}

export interface LeasedWindow {
  /**
   * Spends one point of `key`'s window: from this instance's share, else from a new lease.
   * @returns the decision, or null when Redis could not be asked (the caller decides without it)
   */
  take(key: string): Promise<PointDecision | null>;
  /** Gives one point taken by {@link take} back to this instance's share (if its window still runs). */
  giveBack(key: string): void;
}

/** Shares kept past this many keys are swept of ended windows, at most once a second. */
const SWEEP_ABOVE = 10_000;

export function leasedWindow(options: LeasedWindowOptions): LeasedWindow {
  const { redis, limit, keyPrefix, windowMs } = options;
  const largest = largestLease(limit);
  const shares = new Map<string, Share>();
  let sweptAt = 0;

  const sweep = (now: number) => {
    if (shares.size <= SWEEP_ABOVE || now - sweptAt < 1000) return;
    sweptAt = now;
    for (const [key, s] of shares) {
      if (!s.leasing && s.endsAt <= now && s.spentUntil <= now) shares.delete(key);
    }
  };

  const lease = async (key: string, share: Share): Promise<boolean> => {
    // The window's end is counted from before the request was sent, so a lease is never spent after Redis's window
    // (and its count) ended: a point is always spent in the window that counted it.
    const sentAt = Date.now();
    let answer: unknown;
    try {
      answer = await redis.eval(LEASE_LUA, 1, `${keyPrefix}:${key}`, limit, LEASE_DIVISOR, largest, windowMs);
    } catch {
      return false;
    }
    const [granted, ttl] = (answer as [number, number]).map(Number);
    const endsAt = sentAt + ttl;
    if (granted > 0) {
      // Whatever an ended window's share still held is void: its count is gone with it.
      share.left = (share.endsAt > Date.now() ? share.left : 0) + granted;
      share.endsAt = endsAt;
    } else {
      share.spentUntil = endsAt;
    }
    return true;
  };

  return {
    async take(key) {
      let share = shares.get(key);
      if (!share) {
        share = { left: 0, endsAt: 0, spentUntil: 0 };
        shares.set(key, share);
        sweep(Date.now());
      }
      for (;;) {
        const now = Date.now();
        if (share.left > 0 && now < share.endsAt) {
          share.left -= 1;
          return { allowed: true };
        }
        if (now < share.spentUntil) return { allowed: false, retryAfterMs: share.spentUntil - now };
        if (!share.leasing) {
          if (redis.status !== 'ready') return null;
          const current = share;
          share.leasing = lease(key, share).finally(() => {
            current.leasing = undefined;
          });
        }
        // Every operation waiting here is served from the same lease; any left over take another.
        if (!(await share.leasing)) return null;
      }
    },
    giveBack(key) {
      const share = shares.get(key);
      if (share && Date.now() < share.endsAt) share.left += 1;
    },
  };
}
