// The shared Stripe budget end to end: a burst over STRIPE_MAX_RPS queues and all of it succeeds, every Stripe
// attempt waits for its token, on one instance or two sharing Redis.
//
// What is asserted about time is one-sided: consecutive grants are at least tokenInterval() apart
// (src/services/stripe/rate-budget.ts), so a burst of N attempts cannot finish in less than (N - 1) intervals,
// however slow the machine is. How many requests reach Stripe in one second also depends on how late each
// one travels after its grant, so that is not asserted here (the budget's spacing has its unit test).
import { CreateCustomerDocument } from '../generated/graphql';
import { tokenInterval } from '../../src/services/stripe/rate-budget';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const BUDGET = 8;
const BURST = BUDGET * 3;

/** Sends BURST createCustomer operations at once, spread over `gateways`; returns them and how long they took. */
async function burst(gateways: StartedGateway[]) {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      gql(
        gateways[i % gateways.length].graphqlUrl,
        CreateCustomerDocument,
        { input: { model: 'CUSTOMER', email: `burst.${process.pid}.${i}@example.com`, name: `Burst ${i}` } },
        { token: PARTNER_A.apiKey },
      ),
    ),
  );
  return { results, elapsedMs: performance.now() - started };
}

/** Tokens this gateway has taken so far (one observation of the wait histogram per grant). */
async function grants(gw: StartedGateway): Promise<number> {
  const waits = await gw.gateway.metrics.rateBudgetWaits.get();
  return waits.values.find((v) => v.metricName === 'stripe_rate_budget_wait_seconds_count')?.value ?? 0;
}

describe('Stripe request budget (integration)', () => {
  let sb: StartedSandbox;
  beforeAll(async () => {
    // Stripe's own limit sits above the budget an operator configures; a 429 would be retried anyway.
    sb = await startSandbox({ rateLimit: { requestsPerSecond: BUDGET * 2 } });
  });
  afterAll(() => sb?.close());

  /** Every customer of the burst created once, whatever was retried. */
  const expectCreatedOnce = () =>
    expect(
      sb.sandbox.requestLog.filter(
        (e) => e.method === 'POST' && e.path === '/v1/customers' && e.status === 200 && !e.replayed,
      ),
    ).toHaveLength(BURST);

  it('should queue a burst of 3x STRIPE_MAX_RPS: every operation succeeds, every Stripe attempt waits its turn', async () => {
    const gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      STRIPE_MAX_RPS: String(BUDGET),
    });
    try {
      sb.sandbox.clearRequestLog();
      const [grantsBefore, sentBefore] = [await grants(gw), gw.stripeRequests()];
      const { results, elapsedMs } = await burst([gw]);
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(results.every((r) => r.data?.createCustomer.customer.id.startsWith('cus_'))).toBe(true);
      expectCreatedOnce();
      const attempts = sb.sandbox.requestLog.length;
      expect(gw.stripeRequests() - sentBefore).toBe(attempts);
      expect((await grants(gw)) - grantsBefore).toBe(attempts);
      expect(elapsedMs).toBeGreaterThanOrEqual((attempts - 1) * tokenInterval(BUDGET));
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
      const commands = await watchRedisCommands(redis.url);
      try {
        sb.sandbox.clearRequestLog();
        const before = [await grants(gw1), await grants(gw2)];
        const { results, elapsedMs } = await burst([gw1, gw2]);
        expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
        expectCreatedOnce();
        const attempts = sb.sandbox.requestLog.length;
        const taken = [(await grants(gw1)) - before[0], (await grants(gw2)) - before[1]];
        expect(taken[0] + taken[1]).toBe(attempts);
        expect(taken.every((n) => n > 0)).toBe(true);
        // Both instances reserved every token from the one bucket in Redis ...
        const reservations = await commands.seen(
          (c) => c[0] === 'eval' && c.includes('fcgw:stripe-budget:next'),
          attempts,
        );
        expect(reservations).toHaveLength(attempts);
        // ... so together they were spaced like one instance (two separate buckets would take half as long).
        expect(elapsedMs).toBeGreaterThanOrEqual((attempts - 1) * tokenInterval(BUDGET));
      } finally {
        commands.stop();
        await gw1.close();
        await gw2.close();
      }
    });
  });
});
