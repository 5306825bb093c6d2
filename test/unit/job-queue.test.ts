// The job queue contract (src/platform/jobs/), run against BullMQ on a real Redis and against the in-memory twin.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { bullJobQueues } from '../../src/platform/jobs/bull-queue';
import {
  FinalFailure,
  RetryLater,
  type Job,
  type JobQueue,
  type JobQueueOptions,
  type JobQueues,
  type JobResult,
} from '../../src/platform/jobs/job-queue';
import { memoryJobQueues } from '../../src/platform/jobs/memory-queue';
import { createLogger } from '../../src/platform/logger';
import { openRedisConnections, type RedisConnections } from '../../src/platform/redis/connections';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { waitUntil } from '../helpers/wait';

const log = createLogger('silent');
/** Long enough that a retry or a delayed job never runs during a test: its absence is then visible in pending(). */
const NEVER_MS = 3_600_000;

type Data = { n: number };

/** Records every run; `next()` resolves with the next run (or one already made and not yet taken). */
function recorder(behave: (job: Job<Data>, runs: number) => JobResult<Data> | Promise<JobResult<Data>>) {
  const runs: Job<Data>[] = [];
  const waiting: ((job: Job<Data>) => void)[] = [];
  let taken = 0;
  return {
    runs,
    handler: async (job: Job<Data>) => {
      runs.push(job);
      waiting.shift()?.(job);
      return behave(job, runs.length);
    },
    next(): Promise<Job<Data>> {
      const i = taken++;
      if (runs[i]) return Promise.resolve(runs[i]);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

function jobQueueContract(name: string, setup: () => { jobs: () => JobQueues }) {
  describe(`JobQueue (${name})`, () => {
    const ctx = setup();
    const open: JobQueue<Data>[] = [];
    const create = (o: Partial<JobQueueOptions<Data>> & Pick<JobQueueOptions<Data>, 'handler'>) => {
      const queue = ctx.jobs().create<Data>({
        name: `test-${randomUUID()}`,
        concurrency: 2,
        attempts: 5,
        retryDelay: () => NEVER_MS,
        keepDone: true,
        ...o,
      });
      open.push(queue);
      return queue;
    };
    const drained = (queue: JobQueue<Data>) =>
      waitUntil(async () => (await queue.pending()).count === 0, 'the queue to drain');
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
    });

    describe('add', () => {
      it('should run a job once with its name, data and first attempt when its id is added twice', async () => {
        const r = recorder(() => undefined);
        const queue = create({ handler: r.handler });
        await queue.add('look', { n: 1 }, { jobId: 'a' });
        await queue.add('look', { n: 2 }, { jobId: 'a' });
        const run = await r.next();
        expect(run).toMatchObject({ id: 'a', name: 'look', data: { n: 1 }, attempt: 1 });
        expect(typeof run.createdAt).toBe('number');
        await drained(queue);
        expect(r.runs).toHaveLength(1);
      });

      it('should ignore a finished id when keepDone, and run it again when not', async () => {
        for (const keepDone of [true, false]) {
          let done!: () => void;
          const finished = new Promise<void>((resolve) => (done = resolve));
          const r = recorder(() => undefined);
          const queue = create({ handler: r.handler, keepDone, onDone: () => done() });
          await queue.add('x', { n: 1 }, { jobId: 'same' });
          await finished;
          await queue.add('x', { n: 2 }, { jobId: 'same' });
          if (keepDone) {
            await drained(queue);
            expect(r.runs.map((j) => j.data.n)).toEqual([1]);
          } else {
            expect((await r.next(), await r.next()).data.n).toBe(2);
          }
        }
      });

      it('should hold a delayed job until removed, and remove only what waits', async () => {
        const r = recorder(() => undefined);
        const queue = create({ handler: r.handler });
        await queue.add('later', { n: 1 }, { jobId: 'later', delayMs: NEVER_MS });
        const pending = await queue.pending();
        expect(pending.count).toBe(1);
        expect(typeof pending.oldestCreatedAt).toBe('number');
        expect(await queue.remove('later')).toBe(true);
        expect(await queue.remove('unknown')).toBe(false);
        expect(await queue.pending()).toEqual({ count: 0, oldestCreatedAt: null });
        expect(r.runs).toHaveLength(0);
      });
    });

    describe('handler outcomes', () => {
      it('should run a step again with its new data at the same attempt, then report the done value', async () => {
        let reported!: (v: [string, string | undefined]) => void;
        const done = new Promise<[string, string | undefined]>((resolve) => (reported = resolve));
        const r = recorder((job) =>
          job.data.n < 3 ? { again: { n: job.data.n + 1 }, delayMs: 1 } : { done: 'ok' },
        );
        const queue = create({ handler: r.handler, onDone: (id, v) => reported([id, v]) });
        await queue.add('step', { n: 1 }, { jobId: 's' });
        expect(await done).toEqual(['s', 'ok']);
        expect(r.runs.map((j) => [j.data.n, j.attempt])).toEqual([
          [1, 1],
          [2, 1],
          [3, 1],
        ]);
        await drained(queue);
      });

      it('should retry after RetryLater with the next attempt', async () => {
        const r = recorder((job) => {
          if (job.attempt === 1) throw new RetryLater('not yet', 1);
        });
        const queue = create({ handler: r.handler });
        await queue.add('x', { n: 1 }, { jobId: 'r' });
        await r.next();
        expect((await r.next()).attempt).toBe(2);
        await drained(queue);
        expect(r.runs).toHaveLength(2);
      });

      it('should not retry after FinalFailure (a retry would wait an hour and stay pending)', async () => {
        const r = recorder(() => {
          throw new FinalFailure('no');
        });
        const queue = create({ handler: r.handler });
        await queue.add('x', { n: 1 }, { jobId: 'f' });
        await r.next();
        await drained(queue);
        expect(r.runs).toHaveLength(1);
      });

      it('should retry a plain failure after retryDelay(attempt) until attempts are used up', async () => {
        const delays: number[] = [];
        const r = recorder(() => {
          throw new Error('boom');
        });
        const queue = create({
          handler: r.handler,
          attempts: 3,
          retryDelay: (attempt) => {
            delays.push(attempt);
            return 1;
          },
        });
        await queue.add('x', { n: 1 }, { jobId: 'p' });
        for (let i = 0; i < 3; i += 1) await r.next();
        await drained(queue);
        expect(r.runs.map((j) => j.attempt)).toEqual([1, 2, 3]);
        expect(delays).toEqual([1, 2]);
      });
    });
  });
}

jobQueueContract('in memory', () => ({ jobs: () => memoryJobQueues(log) }));

describe('with Redis', () => {
  let redis: StartedRedis;
  let connections: RedisConnections;
  beforeAll(async () => {
    redis = await startRedis();
    connections = openRedisConnections({ url: redis.url, log });
  });
  afterAll(async () => {
    await connections?.close();
    await redis?.stop();
  });

  jobQueueContract('BullMQ', () => ({ jobs: () => bullJobQueues(connections.get('queue'), log) }));

  describe('openRedisConnections', () => {
    it('should hand out one connection per role, the queue one without a per-command retry limit', () => {
      const queue: Redis = connections.get('queue');
      expect(connections.get('queue')).toBe(queue);
      expect(connections.get('commands')).not.toBe(queue);
      expect(queue.options.maxRetriesPerRequest).toBeNull();
      expect(connections.get('commands').options.maxRetriesPerRequest).toBe(1);
      expect(connections.get('subscriber').options.autoResubscribe).toBe(true);
    });
  });
});
