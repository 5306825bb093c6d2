// Follows the ACH payments this gateway confirmed until they settle (an ACH debit takes up to four business days,
// docs/stripe-facts.md §6), for when no webhook tells us. Each follow-up is a job of the gateway's job queue
// (src/platform/jobs/): with REDIS_URL a BullMQ job that survives restarts and Redis outages (a delayed job is a Redis
// entry), one instance looking at a time; without, in this process and lost on restart (start-up says so; event
// catch-up still reads the events).
import { EventEmitter } from 'node:events';
import type Stripe from 'stripe';
import type { JobQueue, JobQueues } from '../../platform/jobs/job-queue';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import { withoutClientSecret } from '../stripe/stripe-objects';
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
/** A job whose worker lost Redis mid-look is "stalled" and run again; an outage must never end a follow-up. */
const MAX_STALLED = 1_000;

export const isFinalPaymentStatus = (status: unknown): boolean =>
  typeof status === 'string' && FINAL.has(status);

/** Delay before look number `attempt + 1`: doubling from the initial delay, capped, with ±10 % jitter. */
export function followUpDelay(attempt: number, s: FollowUpSettings): number {
  const base = Math.min(s.initialDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30), s.maxDelayMs);
  return Math.round(base * (0.9 + Math.random() * 0.2));
}

/** What one look decided: the follow-up ends, or continues with this state. */
type LookResult = { end: FollowUpOutcome } | { next: FollowState };

export class PaymentFollowUp extends EventEmitter {
  private readonly queue: JobQueue<FollowState>;
  private closed = false;

  constructor(
    private readonly deps: {
      stripe: Stripe;
      publisher: LiveEventPublisher;
      log: Logger;
      settings: FollowUpSettings;
      /** Counts ended follow-ups by outcome (`payment_follow_ups_total`). */
      metrics?: Metrics;
      /** Where follow-ups run (BullMQ with Redis, else in this process): chosen by the composition root. */
      jobs: JobQueues;
    },
  ) {
    super();
    this.on('settled', (e: { outcome: FollowUpOutcome }) =>
      deps.metrics?.paymentFollowUps.inc({ outcome: e.outcome }),
    );
    // One job per payment (the job id is the PaymentIntent id, so following it twice is one job); after each look
    // the job runs again later with its new state, until a look ends it.
    this.queue = deps.jobs.create<FollowState>({
      name: QUEUE_NAME,
      handler: async (job) => {
        const result = await this.look(job.data);
        if ('end' in result) return { done: result.end };
        return { again: result.next, delayMs: followUpDelay(result.next.attempt, deps.settings) };
      },
      concurrency: CONCURRENCY,
      // A failed run (its Redis writes failed) is retried; a finished one is forgotten, so a payment confirmed again
      // later (after a failure) is followed again.
      attempts: 10,
      retryDelay: () => deps.settings.initialDelayMs,
      keepDone: false,
      maxStalledCount: MAX_STALLED,
      maxPending: MAX_IN_MEMORY,
      // Emitted once the follow-up is gone from the queue (pending() no longer counts it).
      onDone: (id, outcome) => this.emit('settled', { id, outcome: outcome as FollowUpOutcome }),
    });
  }

  get transport(): 'redis' | 'memory' {
    return this.queue.transport;
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
    const state: FollowState = { id: paymentIntentId, since: Date.now(), attempt: 0 };
    await this.queue
      .add('look', state, { jobId: paymentIntentId, delayMs: this.deps.settings.initialDelayMs })
      .catch((e: unknown) =>
        this.deps.log.error({ err: e, id: paymentIntentId }, 'could not start following a payment'),
      );
  }

  /** A webhook reported the payment's final status: no look needed any more. */
  async webhookSettled(paymentIntentId: string): Promise<void> {
    const removed = await this.queue.remove(paymentIntentId).catch(() => false);
    if (removed) this.emit('settled', { id: paymentIntentId, outcome: 'webhook' satisfies FollowUpOutcome });
  }

  /** Follow-ups waiting or running (all instances with Redis). */
  async pending(): Promise<number> {
    return (await this.queue.pending()).count;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.close();
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
            paymentIntent: withoutClientSecret(pi),
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
