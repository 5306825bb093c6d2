// Contract of the tenant-scoped Stripe read cache, run against both backends (in-process LRU and real Redis).
import { Redis } from 'ioredis';
import Stripe from 'stripe';
import {
  createStripeReadStore,
  NOT_HERE,
  REFRESH_AHEAD_FRACTION,
  resourceOf,
  type StripeReadStore,
} from '../../src/services/stripe/stripe-reads';
import { redisReadCache } from '../../src/services/stripe/read-cache-backends';
import type { Logger } from '../../src/platform/logger';
import { createMetrics, type Metrics } from '../../src/platform/metrics';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { waitUntil } from '../helpers/wait';

/** A fetch that records its calls and can be resolved or rejected by the test; `called(n)` waits for the nth call. */
function deferredFetch<T>() {
  const calls: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const fetch = () =>
    new Promise<T>((resolve, reject) => {
      calls.push({ resolve, reject });
      for (const w of waiting.filter((x) => calls.length >= x.n)) w.resolve();
    });
  const called = (n: number) =>
    calls.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }));
  return { fetch, calls, called };
}

async function lookups(metrics: Metrics, result: 'hit' | 'miss', resource = 'fca'): Promise<number> {
  const m = await metrics.cacheLookups.get();
  return m.values.find((v) => v.labels.result === result && v.labels.resource === resource)?.value ?? 0;
}

/**
 * Resolves after every promise reaction already queued has run (microtasks all drain before the next macrotask):
 * for work that is pure promise chaining, such as the store releasing an in-flight entry once its write is done.
 */
const drained = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A store under test, and `landed()`: resolves once every write the store has sent to its backend is stored and the
 * store has reacted to it (released the in-flight entry), so the next read goes to the backend.
 */
interface StoreUnderTest {
  store: StripeReadStore;
  landed(): Promise<void>;
}

function readStoreSuite(name: string, make: (metrics: Metrics) => Promise<StoreUnderTest>) {
  describe(`StripeReadStore (${name})`, () => {
    let store: StripeReadStore;
    let landed: () => Promise<void>;
    let metrics: Metrics;
    beforeEach(async () => {
      metrics = createMetrics();
      ({ store, landed } = await make(metrics));
    });
    afterEach(() => store.close());

    describe('get', () => {
      it('should serve the second read from the cache and count one miss and one hit', async () => {
        let calls = 0;
        const fetch = async () => ({ id: 'fca_1', n: ++calls });
        const a = store.forTenant('partner_a');
        expect(await a.get('fca:fca_1', fetch)).toEqual({ id: 'fca_1', n: 1 });
        await landed();
        expect(await a.get('fca:fca_1', fetch)).toEqual({ id: 'fca_1', n: 1 });
        expect(calls).toBe(1);
        expect(await lookups(metrics, 'miss')).toBe(1);
        expect(await lookups(metrics, 'hit')).toBe(1);
      });

      it('should never serve one tenant the value fetched for another, for the same key', async () => {
        const a = store.forTenant('partner_a');
        const b = store.forTenant('partner_b');
        await a.get('fca:fca_1', async () => ({ owner: 'a' }));
        await landed();
        let bCalls = 0;
        const vb = await b.get('fca:fca_1', async () => {
          bCalls += 1;
          return { owner: 'b' };
        });
        expect(vb).toEqual({ owner: 'b' });
        expect(bCalls).toBe(1);
        await landed();
        expect(await a.get('fca:fca_1', async () => ({ owner: 'wrong' }))).toEqual({ owner: 'a' });
      });

      it('should make one upstream call for identical concurrent reads of one tenant', async () => {
        const d = deferredFetch<{ id: string }>();
        const a = store.forTenant('partner_a');
        const first = a.get('fca:fca_2', d.fetch);
        await d.called(1);
        // Reads arriving while the upstream call is in flight join it.
        const waiters = [first, a.get('fca:fca_2', d.fetch), a.get('fca:fca_2', d.fetch)];
        d.calls[0].resolve({ id: 'fca_2' });
        const values = await Promise.all(waiters);
        expect(d.calls).toHaveLength(1);
        expect(values).toEqual([{ id: 'fca_2' }, { id: 'fca_2' }, { id: 'fca_2' }]);
      });

      it('should not share an in-flight read between tenants', async () => {
        const d = deferredFetch<{ t: string }>();
        const pa = store.forTenant('partner_a').get('fca:fca_3', d.fetch);
        await d.called(1);
        const pb = store.forTenant('partner_b').get('fca:fca_3', d.fetch);
        await d.called(2);
        expect(d.calls).toHaveLength(2);
        d.calls[0].resolve({ t: 'a' });
        d.calls[1].resolve({ t: 'b' });
        expect(await pa).toEqual({ t: 'a' });
        expect(await pb).toEqual({ t: 'b' });
      });

      it('should give a failure to the waiters of that call only, and not cache it', async () => {
        const d = deferredFetch<{ ok: boolean }>();
        const a = store.forTenant('partner_a');
        const w1 = a.get('fca:fca_4', d.fetch);
        await d.called(1);
        const w2 = a.get('fca:fca_4', d.fetch);
        d.calls[0].reject(new Error('upstream 500'));
        await expect(w1).rejects.toThrow('upstream 500');
        await expect(w2).rejects.toThrow('upstream 500');
        expect(d.calls).toHaveLength(1);
        const w3 = a.get('fca:fca_4', d.fetch);
        await d.called(2);
        expect(d.calls).toHaveLength(2);
        d.calls[1].resolve({ ok: true });
        expect(await w3).toEqual({ ok: true });
      });

      it('should remember a "no such object" answer for that tenant only, re-raising it as a 404', async () => {
        const missing = () =>
          new Stripe.errors.StripeInvalidRequestError({
            type: 'invalid_request_error',
            message: 'No such financial connections account: fca_gone',
            statusCode: 404,
            code: 'resource_missing',
            param: 'account',
          });
        const a = store.forTenant('partner_a');
        let calls = 0;
        const fetch = async () => {
          calls += 1;
          throw missing();
        };
        await expect(a.get('fca:fca_gone', fetch)).rejects.toMatchObject({ statusCode: 404 });
        await landed();
        const again = await a.get('fca:fca_gone', fetch).catch((e: unknown) => e);
        expect(calls).toBe(1);
        expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
        expect(again).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'account' });
        // Stripe's message (it quotes the id) is not kept.
        expect((again as Error).message).not.toContain('fca_gone');
        await expect(store.forTenant('partner_b').get('fca:fca_gone', fetch)).rejects.toBeTruthy();
        expect(calls).toBe(2);
      });

      it('should serve but not keep a value its resource marks as not cacheable', async () => {
        const a = store.forTenant('partner_a');
        let calls = 0;
        const openSession = async () => ({ id: 'fcsess_1', accounts: { data: [] }, n: ++calls });
        await a.get('fcsess:fcsess_1', openSession);
        await landed();
        await a.get('fcsess:fcsess_1', openSession);
        expect(calls).toBe(2);
      });
    });

    describe('peek', () => {
      it("should return the tenant's cached value, and undefined for a miss, a remembered 404 or another tenant", async () => {
        const a = store.forTenant('partner_a');
        expect(await a.peek('txns:fca_8:[100]')).toBeUndefined();
        await a.get('txns:fca_8:[100]', async () => ({ data: [{ id: 'fctxn_1' }], has_more: false }));
        await a.prime('txns:fca_8:after:["fctxn_1"]', 'txns:fca_8:[100]');
        await a
          .get('fca:fca_gone', async () => {
            throw new Stripe.errors.StripeInvalidRequestError({
              type: 'invalid_request_error',
              message: 'No such financial connections account',
              statusCode: 404,
              code: 'resource_missing',
            });
          })
          .catch(() => undefined);
        await landed();
        expect(await a.peek('txns:fca_8:[100]')).toEqual({ data: [{ id: 'fctxn_1' }], has_more: false });
        expect(await a.peek('txns:fca_8:after:["fctxn_1"]')).toBe('txns:fca_8:[100]');
        expect(await a.peek('fca:fca_gone')).toBeUndefined();
        expect(await store.forTenant('partner_b').peek('txns:fca_8:[100]')).toBeUndefined();
        await a.invalidate('txns:fca_8:*');
        expect(await a.peek('txns:fca_8:[100]')).toBeUndefined();
        expect(await a.peek('txns:fca_8:after:["fctxn_1"]')).toBeUndefined();
      });
    });

    describe('invalidate', () => {
      it('should forget an exact key, and every key of an object (`resource:object:*`)', async () => {
        const a = store.forTenant('partner_a');
        let calls = 0;
        const f = async () => ++calls;
        await a.get('fca:fca_5', f);
        await a.get('fca:fca_5:expand=ownership', f);
        await a.get('txns:fca_5:[10]', f);
        await landed();
        expect(calls).toBe(3);
        await a.invalidate('txns:fca_5:[10]');
        await a.get('txns:fca_5:[10]', f);
        expect(calls).toBe(4);
        await a.invalidate('fca:fca_5:*');
        await a.get('fca:fca_5', f);
        await a.get('fca:fca_5:expand=ownership', f);
        expect(calls).toBe(6);
      });

      it('should only touch its own tenant, while invalidateAllTenants touches every tenant', async () => {
        const a = store.forTenant('partner_a');
        const b = store.forTenant('partner_b');
        let calls = 0;
        const f = async () => ++calls;
        await a.get('fca:fca_6', f);
        await b.get('fca:fca_6', f);
        await landed();
        await a.invalidate('fca:fca_6');
        await b.get('fca:fca_6', f);
        expect(calls).toBe(2);
        await a.get('fca:fca_6', f);
        expect(calls).toBe(3);
        await landed();
        await store.invalidateAllTenants('fca:fca_6:*');
        await a.get('fca:fca_6', f);
        await b.get('fca:fca_6', f);
        expect(calls).toBe(5);
      });

      it("should forget an object's keys as webhooks name them (exact and `object:*`), leaving other objects", async () => {
        const a = store.forTenant('partner_a');
        const b = store.forTenant('partner_b');
        let calls = 0;
        const f = async () => ++calls;
        for (const t of [a, b]) {
          await t.get('fca:fca_9', f);
          await t.get('fca:fca_9:expand=ownership', f);
          await t.get('fca:fca_90', f);
          await t.get('pis:cus_9:[10]', f);
        }
        await landed();
        expect(calls).toBe(8);
        await store.invalidateAllTenants('fca:fca_9');
        await store.invalidateAllTenants('fca:fca_9:*');
        await a.invalidate('pis:cus_9:*');
        for (const t of [a, b]) {
          await t.get('fca:fca_9', f);
          await t.get('fca:fca_9:expand=ownership', f);
          await t.get('fca:fca_90', f);
        }
        expect(calls).toBe(12);
        await a.get('pis:cus_9:[10]', f);
        await b.get('pis:cus_9:[10]', f);
        expect(calls).toBe(13);
      });

      it('should not cache what an in-flight read returns after an invalidation of it', async () => {
        const d = deferredFetch<{ v: string }>();
        const a = store.forTenant('partner_a');
        const stale = a.get('fca:fca_7', d.fetch);
        await d.called(1);
        await a.invalidate('fca:fca_7');
        d.calls[0].resolve({ v: 'before-write' });
        expect(await stale).toEqual({ v: 'before-write' });
        await landed();
        const fresh = a.get('fca:fca_7', d.fetch);
        await d.called(2);
        expect(d.calls).toHaveLength(2);
        d.calls[1].resolve({ v: 'after-write' });
        expect(await fresh).toEqual({ v: 'after-write' });
      });
    });
  });
}

describe('resourceOf', () => {
  it('should take the key prefix up to the first colon', () => {
    expect(resourceOf('txns:fca_1:{"limit":10}')).toBe('txns');
    expect(resourceOf('fca:fca_1:expand=ownership')).toBe('fca');
    expect(resourceOf('plain')).toBe('plain');
  });
});

// The LRU stores a value synchronously; only the store's own promise reactions remain.
readStoreSuite('lru', async (metrics) => ({ store: createStripeReadStore({ metrics }), landed: drained }));

let redis: StartedRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.filter((c) => c.status === 'ready').map((c) => c.quit()));
  await redis.stop();
});

readStoreSuite('redis', async (metrics) => {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  clients.push(client);
  await client.flushall();
  return {
    store: createStripeReadStore({ metrics, cache: redisReadCache(client) }),
    // Redis answers one connection's commands in order: once this PING is answered, every write sent before it is.
    landed: async () => {
      await client.ping();
      await drained();
    },
  };
});

describe('StripeReadStore (redis down)', () => {
  it('should serve every read uncached, without failing, when Redis cannot answer', async () => {
    const dead = await startRedis();
    const client = new Redis(dead.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    clients.push(client);
    await new Promise((r) => client.once('ready', r));
    const closed = new Promise((r) => client.once('close', r));
    await dead.stop();
    await closed;
    const store = createStripeReadStore({ cache: redisReadCache(client) });
    const a = store.forTenant('partner_a');
    let calls = 0;
    expect(await a.get('fca:fca_8', async () => ++calls)).toBe(1);
    // Without the offline queue, the write is refused at once; the store's reaction to that is promise chaining.
    await drained();
    expect(await a.get('fca:fca_8', async () => ++calls)).toBe(2);
    await expect(a.invalidate('fca:fca_8:*')).resolves.toBeUndefined();
  });
});

describe('StripeReadStore refresh ahead (lru, injected clock)', () => {
  // `fcas` lives 10 s: its last 20% starts 8 s after it was stored.
  const TTL = 10_000;
  const WINDOW_OPENS = TTL * (1 - REFRESH_AHEAD_FRACTION);
  const KEY = 'fcas:{"holder":"cus_1"}';
  let clock: number;
  let metrics: Metrics;
  let store: StripeReadStore;
  let warnings: unknown[][];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));
  beforeEach(() => {
    clock = 1_000_000;
    metrics = createMetrics();
    warnings = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    store = createStripeReadStore({ metrics, log, now: () => clock });
    unhandled.length = 0;
  });
  afterEach(() => store.close());

  /** A cached `{ v: 1 }` under KEY, stored at the current clock; the deferred fetch for later calls. */
  async function cachedV1() {
    const d = deferredFetch<{ v: number | string }>();
    const a = store.forTenant('partner_a');
    const first = a.get(KEY, d.fetch);
    await d.called(1);
    d.calls[0].resolve({ v: 1 });
    expect(await first).toEqual({ v: 1 });
    await drained();
    return { a, d };
  }

  it('should start nothing on a hit before the last 20% of the TTL', async () => {
    const { a, d } = await cachedV1();
    clock += WINDOW_OPENS - 1;
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 1 });
    await drained();
    expect(d.calls).toHaveLength(1);
  });

  it('should serve the old value in the last 20% and start one background fetch that concurrent hits share', async () => {
    const { a, d } = await cachedV1();
    clock += WINDOW_OPENS + 1;
    const hits = await Promise.all([a.get(KEY, d.fetch), a.get(KEY, d.fetch), a.get(KEY, d.fetch)]);
    expect(hits).toEqual([{ v: 1 }, { v: 1 }, { v: 1 }]);
    expect(d.calls).toHaveLength(2);
    // A hit while the refresh is under way is served the entry, not made to wait for Stripe.
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 1 });
    expect(d.calls).toHaveLength(2);
    d.calls[1].resolve({ v: 2 });
    await drained();
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 2 });
    expect(d.calls).toHaveLength(2);
    // Every caller was served from the cache: one miss (the first read), the rest hits.
    expect(await lookups(metrics, 'miss', 'fcas')).toBe(1);
    expect(await lookups(metrics, 'hit', 'fcas')).toBe(5);
    // The refreshed entry lives a full TTL from its refresh.
    clock += TTL - 1 - (TTL - WINDOW_OPENS);
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 2 });
    expect(d.calls).toHaveLength(2);
  });

  it('should keep the old value until it expires when the refresh fails, rejecting nothing and retrying nothing', async () => {
    const { a, d } = await cachedV1();
    clock += WINDOW_OPENS + 1;
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 1 });
    expect(d.calls).toHaveLength(2);
    d.calls[1].reject(
      new Stripe.errors.StripeAPIError({
        type: 'api_error',
        message: 'upstream 500 for cus_1',
        statusCode: 500,
      }),
    );
    await drained();
    expect(unhandled).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).not.toContain('cus_1');
    // One attempt per entry: later hits in the window are served the old value and call nothing.
    clock += TTL - WINDOW_OPENS - 2;
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 1 });
    expect(d.calls).toHaveLength(2);
    // Never served past its TTL.
    clock += 1;
    const after = a.get(KEY, d.fetch);
    await d.called(3);
    d.calls[2].resolve({ v: 3 });
    expect(await after).toEqual({ v: 3 });
  });

  it('should not refresh a remembered "no such object"', async () => {
    const a = store.forTenant('partner_a');
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      throw new Stripe.errors.StripeInvalidRequestError({
        type: 'invalid_request_error',
        message: 'No such customer',
        statusCode: 404,
        code: 'resource_missing',
      });
    };
    await expect(a.get(KEY, fetch)).rejects.toMatchObject({ statusCode: 404 });
    await drained();
    clock += WINDOW_OPENS + 1;
    await expect(a.get(KEY, fetch)).rejects.toMatchObject({ statusCode: 404 });
    await drained();
    expect(calls).toBe(1);
    expect(await a.peekFresh(KEY)).toBeUndefined();
  });

  it('should keep the result of a refresh out of the cache when its key was invalidated meanwhile', async () => {
    const { a, d } = await cachedV1();
    clock += WINDOW_OPENS + 1;
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 1 });
    expect(d.calls).toHaveLength(2);
    await a.invalidate('fcas:*');
    const fresh = a.get(KEY, d.fetch);
    await d.called(3);
    d.calls[2].resolve({ v: 'after-write' });
    expect(await fresh).toEqual({ v: 'after-write' });
    await drained();
    // The refresh answers last, with data from before the write: not stored over the newer entry.
    d.calls[1].resolve({ v: 'before-write' });
    await drained();
    expect(await a.get(KEY, d.fetch)).toEqual({ v: 'after-write' });
    expect(d.calls).toHaveLength(3);
    expect(unhandled).toEqual([]);
  });

  it('should answer peekHere synchronously as peek and peekFresh would', async () => {
    const { a, d } = await cachedV1();
    const first = await a.peek(KEY);
    expect(a.peekHere(KEY, false)).toBe(first);
    expect(a.peekHere(KEY, true)).toBe(first);
    expect(a.peekHere('fcas:{"holder":"cus_2"}', false)).toBeUndefined();
    clock += WINDOW_OPENS + 1;
    expect(a.peekHere(KEY, false)).toBe(first);
    expect(a.peekHere(KEY, true)).toBeUndefined();
    await a.get(KEY, d.fetch);
    expect(a.peekHere(KEY, true)).toBe(first);
    expect(store.forTenant('partner_b').peekHere(KEY, false)).toBeUndefined();
  });

  it('should report a due entry as absent to peekFresh until a get starts its refresh', async () => {
    const { a, d } = await cachedV1();
    clock += WINDOW_OPENS + 1;
    expect(await a.peek(KEY)).toEqual({ v: 1 });
    expect(await a.peekFresh(KEY)).toBeUndefined();
    expect(d.calls).toHaveLength(1);
    await a.get(KEY, d.fetch);
    expect(d.calls).toHaveLength(2);
    expect(await a.peekFresh(KEY)).toEqual({ v: 1 });
  });
});

describe('StripeReadStore peekHere (redis alone)', () => {
  it('should say that only an asynchronous read can tell', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const store = createStripeReadStore({ cache: redisReadCache(client) });
    const a = store.forTenant('partner_a');
    await a.get('fca:fca_here', async () => ({ id: 'fca_here' }));
    expect(a.peekHere('fca:fca_here', false)).toBe(NOT_HERE);
    expect(await a.peek('fca:fca_here')).toEqual({ id: 'fca_here' });
    await store.close();
  });
});

describe('StripeReadStore refresh ahead (redis)', () => {
  it('should serve the old value from an entry inside its last 20% and refresh it in the background', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    await client.flushall();
    const ttlMs = 3_000;
    const store = createStripeReadStore({ cache: redisReadCache(client), policies: { fcas: { ttlMs } } });
    const a = store.forTenant('partner_a');
    const d = deferredFetch<{ v: number }>();
    const first = a.get('fcas:cus_1', d.fetch);
    await d.called(1);
    d.calls[0].resolve({ v: 1 });
    expect(await first).toEqual({ v: 1 });
    await client.ping();
    await drained();
    // Nothing announces that a key's lifetime has entered its last 20%: Redis's PTTL is polled.
    const window = ttlMs * REFRESH_AHEAD_FRACTION;
    await waitUntil(
      async () => (await client.pttl('fcgw:c:partner_a:fcas:cus_1')) <= window,
      'the refresh window',
    );
    expect(await a.get('fcas:cus_1', d.fetch)).toEqual({ v: 1 });
    expect(d.calls).toHaveLength(2);
    d.calls[1].resolve({ v: 2 });
    await client.ping();
    await drained();
    expect(await client.pttl('fcgw:c:partner_a:fcas:cus_1')).toBeGreaterThan(window);
    expect(await a.get('fcas:cus_1', d.fetch)).toEqual({ v: 2 });
    expect(d.calls).toHaveLength(2);
    await store.close();
  });
});
