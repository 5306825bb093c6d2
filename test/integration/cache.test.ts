// The cross-request Stripe cache end to end: hits cost no Stripe call, tenants never share, concurrent reads
// share one call, the gateway's writes and refresh completions invalidate, Redis shares it and may fail.
import {
  CustomerDashboardDocument,
  GetFinancialAccountBalanceDocument,
  GetFinancialAccountDocument,
  RefreshFinancialAccountDocument,
} from '../generated/graphql';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { linkedCustomer } from '../helpers/linking';
import { REFRESHED, subscribed, wsClient, type Refreshed } from '../helpers/live';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { waitUntil } from '../helpers/wait';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const ACCOUNT_PATH = /^\/v1\/financial_connections\/accounts\/fca_[A-Za-z0-9]+$/;

describe('Stripe read cache (integration)', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  let a: Awaited<ReturnType<typeof linkedCustomer>>;
  let b: Awaited<ReturnType<typeof linkedCustomer>>;

  /** Stripe requests the sandbox saw while `fn` ran. */
  async function upstreamDuring<T>(fn: () => Promise<T>) {
    sb.sandbox.clearRequestLog();
    const result = await fn();
    return { result, log: [...sb.sandbox.requestLog] };
  }

  beforeAll(async () => {
    sb = await startSandbox({ refreshDelayMs: 300 });
    gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      STRIPE_MAX_RPS: '100',
    });
    a = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER');
    b = await linkedCustomer(gw, sb, PARTNER_B.apiKey, 'CUSTOMER');
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  describe('hits', () => {
    it('should answer a repeated dashboard from the cache with no Stripe request and the same data', async () => {
      const first = await upstreamDuring(() =>
        gql(gw.graphqlUrl, CustomerDashboardDocument, { id: a.customer.id }, { token: PARTNER_A.apiKey }),
      );
      expect(first.log.length).toBeGreaterThan(0);
      const second = await upstreamDuring(() =>
        gql(gw.graphqlUrl, CustomerDashboardDocument, { id: a.customer.id }, { token: PARTNER_A.apiKey }),
      );
      expect(second.log).toEqual([]);
      expect(ok(second.result)).toEqual(ok(first.result));
      const lookups = await gw.gateway.metrics.cacheLookups.get();
      expect(lookups.values.some((v) => v.labels.result === 'hit' && v.value > 0)).toBe(true);
    });
  });

  describe('tenancy', () => {
    it("should never serve one partner's cached account to another partner", async () => {
      const accountId = a.accountIds[0];
      ok(
        await gql(gw.graphqlUrl, GetFinancialAccountDocument, { id: accountId }, { token: PARTNER_A.apiKey }),
      );
      // A's copy is now cached. B asks for the same id: B's read is B's own upstream call, and the
      // ownership check on B's copy refuses it exactly like an unknown id.
      const asB = await upstreamDuring(() =>
        gql(gw.graphqlUrl, GetFinancialAccountDocument, { id: accountId }, { token: PARTNER_B.apiKey }),
      );
      expect(errorCodes(asB.result)).toEqual(['NOT_FOUND']);
      expect(asB.result.data?.financialAccount ?? null).toBeNull();
      expect(
        asB.log.filter((e) => e.path === `/v1/financial_connections/accounts/${accountId}`),
      ).toHaveLength(1);
      // And A still reads its own cached copy without a Stripe call.
      const again = await upstreamDuring(() =>
        gql(gw.graphqlUrl, GetFinancialAccountDocument, { id: accountId }, { token: PARTNER_A.apiKey }),
      );
      expect(again.log).toEqual([]);
      expect(ok(again.result).financialAccount?.id).toBe(accountId);
    });

    it("should serve each partner its own dashboard, never the other's", async () => {
      const da = ok(
        await gql(
          gw.graphqlUrl,
          CustomerDashboardDocument,
          { id: a.customer.id },
          { token: PARTNER_A.apiKey },
        ),
      );
      const db = ok(
        await gql(
          gw.graphqlUrl,
          CustomerDashboardDocument,
          { id: b.customer.id },
          { token: PARTNER_B.apiKey },
        ),
      );
      const idsA = da.customer!.financialAccounts.nodes.map((n) => n.id).sort();
      const idsB = db.customer!.financialAccounts.nodes.map((n) => n.id).sort();
      expect(idsA).toEqual([...a.accountIds].sort());
      expect(idsB).toEqual([...b.accountIds].sort());
      const crossed = await gql(
        gw.graphqlUrl,
        CustomerDashboardDocument,
        { id: a.customer.id },
        { token: PARTNER_B.apiKey },
      );
      expect(crossed.data?.customer ?? null).toBeNull();
      expect(errorCodes(crossed)).toEqual(['NOT_FOUND']);
    });
  });

  describe('in-flight de-duplication', () => {
    it('should make one Stripe call for the same account read by many concurrent requests', async () => {
      const accountId = b.accountIds[b.accountIds.length - 1];
      await gw.gateway.readStore.invalidateAllTenants('fca:*');
      sb.sandbox.setFaults({ latencyMs: 150 }); // the reads overlap in time
      try {
        const { result, log } = await upstreamDuring(() =>
          Promise.all(
            Array.from({ length: 8 }, () =>
              gql(gw.graphqlUrl, GetFinancialAccountDocument, { id: accountId }, { token: PARTNER_B.apiKey }),
            ),
          ),
        );
        for (const r of result) expect(ok(r).financialAccount?.id).toBe(accountId);
        expect(log.filter((e) => e.method === 'GET' && ACCOUNT_PATH.test(e.path))).toHaveLength(1);
      } finally {
        sb.sandbox.setFaults(null);
      }
    });
  });

  describe('invalidation', () => {
    it("should show the gateway's own refresh at once, and its completion as soon as it is known", async () => {
      const accountId = a.accountIds[0];
      const read = () =>
        gql(
          gw.graphqlUrl,
          GetFinancialAccountBalanceDocument,
          { id: accountId },
          { token: PARTNER_A.apiKey },
        );
      const before = ok(await read()).financialAccount!;
      expect(before.balanceRefresh?.status ?? null).not.toBe('PENDING');
      ok(await read()); // cached now
      const client = wsClient(gw, PARTNER_A.apiKey);
      const completions = await subscribed<Refreshed>(gw, client, REFRESHED, { accountId });
      ok(
        await gql(
          gw.graphqlUrl,
          RefreshFinancialAccountDocument,
          { input: { accountId, features: ['BALANCE'] } },
          { token: PARTNER_A.apiKey },
        ),
      );
      // The mutation invalidated the account: the next read is fresh, not the cached copy.
      expect(ok(await read()).financialAccount!.balanceRefresh?.status).toBe('PENDING');
      // The account's TTL is 30 s; the completion (refresh poller or webhook) invalidates it before it
      // is pushed, so the read right after the push is fresh.
      const pushed = (await completions.next()).financialAccountRefreshed;
      expect(pushed).toMatchObject({ feature: 'BALANCE', status: 'SUCCEEDED' });
      const done = ok(await read()).financialAccount!;
      expect(done.balanceRefresh?.status).toBe('SUCCEEDED');
      expect(done.balance?.current).toEqual(pushed.financialAccount.balance?.current);
      completions.stop();
      await client.dispose();
    });
  });
});

describe('Stripe read cache with Redis (integration)', () => {
  let sb: StartedSandbox;
  let redis: StartedRedis;
  let gw1: StartedGateway;
  let gw2: StartedGateway;

  beforeAll(async () => {
    sb = await startSandbox({ refreshDelayMs: 50 });
    redis = await startRedis();
    const env = {
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      STRIPE_MAX_RPS: '100',
      REDIS_URL: redis.url,
    };
    gw1 = await startGateway(env);
    gw2 = await startGateway(env);
  });
  afterAll(async () => {
    await gw1?.close();
    await gw2?.close();
    await redis?.stop(); // stopped by the test already: resolves at once
    await sb?.close();
  });

  it('should share cached objects between instances, and serve uncached when Redis is down', async () => {
    const { customer, accountIds } = await linkedCustomer(gw1, sb, PARTNER_A.apiKey, 'CUSTOMER');
    // Linking emits financial_connections.account.created per account, delivered to both instances, whose
    // invalidations (of this customer's account list among others) must not land between the reads below.
    const delivered = await Promise.all(
      accountIds.flatMap((id) =>
        [gw1, gw2].map((gw) =>
          sb.sandbox.waitForDelivery(
            (d) =>
              d.ok &&
              d.eventType === 'financial_connections.account.created' &&
              d.url.startsWith(gw.url) &&
              d.payload.includes(id),
          ),
        ),
      ),
    );
    // A delivery is acknowledged before its work runs (src/services/live/webhook-events.service.ts): wait until
    // each event was handled, its invalidations done, by the instance that claimed it (the other saw a duplicate).
    const eventIds = [...new Set(delivered.map((d) => d.eventId))];
    await waitUntil(
      () =>
        eventIds.every((id) =>
          [gw1, gw2].some((gw) => gw.logs.some((l) => l.includes(id) && l.includes('webhook event handled'))),
        ),
      'the account events to be handled',
    );
    const dash = () =>
      gql(gw2.graphqlUrl, CustomerDashboardDocument, { id: customer.id }, { token: PARTNER_A.apiKey });
    sb.sandbox.clearRequestLog();
    const first = ok(
      await gql(gw1.graphqlUrl, CustomerDashboardDocument, { id: customer.id }, { token: PARTNER_A.apiKey }),
    );
    expect(sb.sandbox.requestLog.filter((e) => e.method === 'GET').length).toBeGreaterThan(0);
    // The first instance sent every write (fetched objects, and the objects they embed, primed with SETs of their
    // own) before answering, on its one Redis connection, which Redis answers in order: once a read it sends after
    // them is answered, all of them are stored.
    await gw1.gateway.readStore.forTenant('any').peek('any');
    sb.sandbox.clearRequestLog();
    expect(ok(await dash())).toEqual(first);
    expect(sb.sandbox.requestLog).toEqual([]);

    await redis.stop();
    sb.sandbox.clearRequestLog();
    const down = await dash();
    expect(ok(down)).toEqual(first);
    expect(sb.sandbox.requestLog.length).toBeGreaterThan(0);
  });
});
