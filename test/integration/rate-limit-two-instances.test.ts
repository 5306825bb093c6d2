// The per-caller rate limit across two gateway instances on one real Redis: spent from leases (never over the limit,
// refused early by at most the documented margin), and a warm caller does not cost a Redis round trip per operation.
import { Redis } from 'ioredis';
import { earlyRefusalMargin, largestLease } from '../../src/services/auth/leased-window';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, type GqlResponse } from '../helpers/gql';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const QUERY = '{ viewer { partnerId } }';
/** Operations per minute per caller on both instances (RATE_LIMIT_PER_MINUTE): leased in chunks of up to 25. */
const LIMIT = 200;

/** Every command Redis ran so far, summed over INFO commandstats. */
async function commandsRun(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('caller rate limit on two instances sharing Redis', () => {
  let redis: StartedRedis;
  let probe: Redis;
  let sandbox: StartedSandbox;
  let a: StartedGateway;
  let b: StartedGateway;

  beforeAll(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url);
    sandbox = await startSandbox();
    const env = { STRIPE_API_BASE: sandbox.url, REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: String(LIMIT) };
    a = await startGateway(env);
    b = await startGateway(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    probe?.disconnect();
    await sandbox?.close();
    await redis?.stop();
  });

  describe('the bound', () => {
    it('should accept at most the limit and at least the limit less the documented margin, when one caller sends to both', async () => {
      const margin = earlyRefusalMargin(LIMIT, 2);
      expect(margin).toBe(largestLease(LIMIT) - 1); // 24: one instance's lease less the point it was taken for
      // 1.5 × the limit, in waves of 10 concurrent operations spread over both instances.
      const answers: GqlResponse<unknown>[] = [];
      for (let wave = 0; wave < 30; wave += 1) {
        answers.push(
          ...(await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              gql((wave + i) % 2 ? a.graphqlUrl : b.graphqlUrl, QUERY, undefined, {
                token: PARTNER_A.apiKey,
              }),
            ),
          )),
        );
      }
      const accepted = answers.filter((r) => r.status === 200 && !r.errors);
      const refused = answers.filter((r) => r.status !== 200 || r.errors);
      expect(accepted.length).toBeLessThanOrEqual(LIMIT);
      expect(accepted.length).toBeGreaterThanOrEqual(LIMIT - margin);
      expect(refused.length).toBe(answers.length - accepted.length);
      for (const r of refused) {
        expect([r.status, errorCodes(r)]).toEqual([429, ['RATE_LIMITED']]);
        const retryAfter = r.errors![0].extensions!.retryAfter as number;
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(r.headers.get('retry-after')).toBe(String(retryAfter));
      }
      // Redis counted exactly what was leased: never more than the limit.
      expect(Number(await probe.get('fcgw:rate:partner:partner_a'))).toBe(LIMIT);
    });
  });

  describe('a warm caller', () => {
    it('should cost fewer Redis commands than operations', async () => {
      const N = 150; // within PARTNER_B's budget of 200
      // Warm both instances (their first lease, the fast lane's first sight).
      for (const gw of [a, b]) await gql(gw.graphqlUrl, QUERY, undefined, { token: PARTNER_B.apiKey });
      const watch = await watchRedisCommands(redis.url);
      const before = await commandsRun(probe);
      try {
        for (let i = 0; i < N; i += 1) {
          const r = await gql(i % 2 ? a.graphqlUrl : b.graphqlUrl, QUERY, undefined, {
            token: PARTNER_B.apiKey,
          });
          expect([r.status, r.errors]).toEqual([200, undefined]);
        }
        const run = (await commandsRun(probe)) - before;
        expect(run).toBeLessThan(N);
        // The leases of the rate-limit counters, by name (MONITOR also lists each script's own commands; count the
        // scripts): one lease per many operations, not one per operation.
        const onRateKeys = watch
          .all()
          .filter((c) => c[0] === 'eval' && c.some((arg) => /^fcgw:(partner)?rate:/.test(arg)));
        expect(onRateKeys.length).toBeGreaterThan(0);
        expect(onRateKeys.length).toBeLessThan(N / 5);
      } finally {
        watch.stop();
      }
    });
  });
});
