// The Stripe request budget: a token bucket at STRIPE_MAX_RPS shared max-min fairly between partners, in this process
// (here) or shared by every gateway instance through Redis (rate-budget-redis.ts).
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';

/**
 * One token per HTTP attempt to Stripe. `acquire` waits for the caller's slot (bursts queue, they
 * do not fail) unless the slot lies beyond `maxWaitMs`, in which case it takes nothing and
 * returns `false` so the caller can fail within its own deadline.
 *
 * Fair shares: `tenant` (a partner id; background work is {@link SYSTEM_TENANT}) may hold at most
 * its share of the queue — `queueSlots / active tenants` reserved, not yet reached slots. A tenant
 * at its share waits in its own line (the others' requests pass it); while other tenants are active,
 * one that would wait there longer than `maxShareWaitMs` is refused with {@link BudgetShareExceeded},
 * so a noisy partner's overflow fails that partner, never another. A tenant using less than its share leaves the rest
 * of the queue (and so of the rate) to the others: alone, a tenant may use the whole budget.
 */
export interface RateBudget {
  /**
   * Resolves true once a token is taken; false (no token taken) when the wait would exceed `maxWaitMs`.
   * @throws BudgetShareExceeded when `tenant` has waited past its share
   */
  acquire(maxWaitMs: number, tenant?: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Stripe calls made for no partner (webhooks, the refresh poller). */
export const SYSTEM_TENANT = '-system';

/**
 * A partner's Stripe calls are over its share of a contended budget (→ UPSTREAM_RATE_LIMITED with
 * `retryAfter`, src/platform/errors.ts). `code` is how the error is recognised after stripe-node
 * wraps it in a StripeConnectionError (`detail`).
 */
export class BudgetShareExceeded extends Error {
  readonly code = BUDGET_SHARE_EXCEEDED;
  constructor(readonly retryAfterSeconds: number) {
    super('This partner is over its share of the Stripe request budget');
    this.name = 'BudgetShareExceeded';
  }
}
export const BUDGET_SHARE_EXCEEDED = 'EBUDGETSHARE';

export interface RateBudgetOptions {
  /** Tokens per second (STRIPE_MAX_RPS). */
  ratePerSecond: number;
  metrics?: Metrics;
  log?: Logger;
  /**
   * How far ahead the queue of reserved slots may reach, shared equally by the active tenants. It
   * bounds how long a quiet tenant's call waits behind a noisy one. @default 250 ms
   */
  queueMs?: number;
  /** Longest a tenant waits in its own line for its share before BudgetShareExceeded. @default 5000 ms */
  maxShareWaitMs?: number;
}

/** The fairness settings resolved against the rate. */
export interface Fairness {
  /** Slots the queue may hold ahead of now, shared by the active tenants. */
  queueSlots: number;
  /** A tenant is active while it asked within this window (or still holds reserved slots). */
  activeWindowMs: number;
  maxShareWaitMs: number;
}

export function fairness(options: RateBudgetOptions): Fairness {
  const queueMs = options.queueMs ?? 250;
  const queueSlots = Math.max(1, Math.floor(queueMs / tokenInterval(options.ratePerSecond)));
  return {
    queueSlots,
    activeWindowMs: Math.max(1000, 2 * queueMs),
    maxShareWaitMs: options.maxShareWaitMs ?? 5000,
  };
}

/**
 * A reservation's outcome: a slot `waitMs` ahead, no slot within the deadline, or the tenant holds its
 * share (`shareRetryMs` until its earliest reserved slot passes; `contended` when other tenants are active).
 */
export type Reservation =
  /** `ticket` names the reservation when it is granted. */
  | { waitMs: number; ticket: number | string }
  | { deadline: true }
  | { shareRetryMs: number; contended: boolean };

/** Per tenant on this instance: the tail of its line of callers waiting to reserve, and whether it was contended. */
export interface TenantLines {
  tails: Map<string, Promise<void>>;
  contended: Map<string, boolean>;
}
export const newLines = (): TenantLines => ({ tails: new Map(), contended: new Map() });

/**
 * The waiting common to both budgets. A tenant's callers on one instance reserve one at a time, in arrival
 * order (its line), so only the head polls. At its share, the head waits for its earliest reserved slot to
 * pass and tries again. While other tenants are active, a caller that would wait past `maxShareWaitMs` is
 * refused (BudgetShareExceeded); a tenant alone waits up to the caller's deadline, as a plain queue would.
 */
export async function reserveFairly(
  reserve: () => Promise<Reservation>,
  tenant: string,
  maxWaitMs: number,
  fair: Fairness,
  lines: TenantLines,
): Promise<{ waitMs: number; ticket: number | string } | { deadline: true }> {
  const start = performance.now();
  const previous = lines.tails.get(tenant);
  const ahead = previous ?? Promise.resolve();
  let leave!: () => void;
  const mine = new Promise<void>((resolve) => (leave = resolve));
  const tail = ahead.then(() => mine);
  lines.tails.set(tenant, tail);
  const refuse = () => new BudgetShareExceeded(Math.max(1, Math.ceil(fair.maxShareWaitMs / 1000)));
  try {
    // Wait for the callers ahead; while contended, no longer than the share wait.
    for (let turn = previous === undefined; !turn;) {
      const remaining = maxWaitMs - (performance.now() - start);
      const bound = lines.contended.get(tenant) ? Math.min(remaining, fair.maxShareWaitMs) : remaining;
      if (bound <= 0) {
        if (lines.contended.get(tenant)) throw refuse();
        return { deadline: true };
      }
      let timer: NodeJS.Timeout | undefined;
      turn = await Promise.race([
        ahead.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.ceil(bound)))),
      ]);
      clearTimeout(timer);
      if (!turn && (lines.contended.get(tenant) || performance.now() - start >= maxWaitMs)) {
        if (lines.contended.get(tenant)) throw refuse();
        return { deadline: true };
      }
    }
    for (;;) {
      const r = await reserve();
      if (!('shareRetryMs' in r)) return r;
      lines.contended.set(tenant, r.contended);
      const elapsed = performance.now() - start;
      const limit = r.contended ? Math.min(fair.maxShareWaitMs, maxWaitMs) : maxWaitMs;
      if (elapsed + r.shareRetryMs > limit) {
        if (r.contended) throw new BudgetShareExceeded(Math.max(1, Math.ceil(r.shareRetryMs / 1000)));
        return { deadline: true };
      }
      await sleep(r.shareRetryMs);
    }
  } finally {
    leave();
    if (lines.tails.get(tenant) === tail) {
      lines.tails.delete(tenant);
      lines.contended.delete(tenant);
    }
  }
}

// Timers have whole-millisecond resolution and may fire up to 1 ms early against performance.now().
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(ms) + 1));

/**
 * Spacing between tokens. Why 2% slower than 1/R: a request spaced exactly 1/R after another can
 * reach Stripe a few ms closer to it (timer rounding, network jitter) and land R+1 requests in one
 * second as Stripe counts it; the margin absorbs ~20 ms of jitter per second at any rate.
 *
 * Why the bucket holds a single token: with a capacity of C and rate R, any one-second window can
 * see C + R requests. The budget promises "never more than STRIPE_MAX_RPS in any second" (how
 * Stripe and the sandbox count), so requests are spaced 1/R apart; a queue still flows at R.
 */
export const tokenInterval = (ratePerSecond: number) => (1000 / ratePerSecond) * 1.02;

/**
 * Two steps. (1) Reserve: virtual scheduling (GCRA, the reservation form of a token bucket) gives
 * each caller the slot max(now, next) and moves `next` one interval on, so a burst queues in
 * arrival order without polling, and a caller whose slot lies beyond its deadline is refused
 * before it takes anything. (2) Confirm on waking: a timer that fires late would bunch the grants
 * after it, so a grant also waits until one interval after the previous *actual* grant. Together:
 * consecutive grants are always at least one interval apart.
 */
export function createLocalRateBudget(options: RateBudgetOptions): RateBudget {
  const interval = tokenInterval(options.ratePerSecond);
  const fair = fairness(options);
  let next = 0;
  let lastGrant = -Infinity;
  /**
   * Reserved slots not yet granted, ascending (slots only grow). Why grants follow it: when timers fire late, the
   * first caller to wake would take the token, and a tenant reserving right after each grant would keep waking
   * before an earlier slot's retry, passing a quiet tenant that reserved first.
   */
  const ungranted: number[] = [];
  /**
   * Per tenant: when it last asked, and its reservations not yet granted (slot times, ascending). Why
   * removed on grant and not when the slot time passes: a late timer delays the grants behind it, and a
   * tenant whose due-but-ungranted calls no longer counted could reserve past its share.
   */
  const tenants = new Map<string, { seen: number; slots: number[] }>();
  const lines = newLines();
  const reserve = async (tenant: string, maxWaitMs: number): Promise<Reservation> => {
    const now = performance.now();
    let active = 0;
    for (const [id, t] of tenants) {
      if (t.slots.length === 0 && t.seen < now - fair.activeWindowMs && id !== tenant) tenants.delete(id);
      else active += 1;
    }
    let own = tenants.get(tenant);
    if (!own) {
      own = { seen: now, slots: [] };
      tenants.set(tenant, own);
      active += 1;
    }
    own.seen = now;
    const share = Math.max(1, Math.floor(fair.queueSlots / active));
    if (own.slots.length >= share) {
      return { shareRetryMs: Math.max(interval, own.slots[0] - now), contended: active > 1 };
    }
    const slot = Math.max(now, next);
    if (slot - now > maxWaitMs) return { deadline: true };
    next = slot + interval;
    own.slots.push(slot);
    ungranted.push(slot);
    return { waitMs: slot - now, ticket: slot };
  };
  const granted = (tenant: string, ticket: number | string) => {
    const own = tenants.get(tenant);
    const i = own ? own.slots.indexOf(Number(ticket)) : -1;
    if (own && i >= 0) own.slots.splice(i, 1);
    const u = ungranted.indexOf(Number(ticket));
    if (u >= 0) ungranted.splice(u, 1);
  };
  return {
    async acquire(maxWaitMs, tenant = SYSTEM_TENANT) {
      const start = performance.now();
      const r = await reserveFairly(
        () => reserve(tenant, Math.max(0, maxWaitMs - (performance.now() - start))),
        tenant,
        maxWaitMs,
        fair,
        lines,
      );
      if ('deadline' in r) return false;
      try {
        if (r.waitMs > 0) await sleep(r.waitMs);
        for (;;) {
          const now = performance.now();
          // An earlier slot still waiting goes first (it is granted within one interval of its wake-up).
          const gap = ungranted[0] < Number(r.ticket) ? interval : lastGrant + interval - now;
          if (gap <= 0) {
            lastGrant = now;
            break;
          }
          await sleep(gap);
        }
      } finally {
        granted(tenant, r.ticket);
      }
      options.metrics?.rateBudgetWaits.observe((performance.now() - start) / 1000);
      return true;
    },
    close: async () => undefined,
  };
}
