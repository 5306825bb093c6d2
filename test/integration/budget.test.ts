// The shared Stripe budget end to end: a burst over STRIPE_MAX_RPS queues and all of it succeeds, with the
// upstream rate (the sandbox's own request log, its rate limit on) never over the budget, on one or two instances.
import { CreateCustomerDocument } from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

/** The most requests in any one-second window (sliding, as Stripe and the sandbox count). */
function maxPerSecond(times: number[]): number {
  const t = [...times].sort((x, y) => x - y);
  let best = 0;
  for (let hi = 0, lo = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const BUDGET = 8;

async function burst(gateways: StartedGateway[], n: number) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      gql(
        gateways[i % gateways.length].graphqlUrl,
        CreateCustomerDocument,
        { input: { model: 'CUSTOMER', email: `burst.${process.pid}.${i}@example.com`, name: `Burst ${i}` } },
        { token: PARTNER_A.apiKey },
      ),
    ),
  );
}

describe('Stripe request budget (integration)', () => {
  let sb: StartedSandbox;
  beforeAll(async () => {
    // The sandbox enforces the same budget Stripe would: one request over it is a 429.
    sb = await startSandbox({ rateLimit: { requestsPerSecond: BUDGET } });
  });
  afterAll(() => sb?.close());

  it('should queue a burst of 3x STRIPE_MAX_RPS: every operation succeeds, upstream stays within the budget', async () => {
    const gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      STRIPE_MAX_RPS: String(BUDGET),
    });
    try {
      sb.sandbox.clearRequestLog();
      const results = await burst([gw], BUDGET * 3);
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(results.every((r) => r.data?.createCustomer.customer.id.startsWith('cus_'))).toBe(true);
      const log = sb.sandbox.requestLog;
      expect(log.filter((e) => e.status === 429)).toEqual([]);
      expect(log).toHaveLength(BUDGET * 3);
      expect(maxPerSecond(log.map((e) => e.at))).toBeLessThanOrEqual(BUDGET);
      // Most of the burst waited for a token instead of failing.
      const waits = await gw.gateway.metrics.rateBudgetWaits.get();
      const count = waits.values.find((v) => v.metricName === 'stripe_rate_budget_wait_seconds_count')?.value;
      const sum =
        waits.values.find((v) => v.metricName === 'stripe_rate_budget_wait_seconds_sum')?.value ?? 0;
      expect(count).toBeGreaterThanOrEqual(BUDGET * 3);
      expect(sum).toBeGreaterThan(1);
    } finally {
      await gw.close();
    }
  });

  describe('shared through Redis', () => {
    let redis: StartedRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(() => redis?.stop());

    it('should hold two instances together to one budget', async () => {
      const env = {
        STRIPE_API_BASE: sb.url,
        STRIPE_SECRET_KEY: sb.secretKey,
        STRIPE_MAX_RPS: String(BUDGET),
        REDIS_URL: redis.url,
      };
      const gw1 = await startGateway(env);
      const gw2 = await startGateway(env);
      try {
        sb.sandbox.clearRequestLog();
        const results = await burst([gw1, gw2], BUDGET * 3);
        expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
        const log = sb.sandbox.requestLog;
        expect(log.filter((e) => e.status === 429)).toEqual([]);
        expect(maxPerSecond(log.map((e) => e.at))).toBeLessThanOrEqual(BUDGET);
      } finally {
        await gw1.close();
        await gw2.close();
      }
    });
  });
});
