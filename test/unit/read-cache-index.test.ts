// Invalidation by object is indexed in both read-cache backends: with 20,000 entries cached, forgetting one object
// touches that object's keys and nothing else (no walk of the LRU, no SCAN of Redis).
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { accountKey, accountPattern } from '../../src/services/stripe/cache-keys';
import { lruReadCache, redisReadCache, type Cached } from '../../src/services/stripe/read-cache-backends';
import { createStripeReadStore, type StripeReadStore } from '../../src/services/stripe/stripe-reads';
import { startRedis, watchRedisCommands, type StartedRedis } from '../helpers/redis';

const ENTRIES = 20_000;
const TENANTS = ['partner_a', 'partner_b'];
/** The object invalidated: two forms of it per tenant. */
const TARGET = 'fca_target';
const TARGET_KEYS = [accountKey(TARGET), accountKey(TARGET, true)];
/** An object whose id starts with the target's: a prefix match would wrongly take it too. */
const NEIGHBOUR = 'fca_target2';

/** Fills `store` with {@link ENTRIES} entries: the target's four, the neighbour's two, and other accounts. */
async function fill(store: StripeReadStore): Promise<void> {
  const writes: Promise<void>[] = [];
  for (const tenant of TENANTS) {
    const reads = store.forTenant(tenant);
    for (const key of TARGET_KEYS) writes.push(reads.prime(key, { id: TARGET }));
  }
  writes.push(store.forTenant('partner_a').prime(accountKey(NEIGHBOUR), { id: NEIGHBOUR }));
  writes.push(store.forTenant('partner_a').prime(accountKey(NEIGHBOUR, true), { id: NEIGHBOUR }));
  for (let i = 0; writes.length < ENTRIES; i++)
    writes.push(store.forTenant(TENANTS[i % 2]).prime(accountKey(`fca_${i}`), { id: `fca_${i}` }));
  // Batched: 20,000 concurrent MULTIs are fine for Redis, and a bounded burst keeps the test light on the machine.
  for (let i = 0; i < writes.length; i += 2_000) await Promise.all(writes.slice(i, i + 2_000));
}

async function expectOnlyTargetForgotten(store: StripeReadStore): Promise<void> {
  for (const tenant of TENANTS)
    for (const key of TARGET_KEYS) expect(await store.forTenant(tenant).peek(key)).toBeUndefined();
  expect(await store.forTenant('partner_a').peek(accountKey(NEIGHBOUR))).toEqual({ id: NEIGHBOUR });
  expect(await store.forTenant('partner_b').peek(accountKey('fca_1'))).toEqual({ id: 'fca_1' });
}

/** An LRU that counts what touches its entries: each delete, and each walk over all of them. */
class CountingLru extends LRUCache<string, Cached> {
  deleted: string[] = [];
  walks = 0;
  override delete(k: string): boolean {
    this.deleted.push(k);
    return super.delete(k);
  }
  override keys() {
    this.walks += 1;
    return super.keys();
  }
  override entries() {
    this.walks += 1;
    return super.entries();
  }
  override values() {
    this.walks += 1;
    return super.values();
  }
  override forEach(...args: Parameters<LRUCache<string, Cached>['forEach']>) {
    this.walks += 1;
    return super.forEach(...args);
  }
}

describe('read cache invalidation by object', () => {
  describe('in-process LRU backend', () => {
    it(`should delete only the object's own keys, walking none of ${ENTRIES} entries`, async () => {
      let lru: CountingLru | undefined;
      const store = createStripeReadStore({
        cache: lruReadCache(ENTRIES, (options) => (lru = new CountingLru(options))),
      });
      await fill(store);
      expect(lru!.size).toBe(ENTRIES);
      lru!.deleted = [];
      lru!.walks = 0;

      await store.invalidateAllTenants(accountPattern(TARGET));

      expect(lru!.walks).toBe(0);
      expect(lru!.deleted.sort()).toEqual(
        TENANTS.flatMap((t) => TARGET_KEYS.map((k) => `${t}\u0000${k}`)).sort(),
      );
      expect(lru!.size).toBe(ENTRIES - 4);
      await expectOnlyTargetForgotten(store);
      await store.close();
    });
  });

  describe('Redis backend', () => {
    let redis: StartedRedis;
    let client: Redis;
    beforeAll(async () => {
      redis = await startRedis();
      client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      await client?.quit();
      await redis?.stop();
    });

    it(`should read the object's index and delete its keys only, with no SCAN, among ${ENTRIES} entries`, async () => {
      const store = createStripeReadStore({ cache: redisReadCache(client) });
      await fill(store);
      expect(await client.dbsize()).toBeGreaterThanOrEqual(ENTRIES);
      const watch = await watchRedisCommands(redis.url);
      await client.config('RESETSTAT');

      await store.invalidateAllTenants(accountPattern(TARGET));
      // MONITOR reports commands in the order Redis ran them: once this marker is seen, so is the invalidation.
      await client.echo('invalidation-done');
      await watch.seen((args) => args[0] === 'echo');
      watch.stop();

      const commands = watch.all().filter((args) => !['echo', 'config'].includes(args[0]));
      expect(commands.map((args) => args[0])).toEqual(['smembers', 'multi', 'del', 'srem', 'exec']);
      expect(commands[0]).toEqual(['smembers', `fcgw:c:~idx:fca:${TARGET}`]);
      const deleted = commands[2].slice(1).sort();
      expect(deleted).toEqual(TENANTS.flatMap((t) => TARGET_KEYS.map((k) => `fcgw:c:${t}:${k}`)).sort());
      const stats = String(await client.info('commandstats'));
      expect(stats).not.toMatch(/cmdstat_scan:/);
      expect(stats).not.toMatch(/cmdstat_keys:/);
      await expectOnlyTargetForgotten(store);
      await store.close();
    });
  });
});
