// Payments followed until they settle, with REDIS_URL (src/services/live/payment-follow-up.ts): the follow-up is a
// BullMQ job, so it outlives the gateways that started it and a Redis server killed mid-follow-up, one instance looks
// at a time, and the settlement is pushed once. No webhook reaches these gateways (a configured secret, no endpoint).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { LiveEvent } from '../../src/services/live/live-events';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { linkedCustomer } from '../helpers/linking';
import { confirmPayment, createPayment } from '../helpers/payment-intents';
import { followUpOutcome, subscribed, TEST_WEBHOOK_SECRET, wsClient } from '../helpers/live';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { waitUntil } from '../helpers/wait';

const PI_UPDATED = `subscription($customerId: ID) { paymentIntentUpdated(customerId: $customerId) { id status } }`;
const ONLINE_MANDATE = {
  customer_acceptance: {
    type: 'online' as const,
    online: { ip_address: '127.0.0.1', user_agent: 'follow-up test' },
  },
};
/** Looks a fraction of a second apart instead of a minute to an hour. */
const FAST_FOLLOW_UP = { PAYMENT_FOLLOW_UP_INITIAL_DELAY_MS: '300', PAYMENT_FOLLOW_UP_MAX_DELAY_MS: '50' };

type Look = { gateway: string; attempt: number; status: string | null };

/** Every look `gw`'s follow-up makes, and every payment status it publishes, recorded under `name`. */
function record(
  gw: StartedGateway,
  name: string,
  looks: Look[],
  pushed: { gateway: string; status: string | null }[],
) {
  gw.gateway.live.followUp.on('looked', (l: { attempt: number; status: string | null }) =>
    looks.push({ gateway: name, attempt: l.attempt, status: l.status }),
  );
  gw.gateway.live.publisher.addSink((e: LiveEvent) => {
    if (e.kind === 'payment_intent.updated') pushed.push({ gateway: name, status: e.status });
  });
}

/** Resolves once `looks` holds `count` entries (checked on each of `gws`' looks). */
function looksReach(gws: StartedGateway[], looks: Look[], count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (looks.length < count) return;
      for (const gw of gws) gw.gateway.live.followUp.off('looked', check);
      resolve();
    };
    for (const gw of gws) gw.gateway.live.followUp.on('looked', check);
    check();
  });
}

describe('a payment follow-up across gateway restarts (two instances sharing Redis)', () => {
  let sb: StartedSandbox;
  let redis: StartedRedis;
  const gateways: StartedGateway[] = [];
  const start = async () => {
    const gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      REDIS_URL: redis.url,
      STRIPE_MAX_RETRIES: '0',
      ...FAST_FOLLOW_UP,
    });
    gateways.push(gw);
    return gw;
  };

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 1_000 });
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.close();
    await sb?.close();
    await redis?.stop();
  });

  it('is looked at by one instance per look, and finished by a gateway started after both stopped', async () => {
    const a = await start();
    const b = await start();
    const looks: Look[] = [];
    const pushed: { gateway: string; status: string | null }[] = [];
    record(a, 'a', looks, pushed);
    record(b, 'b', looks, pushed);
    const { customerId, accountId } = await linkedCustomer(a, sb, PARTNER_A.apiKey);
    const pi = await createPayment(a, PARTNER_A.apiKey, {
      customerId,
      accountId,
      idempotencyKey: 'follow-up-restart-1',
    });
    const settled = sb.sandbox.waitForEvent(
      (e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id?: string }).id === pi,
    );
    expect(await confirmPayment(a, PARTNER_A.apiKey, pi)).toBe('PROCESSING');
    // From here Stripe answers nothing ("down") until the last gateway runs: the settlement (Stripe-side, in a
    // second) can only be found by a follow-up that outlived the gateways that started it. (A look made before
    // this line, within the first look's delay, could only have seen the payment processing.)
    sb.sandbox.setFaults({ errorRate: 1 });
    await Promise.all([looksReach([a, b], looks, 4), settled]);
    await Promise.all([a.close(), b.close()]); // every look in flight finishes first

    // The mutation reads the payment before it confirms it, never after: every GET after the confirm is a look.
    const confirmAt = sb.sandbox.requestLog.findIndex(
      (r) => r.method === 'POST' && r.path === `/v1/payment_intents/${pi}/confirm`,
    );
    const gets = sb.sandbox.requestLog
      .slice(confirmAt)
      .filter((r) => r.method === 'GET' && r.path === `/v1/payment_intents/${pi}`).length;
    // One GET per look, whichever instance made it, and the looks numbered 1, 2, 3…: never two at once.
    expect(looks.map((l) => l.attempt)).toEqual(looks.map((_, i) => i + 1));
    expect(gets).toBe(looks.length);
    expect(pushed.every((p) => p.status === 'processing')).toBe(true);

    // Both gateways are down; the follow-up waits in Redis. A new gateway takes it over where it stopped.
    const looksBefore = looks.length;
    const c = await start(); // its start-up catch-up fails too (Stripe is "down"): only the follow-up can push
    record(c, 'c', looks, pushed);
    const outcome = followUpOutcome(c, pi);
    sb.sandbox.setFaults(null);
    expect(await outcome).toBe('settled');
    expect(looks.length).toBeGreaterThan(looksBefore);
    expect(looks.slice(looksBefore).every((l) => l.gateway === 'c')).toBe(true);
    expect(looks.map((l) => l.attempt)).toEqual(looks.map((_, i) => i + 1)); // the count went on
    expect(looks.at(-1)!.status).toBe('succeeded');
    expect(pushed.filter((p) => p.status === 'succeeded')).toEqual([{ gateway: 'c', status: 'succeeded' }]);
    expect(await c.gateway.live.followUp.pending()).toBe(0);
  });
});

describe('a payment follow-up while Redis is killed and restarted', () => {
  let sb: StartedSandbox;
  let redis: StartedRedis;
  let restarted: StartedRedis | undefined;
  let gw: StartedGateway;
  let probe: Redis;
  let dataDir: string;

  beforeAll(async () => {
    // An append-only file written on every command: what a killed server had acknowledged is there after a restart.
    dataDir = mkdtempSync(path.join(tmpdir(), 'follow-up-redis-'));
    redis = await startRedis(undefined, { dataDir });
    sb = await startSandbox({ achDelayMs: 10 });
    gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      REDIS_URL: redis.url,
      STRIPE_MAX_RETRIES: '0',
      ...FAST_FOLLOW_UP,
    });
  });
  afterAll(async () => {
    probe?.disconnect();
    await gw?.close();
    await sb?.close();
    await restarted?.stop();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing: the settlement is pushed once after Redis comes back', async () => {
    const { customerId, accountId } = await linkedCustomer(gw, sb, PARTNER_A.apiKey);
    const pi = await createPayment(gw, PARTNER_A.apiKey, {
      customerId,
      accountId,
      idempotencyKey: 'follow-up-redis-kill-1',
    });
    const client = wsClient(gw, PARTNER_A.apiKey);
    const payments = await subscribed<{ paymentIntentUpdated: { id: string; status: string } }>(
      gw,
      client,
      PI_UPDATED,
      { customerId },
    );
    const looks: Look[] = [];
    const pushed: { gateway: string; status: string | null }[] = [];
    record(gw, 'gw', looks, pushed);
    try {
      // Stripe-side the debit settles at once, but every look fails until the end (Stripe "down"), so the
      // settlement can only be found by a follow-up that lived through the Redis outage.
      const settled = sb.sandbox.waitForEvent(
        (e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id?: string }).id === pi,
      );
      await sb.stripe.paymentIntents.confirm(pi, { mandate_data: ONLINE_MANDATE });
      await settled;
      sb.sandbox.setFaults({ errorRate: 1 });
      await gw.gateway.live.followUp.follow(pi); // what a confirm through the gateway starts
      expect(await gw.gateway.live.followUp.pending()).toBe(1);

      await redis.stop(); // SIGKILL: no shutdown save; only the append-only file remains
      await waitUntil(async () => (await fetch(`${gw.url}/readyz`)).status === 503, '/readyz to notice');
      restarted = await startRedis(redis.port, { dataDir });
      await waitUntil(
        async () => (await fetch(`${gw.url}/readyz`)).status === 200,
        'Redis to be back',
        20_000,
      );
      // The subscription's topic is subscribed again (ioredis autoResubscribe) before anything is published.
      probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      const topic = `fcgw.payment_intent.updated:${customerId}`;
      const commands = await watchRedisCommands(redis.url);
      try {
        const subscribers = Number(((await probe.pubsub('NUMSUB', topic)) as [string, number])[1]);
        if (subscribers === 0)
          await commands.seen((c) => c[0] === 'subscribe' && c.includes(topic), 1, 20_000);
      } finally {
        commands.stop();
      }
      expect(await gw.gateway.live.followUp.pending()).toBe(1); // the job came back from the append-only file

      const outcome = followUpOutcome(gw, pi);
      sb.sandbox.setFaults(null); // Stripe answers again
      expect(await outcome).toBe('settled');
      expect((await payments.next()).paymentIntentUpdated).toEqual({ id: pi, status: 'SUCCEEDED' });
      expect(pushed).toEqual([{ gateway: 'gw', status: 'succeeded' }]);
      expect(payments.pending).toBe(0);
      expect(await gw.gateway.live.followUp.pending()).toBe(0);
    } finally {
      sb.sandbox.setFaults(null);
      payments.stop();
      await client.dispose();
    }
  }, 60_000);
});
