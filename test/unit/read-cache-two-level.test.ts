// The read cache with REDIS_URL (src/services/stripe/read-cache-two-level.ts): two stores ("instances") on one real
// Redis, each with its own connections. A warm read sends Redis nothing; another instance's invalidation drops the
// copy when its message arrives; while the subscriber connection is down, nothing is served from the process.
import { Redis } from 'ioredis';
import { createLogger } from '../../src/platform/logger';
import { createMetrics, type Metrics } from '../../src/platform/metrics';
import { closeRedis, createRedisConnection } from '../../src/platform/redis/connection';
import { accountKey, accountPattern } from '../../src/services/stripe/cache-keys';
import { twoLevelReadCache } from '../../src/services/stripe/read-cache-two-level';
import {
  createStripeReadStore,
  NOT_HERE,
  REFRESH_AHEAD_FRACTION,
  type StripeReadStore,
} from '../../src/services/stripe/stripe-reads';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';
import { waitUntil } from '../helpers/wait';

const log = createLogger('silent');

interface Instance {
  store: StripeReadStore;
  metrics: Metrics;
  commands: Redis;
  subscriber: Redis;
}

async function gaugeValue(metrics: Metrics): Promise<number> {
  return (await metrics.cacheLocalServing.get()).values[0]?.value ?? 0;
}
async function received(metrics: Metrics): Promise<number> {
  return (await metrics.cacheInvalidationsReceived.get()).values[0]?.value ?? 0;
}

describe('two-level read cache', () => {
  let redis: StartedRedis;
  let probe: Redis;
  const instances: Instance[] = [];

  /** One instance's store on its own commands and subscriber connections, once it serves from its process. */
  async function instance(
    name: string,
    subscriberOf?: (url: string) => Redis,
    policies?: NonNullable<Parameters<typeof createStripeReadStore>[0]>['policies'],
  ): Promise<Instance> {
    const metrics = createMetrics();
    const commands = createRedisConnection({
      url: redis.url,
      name: `${name}-commands`,
      log,
      role: 'commands',
    });
    const subscriber =
      subscriberOf?.(redis.url) ??
      createRedisConnection({ url: redis.url, name: `${name}-subscriber`, log, role: 'subscriber' });
    const store = createStripeReadStore({
      cache: twoLevelReadCache({ redis: commands, subscriber, metrics, log }),
      policies,
    });
    const made = { store, metrics, commands, subscriber };
    instances.push(made);
    await waitUntil(async () => (await gaugeValue(metrics)) === 1, `${name} to subscribe to invalidations`);
    return made;
  }

  beforeAll(async () => {
    redis = await startRedis();
    probe = createRedisConnection({ url: redis.url, name: 'probe', log, role: 'commands' });
  });
  afterEach(async () => {
    for (const i of instances.splice(0)) {
      await i.store.close();
      await closeRedis(i.commands);
      await closeRedis(i.subscriber);
    }
    await probe.flushall();
  });
  afterAll(async () => {
    await closeRedis(probe);
    await redis.stop();
  });

  describe('get', () => {
    it('should answer a warm read from the process, sending Redis no command', async () => {
      const one = await instance('one');
      const reads = one.store.forTenant('partner_a');
      let calls = 0;
      const fetch = async () => ({ id: 'fca_1', n: ++calls });
      const first = await reads.get(accountKey('fca_1'), fetch);
      await one.commands.ping(); // the SET sent before it is stored
      const watch = await watchRedisCommands(redis.url);

      const second = await reads.get(accountKey('fca_1'), fetch);
      await probe.echo('read-done');
      await watch.seen((args) => args[0] === 'echo');
      watch.stop();

      // The very object read first (what the response cache checks by identity), no Stripe call, no Redis command.
      expect(second).toBe(first);
      expect(reads.peekHere(accountKey('fca_1'), true)).toBe(first);
      // Not in this process: Redis may have it.
      expect(reads.peekHere(accountKey('fca_other'), false)).toBe(NOT_HERE);
      expect(calls).toBe(1);
      expect(watch.all().filter((args) => args[0] !== 'echo')).toEqual([]);
    });

    it("should read another instance's entry from Redis once, then from the process", async () => {
      const one = await instance('one');
      const two = await instance('two');
      let calls = 0;
      const fetch = async () => ({ id: 'fca_2', n: ++calls });
      await one.store.forTenant('partner_a').get(accountKey('fca_2'), fetch);
      await one.commands.ping();
      const reads = two.store.forTenant('partner_a');
      const watch = await watchRedisCommands(redis.url);
      const fromRedis = await reads.get(accountKey('fca_2'), fetch);
      const fromProcess = await reads.get(accountKey('fca_2'), fetch);
      await probe.echo('reads-done');
      await watch.seen((args) => args[0] === 'echo');
      watch.stop();

      expect(fromProcess).toBe(fromRedis);
      expect(calls).toBe(1);
      expect(watch.all().filter((args) => args[0] === 'get')).toHaveLength(1);
    });
  });

  describe('invalidation by another instance', () => {
    it('should drop the copy when the message arrives, so the next read sees the new value', async () => {
      const one = await instance('one');
      const two = await instance('two');
      let version = 1;
      const fetch = async () => ({ id: 'fca_3', version });
      const reads = two.store.forTenant('partner_a');
      await reads.get(accountKey('fca_3'), fetch);
      await reads.get(accountKey('fca_3', true), fetch);
      expect(await reads.get(accountKey('fca_3'), fetch)).toEqual({ id: 'fca_3', version: 1 });

      version = 2; // Stripe changed it; a webhook on the other instance says so
      const before = await received(two.metrics);
      await one.store.invalidateAllTenants(accountPattern('fca_3'));
      await waitUntil(async () => (await received(two.metrics)) > before, 'the invalidation to arrive');

      expect(await reads.get(accountKey('fca_3'), fetch)).toEqual({ id: 'fca_3', version: 2 });
      expect(await reads.get(accountKey('fca_3', true), fetch)).toEqual({ id: 'fca_3', version: 2 });
    });

    it('should not keep what a fetch under way returns once another instance invalidated it', async () => {
      const one = await instance('one');
      const two = await instance('two');
      let release: (v: { version: number }) => void = () => undefined;
      const reads = two.store.forTenant('partner_a');
      const pending = reads.get(accountKey('fca_4'), () => new Promise((r) => (release = r)));
      const before = await received(two.metrics);
      await one.store.invalidateAllTenants(accountKey('fca_4'));
      await waitUntil(async () => (await received(two.metrics)) > before, 'the invalidation to arrive');
      release({ version: 1 });
      expect(await pending).toEqual({ version: 1 });
      await two.commands.ping();

      let calls = 0;
      expect(await reads.get(accountKey('fca_4'), async () => ({ version: 2 + calls++ }))).toEqual({
        version: 2,
      });
    });
  });

  describe('refresh ahead of expiry', () => {
    it("should take another instance's refreshed entry from Redis instead of asking Stripe again", async () => {
      // `fcas` lives 5 s here: its last 20% (the refresh window) starts 4 s after it was stored.
      const ttlMs = 5_000;
      const one = await instance('one', undefined, { fcas: { ttlMs } });
      const two = await instance('two', undefined, { fcas: { ttlMs } });
      let calls = 0;
      const fetch = async () => ({ version: ++calls });
      expect(await two.store.forTenant('partner_a').get('fcas:cus_1', fetch)).toEqual({ version: 1 });
      await two.commands.ping();
      expect(await one.store.forTenant('partner_a').get('fcas:cus_1', fetch)).toEqual({ version: 1 });
      // Nothing announces that a key's lifetime has entered its last 20%: Redis's PTTL is polled.
      await waitUntil(
        async () => (await probe.pttl('fcgw:c:partner_a:fcas:cus_1')) <= ttlMs * REFRESH_AHEAD_FRACTION,
        'the refresh window',
      );

      // Instance one's copy is due: it refreshes from Stripe (the shared entry is just as old)...
      expect(await one.store.forTenant('partner_a').get('fcas:cus_1', fetch)).toEqual({ version: 1 });
      await waitUntil(
        async () => (await probe.pttl('fcgw:c:partner_a:fcas:cus_1')) > ttlMs * 0.5,
        'the refresh',
      );
      // ...and instance two, whose copy is just as due, finds the refreshed entry in Redis: no second refresh.
      expect(await two.store.forTenant('partner_a').get('fcas:cus_1', fetch)).toEqual({ version: 2 });
      expect(calls).toBe(2);
    });
  });

  describe('while the subscriber connection is down', () => {
    it('should serve nothing from the process, and start again from empty once subscribed again', async () => {
      const one = await instance('one');
      // Reconnected when the test says so (not by a retry timer), so "down" lasts exactly as long as the test needs.
      const two = await instance(
        'two',
        (url) => new Redis(url, { retryStrategy: () => null, connectionName: 'two-subscriber' }),
      );
      let version = 1;
      const fetch = async () => ({ id: 'fca_5', version });
      const reads = two.store.forTenant('partner_a');
      await reads.get(accountKey('fca_5'), fetch);
      await two.commands.ping();

      // The server drops instance two's subscriber connection; what is published until it is back is lost for it.
      const closed = new Promise((resolve) => two.subscriber.once('close', resolve));
      const list = String(await probe.client('LIST'));
      const id = /id=(\d+) [^\n]*name=two-subscriber /.exec(list)![1];
      await probe.client('KILL', 'ID', id);
      await closed;
      expect(await gaugeValue(two.metrics)).toBe(0);

      // Each change below is announced while two cannot hear it: every read must come from Redis (or Stripe).
      for (const next of [2, 3]) {
        version = next;
        await one.store.invalidateAllTenants(accountKey('fca_5'));
        expect(await reads.get(accountKey('fca_5'), fetch)).toEqual({ id: 'fca_5', version: next });
        await two.commands.ping();
        expect(await reads.get(accountKey('fca_5'), fetch)).toEqual({ id: 'fca_5', version: next });
      }

      // Nothing this process holds can be trusted while it hears nothing: peekHere sends the caller to Redis.
      expect(reads.peekHere(accountKey('fca_5'), false)).toBe(NOT_HERE);

      await two.subscriber.connect();
      await waitUntil(async () => (await gaugeValue(two.metrics)) === 1, 'the subscriber to be back');
      expect(await reads.get(accountKey('fca_5'), fetch)).toEqual({ id: 'fca_5', version: 3 });
      version = 4;
      const before = await received(two.metrics);
      await one.store.invalidateAllTenants(accountKey('fca_5'));
      await waitUntil(async () => (await received(two.metrics)) > before, 'the invalidation to arrive');
      expect(await reads.get(accountKey('fca_5'), fetch)).toEqual({ id: 'fca_5', version: 4 });
    });
  });
});
