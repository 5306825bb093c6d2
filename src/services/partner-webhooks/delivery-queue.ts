// The queue behind fan-out and delivery: BullMQ on Redis (durable, one worker per job across instances) or in-process.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../platform/logger';
import type { PartnerEventSource } from './partner-events';

export type QueueJob =
  | { name: 'fanout'; data: PartnerEventSource }
  | {
      name: 'deliver';
      /**
       * `since` (ms): when the first attempt ran, for a retry queued after it (the retry window counts from
       * there); `attemptsBefore`: attempts made before this job (its first run is attempt `attemptsBefore + 1`).
       */
      data: { endpointId: string; eventId: string; since?: number; attemptsBefore?: number };
    };

/** Throw from a handler: the attempt failed and must not be retried. */
export class FinalFailure extends Error {}

/** Throw from a handler: retry after `delayMs` (the handler decides, so it can record when). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/**
 * Runs one job once. {@link RetryLater} schedules a retry after its delay, {@link FinalFailure} ends
 * the job; anything else is retried after the policy's delay.
 * @param attempt 1 for the first run.
 * @param createdAt ms, when the job was first queued.
 */
export type JobHandler = (job: QueueJob, attempt: number, createdAt: number) => Promise<void>;

export interface DeliveryQueue {
  readonly transport: 'redis' | 'memory';
  /**
   * Adding a `jobId` that is queued, running or recently done does nothing (one job per id).
   * @param delayMs runs it no earlier than this from now
   */
  add(job: QueueJob, jobId: string, delayMs?: number): Promise<void>;
  pending(): Promise<{ count: number; oldestCreatedAt: number | null }>;
  close(): Promise<void>;
}

export interface RetryPolicy {
  /** The first retry's delay; each next one doubles, capped at `maxMs`, with ±50 % jitter. */
  baseMs: number;
  maxMs: number;
}

export function backoffDelay(attempt: number, p: RetryPolicy): number {
  const exp = Math.min(p.baseMs * 2 ** Math.min(attempt - 1, 30), p.maxMs);
  return Math.round(exp * (0.5 + Math.random()));
}

const QUEUE_NAME = 'fcgw-partner-webhooks';
/** Longest wait for running attempts when the gateway stops (one attempt's default timeout, plus slack). */
const CLOSE_TIMEOUT_MS = 12_000;
/** Attempts are bounded by age (the handler gives up after the retry window), not by count. */
const ATTEMPTS = 1_000_000;
/** Finished jobs are remembered this long so a re-added job id stays a no-op. */
const KEEP_DONE = { age: 7 * 24 * 3600, count: 100_000 };
const JOB_OPTIONS = {
  attempts: ATTEMPTS,
  backoff: { type: 'custom' },
  removeOnComplete: KEEP_DONE,
  removeOnFail: KEEP_DONE,
};

/**
 * BullMQ: jobs survive restarts (a delayed retry is a Redis entry), and each is locked by one worker,
 * so every instance may run a worker and each event reaches each endpoint once.
 * @param connection for the Queue; the Worker gets its own blocking connection (`workerConnection`).
 */
export function createBullDeliveryQueue(o: {
  connection: Redis;
  workerConnection: Redis;
  handler: JobHandler;
  retry: RetryPolicy;
  concurrency: number;
  log: Logger;
}): DeliveryQueue {
  const queue = new Queue(QUEUE_NAME, { connection: o.connection });
  queue.on('error', (e) => o.log.warn({ err: { message: e.message } }, 'partner webhook queue error'));
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      try {
        await o.handler({ name: job.name, data: job.data } as QueueJob, job.attemptsMade + 1, job.timestamp);
      } catch (e) {
        if (e instanceof FinalFailure) throw new UnrecoverableError(e.message);
        throw e;
      }
    },
    {
      connection: o.workerConnection,
      concurrency: o.concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryLater ? err.delayMs : backoffDelay(attemptsMade, o.retry),
      },
    },
  );
  worker.on('error', (e) => o.log.warn({ err: { message: e.message } }, 'partner webhook worker error'));
  return {
    transport: 'redis',
    async add(job, jobId, delayMs) {
      await queue.add(job.name, job.data, { jobId, ...JOB_OPTIONS, ...(delayMs ? { delay: delayMs } : {}) });
    },
    async pending() {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      const count = Object.values(counts).reduce((a, b) => a + b, 0);
      const sample = await queue.getJobs(['waiting', 'prioritized', 'active'], 0, 0, true);
      const delayed = await queue.getJobs(['delayed'], 0, 99, true);
      const times = [...sample, ...delayed]
        .map((j) => j?.timestamp)
        .filter((t): t is number => typeof t === 'number');
      return { count, oldestCreatedAt: times.length ? Math.min(...times) : null };
    },
    async close() {
      const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
      if (o.connection.status !== 'ready' || o.workerConnection.status !== 'ready') {
        // Redis is away: a graceful close would wait for it forever. Jobs stay in Redis for the next start.
        void quietly(worker.close(true));
        void quietly(queue.close());
        return;
      }
      // Graceful: the attempt in flight finishes (bounded by its timeout) and is recorded.
      const bounded = new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
      await Promise.race([quietly(Promise.all([worker.close(), queue.close()])), bounded]);
    },
  };
}

/** In-process: lost on restart; used without REDIS_URL (start-up says so). */
export function createMemoryDeliveryQueue(o: {
  handler: JobHandler;
  retry: RetryPolicy;
  log: Logger;
}): DeliveryQueue {
  const seen = new LRUCache<string, true>({ max: 100_000 });
  const waiting = new Map<string, { createdAt: number; timer?: NodeJS.Timeout }>();
  let closed = false;
  const run = async (job: QueueJob, jobId: string, attempt: number, createdAt: number) => {
    if (closed) return;
    try {
      await o.handler(job, attempt, createdAt);
      waiting.delete(jobId);
    } catch (e) {
      if (e instanceof FinalFailure || closed) {
        waiting.delete(jobId);
        return;
      }
      const delay = e instanceof RetryLater ? e.delayMs : backoffDelay(attempt, o.retry);
      const timer = setTimeout(() => void run(job, jobId, attempt + 1, createdAt), delay);
      waiting.set(jobId, { createdAt, timer });
    }
  };
  const add = async (job: QueueJob, jobId: string, delayMs = 0) => {
    if (closed || seen.has(jobId)) return;
    seen.set(jobId, true);
    const createdAt = Date.now();
    if (delayMs > 0) {
      const timer = setTimeout(() => void run(job, jobId, 1, createdAt), delayMs);
      waiting.set(jobId, { createdAt, timer });
      return;
    }
    waiting.set(jobId, { createdAt });
    setImmediate(() => void run(job, jobId, 1, createdAt));
  };
  return {
    transport: 'memory',
    add,
    async pending() {
      const times = [...waiting.values()].map((w) => w.createdAt);
      return { count: times.length, oldestCreatedAt: times.length ? Math.min(...times) : null };
    },
    async close() {
      closed = true;
      for (const w of waiting.values()) clearTimeout(w.timer);
      waiting.clear();
    },
  };
}
