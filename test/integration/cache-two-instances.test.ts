// Two gateways on one Redis and one sandbox, as deployed: a warm read on either sends Redis no read, and a change
// announced to instance 1 (a signed webhook) is seen on instance 2 as soon as its invalidation arrives over pub/sub,
// by the read cache and by the response cache (src/services/stripe/read-cache-two-level.ts).
import type Stripe from 'stripe';
import { Redis } from 'ioredis';
import { CustomerDashboardDocument, GetFinancialAccountDocument } from '../generated/graphql';
import { accountCacheKeys } from '../../src/services/live/live-events';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok } from '../helpers/gql';
import { linkedCustomer } from '../helpers/linking';
import { postWebhook, refreshedEvent, TEST_WEBHOOK_SECRET } from '../helpers/live';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { waitUntil } from '../helpers/wait';

describe('read cache across two instances on one Redis', () => {
  let redis: StartedRedis;
  let sb: StartedSandbox;
  let probe: Redis;
  let gw1: StartedGateway;
  let gw2: StartedGateway;
  let linked: Awaited<ReturnType<typeof linkedCustomer>>;
  let accountId: string;
  let last = 0;
  const tick = () => (last = Math.max(Math.floor(Date.now() / 1000), last + 1));

  const received = async (gw: StartedGateway) =>
    (await gw.gateway.metrics.cacheInvalidationsReceived.get()).values[0]?.value ?? 0;
  const kept = (gw: StartedGateway) => gw.gateway.fastLane!.stats.kept;
  const account = (gw: StartedGateway) =>
    gql(gw.graphqlUrl, GetFinancialAccountDocument, { id: accountId }, { token: PARTNER_A.apiKey });
  const dashboard = (gw: StartedGateway) =>
    gql(gw.graphqlUrl, CustomerDashboardDocument, { id: linked.customerId }, { token: PARTNER_A.apiKey });
  const names = (d: Awaited<ReturnType<typeof dashboard>>) =>
    ok(d).customer!.financialAccounts.nodes.map((n) => n.displayName);

  /**
   * Renames the account in the sandbox and tells instance 1 only, by a signed `refreshed_balance` webhook; resolves
   * once instance 2 has received every invalidation instance 1 published for it (nothing is read meanwhile).
   */
  async function changeThroughInstance1(displayName: string): Promise<void> {
    const record = sb.sandbox.store.fcAccounts.get(accountId)!;
    (record.account as { display_name: string }).display_name = displayName;
    const current = await sb.stripe.financialConnections.accounts.retrieve(accountId);
    const at = tick();
    const before = await received(gw2);
    const event = refreshedEvent(current as Stripe.FinancialConnections.Account, 'balance', at, {
      created: at,
    });
    expect((await postWebhook(gw1, JSON.stringify(event))).status).toBe(200);
    const published = accountCacheKeys(accountId, linked.customerId).length;
    await waitUntil(
      async () => (await received(gw2)) >= before + published,
      "instance 1's invalidations to reach instance 2",
    );
  }

  beforeAll(async () => {
    redis = await startRedis();
    sb = await startSandbox();
    probe = new Redis(redis.url, { connectionName: 'probe' });
    const env = {
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      // Webhooks come from this test only, to the instance it names.
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      REDIS_URL: redis.url,
      STRIPE_MAX_RPS: '100',
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    gw1 = await startGateway(env);
    gw2 = await startGateway(env);
    linked = await linkedCustomer(gw1, sb, PARTNER_A.apiKey);
    accountId = linked.accountIds[0];
  });
  afterAll(async () => {
    await gw1?.close();
    await gw2?.close();
    probe?.disconnect();
    await sb?.close();
    await redis?.stop();
  });

  describe('a change announced to the other instance', () => {
    it('should be seen by a read on instance 2 right after its invalidation arrived', async () => {
      ok(await account(gw2));
      sb.sandbox.clearRequestLog();
      const warm = ok(await account(gw2)).financialAccount!;
      expect(sb.sandbox.requestLog).toEqual([]); // served by instance 2's copies

      await changeThroughInstance1('Renamed On Instance 1');

      const after = ok(await account(gw2)).financialAccount!;
      expect(warm.displayName).not.toBe('Renamed On Instance 1');
      expect(after.displayName).toBe('Renamed On Instance 1');
    });

    it("should drop instance 2's kept answer, and keep the new one", async () => {
      await dashboard(gw2); // first sight: Apollo Server
      await dashboard(gw2); // the lane executes and keeps the answer
      const before = kept(gw2);
      expect(names(await dashboard(gw2))).toContain('Renamed On Instance 1');
      expect(kept(gw2)).toBe(before + 1); // the kept answer, with Redis

      await changeThroughInstance1('Renamed Again On Instance 1');

      const fresh = await dashboard(gw2);
      expect(kept(gw2)).toBe(before + 1); // not the kept answer: built again
      expect(names(fresh)).toContain('Renamed Again On Instance 1');
      expect(ok(await dashboard(gw2))).toEqual(ok(fresh));
      expect(kept(gw2)).toBe(before + 2);
    });
  });

  describe('a warm read', () => {
    it('should send Redis no read of the cache: no GET, no command on a cache key', async () => {
      for (const gw of [gw1, gw2]) {
        ok(await account(gw));
        ok(await account(gw));
      }
      await probe.config('RESETSTAT');
      const watch = await watchRedisCommands(redis.url);

      for (const gw of [gw1, gw2]) ok(await account(gw));
      // MONITOR reports commands in the order Redis ran them: once this marker is seen, every earlier one is.
      await probe.echo('reads-done');
      await watch.seen((args) => args[0] === 'echo');
      watch.stop();

      const stats = String(await probe.info('commandstats'));
      expect(stats).not.toMatch(/cmdstat_get:/);
      expect(watch.all().filter((args) => args.some((a) => a.startsWith('fcgw:c:')))).toEqual([]);
    });
  });
});
