// The job queue's in-memory twin (development, no REDIS_URL): the same contract as BullMQ, lost on restart.
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger';
import {
  FinalFailure,
  RetryLater,
  type Job,
  type JobQueue,
  type JobQueueOptions,
  type JobQueues,
} from './job-queue';

/** How many finished job ids a `keepDone` queue remembers. */
const KEEP_DONE = 100_000;

export function memoryJobQueues(log: Logger): JobQueues {
  return { transport: 'memory', create: (options) => memoryJobQueue(log, options) };
}

interface Entry<T> {
  job: Job<T>;
  /** Set while waiting for its time; unset while due or running. */
  timer?: NodeJS.Timeout;
}

function memoryJobQueue<T>(log: Logger, o: JobQueueOptions<T>): JobQueue<T> {
  const done = new LRUCache<string, true>({ max: KEEP_DONE });
  const entries = new Map<string, Entry<T>>();
  const due: Entry<T>[] = [];
  let running = 0;
  let closed = false;

  const schedule = (entry: Entry<T>, delayMs: number) => {
    if (closed) return;
    if (delayMs <= 0) {
      due.push(entry);
      setImmediate(pump);
      return;
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      due.push(entry);
      pump();
    }, delayMs);
    entry.timer.unref();
  };
  const finish = (entry: Entry<T>) => {
    entries.delete(entry.job.id);
    if (o.keepDone) done.set(entry.job.id, true);
  };
  const runOnce = async (entry: Entry<T>) => {
    const { job } = entry;
    try {
      const result = await o.handler({ ...job });
      if (closed || entries.get(job.id) !== entry) return;
      if (result && 'again' in result) {
        entry.job = { ...job, data: result.again };
        schedule(entry, result.delayMs);
        return;
      }
      finish(entry);
      o.onDone?.(job.id, result?.done);
    } catch (e) {
      if (closed || entries.get(job.id) !== entry) return;
      if (e instanceof FinalFailure || job.attempt >= o.attempts) {
        finish(entry);
        return;
      }
      const delay = e instanceof RetryLater ? e.delayMs : o.retryDelay(job.attempt);
      entry.job = { ...job, attempt: job.attempt + 1 };
      schedule(entry, delay);
    }
  };
  // Why a due list: at most `concurrency` runs at once, as a BullMQ worker would.
  const pump = () => {
    while (running < o.concurrency && due.length && !closed) {
      const entry = due.shift()!;
      if (entries.get(entry.job.id) !== entry) continue; // removed while due
      running += 1;
      void runOnce(entry).finally(() => {
        running -= 1;
        pump();
      });
    }
  };

  return {
    transport: 'memory',
    async add(name, data, { jobId, delayMs = 0 }) {
      if (closed || entries.has(jobId) || done.has(jobId)) return;
      if (o.maxPending !== undefined && entries.size >= o.maxPending) {
        log.warn({ queue: o.name, jobId, pending: entries.size }, 'job queue full: job not added');
        return;
      }
      const entry: Entry<T> = { job: { id: jobId, name, data, attempt: 1, createdAt: Date.now() } };
      entries.set(jobId, entry);
      schedule(entry, delayMs);
    },
    async remove(jobId) {
      const entry = entries.get(jobId);
      if (!entry?.timer) return false; // unknown, or due or running: its run ends it
      clearTimeout(entry.timer);
      entries.delete(jobId);
      return true;
    },
    async pending() {
      let oldest: number | null = null;
      for (const { job } of entries.values()) oldest = Math.min(oldest ?? job.createdAt, job.createdAt);
      return { count: entries.size, oldestCreatedAt: oldest };
    },
    async close() {
      closed = true;
      for (const entry of entries.values()) clearTimeout(entry.timer);
      entries.clear();
      due.length = 0;
    },
  };
}
