import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Stripe from 'stripe';
import type { DeliveryQueue } from '../../src/services/partner-webhooks/delivery-queue';
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { postWebhook, refreshedEvent, stripeEvent, TEST_WEBHOOK_SECRET } from '../helpers/live';
import { linkedCustomer } from '../helpers/linking';
import { waitUntil } from '../helpers/wait';
import { createEndpoint } from '../helpers/partner-webhooks';
import { errorCodes, gql } from '../helpers/gql';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { docsVerifier, startReceiver, type Receiver } from '../helpers/webhook-receiver';

const verify = docsVerifier();
const idsOf = (r: Receiver) => r.received.map((x) => x.event.id);
/** A gateway on `redis` that may deliver to local receivers and retries within milliseconds. */
const redisGatewayEnv = (sandbox: StartedSandbox, redis: StartedRedis) => ({
  STRIPE_API_BASE: sandbox.url,
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  REDIS_URL: redis.url,
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_BASE_MS: '5',
  WEBHOOK_RETRY_MAX_MS: '20',
  RATE_LIMIT_PER_MINUTE: '100000',
});
let lastTick = 0;
const tick = () => (lastTick = Math.max(Math.floor(Date.now() / 1000), lastTick + 1));
const pendingJobs = async (gw: StartedGateway) => (await gw.gateway.partnerWebhooks.service.pending()).count;

describe('partner webhooks on Redis (BullMQ queue, several instances)', () => {
  let redis: StartedRedis;
  let sandbox: StartedSandbox;
  let env: Record<string, string>;
  const gateways: StartedGateway[] = [];
  let receiver1: Receiver;
  let receiver2: Receiver;
  let endpoint1: { id: string; secret: string };
  let endpoint2: { id: string; secret: string };
  let account: Stripe.FinancialConnections.Account;
  let last = 0;
  const tick = () => (last = Math.max(Math.floor(Date.now() / 1000), last + 1));
  const start = async () => {
    const gw = await startGateway(env);
    gateways.push(gw);
    return gw;
  };

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox();
    env = redisGatewayEnv(sandbox, redis);
    [receiver1, receiver2] = await Promise.all([startReceiver(), startReceiver()]);
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.close();
    await sandbox?.close();
    await receiver1?.close();
    await receiver2?.close();
    await redis?.stop();
  });

  it('two instances deliver each event once per endpoint', async () => {
    const [gw1, gw2] = [await start(), await start()];
    const linked = await linkedCustomer(gw1, sandbox, PARTNER_A.apiKey);
    account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    // Endpoints live in Redis: one created on each instance, both fed by either.
    endpoint1 = await createEndpoint(gw1, PARTNER_A.apiKey, receiver1.url);
    endpoint2 = await createEndpoint(gw2, PARTNER_A.apiKey, receiver2.url);

    const events = Array.from({ length: 10 }, () => {
      const at = tick();
      return JSON.stringify(refreshedEvent(account, 'balance', at, { created: at }));
    });
    // Each Stripe event reaches both instances (as Stripe's retries may), half of them first on gw2.
    for (const [i, body] of events.entries()) {
      const order = i % 2 ? [gw2, gw1] : [gw1, gw2];
      for (const gw of order) expect((await postWebhook(gw, body)).status).toBe(200);
    }
    await waitUntil(
      () => new Set(idsOf(receiver1)).size === 10 && new Set(idsOf(receiver2)).size === 10,
      'every event at both endpoints',
    );
    await waitUntil(async () => (await pendingJobs(gw1)) === 0, 'the queue to drain');
    // The same change handed to both instances' fan-out again (as a poller and a webhook on two
    // instances might) is the same job id: nothing more is sent.
    const again = JSON.parse(events[0]) as {
      created: number;
      data: { object: Stripe.FinancialConnections.Account };
    };
    const live = {
      kind: 'account.refreshed' as const,
      customerId: linked.customerId,
      accountId: account.id,
      feature: 'balance' as const,
      status: 'succeeded' as const,
      occurredAt: again.created,
      account: again.data.object,
      source: 'poller' as const,
    };
    await Promise.all([gw1, gw2].map((gw) => gw.gateway.partnerWebhooks.service.accept(live)));
    await waitUntil(async () => (await pendingJobs(gw1)) === 0, 'the queue to drain');
    expect(idsOf(receiver1)).toHaveLength(10);
    expect(idsOf(receiver2)).toHaveLength(10);
    expect(idsOf(receiver1).sort()).toEqual(idsOf(receiver2).sort());
    for (const r of receiver1.received) expect(verify(r.body, r.headers, endpoint1.secret)).toEqual(r.event);
    for (const r of receiver2.received) expect(verify(r.body, r.headers, endpoint2.secret)).toEqual(r.event);
  });

  it('a gateway stopped mid-retry and started again still delivers, once per endpoint', async () => {
    // One instance left, so the retry can only run after the restart.
    await gateways[1].close();
    const gw1 = gateways[0];
    let receiverUp = false;
    receiver1.answer = ({ event }) =>
      event.type === 'financial_account.deactivated' && !receiverUp ? 500 : 200;
    const at = tick();
    const event = stripeEvent(
      'financial_connections.account.deactivated',
      { ...account, status: 'inactive' },
      { created: at },
    );
    expect((await postWebhook(gw1, JSON.stringify(event))).status).toBe(200);
    const failed = await receiver1.next((r) => r.event.type === 'financial_account.deactivated');
    expect(failed.status).toBe(500);
    await gw1.close(); // with a retry scheduled in Redis
    receiverUp = true;
    const restarted = await start();
    const delivered = await receiver1.next((r) => r.event.id === failed.event.id && r.status === 200);
    expect(delivered.body).toBe(failed.body);
    await waitUntil(async () => (await pendingJobs(restarted)) === 0, 'the queue to drain');
    const attempts = receiver1.received.filter((r) => r.event.id === failed.event.id);
    expect(attempts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(receiver2.received.filter((r) => r.event.id === failed.event.id)).toHaveLength(1);
  });
});

describe('partner webhooks when Redis fails while an event is queued for partners', () => {
  let dir: string;
  let redis: StartedRedis;
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let receiver: Receiver;
  let endpoint: { id: string; secret: string };

  beforeAll(async () => {
    // Kept on disk (AOF, fsync per write): a Redis that comes back has its endpoints and queue, as in production.
    dir = mkdtempSync(path.join(os.tmpdir(), 'pwh-redis-'));
    redis = await startRedis(undefined, { dataDir: dir });
    sandbox = await startSandbox();
    receiver = await startReceiver();
    gw = await startGateway(redisGatewayEnv(sandbox, redis));
    await waitUntil(async () => (await fetch(`${gw.url}/readyz`)).status === 200, 'Redis to be connected');
    endpoint = await createEndpoint(gw, PARTNER_A.apiKey, receiver.url);
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
    await receiver?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should answer the Stripe delivery 503 when Redis stops during the enqueue, and deliver the redelivered event once', async () => {
    const linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    const account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    // The queue as the service sees it, with Redis killed at the moment the partner event is being queued.
    const service = gw.gateway.partnerWebhooks.service;
    const queue = (service as unknown as { queue: DeliveryQueue }).queue;
    let killed = false;
    service.attach({
      ...queue,
      transport: queue.transport,
      pending: () => queue.pending(),
      close: () => queue.close(),
      async add(job, jobId, delayMs) {
        if (job.name === 'fanout' && !killed) {
          killed = true;
          await redis.stop();
        }
        return queue.add(job, jobId, delayMs);
      },
    });
    const event = JSON.stringify(
      stripeEvent('financial_connections.account.created', account, { created: tick() }),
    );
    // Not acknowledged: Stripe keeps the event and delivers it again.
    expect((await postWebhook(gw, event)).status).toBe(503);
    expect(killed).toBe(true);
    // Meanwhile the endpoint API answers a retryable code, not an internal error.
    const listed = await gql(gw.graphqlUrl, '{ webhookEndpoints(first: 1) { nodes { id } } }', undefined, {
      token: PARTNER_A.apiKey,
    });
    expect(errorCodes(listed)).toEqual(['UPSTREAM_UNAVAILABLE']);
    redis = await startRedis(redis.port, { dataDir: dir });
    // Stripe's retry, once Redis is back (the gateway's own connections reconnect with backoff).
    await waitUntil(
      async () => (await postWebhook(gw, event)).status === 200,
      'the redelivery to be acknowledged',
    );
    const got = await receiver.next(
      (r) =>
        r.event.type === 'financial_account.linked' &&
        (r.event.data.financialAccount as { id: string }).id === account.id,
    );
    expect(verify(got.body, got.headers, endpoint.secret)).toEqual(got.event);
    await waitUntil(async () => (await pendingJobs(gw)) === 0, 'the queue to drain');
    // Delivered again by Stripe: a duplicate, nothing more reaches the endpoint.
    expect((await postWebhook(gw, event)).status).toBe(200);
    await waitUntil(async () => (await pendingJobs(gw)) === 0, 'the queue to drain');
    expect(receiver.received.filter((r) => r.event.id === got.event.id)).toHaveLength(1);
  });

  it('should leave an event to the next catch-up run when Redis stops while the catch-up queues it, delivering it once', async () => {
    const linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    const service = gw.gateway.partnerWebhooks.service;
    const queue = (service as unknown as { queue: DeliveryQueue }).queue;
    let killed = false;
    service.attach({
      ...queue,
      transport: queue.transport,
      pending: () => queue.pending(),
      close: () => queue.close(),
      async add(job, jobId, delayMs) {
        if (job.name === 'fanout' && !killed) {
          killed = true;
          await redis.stop();
        }
        return queue.add(job, jobId, delayMs);
      },
    });
    // Stripe-side, with no webhook reaching the gateway: only the catch-up reads it back.
    const refreshed = sandbox.sandbox.waitForEvent(
      (e) =>
        e.type === 'financial_connections.account.refreshed_balance' &&
        (e.data.object as { id?: string }).id === linked.accountId,
    );
    await sandbox.stripe.financialConnections.accounts.refresh(linked.accountId, { features: ['balance'] });
    await refreshed;
    expect(await gw.gateway.live.catchUp.run()).toBe(0); // Redis stopped under it: nothing claimed, cursor kept
    expect(killed).toBe(true);
    redis = await startRedis(redis.port, { dataDir: dir });
    // The next run (Redis's return starts one; this one waits for it or runs after it) queues and claims it.
    const got = await receiver.next(
      (r) =>
        r.event.type === 'financial_account.refreshed' &&
        (r.event.data.financialAccount as { id: string }).id === linked.accountId,
    );
    await waitUntil(async () => (await pendingJobs(gw)) === 0, 'the queue to drain');
    await gw.gateway.live.catchUp.run();
    await waitUntil(async () => (await pendingJobs(gw)) === 0, 'the queue to drain');
    expect(receiver.received.filter((r) => r.event.id === got.event.id)).toHaveLength(1);
    const ids = receiver.received.map((r) => r.event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
