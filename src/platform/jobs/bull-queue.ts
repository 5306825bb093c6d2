// The production job queue: BullMQ on the shared `queue` Redis connection (durable, each job locked by one worker).
import { DelayedError, Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { FinalFailure, RetryLater, type JobQueue, type JobQueueOptions, type JobQueues } from './job-queue';

/** Longest wait for the runs in flight when the gateway stops (one partner attempt's default timeout, plus slack). */
const CLOSE_TIMEOUT_MS = 12_000;
/** Finished jobs kept this long (and at most this many) so a re-added id stays a no-op. */
const KEEP_DONE = { age: 7 * 24 * 3600, count: 100_000 };
/** The states of a job that has not started yet. */
const WAITING = new Set<string>(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * BullMQ queues on one connection of the `queue` role (platform/redis/connection.ts): the Queue and the Worker share
 * it and each Worker duplicates it for its blocking fetch; the connection itself is closed by its owner.
 */
export function bullJobQueues(connection: Redis, log: Logger): JobQueues {
  return { transport: 'redis', create: (options) => bullJobQueue(connection, log, options) };
}

function bullJobQueue<T>(connection: Redis, log: Logger, o: JobQueueOptions<T>): JobQueue<T> {
  const queue = new Queue(o.name, { connection });
  queue.on('error', (e) => log.warn({ err: { message: e.message }, queue: o.name }, 'job queue error'));
  const worker = new Worker(
    o.name,
    async (job: BullJob, token?: string) => {
      let result;
      try {
        result = await o.handler({
          id: job.id!,
          name: job.name,
          data: job.data as T,
          attempt: job.attemptsMade + 1,
          createdAt: job.timestamp,
        });
      } catch (e) {
        if (e instanceof FinalFailure) throw new UnrecoverableError(e.message);
        throw e;
      }
      if (result && 'again' in result) {
        await job.updateData(result.again);
        await job.moveToDelayed(Date.now() + result.delayMs, token);
        throw new DelayedError();
      }
      return result?.done;
    },
    {
      connection,
      concurrency: o.concurrency,
      ...(o.maxStalledCount !== undefined ? { maxStalledCount: o.maxStalledCount } : {}),
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryLater ? err.delayMs : o.retryDelay(attemptsMade),
      },
    },
  );
  worker.on('error', (e) => log.warn({ err: { message: e.message }, queue: o.name }, 'job worker error'));
  if (o.onDone) {
    const onDone = o.onDone;
    worker.on('completed', (job: BullJob) => onDone(job.id!, job.returnvalue as string | undefined));
  }
  return {
    transport: 'redis',
    async add(name, data, { jobId, delayMs }) {
      await queue.add(name, data, {
        jobId,
        attempts: o.attempts,
        backoff: { type: 'custom' },
        removeOnComplete: o.keepDone ? KEEP_DONE : true,
        removeOnFail: KEEP_DONE,
        ...(delayMs ? { delay: delayMs } : {}),
      });
    },
    async remove(jobId) {
      // BullMQ's remove also answers 1 for an unknown or finished job: only a waiting one counts as removed.
      if (!WAITING.has(await queue.getJobState(jobId))) return false;
      return (await queue.remove(jobId)) === 1; // a job that became active meanwhile is locked and stays
    },
    async pending() {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      const count = Object.values(counts).reduce((a, b) => a + b, 0);
      if (count === 0) return { count, oldestCreatedAt: null };
      const sample = await queue.getJobs(['waiting', 'prioritized', 'active'], 0, 0, true);
      const delayed = await queue.getJobs(['delayed'], 0, 99, true);
      const times = [...sample, ...delayed]
        .map((j) => j?.timestamp)
        .filter((t): t is number => typeof t === 'number');
      return { count, oldestCreatedAt: times.length ? Math.min(...times) : null };
    },
    async close() {
      const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
      if (connection.status !== 'ready') {
        // Redis is away: a graceful close would wait for it forever. The jobs stay in Redis for the next start.
        void quietly(worker.close(true));
        void quietly(queue.close());
        return;
      }
      // Graceful: the run in flight finishes and is recorded (bounded; an unfinished one is run again later).
      const bounded = new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
      await Promise.race([quietly(Promise.all([worker.close(), queue.close()])), bounded]);
    },
  };
}
