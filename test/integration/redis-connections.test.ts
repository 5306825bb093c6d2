// A gateway on Redis opens its connections by role from one place (src/platform/redis/), and closes them all.
import { Redis } from 'ioredis';
import { startGateway, type StartedGateway } from '../helpers/gateway';
import { TEST_WEBHOOK_SECRET } from '../helpers/live';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { waitUntil } from '../helpers/wait';

/** The names of the clients connected to Redis now (CLIENT LIST), but the probe's own. */
async function clientNames(probe: Redis): Promise<string[]> {
  const list = String(await probe.client('LIST'));
  return list
    .split('\n')
    .filter((line) => line.trim() && !line.includes('name=probe '))
    .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
    .sort();
}

describe('Redis connections of one gateway', () => {
  let sandbox: StartedSandbox;
  let redis: StartedRedis;
  let probe: Redis;
  let gw: StartedGateway | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox();
    redis = await startRedis();
    probe = new Redis(redis.url, { connectionName: 'probe' });
  });
  afterAll(async () => {
    await gw?.close();
    probe?.disconnect();
    await sandbox?.close();
    await redis?.stop();
  });

  describe('createGateway with REDIS_URL', () => {
    it('should open one connection per role (commands, subscriber, queue) plus one blocking connection per job worker', async () => {
      gw = await startGateway({
        STRIPE_API_BASE: sandbox.url,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        REDIS_URL: redis.url,
      });
      // BullMQ opens each worker's blocking connection once the worker runs; wait for both.
      await waitUntil(
        async () => (await clientNames(probe)).filter((n) => n.startsWith('bull:')).length === 2,
        'both job workers to connect',
      );
      const names = await clientNames(probe);
      expect(names.filter((n) => !n.startsWith('bull:'))).toEqual([
        'fcgw-redis-commands',
        'fcgw-redis-queue',
        'fcgw-redis-subscriber',
      ]);
      expect(names).toHaveLength(5);
    });

    it('should close every connection it opened when the gateway closes', async () => {
      await gw!.close();
      gw = undefined;
      await waitUntil(
        async () => (await clientNames(probe)).length === 0,
        'every gateway connection to close',
      );
      expect(await clientNames(probe)).toEqual([]);
    });
  });
});
