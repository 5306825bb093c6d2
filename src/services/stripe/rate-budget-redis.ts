// The Stripe request budget shared by every gateway instance through Redis: rate-budget.ts's two steps, each one
// atomic Lua script, with the in-process bucket as the fallback while Redis cannot answer.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  BudgetShareExceeded,
  createLocalRateBudget,
  fairness,
  newLines,
  reserveFairly,
  sleep,
  SYSTEM_TENANT,
  tokenInterval,
  type RateBudget,
  type RateBudgetOptions,
  type Reservation,
} from './rate-budget';

export interface RedisRateBudgetOptions extends RateBudgetOptions {
  /** The connection the instances share (a `commands` one: it fails fast while Redis is away). */
  redis: Redis;
  /** Redis key prefix of the shared bucket. @default 'fcgw:stripe-budget' */
  redisKey?: string;
}

/**
 * The same two steps in Redis, each atomic in one Lua script on the server's clock (instances'
 * clocks may disagree; Redis's is the one clock they share).
 * RESERVE (KEYS: next slot, active tenants zset, this tenant's reserved slots zset; ARGV: interval,
 * max wait, tenant, queue slots, active window, a unique member) returns the wait in ms, `d` when it
 * would exceed the max wait, or `s<ms>` when the tenant holds its share (ms until its earliest slot);
 * nothing is reserved in the last two cases.
 */
const RESERVE_LUA = `
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local queueSlots = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
-- Reservations leave on grant (CONFIRM); these are an instance's that died before confirming.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 30000)
local own = redis.call('ZCARD', KEYS[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('ZADD', KEYS[2], now, ARGV[3])
redis.call('PEXPIRE', KEYS[2], math.ceil(window * 2))
local active = redis.call('ZCOUNT', KEYS[2], now - window, '+inf')
local share = math.max(1, math.floor(queueSlots / active))
if own >= share then
  local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return 's' .. tostring(math.max(interval, tonumber(first[2]) - now)) .. ':' .. tostring(active)
end
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextAt)
local wait = slot - now
if wait > maxWait then return 'd' end
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', math.ceil(wait + interval + 1000))
redis.call('ZADD', KEYS[3], slot, ARGV[6])
redis.call('PEXPIRE', KEYS[3], math.ceil(wait + window + 30000))
return tostring(wait)
`;
/**
 * CONFIRM (KEYS: last grant, the tenant's reservations; ARGV: interval, this reservation's member) returns
 * 0, records the grant and removes the reservation, or the ms still to wait after the previous actual grant.
 */
const CONFIRM_LUA = `
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local gap = last + interval - now
if gap > 0 then return tostring(gap) end
redis.call('SET', KEYS[1], tostring(now), 'PX', math.ceil(interval + 1000))
redis.call('ZREM', KEYS[2], ARGV[2])
return '0'
`;

/**
 * Redis-backed budget shared by all instances. When Redis cannot answer (down, slow), the
 * instance falls back to its own in-process bucket at the same rate: Stripe keeps being
 * protected per instance, and queries keep working (never fail a query for the budget's sake).
 */
export function createRedisRateBudget(options: RedisRateBudgetOptions): RateBudget {
  const interval = tokenInterval(options.ratePerSecond);
  const key = options.redisKey ?? 'fcgw:stripe-budget';
  const fair = fairness(options);
  const lines = newLines();
  let member = 0;
  const instance = randomUUID();
  const reserve = async (tenant: string, maxWaitMs: number): Promise<Reservation> => {
    member += 1;
    const id = `${instance}:${member}`;
    const answer = String(
      await options.redis.eval(
        RESERVE_LUA,
        3,
        `${key}:next`,
        `${key}:active`,
        `${key}:q:${tenant}`,
        interval,
        maxWaitMs,
        tenant,
        fair.queueSlots,
        fair.activeWindowMs,
        id,
      ),
    );
    if (answer === 'd') return { deadline: true };
    if (answer.startsWith('s')) {
      const [retry, active] = answer.slice(1).split(':');
      return { shareRetryMs: Math.max(0, Number(retry)), contended: Number(active) > 1 };
    }
    return { waitMs: Number(answer), ticket: id };
  };
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
    async acquire(maxWaitMs, tenant = SYSTEM_TENANT) {
      const start = performance.now();
      try {
        if (!(await usable(maxWaitMs))) throw new Error('Redis is not connected');
        const r = await reserveFairly(
          () => reserve(tenant, Math.max(0, maxWaitMs - (performance.now() - start))),
          tenant,
          maxWaitMs,
          fair,
          lines,
        );
        if ('deadline' in r) return false;
        if (r.waitMs > 0) await sleep(r.waitMs);
        for (;;) {
          const gap = Number(
            await options.redis.eval(CONFIRM_LUA, 2, `${key}:last`, `${key}:q:${tenant}`, interval, r.ticket),
          );
          if (gap <= 0) break;
          await sleep(gap);
        }
      } catch (error) {
        if (error instanceof BudgetShareExceeded) throw error;
        if (Date.now() - warned > 10_000) {
          warned = Date.now();
          options.log?.warn(
            { err: (error as Error).message },
            'Stripe budget: Redis unavailable, using the in-process bucket',
          );
        }
        const remaining = maxWaitMs - (performance.now() - start);
        if (!(await fallback.acquire(Math.max(0, remaining), tenant))) return false;
      }
      options.metrics?.rateBudgetWaits.observe((performance.now() - start) / 1000);
      return true;
    },
    close: async () => undefined,
  };
}
