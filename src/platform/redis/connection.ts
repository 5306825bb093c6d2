// One ioredis connection of a given role: capped reconnect backoff, state logged once per change. Only
// src/platform/redis/connections.ts opens them (one per role per gateway).
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';

/** Longest wait between two reconnect attempts. */
const REDIS_MAX_BACKOFF_MS = 5_000;

/**
 * Reconnect delay after `attempt` consecutive failures: 100 ms doubling, capped at {@link REDIS_MAX_BACKOFF_MS}.
 * Why never give up (ioredis stops when this returns a non-number): a Redis outage must end by itself
 * once Redis is back, without a restart of the gateway.
 */
function redisBackoff(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt - 1, 10), REDIS_MAX_BACKOFF_MS);
}

export interface RedisConnectionOptions {
  url: string;
  /** Shown in logs and readiness, e.g. `redis-commands`. */
  name: string;
  log: Logger;
  role: RedisRole;
}

/**
 * What a connection is for, which decides how it behaves while Redis is away.
 * - `commands`: fails fast while disconnected (no offline queue, 1 s command timeout), so a webhook can answer 503
 *   instead of hanging.
 * - `subscriber`: queues SUBSCRIBE while disconnected and re-subscribes on reconnect (ioredis `autoResubscribe`);
 *   a connection in subscriber mode can run no other command, hence its own role.
 * - `queue`: BullMQ's queues and workers. BullMQ requires `maxRetriesPerRequest: null` (its commands wait through
 *   an outage instead of failing); each Worker duplicates it for its blocking commands itself.
 */
export type RedisRole = 'commands' | 'subscriber' | 'queue';

/**
 * Opens one connection. The URL is never logged (it may carry a password). State changes are
 * logged once each (not once per failed attempt), so an outage does not flood the log.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const common: RedisOptions = {
    retryStrategy: redisBackoff,
    lazyConnect: false,
    connectionName: `fcgw-${options.name}`,
  };
  const roleOptions: RedisOptions =
    options.role === 'commands'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000, connectTimeout: 2_000 }
      : {
          enableOfflineQueue: true,
          maxRetriesPerRequest: null,
          autoResubscribe: options.role === 'subscriber',
          connectTimeout: 2_000,
        };
  const client = new Redis(options.url, { ...common, ...roleOptions });
  const log = options.log.child({ redis: options.name });
  let down = false;
  client.on('ready', () => {
    if (down) log.info('redis connection restored');
    down = false;
  });
  const failing = (reason: string) => {
    if (!down) log.error({ reason }, 'redis connection failing; reconnecting with backoff');
    down = true;
  };
  client.on('error', (e: Error) => failing(e.message));
  // A server that goes away closes the socket without an 'error' event; 'reconnecting' (never emitted
  // after quit()) says the connection was lost rather than closed by us.
  client.on('reconnecting', () => failing('connection lost'));
  client.on('end', () => log.debug('redis connection closed'));
  return client;
}

/** Closes without waiting for a Redis that is not there. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
