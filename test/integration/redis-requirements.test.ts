// The start-up check of the Redis at REDIS_URL (src/platform/redis/requirements.ts), against real redis-servers
// started with and without persistence and noeviction, with CONFIG disabled (as managed Redis services do), and
// with CONFIG and INFO both disabled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/platform/logger';
import { checkRedisRequirements } from '../../src/platform/redis/requirements';
import { startGateway } from '../helpers/gateway';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox } from '../helpers/sandbox';
import { waitUntil } from '../helpers/wait';

describe('checkRedisRequirements', () => {
  const started: StartedRedis[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const r of started) await r.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Checks a redis-server started with `options`, returning the report and the warn lines logged. */
  async function check(options: Parameters<typeof startRedis>[1]) {
    const server = await startRedis(undefined, options);
    started.push(server);
    const lines: { level: number; msg: string }[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, cb) {
          for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          cb();
        },
      }),
    );
    const client = new Redis(server.url);
    try {
      const report = await checkRedisRequirements(client, log);
      return { report, warned: lines.filter((l) => l.level === 40).map((l) => l.msg) };
    } finally {
      client.disconnect();
    }
  }
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'redis-aof-'));
    dirs.push(dir);
    return dir;
  };

  it('should warn about nothing when the append-only file is on and the policy is noeviction', async () => {
    const { report, warned } = await check({ dataDir: dataDir(), maxmemoryPolicy: 'noeviction' });
    expect(report).toEqual({
      source: 'config',
      persistence: 'aof',
      maxmemoryPolicy: 'noeviction',
      warnings: [],
    });
    expect(warned).toEqual([]);
  });

  it('should warn when there is no persistence at all and keys may be evicted', async () => {
    const { report, warned } = await check({ maxmemoryPolicy: 'allkeys-lru' });
    expect(report).toMatchObject({ source: 'config', persistence: 'off', maxmemoryPolicy: 'allkeys-lru' });
    expect(warned).toEqual([
      expect.stringMatching(/^Redis has no persistence \(appendonly no, no save points\)/),
      expect.stringMatching(/^Redis maxmemory-policy is allkeys-lru: .*set noeviction$/),
    ]);
  });

  it('should warn that RDB snapshots alone lose the latest writes', async () => {
    const { report, warned } = await check({ save: '900 1' });
    expect(report).toMatchObject({ persistence: 'rdb', maxmemoryPolicy: 'noeviction' });
    expect(warned).toEqual([expect.stringMatching(/^Redis persists by RDB snapshots only/)]);
  });

  it('should read INFO persistence and INFO memory when CONFIG is disabled', async () => {
    const aof = await check({
      dataDir: dataDir(),
      maxmemoryPolicy: 'volatile-lru',
      disabledCommands: ['CONFIG'],
    });
    expect(aof.report).toMatchObject({ source: 'info', persistence: 'aof', maxmemoryPolicy: 'volatile-lru' });
    expect(aof.warned).toEqual([expect.stringMatching(/^Redis maxmemory-policy is volatile-lru/)]);
    const none = await check({ disabledCommands: ['CONFIG'] });
    expect(none.report).toMatchObject({
      source: 'info',
      persistence: 'unknown',
      maxmemoryPolicy: 'noeviction',
    });
    expect(none.warned).toEqual([expect.stringMatching(/^Redis append-only file is off/)]);
  });

  it('should say it could not check when CONFIG and INFO are both disabled', async () => {
    const { report, warned } = await check({ disabledCommands: ['CONFIG', 'INFO'] });
    expect(report).toMatchObject({ source: 'none', persistence: 'unknown' });
    expect(report.maxmemoryPolicy).toBeUndefined();
    expect(warned).toEqual([
      expect.stringMatching(
        /^could not check Redis persistence and maxmemory-policy \(CONFIG and INFO refused\)/,
      ),
    ]);
  });
});

describe('gateway start-up on a Redis without persistence or noeviction', () => {
  it('should log both warnings once connected, naming no URL', async () => {
    const redis = await startRedis(undefined, { maxmemoryPolicy: 'allkeys-lru' });
    const sandbox = await startSandbox();
    const gw = await startGateway({ STRIPE_API_BASE: sandbox.url, REDIS_URL: redis.url });
    try {
      const warnings = () =>
        gw.logs.filter((l) => /Redis has no persistence|Redis maxmemory-policy is/.test(l));
      await waitUntil(() => warnings().length === 2, 'the Redis requirement warnings');
      for (const line of warnings()) {
        expect(JSON.parse(line)).toMatchObject({ level: 40, source: 'config' });
        expect(line).not.toContain(redis.url);
      }
    } finally {
      await gw.close();
      await sandbox.close();
      await redis.stop();
    }
  });
});
