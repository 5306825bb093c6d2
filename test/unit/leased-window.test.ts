// leasedWindow (services/auth/leased-window.ts) on a real Redis: several instances' shares of one window never admit
// more than the limit and refuse at most earlyRefusalMargin early.
import { Redis } from 'ioredis';
import {
  earlyRefusalMargin,
  largestLease,
  leasedWindow,
  LEASE_DIVISOR,
  MAX_LEASE,
} from '../../src/services/auth/leased-window';
import { startRedis, type StartedRedis } from '../helpers/redis';

describe('leasedWindow', () => {
  let server: StartedRedis;
  const clients: Redis[] = [];
  const connect = async () => {
    const client = new Redis(server.url, { enableOfflineQueue: false });
    clients.push(client);
    await new Promise((resolve) => client.once('ready', resolve));
    return client;
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  describe('largestLease', () => {
    it('should lease point by point up to LEASE_DIVISOR × 2 − 1, and never more than MAX_LEASE', () => {
      expect(largestLease(1)).toBe(1);
      expect(largestLease(LEASE_DIVISOR * 2 - 1)).toBe(1);
      expect(earlyRefusalMargin(LEASE_DIVISOR * 2 - 1, 10)).toBe(0);
      expect(largestLease(600)).toBe(75);
      expect(largestLease(1_000_000)).toBe(MAX_LEASE);
      expect(earlyRefusalMargin(1_000_000, 3)).toBe(2 * (MAX_LEASE - 1));
    });
  });

  describe('take', () => {
    it.each([
      [3, 1000, 'k1'],
      [2, 37, 'k2'],
      [4, 12, 'k3'],
    ])(
      'should admit between limit − margin and limit over %i instances sharing a limit of %i',
      async (instances, limit, key) => {
        const shares = await Promise.all(
          Array.from({ length: instances }, async () =>
            leasedWindow({ redis: await connect(), limit, keyPrefix: 'test:lease', windowMs: 60_000 }),
          ),
        );
        // Twice the limit, in concurrent waves; each wave's operations go to the instances unevenly.
        let accepted = 0;
        let refused = 0;
        for (let wave = 0; wave < 20; wave += 1) {
          const decisions = await Promise.all(
            Array.from({ length: Math.ceil(limit / 10) }, (_, i) =>
              shares[(i * (wave + 1)) % instances].take(key),
            ),
          );
          for (const d of decisions) {
            expect(d).not.toBeNull();
            if (d!.allowed) accepted += 1;
            else {
              refused += 1;
              expect(d!.retryAfterMs).toBeGreaterThan(0);
              expect(d!.retryAfterMs).toBeLessThanOrEqual(60_000);
            }
          }
        }
        expect(refused).toBeGreaterThan(0);
        expect(accepted).toBeLessThanOrEqual(limit);
        expect(accepted).toBeGreaterThanOrEqual(limit - earlyRefusalMargin(limit, instances));
        expect(Number(await clients[0].get(`test:lease:${key}`))).toBe(limit);
      },
    );

    it('should spend what it leased while Redis is away, then answer null', async () => {
      const own = await startRedis();
      const client = new Redis(own.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      clients.push(client);
      await new Promise((resolve) => client.once('ready', resolve));
      const share = leasedWindow({ redis: client, limit: 1000, keyPrefix: 'test:lease', windowMs: 60_000 });
      expect(await share.take('k5')).toEqual({ allowed: true }); // leases 100
      await own.stop();
      if (client.status === 'ready') await new Promise((resolve) => client.once('close', resolve));
      for (let i = 1; i < largestLease(1000); i += 1)
        expect(await share.take('k5')).toEqual({ allowed: true });
      expect(await share.take('k5')).toBeNull();
    });

    it('should answer null (the caller decides) when Redis cannot be asked', async () => {
      const offline = new Redis(server.url, { enableOfflineQueue: false, lazyConnect: true });
      clients.push(offline);
      const share = leasedWindow({ redis: offline, limit: 5, keyPrefix: 'test:lease', windowMs: 60_000 });
      expect(await share.take('k4')).toBeNull();
    });
  });
});
