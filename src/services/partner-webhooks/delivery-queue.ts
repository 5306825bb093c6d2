// The partner webhooks' jobs (fan-out of one event, delivery of one event to one endpoint) on the gateway's job queue.
import type { JobQueues } from '../../platform/jobs/job-queue';
import type { PartnerEventSource } from './partner-events';

export { FinalFailure, RetryLater } from '../../platform/jobs/job-queue';

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

/**
 * Runs one job once. `RetryLater` schedules a retry after its delay, `FinalFailure` ends the job; anything else is
 * retried after the policy's delay.
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
/** Attempts are bounded by age (the handler gives up after the retry window), not by count. */
const ATTEMPTS = 1_000_000;

/**
 * The partner webhooks' queue on `jobs` (BullMQ: jobs survive restarts and each is locked by one worker, so every
 * instance may run a worker and each event reaches each endpoint once). Finished job ids are remembered, so a
 * redelivered Stripe event fans out once.
 */
export function createDeliveryQueue(
  jobs: JobQueues,
  o: { handler: JobHandler; retry: RetryPolicy; concurrency: number },
): DeliveryQueue {
  const queue = jobs.create<QueueJob['data']>({
    name: QUEUE_NAME,
    handler: async (job) => {
      await o.handler({ name: job.name, data: job.data } as QueueJob, job.attempt, job.createdAt);
    },
    concurrency: o.concurrency,
    attempts: ATTEMPTS,
    retryDelay: (attempt) => backoffDelay(attempt, o.retry),
    keepDone: true,
  });
  return {
    transport: queue.transport,
    add: (job, jobId, delayMs) => queue.add(job.name, job.data, { jobId, delayMs }),
    pending: () => queue.pending(),
    close: () => queue.close(),
  };
}
