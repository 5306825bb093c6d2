// One job queue interface for background work (payment follow-up, partner deliveries), whichever backend runs it.

/** One run of a job, as its handler sees it. */
export interface Job<T> {
  /** The id it was added with (one job per id). */
  id: string;
  name: string;
  data: T;
  /** 1 for the first run; a retry after a failure counts up (a step, see {@link JobResult}, does not). */
  attempt: number;
  /** ms, when the job was first added. */
  createdAt: number;
}

/**
 * What a handler returns: nothing or `{ done }` ends the job (`done` is handed to {@link JobQueueOptions.onDone});
 * `{ again, delayMs }` runs it again with new data after the delay, a step of a long-running job rather than a
 * failure (BullMQ's documented step-job pattern).
 */
export type JobResult<T> = void | { done: string } | { again: T; delayMs: number };

/**
 * Runs one job once. Throwing {@link RetryLater} runs it again after its delay, {@link FinalFailure} ends it
 * (failed); anything else is retried after {@link JobQueueOptions.retryDelay}.
 */
export type JobHandler<T> = (job: Job<T>) => Promise<JobResult<T>>;

/** Throw from a handler: the job failed and must not be retried. */
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

export interface JobQueueOptions<T> {
  /** The queue's name (its Redis keys with BullMQ), e.g. `fcgw-partner-webhooks`. */
  name: string;
  handler: JobHandler<T>;
  /** Jobs run at once by this instance. */
  concurrency: number;
  /** Runs of one job after failures before it is given up (steps do not count). */
  attempts: number;
  /** The wait before the next run after a plain failure (`attempt`: the run that failed, 1 for the first). */
  retryDelay(attempt: number): number;
  /**
   * Whether a finished job's id is remembered (7 days with BullMQ, the last 100,000 in memory), so adding it again
   * does nothing; otherwise a finished job is forgotten and its id can be added anew.
   */
  keepDone: boolean;
  /** BullMQ: how many times a job whose worker lost its lock (stalled) is run again. @default 1 */
  maxStalledCount?: number;
  /** The in-memory twin refuses new jobs past this many (logged). @default unbounded */
  maxPending?: number;
  /** Called on the instance that ended a job successfully, after it is recorded as done. */
  onDone?(jobId: string, done: string | undefined): void;
}

export interface JobQueue<T> {
  /** `redis`: BullMQ (durable, shared by every instance); `memory`: this process only, lost on restart. */
  readonly transport: 'redis' | 'memory';
  /**
   * Adding a `jobId` that is queued or running (or, with `keepDone`, recently done) does nothing.
   * @param delayMs runs it no earlier than this from now
   */
  add(name: string, data: T, options: { jobId: string; delayMs?: number }): Promise<void>;
  /** Removes a waiting job; false when unknown or running (a running job is ended by its handler). */
  remove(jobId: string): Promise<boolean>;
  /** Jobs waiting or running (every instance's with Redis), and when the oldest was added. */
  pending(): Promise<{ count: number; oldestCreatedAt: number | null }>;
  /** Stops running jobs (the run in flight finishes, bounded); with Redis the jobs stay for the next start. */
  close(): Promise<void>;
}

/** Creates queues on the backend chosen in the composition root (src/infrastructure.ts). */
export interface JobQueues {
  readonly transport: 'redis' | 'memory';
  create<T>(options: JobQueueOptions<T>): JobQueue<T>;
}
