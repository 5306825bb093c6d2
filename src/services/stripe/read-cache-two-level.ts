// The read cache with REDIS_URL: each instance keeps what it read in process (level 1) in front of the Redis read
// cache every instance shares (level 2), and hears the other instances' invalidations on one Redis pub/sub channel.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import { invalidationPattern, parseInvalidation, type CacheTarget } from './cache-keys';
import {
  lruReadCache,
  MISS,
  redisReadCache,
  type Cached,
  type ReadCache,
  type ReadCacheBackend,
} from './read-cache-backends';

/** The channel invalidations cross between instances on (one Redis pub/sub channel). */
export const INVALIDATION_CHANNEL = 'fcgw:c:invalidate';

export interface TwoLevelReadCacheOptions {
  /** The `commands` connection: level 2, and the PUBLISH of this instance's invalidations. */
  redis: Redis;
  /**
   * The `subscriber` connection (platform/redis/connections.ts), shared with the event bus (services/live/pubsub.ts):
   * this instance hears invalidations on it, and level 1 serves only while it is subscribed.
   */
  subscriber: Redis;
  /** Entries of level 1 (a list page counts as one). @default 20_000 */
  maxEntries?: number;
  /** @default 'fcgw:c:' */
  redisPrefix?: string;
  /** @default {@link INVALIDATION_CHANNEL} */
  channel?: string;
  metrics?: Metrics;
  log?: Logger;
}

/** What crosses the channel: who invalidated (an instance skips its own), for which tenant, what. */
interface InvalidationMessage {
  from: string;
  tenant: string;
  pattern: string;
}

/**
 * Why Redis pub/sub rather than Redis's server-assisted client-side caching (CLIENT TRACKING), measured on Redis 7
 * (docs/redis.md, "The read cache across instances"): the gateway already names what a change makes stale (an
 * object, for every tenant), so one message per invalidation tells every instance exactly that (tracking: one per
 * key, 8 for an account in two tenants), and it reaches the instances in order with the
 * live events on the same subscriber connection (an instance forgets before it pushes). Tracking instead sends one
 * message per key per instance that read it, and also on every write and expiry of a key it read: each refresh ahead
 * and each TTL expiry on one instance would empty the copy of every other, and the server keeps a table of which
 * instance read which key. ioredis 5 speaks RESP2 only, so tracking would need the same subscriber connection
 * (`REDIRECT`) anyway.
 *
 * Staleness is bounded by one pub/sub delivery: an instance deletes from Redis, then PUBLISHes, then answers; the
 * other instances drop their copies when the message arrives. A message lost with a dropped subscriber connection
 * cannot be replayed (pub/sub is fire-and-forget), so level 1 serves only while the channel is subscribed: from
 * the moment the connection closes until SUBSCRIBE is confirmed again, reads go to Redis and nothing is kept
 * locally, and level 1 is emptied before it serves again. An invalidation this instance cannot send (Redis
 * unreachable from it) leaves the other instances' copies until they expire, as it leaves the Redis entry itself.
 */
export function twoLevelReadCache(options: TwoLevelReadCacheOptions): ReadCache {
  return (settings) => {
    const { subscriber, metrics, log } = options;
    const channel = options.channel ?? INVALIDATION_CHANNEL;
    const shared = redisReadCache(options.redis, options.redisPrefix)(settings);
    const local = lruReadCache(options.maxEntries)(settings);
    const instance = randomUUID();
    const remoteListeners: ((tenant: string, target: CacheTarget) => void)[] = [];
    /** Level 1 serves (and is filled) only while the channel is subscribed. */
    let serving = false;
    /**
     * Bumped by every invalidation heard and every loss of the channel. A value read from Redis is kept locally only
     * if nothing was invalidated while the read was under way: the invalidation may have been for it.
     */
    let epoch = 0;
    let closed = false;

    const setServing = (on: boolean) => {
      serving = on;
      metrics?.cacheLocalServing.set(on ? 1 : 0);
    };
    const emptyLocal = () => void local.delete('*', { kind: 'all' });
    const onClose = () => {
      epoch += 1;
      if (serving)
        log?.warn('read cache: invalidations channel lost; in-process copies bypassed until it is back');
      setServing(false);
      emptyLocal();
    };
    const subscribe = () => {
      if (closed) return;
      subscriber.subscribe(channel).then(
        () => {
          if (closed || subscriber.status !== 'ready') return;
          // Whatever was published while this instance was not subscribed is lost: start from nothing.
          epoch += 1;
          emptyLocal();
          setServing(true);
        },
        (e: Error) =>
          log?.warn({ err: { message: e.message } }, 'read cache: subscribe to invalidations failed'),
      );
    };
    const onMessage = (from: string, message: string) => {
      if (from !== channel) return;
      let msg: InvalidationMessage;
      let target: CacheTarget;
      try {
        msg = JSON.parse(message) as InvalidationMessage;
        if (msg.from === instance) return;
        target = parseInvalidation(String(msg.pattern));
      } catch {
        // Not ours to read: forget everything rather than keep what it may have named.
        epoch += 1;
        emptyLocal();
        return;
      }
      epoch += 1;
      // Synchronous (the LRU's delete awaits nothing): done before the next message, such as the live event that
      // follows this invalidation on the same connection, is dispatched.
      void local.delete(String(msg.tenant), target);
      metrics?.cacheInvalidationsReceived.inc();
      for (const fn of remoteListeners) fn(String(msg.tenant), target);
    };
    subscriber.on('message', onMessage);
    subscriber.on('close', onClose);
    // ioredis re-subscribes its channels on 'ready' after a reconnect; this SUBSCRIBE is queued behind those, so
    // its reply says the channel is live again.
    subscriber.on('ready', subscribe);
    metrics?.cacheLocalServing.set(0);
    subscribe();

    /** Reads Redis and keeps the answer locally, unless an invalidation or a disconnect happened meanwhile. */
    const readShared = async (k: string): Promise<Cached | typeof MISS> => {
      const at = epoch;
      const cached = await shared.get(k);
      metrics?.cacheLocalReads.inc({ level: 'shared' });
      // Kept as this very object: later reads return it, which the response cache checks by identity.
      if (cached !== MISS && serving && epoch === at)
        await local.set(k, cached.v, cached.expiresAt - settings.now());
      return cached;
    };

    const backend: ReadCacheBackend = {
      async get(k) {
        return backend.getLocal!(k) ?? readShared(k);
      },
      getLocal(k) {
        if (!serving) return undefined;
        const hit = local.getLocal!(k);
        if (hit === MISS) return undefined; // Redis may have it
        metrics?.cacheLocalReads.inc({ level: 'local' });
        return hit;
      },
      getShared: readShared,
      async set(k, v, ttl) {
        // The store checked, just before this call, that no invalidation of the key came since its fetch started.
        if (serving) await local.set(k, v, ttl);
        await shared.set(k, v, ttl);
      },
      async delete(tenant, target) {
        await local.delete(tenant, target);
        let failed: unknown;
        await shared.delete(tenant, target).catch((e: unknown) => (failed = e));
        // After Redis forgot it, so an instance that hears this and reads again gets the new value.
        const message: InvalidationMessage = { from: instance, tenant, pattern: invalidationPattern(target) };
        await options.redis.publish(channel, JSON.stringify(message));
        if (failed) throw failed;
      },
      onRemoteInvalidation(fn) {
        remoteListeners.push(fn);
      },
      async close() {
        closed = true;
        setServing(false);
        subscriber.off('message', onMessage);
        subscriber.off('close', onClose);
        subscriber.off('ready', subscribe);
        if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
        await local.close();
        await shared.close();
      },
    };
    return backend;
  };
}
