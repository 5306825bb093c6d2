import { Redis } from 'ioredis';
import type { Client } from 'graphql-ws';
import type Stripe from 'stripe';
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import {
  postWebhook,
  refreshedEvent,
  subscribed,
  TEST_WEBHOOK_SECRET,
  wsClient,
  type Subscription,
} from '../helpers/live';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';
import { waitUntil } from '../helpers/wait';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const REFRESHED = `subscription($accountId: ID) {
  financialAccountRefreshed(accountId: $accountId) {
    feature occurredAt financialAccount { id balance { current { amount currency } } }
  }
}`;
interface Refreshed {
  financialAccountRefreshed: {
    feature: string;
    occurredAt: string;
    financialAccount: { id: string; balance: { current: { amount: number; currency: string }[] } | null };
  };
}

describe('two gateway instances joined by Redis', () => {
  let redis: StartedRedis;
  let restarted: StartedRedis | undefined;
  let probe: Redis;
  let sandbox: StartedSandbox;
  let a: StartedGateway;
  let b: StartedGateway;
  let client: Client;
  let linked: LinkedCustomer;
  let account: Stripe.FinancialConnections.Account;
  let sub: Subscription<Refreshed>;
  let last = 0;
  const tick = () => (last = Math.max(Math.floor(Date.now() / 1000), last + 1));
  const topic = () => `fcgw.account.refreshed:${linked.customerId}`;

  beforeAll(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
    probe.on('error', () => undefined);
    await probe.connect();
    sandbox = await startSandbox();
    const env = {
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      REDIS_URL: redis.url,
    };
    a = await startGateway(env);
    b = await startGateway(env);
    linked = await linkedCustomer(a, sandbox, PARTNER_A.apiKey);
    account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    client = wsClient(b, PARTNER_A.apiKey);
    // Redis pub/sub drops what is published before SUBSCRIBE lands: wait until Redis ran B's SUBSCRIBE.
    const commands = await watchRedisCommands(redis.url);
    try {
      sub = await subscribed<Refreshed>(b, client, REFRESHED, { accountId: linked.accountId });
      await commands.seen((c) => c[0] === 'subscribe' && c.includes(topic()));
    } finally {
      commands.stop();
    }
  });
  afterAll(async () => {
    sub?.stop();
    await client?.dispose();
    await a?.close();
    await b?.close();
    await sandbox?.close();
    probe?.disconnect();
    await restarted?.stop();
    await redis?.stop(); // stopped mid-suite already: resolves at once
  });

  it('should deliver a webhook received by instance A to the subscriber on instance B', async () => {
    const at = tick();
    const res = await postWebhook(
      a,
      JSON.stringify(refreshedEvent(account, 'balance', at, { created: at, balance: 31_415 })),
    );
    expect(res.status).toBe(200);
    const msg = (await sub.next()).financialAccountRefreshed;
    expect(msg.occurredAt).toBe(new Date(at * 1000).toISOString());
    expect(msg.financialAccount.balance?.current).toEqual([{ amount: 31_415, currency: 'usd' }]);
  });

  it('should de-duplicate across instances: the same event (or completion) on B after A pushes nothing', async () => {
    const at = tick();
    const event = refreshedEvent(account, 'balance', at, { created: at, balance: 27_182 });
    expect((await postWebhook(a, JSON.stringify(event))).body).toEqual({ received: true });
    expect((await postWebhook(b, JSON.stringify(event))).body).toEqual({ received: true, duplicate: true });
    const resent = { ...event, id: `${String(event.id)}_b` };
    expect((await postWebhook(b, JSON.stringify(resent))).body).toEqual({ received: true });
    expect((await sub.next()).financialAccountRefreshed.occurredAt).toBe(new Date(at * 1000).toISOString());

    const markerAt = tick();
    await postWebhook(
      b,
      JSON.stringify(refreshedEvent(account, 'ownership', markerAt, { created: markerAt })),
    );
    expect((await sub.next()).financialAccountRefreshed).toMatchObject({
      feature: 'OWNERSHIP',
      occurredAt: new Date(markerAt * 1000).toISOString(),
    });
  });

  it('should report ready with Redis up', async () => {
    const res = await fetch(`${a.url}/readyz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { checks: Record<string, string> }).checks.redis).toBe('ok');
  });

  describe('when Redis goes away', () => {
    beforeAll(async () => {
      await redis.stop();
      await waitUntil(async () => (await fetch(`${a.url}/readyz`)).status === 503, '/readyz to notice');
    });

    it('should keep answering queries, including ones that call Stripe', async () => {
      const r = await gql<{ financialAccount: { id: string } }>(
        a.graphqlUrl,
        'query($id: ID!) { viewer { partnerId } financialAccount(id: $id) { id } }',
        { id: linked.accountId },
        { token: PARTNER_A.apiKey },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data?.financialAccount.id).toBe(linked.accountId);
    });

    it('should report Redis as failing in /readyz', async () => {
      const res = await fetch(`${a.url}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { checks: Record<string, string> }).checks.redis).toBe('failing');
    });

    it('should answer webhooks 503 (never process without de-duplication) so Stripe retries', async () => {
      const at = tick();
      const res = await postWebhook(
        a,
        JSON.stringify(refreshedEvent(account, 'balance', at, { created: at })),
      );
      expect(res.status).toBe(503);
    });

    it('should log the outage without any secret', () => {
      const logs = a.logs.join('\n');
      expect(logs).toMatch(/redis connection failing/);
      expect(logs).not.toContain(TEST_WEBHOOK_SECRET);
    });
  });

  describe('when Redis comes back', () => {
    beforeAll(async () => {
      restarted = await startRedis(redis.port); // the port both instances reconnect to
      await waitUntil(async () => (await fetch(`${a.url}/readyz`)).status === 200, 'A to reconnect', 20_000);
      await waitUntil(async () => (await fetch(`${b.url}/readyz`)).status === 200, 'B to reconnect', 20_000);
      probe.disconnect();
      probe = new Redis(`redis://127.0.0.1:${redis.port}`, { maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      // B re-subscribes its topics on reconnect (ioredis autoResubscribe): either Redis already has B's
      // subscription, or its SUBSCRIBE is still to come (watched from before the check, so never missed).
      const commands = await watchRedisCommands(redis.url);
      try {
        const subscribers = Number(((await probe.pubsub('NUMSUB', topic())) as [string, number])[1]);
        if (subscribers === 0)
          await commands.seen((c) => c[0] === 'subscribe' && c.includes(topic()), 1, 20_000);
      } finally {
        commands.stop();
      }
    }, 45_000);

    it('should deliver events across instances again, to the subscription that lived through the outage', async () => {
      const at = tick();
      const res = await postWebhook(
        a,
        JSON.stringify(refreshedEvent(account, 'balance', at, { created: at, balance: 16_180 })),
      );
      expect(res.status).toBe(200);
      const msg = (await sub.next()).financialAccountRefreshed;
      expect(msg.occurredAt).toBe(new Date(at * 1000).toISOString());
      expect(msg.financialAccount.balance?.current).toEqual([{ amount: 16_180, currency: 'usd' }]);
    });
  });
});
