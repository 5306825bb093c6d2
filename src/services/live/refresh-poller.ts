// Follows refreshes and ACH payments this gateway started until they settle, for when no webhook tells us.
import { EventEmitter } from 'node:events';
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import {
  accountCacheKeys,
  accountCustomerId,
  paymentIntentCacheKeys,
  publishTransactionsUpdated,
  REFRESH_FEATURES,
  refreshCompletionKey,
  refreshOf,
  type LiveEventPublisher,
} from './live-events';

export interface PollerOptions {
  stripe: Stripe;
  publisher: LiveEventPublisher;
  log: Logger;
  /** Delay before the first look. @default 1000 ms */
  initialDelayMs?: number;
  /** Backoff cap between two looks at one object. @default 30000 ms */
  maxDelayMs?: number;
  /** Looks per object before giving up (logged). @default 15 (about 5 minutes with the defaults) */
  maxAttempts?: number;
  /** Stripe GETs in flight at once, all objects together. @default 4 */
  concurrency?: number;
  /** Objects followed at once; beyond it new ones are refused (logged). @default 1000 */
  maxFollowed?: number;
}

type Target = { kind: 'account'; id: string } | { kind: 'payment_intent'; id: string };

interface Job {
  target: Target;
  /** Unix seconds: refresh attempts from this time on (minus clock skew) are ours to report. */
  since: number;
  attempt: number;
  timer?: NodeJS.Timeout;
  queued: boolean;
  lastStatus?: string;
  done: boolean;
}

/** `settled` is emitted with `{ id, outcome }` when a job ends (tests and metrics listen). */
export type PollerOutcome = 'settled' | 'webhook' | 'gave_up' | 'not_found' | 'closed';

/** Clock skew allowed between this host and Stripe when matching a refresh attempt to a follow. */
const SKEW_SECONDS = 5;
/** After confirm, these end an ACH payment's journey (requires_payment_method = it failed). */
const PI_FINAL = new Set(['succeeded', 'canceled', 'requires_payment_method', 'requires_capture']);

const ACCOUNT_POST = /^\/v1\/financial_connections\/accounts\/(fca_[A-Za-z0-9_]+)\/(refresh|subscribe)$/;
// verify_microdeposits moves a payment on to processing, like confirm. An off-session debit is created and confirmed in
// one POST /v1/payment_intents, whose id is not in the path: webhooks (and event catch-up) report it.
const PI_POST = /^\/v1\/payment_intents\/(pi_[A-Za-z0-9_]+)\/(confirm|cancel|verify_microdeposits)$/;

/**
 * Why a poller besides webhooks: webhooks cannot reach a gateway behind NAT or without
 * STRIPE_WEBHOOK_SECRET, and subscriptions must still fire. Each completion is claimed through the
 * same publisher as webhooks, so whichever sees it first pushes it and the other is a no-op.
 * Bounded three ways: objects followed, requests in flight, looks per object (with backoff); every
 * look is an ordinary SDK call, so it also waits for the shared Stripe request budget.
 */
export class RefreshPoller extends EventEmitter {
  private readonly jobs = new Map<string, Job>();
  private readonly due: Job[] = [];
  private running = 0;
  private closed = false;
  private readonly opts: Required<Omit<PollerOptions, 'stripe' | 'publisher' | 'log'>>;

  constructor(private readonly deps: PollerOptions) {
    super();
    this.opts = {
      initialDelayMs: deps.initialDelayMs ?? 1000,
      maxDelayMs: deps.maxDelayMs ?? 30_000,
      maxAttempts: deps.maxAttempts ?? 15,
      concurrency: deps.concurrency ?? 4,
      maxFollowed: deps.maxFollowed ?? 1000,
    };
  }

  /**
   * Follows what this gateway starts: every successful POST to an account's `refresh`/`subscribe` or a
   * PaymentIntent's `confirm`/`cancel` through this client (stripe-node's `response` event), whoever
   * in the gateway sent it.
   */
  watch(stripe: Stripe): void {
    stripe.on('response', (e: Stripe.ResponseEvent) => {
      if (e.method !== 'POST' || e.status !== 200 || !e.path) return;
      const path = e.path.split('?')[0];
      const account = ACCOUNT_POST.exec(path);
      if (account) return this.follow({ kind: 'account', id: account[1] });
      const pi = PI_POST.exec(path);
      if (pi) this.follow({ kind: 'payment_intent', id: pi[1] });
    });
  }

  /** Starts (or restarts) following one object. */
  follow(target: Target): void {
    if (this.closed) return;
    const existing = this.jobs.get(target.id);
    if (existing) {
      existing.attempt = 0; // a new refresh of an object already followed: look again from the start
      existing.since = Math.min(existing.since, nowSeconds());
      return;
    }
    if (this.jobs.size >= this.opts.maxFollowed) {
      this.deps.log.warn(
        { id: target.id, followed: this.jobs.size },
        'poller full: not following this object',
      );
      return;
    }
    const job: Job = { target, since: nowSeconds(), attempt: 0, queued: false, done: false };
    this.jobs.set(target.id, job);
    this.schedule(job, this.opts.initialDelayMs);
  }

  /** A webhook reported on this object: webhooks are flowing for it, stop spending requests on it. */
  webhookSeen(objectId: string): void {
    const job = this.jobs.get(objectId);
    if (job) this.finish(job, 'webhook');
  }

  /** Objects currently followed. */
  get size(): number {
    return this.jobs.size;
  }

  close(): void {
    this.closed = true;
    for (const job of [...this.jobs.values()]) this.finish(job, 'closed');
  }

  private schedule(job: Job, delayMs: number): void {
    job.timer = setTimeout(() => {
      job.timer = undefined;
      job.queued = true;
      this.due.push(job);
      this.pump();
    }, delayMs);
    job.timer.unref();
  }

  private pump(): void {
    while (this.running < this.opts.concurrency && this.due.length) {
      const job = this.due.shift()!;
      job.queued = false;
      if (job.done) continue;
      this.running += 1;
      void this.look(job).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async look(job: Job): Promise<void> {
    job.attempt += 1;
    let settled: boolean;
    try {
      settled =
        job.target.kind === 'account' ? await this.lookAtAccount(job) : await this.lookAtPaymentIntent(job);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return this.finish(job, 'not_found');
      this.deps.log.warn({ err: e, id: job.target.id, attempt: job.attempt }, 'poller look failed');
      settled = false;
    }
    if (job.done) return;
    if (settled) return this.finish(job, 'settled');
    if (job.attempt >= this.opts.maxAttempts) {
      this.deps.log.warn({ id: job.target.id, attempts: job.attempt }, 'poller gave up on an object');
      return this.finish(job, 'gave_up');
    }
    const delay = Math.min(this.opts.initialDelayMs * 1.6 ** job.attempt, this.opts.maxDelayMs);
    this.schedule(job, delay);
  }

  /** @returns true when no followed refresh of the account is pending any more. */
  private async lookAtAccount(job: Job): Promise<boolean> {
    const account = await this.deps.stripe.financialConnections.accounts.retrieve(job.target.id);
    const customerId = accountCustomerId(account);
    if (!customerId) return true; // nobody can subscribe to an account without a holder
    let pending = false;
    for (const feature of REFRESH_FEATURES) {
      const refresh = refreshOf(account, feature);
      if (!refresh) continue;
      if (refresh.status === 'pending') {
        pending = true;
        continue;
      }
      if (refresh.last_attempted_at < job.since - SKEW_SECONDS) continue; // not the refresh we followed
      const completionKey = refreshCompletionKey(account, feature);
      if (!completionKey) continue;
      await this.deps.publisher.publish(
        {
          kind: 'account.refreshed',
          customerId,
          accountId: account.id,
          feature,
          status: refresh.status === 'succeeded' ? 'succeeded' : 'failed',
          occurredAt: nowSeconds(),
          account,
          source: 'poller',
        },
        { completionKey, invalidate: accountCacheKeys(account.id, customerId) },
      );
      if (feature === 'transactions')
        await publishTransactionsUpdated(this.deps.publisher, account, nowSeconds(), 'poller');
    }
    return !pending;
  }

  /** Publishes each status the payment is seen in; @returns true once it is final. */
  private async lookAtPaymentIntent(job: Job): Promise<boolean> {
    const pi = await this.deps.stripe.paymentIntents.retrieve(job.target.id);
    const customerId =
      (typeof pi.customer === 'string' ? pi.customer : pi.customer?.id) ??
      (pi as { customer_account?: string | null }).customer_account ??
      null;
    if (!customerId) return true;
    if (pi.status !== job.lastStatus) {
      await this.deps.publisher.publish(
        {
          kind: 'payment_intent.updated',
          customerId,
          paymentIntentId: pi.id,
          status: pi.status,
          occurredAt: nowSeconds(),
          source: 'poller',
        },
        { completionKey: `pi:${pi.id}:${pi.status}`, invalidate: paymentIntentCacheKeys(pi.id, customerId) },
      );
      job.lastStatus = pi.status;
    }
    return PI_FINAL.has(pi.status);
  }

  private finish(job: Job, outcome: PollerOutcome): void {
    if (job.done) return;
    job.done = true;
    if (job.timer) clearTimeout(job.timer);
    this.jobs.delete(job.target.id);
    this.emit('settled', { id: job.target.id, outcome });
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
