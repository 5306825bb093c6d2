// The gateway's Redis connections, handed out by role: one connection per role, opened on first use, closed once.
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { ReadinessCheck } from '../readiness';
import { closeRedis, createRedisConnection, type RedisRole } from './connection';

/**
 * One gateway's connections to REDIS_URL. Everything that keeps state in Redis (Stripe budget and read cache, caller
 * limits, event dedupe and catch-up cursor, partner endpoints) shares the `commands` connection; the event bus
 * listens on `subscriber`; both job queues (platform/jobs/) share `queue`.
 */
export interface RedisConnections {
  /**
   * The connection for `role`, opened on the first call (one per role, whoever asks).
   * @throws Error after {@link close}: a connection opened then would never be closed
   */
  get(role: RedisRole): Redis;
  /** `redis`: the commands connection answers PING. */
  readonly readiness: ReadinessCheck;
  /** Runs `fn` each time the commands connection is ready again (after start-up's first connect too). */
  onReady(fn: () => void): void;
  /** Closes every connection opened (without waiting for a Redis that is not there). Idempotent. */
  close(): Promise<void>;
}

/** Shown in logs and as the client name (`fcgw-redis-<role>`). */
const nameOf = (role: RedisRole) => `redis-${role}`;

/**
 * Opens nothing yet: each role's connection is opened when first asked for.
 * @param url REDIS_URL (never logged: it may carry a password)
 */
export function openRedisConnections(options: { url: string; log: Logger }): RedisConnections {
  const open = new Map<RedisRole, Redis>();
  let closing: Promise<void> | undefined;
  const get = (role: RedisRole): Redis => {
    if (closing) throw new Error(`Redis connections are closed; asked for role ${role}`);
    let client = open.get(role);
    if (!client) {
      client = createRedisConnection({ url: options.url, name: nameOf(role), log: options.log, role });
      open.set(role, client);
    }
    return client;
  };
  return {
    get,
    readiness: { name: 'redis', check: async () => (await get('commands').ping()) === 'PONG' },
    onReady(fn) {
      get('commands').on('ready', fn);
    },
    close() {
      closing ??= Promise.all([...open.values()].map(closeRedis)).then(() => undefined);
      return closing;
    },
  };
}
