// What the gateway needs of the Redis at REDIS_URL, checked once it connects: persistence and no eviction.
import { ReplyError, type Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * Why these two: Redis is the only store of partner webhook endpoints (and their sealed secrets) and of the BullMQ
 * jobs (payments followed until they settle, partner deliveries). A Redis restarted without persistence has
 * forgotten them; one that evicts keys under memory pressure drops them silently, and BullMQ requires
 * `maxmemory-policy noeviction` (its own connection prints a console warning otherwise).
 * Only warned about: start-up never refuses (a development Redis may rightly run without either), and the
 * operator's deployment page says what to set (docs/deploying.md, Redis).
 */
export interface RedisRequirements {
  /** Where the answers came from: CONFIG GET, INFO (CONFIG is often disabled on managed Redis), or neither. */
  source: 'config' | 'info' | 'none';
  /** `aof`: append-only file on; `rdb`: snapshots only (writes since the last one are lost); `off`; or unknown. */
  persistence: 'aof' | 'rdb' | 'off' | 'unknown';
  /** `maxmemory-policy`, or undefined when it could not be read. */
  maxmemoryPolicy?: string;
  /** What was logged at warn level, one line each. */
  warnings: string[];
}

/** `CONFIG GET name` as one value; throws when CONFIG is refused (disabled, renamed, or not allowed). */
async function configGet(redis: Redis, name: string): Promise<string | undefined> {
  const reply = (await redis.config('GET', name)) as string[];
  return reply[1];
}

/** `field:value` lines of one INFO section. */
async function info(redis: Redis, section: string): Promise<Map<string, string>> {
  const text = await redis.info(section);
  return new Map(
    text
      .split('\r\n')
      .filter((l) => l.includes(':') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

async function read(redis: Redis): Promise<Omit<RedisRequirements, 'warnings'>> {
  try {
    const [appendonly, save, maxmemoryPolicy] = await Promise.all([
      configGet(redis, 'appendonly'),
      configGet(redis, 'save'),
      configGet(redis, 'maxmemory-policy'),
    ]);
    const persistence = appendonly === 'yes' ? 'aof' : save ? 'rdb' : 'off';
    return { source: 'config', persistence, maxmemoryPolicy };
  } catch (e) {
    // CONFIG refused (an error reply): fall through to INFO. Anything else (connection lost) is not an answer.
    if (!(e instanceof ReplyError)) throw e;
  }
  try {
    const [persistence, memory] = await Promise.all([info(redis, 'persistence'), info(redis, 'memory')]);
    // INFO does not show the `save` points, only whether AOF is on.
    const aof = persistence.get('aof_enabled');
    return {
      source: 'info',
      persistence: aof === '1' ? 'aof' : 'unknown',
      maxmemoryPolicy: memory.get('maxmemory_policy'),
    };
  } catch (e) {
    if (!(e instanceof ReplyError)) throw e;
    return { source: 'none', persistence: 'unknown' };
  }
}

/**
 * Reads persistence and `maxmemory-policy` from the connected Redis and logs a warning for each requirement it
 * misses (never the URL: it may carry a password).
 */
export async function checkRedisRequirements(redis: Redis, log: Logger): Promise<RedisRequirements> {
  const found = await read(redis);
  const warnings: string[] = [];
  if (found.source === 'none') {
    warnings.push(
      'could not check Redis persistence and maxmemory-policy (CONFIG and INFO refused): make sure it runs with appendonly yes and maxmemory-policy noeviction (docs/deploying.md)',
    );
  } else {
    if (found.persistence === 'off')
      warnings.push(
        'Redis has no persistence (appendonly no, no save points): a restart loses partner webhook endpoints and queued jobs; set appendonly yes',
      );
    if (found.persistence === 'rdb')
      warnings.push(
        'Redis persists by RDB snapshots only (appendonly no): a restart loses what was written since the last snapshot; set appendonly yes',
      );
    if (found.persistence === 'unknown')
      warnings.push(
        'Redis append-only file is off, and INFO does not show RDB save points: make sure it persists (appendonly yes)',
      );
    if (found.maxmemoryPolicy === undefined)
      warnings.push('could not read Redis maxmemory-policy: make sure it is noeviction');
    else if (found.maxmemoryPolicy !== 'noeviction')
      warnings.push(
        `Redis maxmemory-policy is ${found.maxmemoryPolicy}: under memory pressure it evicts partner endpoints and queued jobs; set noeviction`,
      );
  }
  for (const message of warnings)
    log.warn(
      { source: found.source, persistence: found.persistence, maxmemoryPolicy: found.maxmemoryPolicy },
      message,
    );
  if (!warnings.length)
    log.info(
      { persistence: found.persistence, maxmemoryPolicy: found.maxmemoryPolicy },
      'Redis requirements met',
    );
  return { ...found, warnings };
}
