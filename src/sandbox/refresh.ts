// Asynchronous data refreshes of linked accounts (balance, ownership, transactions), as Stripe runs them:
// `refresh` returns the account with `*_refresh.status: pending`; after `refreshDelayMs` the data is updated,
// the status becomes succeeded or failed, and `financial_connections.account.refreshed_*` is emitted.
// https://docs.stripe.com/financial-connections/balances, /ownership, /transactions
import { invalidRequest, SANDBOX_ERROR_CODES, type SandboxError } from './errors';
import type { Rng } from './random';
import { renderAccount } from './render';
import { seedHistory, seedNewTransactions, seedOwners } from './seed';
import type { FcAccountRecord, Store } from './store';
import type { FcTransaction, Permission } from './types';

export type Feature = 'balance' | 'ownership' | 'transactions';

/** `features[]=balance` is singular while the permission is `balances` (docs/stripe-facts.md §2). */
export const FEATURE_PERMISSION: Record<Feature, Permission> = {
  balance: 'balances',
  ownership: 'ownership',
  transactions: 'transactions',
};

const REFRESH_FIELD = {
  balance: 'balance_refresh',
  ownership: 'ownership_refresh',
  transactions: 'transaction_refresh',
} as const;
const EVENT = {
  balance: 'financial_connections.account.refreshed_balance',
  ownership: 'financial_connections.account.refreshed_ownership',
  transactions: 'financial_connections.account.refreshed_transactions',
} as const;

type Rec = FcAccountRecord & { id: string };

/** Throws Stripe's 400 when an account may not start a refresh of `feature` now (checked before any change). */
export function assertCanRefresh(store: Store, rec: Rec, feature: Feature): void {
  const acc = rec.account;
  if (acc.status !== 'active') throw inactiveError(acc.id, acc.status);
  if (!acc.permissions.includes(FEATURE_PERMISSION[feature]))
    throw invalidRequest(
      `You cannot refresh ${feature} on ${acc.id}: the account holder did not grant the '${FEATURE_PERMISSION[feature]}' permission.`,
      { code: SANDBOX_ERROR_CODES.permissionNotGranted, param: 'features' },
    );
  // Stripe documents no error code for a refresh that is pending or cooling down (docs/stripe-facts.md §10): these
  // are plain 400 invalid_request_errors, with no `code` a client could key on.
  const state = acc[REFRESH_FIELD[feature]];
  if (state && state.status === 'pending')
    throw invalidRequest(`A ${feature} refresh is already in progress for ${acc.id}.`, { param: 'features' });
  if (
    state &&
    // With no cooldown a finished refresh may be repeated at once (attempt times can run a second ahead).
    store.options.refreshCooldownSeconds > 0 &&
    state.next_refresh_available_at !== null &&
    store.clock.now() < state.next_refresh_available_at
  )
    throw invalidRequest(
      `You cannot refresh ${feature} on ${acc.id} until ${state.next_refresh_available_at} (see ${REFRESH_FIELD[feature]}.next_refresh_available_at).`,
      { param: 'features' },
    );
}

/** Stripe's own code (in its OpenAPI error-code enum, docs/stripe-facts.md §10) for an account that is not active. */
export function inactiveError(id: string, status: string): SandboxError {
  return invalidRequest(
    `The Financial Connections account ${id} is ${status}; it cannot be refreshed, subscribed or used for payments.`,
    {
      code: SANDBOX_ERROR_CODES.accountInactive,
    },
  );
}

/**
 * When a new refresh of `feature` is attempted: now, but always after the previous attempt. Clients (the gateway)
 * key refresh completions by `last_attempted_at` in seconds; the sandbox refreshes in well under a second, so two
 * attempts in one second must still get distinct timestamps (Stripe's own refreshes are seconds apart).
 */
function attemptTime(store: Store, rec: Rec, feature: Feature): number {
  const previous = rec.account[REFRESH_FIELD[feature]]?.last_attempted_at ?? 0;
  return Math.max(store.clock.now(), previous + 1);
}

/** Starts an attempt of `feature`: its refresh state becomes `pending` (transactions: under a new refresh id). */
function beginAttempt(store: Store, rec: Rec, feature: Feature): void {
  const now = attemptTime(store, rec, feature);
  const pending = { status: 'pending' as const, last_attempted_at: now, next_refresh_available_at: null };
  if (feature === 'transactions') {
    const ref = { id: store.id('fctxnref', 24), accountId: rec.id, seq: store.nextRefreshSeq() };
    store.transactionRefreshes.set(ref.id, ref);
    rec.account.transaction_refresh = { id: ref.id, ...pending };
  } else rec.account[REFRESH_FIELD[feature]] = pending;
}

/** Ends the pending attempt of `feature`: loads its data, then `succeeded` or `failed`, with the cooldown. */
function finishAttempt(store: Store, rec: Rec, feature: Feature): void {
  const state = rec.account[REFRESH_FIELD[feature]]!;
  const ok = loadFeature(store, rec, feature);
  const now = Math.max(store.clock.now(), state.last_attempted_at);
  state.status = ok ? 'succeeded' : 'failed';
  state.next_refresh_available_at = now + store.options.refreshCooldownSeconds;
}

/** Marks `features` pending and schedules their completion. Call assertCanRefresh for each first. */
export function startRefresh(store: Store, rec: Rec, features: Feature[]): void {
  for (const feature of features) {
    beginAttempt(store, rec, feature);
    store.timers.cancel(rec.refreshTimers[feature]);
    rec.refreshTimers[feature] = store.timers.schedule(store.options.refreshDelayMs, () =>
      completeRefresh(store, rec, feature),
    );
  }
}

/** Ends a pending refresh: loads data, sets succeeded/failed, emits the refreshed_* event. */
export function completeRefresh(store: Store, rec: Rec, feature: Feature): void {
  delete rec.refreshTimers[feature];
  if (rec.account[REFRESH_FIELD[feature]]?.status !== 'pending') return;
  finishAttempt(store, rec, feature);
  store.emit(EVENT[feature], renderAccount(store, rec.id)!);
}

/** Sets a feature's refresh state to a finished one at once (session prefetch). */
export function prefetch(store: Store, rec: Rec, feature: Feature): void {
  beginAttempt(store, rec, feature);
  finishAttempt(store, rec, feature);
}

/** Fetches a feature's data "from the institution". Returns false when the institution cannot provide it. */
function loadFeature(store: Store, rec: Rec, feature: Feature): boolean {
  if (rec.template.unavailable?.includes(feature)) return false;
  // Never before the attempt (attempt times are kept strictly increasing, see attemptTime).
  const now = Math.max(store.clock.now(), rec.account[REFRESH_FIELD[feature]]?.last_attempted_at ?? 0);
  const rng = store.rng.fork(`${rec.id}:${feature}:${rec.refreshCount++}`);
  switch (feature) {
    case 'transactions': {
      const refId = rec.account.transaction_refresh!.id;
      if (!rec.historyLoaded) {
        const seeded = seedHistory(
          store.rng.fork(`${rec.id}:history`),
          rec.template,
          store.options.transactionsPerAccount,
          // What the institution had when the refresh was attempted (see the arrivals below).
          rec.account.transaction_refresh!.last_attempted_at,
        );
        rec.transactions = seeded.map((s) => makeTransaction(store, rec, s, refId, now));
        rec.historyLoaded = true;
        baselines.set(rec, posted(rec));
      } else {
        // Later refreshes, as an institution reports them: some pending transactions post, a few are voided
        // (released holds), and new ones arrive that happened since the previous attempt. Each change records
        // this refresh (`transaction_refresh`), which is what `transaction_refresh[after]` filters on.
        const attemptedAt = rec.account.transaction_refresh!.last_attempted_at;
        for (const t of rec.transactions) {
          if (t.status !== 'pending' || now - t.transacted_at <= 0) continue;
          const roll = rng.next();
          if (roll < 0.15) {
            t.status = 'void';
            t.status_transitions.void_at = now;
          } else if (roll < 0.6) {
            t.status = 'posted';
            t.status_transitions.posted_at = now;
          } else continue;
          t.updated = now;
          t.transaction_refresh = refId;
        }
        // New arrivals happened after the previous attempt and by this one (never before what was already
        // loaded: a client comparing `transacted_at` with its last refresh can tell them from changes).
        const from = Math.min(lastLoadedAt.get(rec) ?? attemptedAt - 86_400, attemptedAt - 1);
        const fresh = seedNewTransactions(rng, rec.template, from, attemptedAt).map((s) =>
          makeTransaction(store, rec, s, refId, now),
        );
        rec.transactions = [...fresh, ...rec.transactions].sort((a, b) => b.transacted_at - a.transacted_at);
      }
      lastLoadedAt.set(rec, rec.account.transaction_refresh!.last_attempted_at);
      return true;
    }
    case 'balance': {
      // A later balance refresh finds the account moved a little (card spend, deposits the sandbox does not model
      // as transactions), so a refresh visibly changes `current`; the first load keeps the institution's figure.
      if (rec.account.balance) drifts.set(rec, (drifts.get(rec) ?? 0) + balanceMove(rng));
      const current =
        rec.template.balance +
        (drifts.get(rec) ?? 0) +
        posted(rec) -
        (rec.historyLoaded ? baselinePosted(rec) : 0);
      const pendingSum = rec.historyLoaded
        ? rec.transactions.filter((t) => t.status === 'pending').reduce((s, t) => s + t.amount, 0)
        : -rng.int(0, 12_000);
      rec.account.balance =
        rec.template.category === 'credit'
          ? {
              as_of: now,
              type: 'credit',
              current: { usd: current },
              credit: { used: { usd: Math.max(0, -current) } },
            }
          : {
              as_of: now,
              type: 'cash',
              current: { usd: current },
              cash: { available: { usd: current + pendingSum } },
            };
      return true;
    }
    case 'ownership': {
      const ownershipId = store.id('fcaowns', 24);
      store.ownerships.set(ownershipId, { id: ownershipId, accountId: rec.id, created: now });
      rec.owners = seedOwners(store.rng.fork(`${rec.id}:owners`), rec.template).map((o) => ({
        id: store.id('fcaown', 24),
        object: 'financial_connections.account_owner' as const,
        ...o,
        ownership: ownershipId,
        refreshed_at: now,
      }));
      rec.account.ownership = ownershipId;
      return true;
    }
  }
}

/** What later balance refreshes moved the balance by, in total (cents). */
const drifts = new WeakMap<object, number>();
/** A move of $1.00 to $60.00 either way, never zero. */
function balanceMove(rng: Rng): number {
  const cents = rng.int(100, 6_000);
  return rng.chance(0.5) ? cents : -cents;
}
/** The attempt time of the last transaction refresh that loaded data, per account. */
const lastLoadedAt = new WeakMap<object, number>();

/** The sum of posted amounts the seeded history started with (so later postings move the balance). */
const baselines = new WeakMap<object, number>();
function baselinePosted(rec: Rec): number {
  if (!baselines.has(rec)) baselines.set(rec, posted(rec));
  return baselines.get(rec)!;
}
function posted(rec: Rec): number {
  return rec.transactions.reduce((s, t) => (t.status === 'posted' ? s + t.amount : s), 0);
}

function makeTransaction(
  store: Store,
  rec: Rec,
  s: ReturnType<typeof seedHistory>[number],
  refId: string,
  now: number,
): FcTransaction {
  const t: FcTransaction = {
    id: store.id('fctxn', 24),
    object: 'financial_connections.transaction',
    account: rec.id,
    amount: s.amount,
    currency: 'usd',
    description: s.description,
    livemode: false,
    status: s.status,
    status_transitions: { posted_at: s.posted_at, void_at: s.void_at },
    transacted_at: s.transacted_at,
    transaction_refresh: refId,
    updated: now,
  };
  store.transactionIndex.set(t.id, t);
  return t;
}

/**
 * Stripe refreshes subscribed accounts' transactions daily (docs.stripe.com/financial-connections/transactions).
 * The sandbox runs that schedule when its clock moves (advanceTime / the clock route): every active subscribed
 * account whose last transaction refresh is a day old or more starts a new one. Returns the accounts refreshed.
 */
export function runDailyRefreshes(store: Store): string[] {
  const now = store.clock.now();
  const started: string[] = [];
  for (const rec of store.fcAccounts.newestFirst()) {
    const acc = rec.account;
    if (acc.status !== 'active' || !acc.subscriptions.includes('transactions')) continue;
    const last = acc.transaction_refresh;
    if (last && (last.status === 'pending' || now - last.last_attempted_at < 86_400)) continue;
    startRefresh(store, rec, ['transactions']);
    started.push(rec.id);
  }
  return started;
}
