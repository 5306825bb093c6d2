// The shared Stripe request budget: bursts queue (never fail), the granted rate never exceeds the budget, and a
// quiet tenant passes a noisy one. Time is read where the budget reads it: a fake clock for the in-process bucket,
// Redis's own clock (the grants it records, seen through MONITOR) for the shared one, never the test's wall clock.
import { Redis } from 'ioredis';
import {
  BudgetShareExceeded,
  createLocalRateBudget,
  tokenInterval,
  type RateBudget,
} from '../../src/services/stripe/rate-budget';
import { createRedisRateBudget } from '../../src/services/stripe/rate-budget-redis';
import { createMetrics } from '../../src/platform/metrics';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';

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

/**
 * Runs `work` on a fake clock (timers and performance.now(); promises and setImmediate stay real) and moves the
 * clock from one timer to the next until `work` settles: how long anything waits is then decided by the budget's
 * arithmetic alone, not by how busy the machine is.
 */
async function onFakeClock<T>(work: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
  try {
    let settled = false;
    const result = work().finally(() => (settled = true));
    while (!settled) await jest.advanceTimersToNextTimerAsync();
    return await result;
  } finally {
    jest.useRealTimers();
  }
}

/** `n` acquires at once, spread over `budgets`; each grant's time as `clock()` reads it when the acquire resolves. */
async function burst(
  budgets: RateBudget[],
  n: number,
  clock: () => number = () => performance.now(),
): Promise<{ granted: boolean[]; at: number[] }> {
  const at: number[] = [];
  const granted = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const ok = await budgets[i % budgets.length].acquire(60_000);
      at.push(clock());
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
  describe('fair shares (in-process, fake clock)', () => {
    it('should let a quiet tenant pass a noisy one after at most the queue, refusing the noisy overflow', async () => {
      // 50/s and a 250 ms queue: 12 slots, all the noisy tenant's while it is alone; with two tenants active it
      // may hold 6. A quiet call waits behind at most the 12 already reserved; FIFO would be ~200.
      const budget = createLocalRateBudget({ ratePerSecond: 50, maxShareWaitMs: 300 });
      const { passedBy, noisy } = await onFakeClock(() => noisyAndQuiet([budget], 200, 6));
      expect(passedBy).toHaveLength(6);
      for (const n of passedBy) expect(n).toBeLessThanOrEqual(12);
      expect(noisy).toContain('share');
      expect(noisy).not.toContain('other');
    });

    it("should queue a lone tenant's burst beyond its share rather than refuse it", async () => {
      const budget = createLocalRateBudget({ ratePerSecond: 100, maxShareWaitMs: 50 });
      const results = await onFakeClock(() =>
        Promise.all(Array.from({ length: 120 }, () => budget.acquire(60_000, 'alone'))),
      );
      expect(results.every(Boolean)).toBe(true);
    });
  });

  describe('in-process (fake clock)', () => {
    it('should queue a burst of 3x the rate: every request granted, never more than the rate per second', async () => {
      const metrics = createMetrics();
      const budget = createLocalRateBudget({ ratePerSecond: 40, metrics });
      const { granted, at } = await onFakeClock(() => burst([budget], 120));
      expect(granted.every(Boolean)).toBe(true);
      expect(maxInWindow(at)).toBeLessThanOrEqual(40);
      // Consecutive grants are one interval apart: 120 grants span 119 intervals.
      const sorted = [...at].sort((a, b) => a - b);
      expect(sorted[119] - sorted[0]).toBeGreaterThanOrEqual(119 * tokenInterval(40));
      const waits = await metrics.rateBudgetWaits.get();
      expect(waits.values.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(120);
    });

    it('should refuse, without taking a token, a wait longer than the caller can afford', async () => {
      const budget = createLocalRateBudget({ ratePerSecond: 1 });
      const answers = await onFakeClock(async () => [
        await budget.acquire(0),
        await budget.acquire(100),
        // The refused call reserved nothing: the next slot is still one interval (~1.02 s) after the
        // first, so a caller that can wait 1.5 s gets it (it could not if a second slot were taken).
        await budget.acquire(1_500),
      ]);
      expect(answers).toEqual([true, false, true]);
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

    /**
     * Grant times on Redis's clock: CONFIRM (src/services/stripe/rate-budget.ts) records each grant by setting
     * `<key>:last` to Redis's TIME in ms, in the same script that checked the spacing.
     */
    const grantsOf = (key: string) => (c: string[]) => c[0] === 'set' && c[1] === `${key}:last`;

    it('should hold two instances together to the one budget', async () => {
      const a = new Redis(redis.url);
      const b = new Redis(redis.url);
      clients.push(a, b);
      const key = 'test:budget:1';
      const commands = await watchRedisCommands(redis.url);
      try {
        const ia = createRedisRateBudget({ ratePerSecond: 30, redis: a, redisKey: key });
        const ib = createRedisRateBudget({ ratePerSecond: 30, redis: b, redisKey: key });
        const { granted } = await burst([ia, ib], 75);
        expect(granted.every(Boolean)).toBe(true);
        const grants = await commands.seen(grantsOf(key), 75);
        expect(maxInWindow(grants.map((c) => Number(c[2])))).toBeLessThanOrEqual(30);
      } finally {
        commands.stop();
      }
    });

    it('should share the budget fairly across two instances', async () => {
      const a = new Redis(redis.url);
      const b = new Redis(redis.url);
      clients.push(a, b);
      const key = 'test:budget:fair';
      const options = { ratePerSecond: 50, maxShareWaitMs: 300, redisKey: key };
      const commands = await watchRedisCommands(redis.url);
      try {
        const ia = createRedisRateBudget({ ...options, redis: a });
        const ib = createRedisRateBudget({ ...options, redis: b });
        const { noisy } = await noisyAndQuiet([ia, ib], 200, 6);
        expect(noisy).toContain('share');
        expect(noisy).not.toContain('other');
        // Counted in Redis's order of reservations (each script runs atomically): when a quiet call reserved its
        // slot, how many noisy reservations were still ungranted ahead of it. At most the queue (12 slots at
        // 50/s and 250 ms); FIFO would be ~200. Grant order is not used: it also depends on how soon each client
        // wakes for its slot.
        const quietReserved = await commands.seen((c) => c[0] === 'zadd' && c[1] === `${key}:q:quiet`, 6);
        const ahead: number[] = [];
        const waiting = new Set<string>();
        for (const c of commands.all()) {
          if (c[0] === 'zadd' && c[1] === `${key}:q:noisy`) waiting.add(c[3]);
          else if (c[0] === 'zrem' && c[1] === `${key}:q:noisy`) waiting.delete(c[2]);
          else if (c[0] === 'zadd' && c[1] === `${key}:q:quiet`) ahead.push(waiting.size);
        }
        expect(ahead).toHaveLength(quietReserved.length);
        for (const n of ahead) expect(n).toBeLessThanOrEqual(12);
      } finally {
        commands.stop();
      }
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
      const { granted, at } = await onFakeClock(() => burst([budget], 60));
      expect(granted.every(Boolean)).toBe(true);
      expect(maxInWindow(at)).toBeLessThanOrEqual(50);
    });
  });
});
