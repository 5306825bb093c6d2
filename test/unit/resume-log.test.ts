// The resume log's contract (resume-log.ts) and the subscriptions that resume through it (live-subscriptions.ts), run
// against both backends: in memory, and a real redis-server with the bus on Redis pub/sub.
import { Redis } from 'ioredis';
import { createLogger } from '../../src/platform/logger';
import type { Caller } from '../../src/services/auth/auth';
import { LIVE_TOPICS, type LiveEvent } from '../../src/services/live/live-events';
import { LiveSubscriptions } from '../../src/services/live/live-subscriptions';
import { createMemoryPubSub, createRedisPubSub, type GatewayPubSub } from '../../src/services/live/pubsub';
import {
  comparePositions,
  createMemoryResumeLog,
  createRedisResumeLog,
  STREAM_START,
  type ResumeLog,
} from '../../src/services/live/resume-log';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { waitUntil } from '../helpers/wait';

const log = createLogger('silent');
/** The window of the tests that come back in time: long, so a loaded machine cannot make them late. */
const WINDOW_MS = 60_000;
/** The window of the tests that come back too late (they wait it out). */
const SHORT_WINDOW_MS = 400;

interface Backend {
  pubSub: GatewayPubSub;
  resume: ResumeLog;
  /** The same bus with a window of SHORT_WINDOW_MS. */
  short: ResumeLog;
}

let unique = 0;
const customer = () => `cus_resume_${process.pid}_${++unique}`;
const refreshed = (customerId: string, accountId: string, feature: 'balance' | 'ownership'): LiveEvent => ({
  kind: 'account.refreshed',
  customerId,
  accountId,
  feature,
  status: 'succeeded',
  occurredAt: 1_800_000_000,
  source: 'webhook',
});
const publish = (b: Backend, event: LiveEvent, resume = b.resume) =>
  resume.publish(LIVE_TOPICS[event.kind], event);
const tokenOf = (customerId: string): Caller =>
  ({ kind: 'customer', partnerId: 'partner_a', customerId, expiresAt: Date.now() + 600_000 }) as Caller;

/** Takes the next event of `stream`. */
const nextOf = async <T>(it: AsyncIterator<T>) => (await it.next()).value as T;

function resumeSuite(name: string, open: () => Promise<Backend>, close: () => Promise<void>) {
  describe(`resume log (${name})`, () => {
    let b: Backend;
    beforeAll(async () => (b = await open()));
    afterAll(close);

    describe('publish, head and after', () => {
      it('should give each event of a customer a later position than the one before, and read them back in order', async () => {
        const c = customer();
        expect(await b.resume.head(c)).toBe(STREAM_START);
        const live = new LiveSubscriptions(b.pubSub).stream('account.refreshed', c, tokenOf(c));
        const it = live[Symbol.asyncIterator]();
        await b.pubSub.subscribedTo(LIVE_TOPICS['account.refreshed'], c);
        await publish(b, refreshed(c, 'fca_1', 'balance'));
        await publish(b, refreshed(c, 'fca_1', 'ownership'));
        const first = (await nextOf(it)) as LiveEvent & { position: string };
        const second = (await nextOf(it)) as LiveEvent & { position: string };
        expect(comparePositions(second.position, first.position)).toBeGreaterThan(0);
        expect(await b.resume.head(c)).toBe(second.position);
        const kept = await b.resume.after(c, STREAM_START);
        expect(kept.map((e) => (e as LiveEvent & { feature: string }).feature)).toEqual([
          'balance',
          'ownership',
        ]);
        expect(await b.resume.after(c, first.position)).toEqual([second]);
        await it.return?.();
      });

      it("should keep one customer's events out of another customer's stream", async () => {
        const [c1, c2] = [customer(), customer()];
        await publish(b, refreshed(c2, 'fca_2', 'balance'));
        expect(await b.resume.after(c1, STREAM_START)).toEqual([]);
        expect(await b.resume.after(c2, STREAM_START)).toHaveLength(1);
      });
    });

    describe('remember and recall', () => {
      it('should hand a stopping point back once', async () => {
        await b.resume.remember('k-once', '5-0');
        expect(await b.resume.recall('k-once')).toBe('5-0');
        expect(await b.resume.recall('k-once')).toBeNull();
      });

      it('should forget a stopping point after the window', async () => {
        await b.short.remember('k-late', '5-0');
        await new Promise((r) => setTimeout(r, SHORT_WINDOW_MS + 200));
        expect(await b.short.recall('k-late')).toBeNull();
      });
    });

    describe('a subscription that comes back', () => {
      it('should receive what was published while it was away, then the live events, each once', async () => {
        const c = customer();
        const subs = new LiveSubscriptions(b.pubSub, { resume: b.resume, log });
        const first = subs
          .stream('account.refreshed', c, tokenOf(c), undefined, 'sub-1')
          [Symbol.asyncIterator]();
        await b.pubSub.subscribedTo(LIVE_TOPICS['account.refreshed'], c);
        await publish(b, refreshed(c, 'fca_1', 'balance'));
        expect(await nextOf(first)).toMatchObject({ feature: 'balance' });
        await first.return?.(); // the socket closed

        await publish(b, refreshed(c, 'fca_1', 'ownership')); // the gap
        await waitForPoint(b, 'sub-1');
        const again = subs
          .stream('account.refreshed', c, tokenOf(c), undefined, 'sub-1')
          [Symbol.asyncIterator]();
        expect(await nextOf(again)).toMatchObject({ feature: 'ownership' });
        await publish(b, refreshed(c, 'fca_1', 'balance'));
        // The next one is the live balance: neither the gap event again nor the one seen before the close.
        expect(await nextOf(again)).toMatchObject({ feature: 'balance' });
        await again.return?.();
      });

      it("should never replay another customer's event nor one its filter refuses", async () => {
        const [c, other] = [customer(), customer()];
        const subs = new LiveSubscriptions(b.pubSub, { resume: b.resume, log });
        const open = () =>
          subs
            .stream('account.refreshed', c, tokenOf(c), (e) => e.accountId === 'fca_mine', 'sub-2')
            [Symbol.asyncIterator]();
        const first = open();
        await b.pubSub.subscribedTo(LIVE_TOPICS['account.refreshed'], c);
        await first.return?.();
        await waitForPoint(b, 'sub-2');

        await publish(b, refreshed(other, 'fca_other', 'balance'));
        await publish(b, refreshed(c, 'fca_theirs', 'balance'));
        await publish(b, refreshed(c, 'fca_mine', 'ownership'));
        const again = open();
        expect(await nextOf(again)).toMatchObject({
          customerId: c,
          accountId: 'fca_mine',
          feature: 'ownership',
        });
        await publish(b, refreshed(c, 'fca_mine', 'balance'));
        expect(await nextOf(again)).toMatchObject({
          customerId: c,
          accountId: 'fca_mine',
          feature: 'balance',
        });
        await again.return?.();
      });

      it('should replay nothing when it comes back after the window', async () => {
        const c = customer();
        const subs = new LiveSubscriptions(b.pubSub, { resume: b.short, log });
        const first = subs
          .stream('account.refreshed', c, tokenOf(c), undefined, 'sub-3')
          [Symbol.asyncIterator]();
        await b.pubSub.subscribedTo(LIVE_TOPICS['account.refreshed'], c);
        await first.return?.();
        await publish(b, refreshed(c, 'fca_1', 'ownership'), b.short); // the gap
        await new Promise((r) => setTimeout(r, SHORT_WINDOW_MS + 200));
        const again = subs
          .stream('account.refreshed', c, tokenOf(c), undefined, 'sub-3')
          [Symbol.asyncIterator]();
        await b.pubSub.subscribedTo(LIVE_TOPICS['account.refreshed'], c);
        await publish(b, refreshed(c, 'fca_1', 'balance'), b.short);
        expect(await nextOf(again)).toMatchObject({ feature: 'balance' });
        await again.return?.();
      });
    });
  });
}

/**
 * Waits until the subscription `key` has its stopping point stored (written when its stream ended, nothing
 * announces it), and puts it back (looking consumes it).
 */
async function waitForPoint(b: Backend, key: string) {
  let point: string | null = null;
  await waitUntil(async () => (point = await b.resume.recall(key)) !== null, `the stopping point of ${key}`);
  await b.resume.remember(key, point!);
}

resumeSuite(
  'memory',
  async () => {
    const pubSub = createMemoryPubSub(log);
    return {
      pubSub,
      resume: createMemoryResumeLog(pubSub, WINDOW_MS),
      short: createMemoryResumeLog(pubSub, SHORT_WINDOW_MS),
    };
  },
  async () => undefined,
);

let redis: StartedRedis;
const connections: Redis[] = [];
resumeSuite(
  'redis',
  async () => {
    redis = await startRedis();
    const connect = () => {
      const r = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      connections.push(r);
      return r;
    };
    const commands = connect();
    const pubSub = createRedisPubSub({ publishClient: commands, subscribeClient: connect(), log });
    return {
      pubSub,
      resume: createRedisResumeLog(commands, WINDOW_MS),
      short: createRedisResumeLog(commands, SHORT_WINDOW_MS),
    };
  },
  async () => {
    for (const c of connections) c.disconnect();
    await redis?.stop();
  },
);

describe('comparePositions', () => {
  it('should order positions as numbers, milliseconds first, then the sequence', () => {
    const ordered = [
      '0-0',
      '0-1',
      '9-0',
      '10-0',
      '10-2',
      '10-10',
      '1765100000000-0',
      '1765100000000-9',
      '1765100000001-0',
    ];
    for (let i = 0; i < ordered.length; i += 1) {
      expect(comparePositions(ordered[i], ordered[i])).toBe(0);
      for (let j = i + 1; j < ordered.length; j += 1) {
        expect(comparePositions(ordered[i], ordered[j])).toBeLessThan(0);
        expect(comparePositions(ordered[j], ordered[i])).toBeGreaterThan(0);
      }
    }
  });
});
