// The shared Stripe request budget: bursts queue (never fail) and the granted rate never exceeds the budget.
import { Redis } from 'ioredis';
import {
  createLocalRateBudget,
  createRedisRateBudget,
  type RateBudget,
} from '../../src/services/stripe/rate-budget';
import { createMetrics } from '../../src/platform/metrics';
import { startRedis, type StartedRedis } from '../helpers/redis';

/** The most grants that fall in any window of `windowMs` (sliding, half-open). */
export function maxInWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

async function burst(budgets: RateBudget[], n: number): Promise<{ granted: boolean[]; at: number[] }> {
  const at: number[] = [];
  const granted = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const ok = await budgets[i % budgets.length].acquire(60_000);
      at.push(Date.now());
      return ok;
    }),
  );
  return { granted, at };
}

describe('rate budget', () => {
  describe('in-process', () => {
    it('should queue a burst of 3x the rate: every request granted, never more than the rate per second', async () => {
      const metrics = createMetrics();
      const budget = createLocalRateBudget({ ratePerSecond: 40, metrics });
      const { granted, at } = await burst([budget], 120);
      expect(granted.every(Boolean)).toBe(true);
      expect(maxInWindow(at)).toBeLessThanOrEqual(40);
      const waits = await metrics.rateBudgetWaits.get();
      expect(waits.values.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(120);
    });

    it('should refuse, without taking a token, a wait longer than the caller can afford', async () => {
      const budget = createLocalRateBudget({ ratePerSecond: 1 });
      expect(await budget.acquire(0)).toBe(true);
      expect(await budget.acquire(100)).toBe(false);
      // The refused call reserved nothing: the next slot is still one interval (~1.02 s) after the
      // first, so a caller that can wait 1.5 s gets it (it could not if a second slot were taken).
      expect(await budget.acquire(1_500)).toBe(true);
    });
  });

  describe('redis (shared by instances)', () => {
    let redis: StartedRedis;
    const clients: Redis[] = [];
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await Promise.all(clients.filter((c) => c.status === 'ready').map((c) => c.quit()));
      await redis.stop();
    });

    it('should hold two instances together to the one budget', async () => {
      const a = new Redis(redis.url);
      const b = new Redis(redis.url);
      clients.push(a, b);
      const ia = createRedisRateBudget({ ratePerSecond: 30, redis: a, redisKey: 'test:budget:1' });
      const ib = createRedisRateBudget({ ratePerSecond: 30, redis: b, redisKey: 'test:budget:1' });
      const { granted, at } = await burst([ia, ib], 75);
      expect(granted.every(Boolean)).toBe(true);
      expect(maxInWindow(at)).toBeLessThanOrEqual(30);
    });

    it('should fall back to the in-process bucket when Redis is down, still granting every request', async () => {
      const dead = await startRedis();
      const client = new Redis(dead.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      await new Promise((r) => client.once('ready', r));
      const closed = new Promise((r) => client.once('close', r));
      await dead.stop();
      await closed;
      const budget = createRedisRateBudget({ ratePerSecond: 50, redis: client });
      const { granted, at } = await burst([budget], 60);
      expect(granted.every(Boolean)).toBe(true);
      expect(maxInWindow(at)).toBeLessThanOrEqual(50);
    });
  });
});
