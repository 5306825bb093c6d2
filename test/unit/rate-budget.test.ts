// The shared Stripe request budget: bursts queue (never fail) and the granted rate never exceeds the budget.
import { Redis } from 'ioredis';
import {
  BudgetShareExceeded,
  createLocalRateBudget,
  type RateBudget,
} from '../../src/services/stripe/rate-budget';
import { createRedisRateBudget } from '../../src/services/stripe/rate-budget-redis';
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

/**
 * A noisy tenant floods the budget (`flood` calls at once, each granted or refused), then a quiet one asks
 * `quietCalls` times in sequence. Returns, per quiet call, how many noisy grants went ahead of it while it
 * waited (counted in grants, not time), and how the noisy calls ended.
 */
async function noisyAndQuiet(budgets: RateBudget[], flood: number, quietCalls: number) {
  const grants: string[] = [];
  const noisy = Promise.all(
    Array.from({ length: flood }, (_, i) =>
      budgets[i % budgets.length].acquire(60_000, 'noisy').then(
        (ok) => {
          if (ok) grants.push('noisy');
          return ok ? 'granted' : 'deadline';
        },
        (e: unknown) => (e instanceof BudgetShareExceeded ? 'share' : 'other'),
      ),
    ),
  );
  await new Promise((r) => setImmediate(r));
  const passedBy: number[] = [];
  for (let i = 0; i < quietCalls; i++) {
    const before = grants.length;
    expect(await budgets[i % budgets.length].acquire(60_000, 'quiet')).toBe(true);
    passedBy.push(grants.slice(before).filter((g) => g === 'noisy').length);
    grants.push('quiet');
  }
  return { passedBy, noisy: await noisy };
}

describe('rate budget', () => {
  describe('fair shares', () => {
    it('should let a quiet tenant pass a noisy one after at most its share of the queue, refusing the noisy overflow', async () => {
      // 50/s and a 250 ms queue: 12 slots; with two tenants active the noisy one holds at most 6.
      const budget = createLocalRateBudget({ ratePerSecond: 50, maxShareWaitMs: 300 });
      const { passedBy, noisy } = await noisyAndQuiet([budget], 200, 6);
      // About the queue (12 slots, all the noisy tenant's while it was alone) plus grants already under way when
      // the quiet call arrived (a loaded machine's event loop lets one or two more through); FIFO would be ~200.
      for (const n of passedBy) expect(n).toBeLessThanOrEqual(20);
      expect(noisy).toContain('share');
      expect(noisy).not.toContain('other');
    });

    it("should queue a lone tenant's burst beyond its share rather than refuse it", async () => {
      const budget = createLocalRateBudget({ ratePerSecond: 100, maxShareWaitMs: 50 });
      const results = await Promise.all(Array.from({ length: 120 }, () => budget.acquire(60_000, 'alone')));
      expect(results.every(Boolean)).toBe(true);
    });
  });

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

    it('should share the budget fairly across two instances', async () => {
      const a = new Redis(redis.url);
      const b = new Redis(redis.url);
      clients.push(a, b);
      const options = { ratePerSecond: 50, maxShareWaitMs: 300, redisKey: 'test:budget:fair' };
      const ia = createRedisRateBudget({ ...options, redis: a });
      const ib = createRedisRateBudget({ ...options, redis: b });
      const { passedBy, noisy } = await noisyAndQuiet([ia, ib], 200, 6);
      // About the queue (12 slots, all the noisy tenant's while it was alone) plus grants already under way when
      // the quiet call arrived (a loaded machine's event loop lets one or two more through); FIFO would be ~200.
      for (const n of passedBy) expect(n).toBeLessThanOrEqual(20);
      expect(noisy).toContain('share');
      expect(noisy).not.toContain('other');
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
