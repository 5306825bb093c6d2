// Follows the ACH payments this gateway confirmed until they settle (an ACH debit takes up to four business days,
// docs/stripe-facts.md §6), for when no webhook tells us. With REDIS_URL each follow-up is a BullMQ job: it survives
// restarts and Redis outages (a delayed job is a Redis entry) and one instance looks at a time. Without REDIS_URL the
// follow-ups live in this process and are lost on restart (start-up says so; event catch-up still reads the events).
import { EventEmitter } from 'node:events';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import { closeRedis } from '../../platform/redis-connection';
import { paymentIntentCacheKeys, type LiveEventPublisher } from './live-events';

export interface FollowUpSettings {
  /** The first look, after the payment was confirmed. @default 60 000 ms */
  initialDelayMs: number;
  /** The delay doubles after each look up to this. @default 3 600 000 ms */
  maxDelayMs: number;
  /** No look after this long since the follow-up started (logged). @default 7 days */
  windowMs: number;
}

/**
 * Why a follow-up ended; `settled` is emitted with `{ id, outcome }` by the instance that ended it. Each look also
 * emits `looked` with `{ id, attempt, status }` (status null when Stripe did not answer) on the instance that made it.
 */
export type FollowUpOutcome = 'settled' | 'webhook' | 'expired' | 'not_found' | 'no_customer';

/** One followed payment, as kept between looks (the BullMQ job's data). */
interface FollowState {
  id: string;
  /** ms, when the follow-up started. */
  since: number;
  /** Looks so far. */
  attempt: number;
  /** The status last pushed, so a look pushes only changes (the completion claims expire before 7 days). */
  lastStatus?: string;
}

/** After confirm, these end an ACH payment's journey (requires_payment_method = it failed). */
const FINAL = new Set(['succeeded', 'canceled', 'requires_payment_method', 'requires_capture']);
/** A successful POST that starts (or ends) a payment's journey through this client. */
const PI_POST = /^\/v1\/payment_intents\/(pi_[A-Za-z0-9_]+)\/(confirm|cancel|verify_microdeposits)$/;
const QUEUE_NAME = 'fcgw-payment-follow-up';
/** Stripe GETs in flight at once per instance. */
const CONCURRENCY = 4;
/** In-process follow-ups at once; beyond it new ones are refused (logged). */
const MAX_IN_MEMORY = 10_000;
/** Longest wait for a look in flight when the gateway stops. */
const CLOSE_TIMEOUT_MS = 12_000;
/** A job whose worker lost Redis mid-look is "stalled" and run again; an outage must never end a follow-up. */
const MAX_STALLED = 1_000;

export const isFinalPaymentStatus = (status: unknown): boolean =>
  typeof status === 'string' && FINAL.has(status);

/** Delay before look number `attempt + 1`: doubling from the initial delay, capped, with ±10 % jitter. */
export function followUpDelay(attempt: number, s: FollowUpSettings): number {
  const base = Math.min(s.initialDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30), s.maxDelayMs);
  return Math.round(base * (0.9 + Math.random() * 0.2));
}

interface Backend {
  readonly transport: 'redis' | 'memory';
  add(state: FollowState): Promise<void>;
  /** @returns true when a waiting follow-up was removed (one being looked at stays: its look ends it). */
  remove(id: string): Promise<boolean>;
  pending(): Promise<number>;
  close(): Promise<void>;
}

/** What one look decided: the follow-up ends, or continues with this state. */
type LookResult = { end: FollowUpOutcome } | { next: FollowState };

export class PaymentFollowUp extends EventEmitter {
  private readonly backend: Backend;
  private closed = false;

  constructor(
    private readonly deps: {
      stripe: Stripe;
      publisher: LiveEventPublisher;
      log: Logger;
      settings: FollowUpSettings;
      /** Counts ended follow-ups by outcome (`payment_follow_ups_total`). */
      metrics?: Metrics;
      /** BullMQ connections (they must wait through an outage: no per-command retry limit); closed by close(). */
      redis?: { queue: Redis; worker: Redis };
    },
  ) {
    super();
    this.on('settled', (e: { outcome: FollowUpOutcome }) =>
      deps.metrics?.paymentFollowUps.inc({ outcome: e.outcome }),
    );
    const run = (state: FollowState) => this.look(state);
    // Emitted once the follow-up is gone from the queue (pending() no longer counts it).
    const ended = (id: string, outcome: FollowUpOutcome) => this.emit('settled', { id, outcome });
    this.backend = deps.redis
      ? bullBackend(deps.redis, run, ended, deps.settings, deps.log)
      : memoryBackend(run, ended, deps.settings, deps.log);
  }

  get transport(): 'redis' | 'memory' {
    return this.backend.transport;
  }

  /** Follows every PaymentIntent this client confirms, cancels or verifies (stripe-node's `response` event). */
  watch(stripe: Stripe): void {
    stripe.on('response', (e: Stripe.ResponseEvent) => {
      if (e.method !== 'POST' || e.status !== 200 || !e.path) return;
      const pi = PI_POST.exec(e.path.split('?')[0]);
      if (pi) void this.follow(pi[1]);
    });
  }

  /** Starts following a payment; one already followed keeps its follow-up. */
  async follow(paymentIntentId: string): Promise<void> {
    if (this.closed) return;
    await this.backend
      .add({ id: paymentIntentId, since: Date.now(), attempt: 0 })
      .catch((e: unknown) =>
        this.deps.log.error({ err: e, id: paymentIntentId }, 'could not start following a payment'),
      );
  }

  /** A webhook reported the payment's final status: no look needed any more. */
  async webhookSettled(paymentIntentId: string): Promise<void> {
    const removed = await this.backend.remove(paymentIntentId).catch(() => false);
    if (removed) this.emit('settled', { id: paymentIntentId, outcome: 'webhook' satisfies FollowUpOutcome });
  }

  /** Follow-ups waiting or running (all instances with Redis). */
  pending(): Promise<number> {
    return this.backend.pending();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.backend.close();
  }

  /** One look: the status is pushed when it changed (through the webhooks' dedupe), then end or continue. */
  private async look(state: FollowState): Promise<LookResult> {
    const attempt = state.attempt + 1;
    let status = state.lastStatus;
    let looked = false;
    try {
      const pi = await this.deps.stripe.paymentIntents.retrieve(state.id);
      looked = true;
      const customerId =
        (typeof pi.customer === 'string' ? pi.customer : pi.customer?.id) ??
        (pi as { customer_account?: string | null }).customer_account ??
        null;
      this.emit('looked', { id: state.id, attempt, status: pi.status });
      if (!customerId) return { end: 'no_customer' };
      if (pi.status !== state.lastStatus) {
        await this.deps.publisher.publish(
          {
            kind: 'payment_intent.updated',
            customerId,
            paymentIntentId: pi.id,
            status: pi.status,
            occurredAt: Math.floor(Date.now() / 1000),
            source: 'poller',
          },
          // The webhook's completion key: whichever path sees a status first pushes it, once.
          {
            completionKey: `pi:${pi.id}:${pi.status}`,
            invalidate: paymentIntentCacheKeys(pi.id, customerId),
          },
        );
        status = pi.status;
      }
      if (FINAL.has(pi.status)) return { end: 'settled' };
    } catch (e) {
      if (!looked) this.emit('looked', { id: state.id, attempt, status: null });
      if ((e as { statusCode?: number }).statusCode === 404) return { end: 'not_found' };
      // Stripe or the dedupe store is away: look again later; nothing was pushed without its claim.
      this.deps.log.warn({ err: e, id: state.id, attempt }, 'payment follow-up look failed; retrying later');
    }
    if (Date.now() - state.since >= this.deps.settings.windowMs) {
      this.deps.log.warn(
        { id: state.id, attempts: attempt, lastStatus: status },
        'payment follow-up gave up: not settled within its window',
      );
      return { end: 'expired' };
    }
    return { next: { ...state, attempt, lastStatus: status } };
  }
}

/**
 * BullMQ: one job per payment (the job id is the PaymentIntent id, so following it twice is one job); after each
 * look the job moves itself back to `delayed` until the next (BullMQ's documented step-job pattern).
 */
function bullBackend(
  redis: { queue: Redis; worker: Redis },
  look: (state: FollowState) => Promise<LookResult>,
  ended: (id: string, outcome: FollowUpOutcome) => void,
  settings: FollowUpSettings,
  log: Logger,
): Backend {
  const queue = new Queue(QUEUE_NAME, { connection: redis.queue });
  queue.on('error', (e) => log.warn({ err: { message: e.message } }, 'payment follow-up queue error'));
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job, token?: string) => {
      const result = await look(job.data as FollowState);
      if ('end' in result) return result.end;
      await job.updateData(result.next);
      await job.moveToDelayed(Date.now() + followUpDelay(result.next.attempt, settings), token);
      throw new DelayedError();
    },
    { connection: redis.worker, concurrency: CONCURRENCY, maxStalledCount: MAX_STALLED },
  );
  worker.on('error', (e) => log.warn({ err: { message: e.message } }, 'payment follow-up worker error'));
  worker.on('completed', (job: Job) => ended(job.id!, job.returnvalue as FollowUpOutcome));
  return {
    transport: 'redis',
    async add(state) {
      await queue.add('look', state, {
        jobId: state.id,
        delay: settings.initialDelayMs,
        // A failed job (its Redis writes failed) is retried; a finished one is forgotten, so a payment
        // confirmed again later (after a failure) is followed again.
        attempts: 10,
        backoff: { type: 'fixed', delay: settings.initialDelayMs },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    },
    async remove(id) {
      return (await queue.remove(id)) === 1; // a locked job (being looked at) is not removed
    },
    async pending() {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async close() {
      const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
      if (redis.queue.status !== 'ready' || redis.worker.status !== 'ready') {
        // Redis is away: a graceful close would wait for it forever. The jobs stay in Redis for the next start.
        void quietly(worker.close(true));
        void quietly(queue.close());
      } else {
        // Graceful: the look in flight finishes and is recorded (bounded; an unfinished one is run again later).
        const bounded = new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
        await Promise.race([quietly(Promise.all([worker.close(), queue.close()])), bounded]);
      }
      await Promise.all([closeRedis(redis.queue), closeRedis(redis.worker)]);
    },
  };
}

/** In-process timers: lost on restart (used without REDIS_URL; start-up says so). */
function memoryBackend(
  look: (state: FollowState) => Promise<LookResult>,
  ended: (id: string, outcome: FollowUpOutcome) => void,
  settings: FollowUpSettings,
  log: Logger,
): Backend {
  const followed = new Map<string, { timer?: NodeJS.Timeout }>();
  const due: FollowState[] = [];
  let running = 0;
  let closed = false;
  const schedule = (state: FollowState, delayMs: number) => {
    const entry = followed.get(state.id);
    if (!entry || closed) return;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      due.push(state);
      pump();
    }, delayMs);
    entry.timer.unref();
  };
  const pump = () => {
    while (running < CONCURRENCY && due.length && !closed) {
      const state = due.shift()!;
      const entry = followed.get(state.id);
      if (!entry) continue; // removed while due
      running += 1;
      void look(state)
        .then((result) => {
          if (!followed.has(state.id)) return;
          if ('end' in result) {
            followed.delete(state.id);
            ended(state.id, result.end);
          } else schedule(result.next, followUpDelay(result.next.attempt, settings));
        })
        .finally(() => {
          running -= 1;
          pump();
        });
    }
  };
  return {
    transport: 'memory',
    async add(state) {
      if (closed || followed.has(state.id)) return;
      if (followed.size >= MAX_IN_MEMORY) {
        log.warn({ id: state.id, followed: followed.size }, 'payment follow-up full: not following this one');
        return;
      }
      followed.set(state.id, {});
      schedule(state, settings.initialDelayMs);
    },
    async remove(id) {
      const entry = followed.get(id);
      if (!entry || !entry.timer) return false; // unknown, or being looked at (or due): its look ends it
      clearTimeout(entry.timer);
      followed.delete(id);
      return true;
    },
    async pending() {
      return followed.size;
    },
    async close() {
      closed = true;
      for (const entry of followed.values()) clearTimeout(entry.timer);
      followed.clear();
    },
  };
}
