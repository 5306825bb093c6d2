// Live events (what subscriptions receive) and the one publisher both the webhook route and the poller go through.
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger';
import {
  accountListPattern,
  accountPattern,
  mandateKey,
  ownersPattern,
  paymentIntentListPattern,
  paymentIntentPattern,
  paymentMethodKey,
  paymentMethodListPattern,
  savedMandateKey,
  transactionListPattern,
} from '../stripe/cache-keys';
import type { EventDedupe } from './event-dedupe';
import type { GatewayPubSub } from './pubsub';
import type { ResumeLog } from './resume-log';

export type FcAccount = Stripe.FinancialConnections.Account;
export type RefreshFeature = 'balance' | 'ownership' | 'transactions';
export const REFRESH_FEATURES: readonly RefreshFeature[] = ['balance', 'ownership', 'transactions'];
export type AccountUpdateType =
  | 'created'
  | 'deactivated'
  | 'reactivated'
  | 'disconnected'
  | 'upcoming_deactivation'
  | 'account_numbers_updated'
  | 'upcoming_account_number_expiry'
  | 'supported_payment_method_types_updated';

/**
 * Events cross the bus as plain JSON (ids, unix seconds, Stripe objects without secrets): over Redis
 * every value is serialized, so nothing here may be a Date or a class instance.
 */
interface AccountRefreshedEvent {
  kind: 'account.refreshed';
  customerId: string;
  accountId: string;
  feature: RefreshFeature;
  status: 'succeeded' | 'failed';
  /** Unix seconds: the event's `created`, or when the poller saw the refresh settle. */
  occurredAt: number;
  /**
   * The account as of the event. Absent when a newer event for this account was already seen: the
   * subscriber then loads the account fresh rather than showing an older snapshot (never roll back).
   */
  account?: FcAccount;
  source: 'webhook' | 'poller';
}

interface AccountUpdatedEvent {
  kind: 'account.updated';
  customerId: string;
  accountId: string;
  type: AccountUpdateType;
  occurredAt: number;
  account?: FcAccount;
  source: 'webhook';
}

interface PaymentIntentUpdatedEvent {
  kind: 'payment_intent.updated';
  customerId: string;
  paymentIntentId: string;
  status: string;
  occurredAt: number;
  /**
   * The PaymentIntent as the change left it (the webhook's object, or the follow-up's look), without its
   * `client_secret`: partner events render from it instead of fetching it again.
   */
  paymentIntent?: Stripe.PaymentIntent;
  source: 'webhook' | 'poller';
}

/**
 * A transaction refresh succeeded: `FinancialAccount.transactionUpdates` has (or may have) something new.
 * Published once per refresh id, whichever of webhook, poller or instance saw it first.
 */
interface TransactionsUpdatedEvent {
  kind: 'transactions.updated';
  customerId: string;
  accountId: string;
  /** Stripe's `transaction_refresh.id` (`fctxnref_…`). */
  transactionRefreshId: string;
  /** Unix seconds: when the refresh was seen to succeed (the event's `created`, or the poller's look). */
  completedAt: number;
  occurredAt: number;
  source: 'webhook' | 'poller';
}

export type LiveEvent =
  AccountRefreshedEvent | AccountUpdatedEvent | PaymentIntentUpdatedEvent | TransactionsUpdatedEvent;
export type LiveEventKind = LiveEvent['kind'];

/** Bus routing keys. A topic is `<key>:<customerId>`: an event only wakes subscribers of its customer. */
export const LIVE_TOPICS: Record<LiveEventKind, string> = {
  'account.refreshed': 'fcgw.account.refreshed',
  'account.updated': 'fcgw.account.updated',
  'payment_intent.updated': 'fcgw.payment_intent.updated',
  'transactions.updated': 'fcgw.transactions.updated',
};

/** The feature's refresh block on an account (`balance` → `balance_refresh`...). */
export function refreshOf(account: FcAccount, feature: RefreshFeature) {
  if (feature === 'balance') return account.balance_refresh;
  if (feature === 'ownership') return account.ownership_refresh;
  return account.transaction_refresh;
}

/** The customer (v1 `cus_`) or customer-configured Account (v2 `acct_`) holding an account, if any. */
export function accountCustomerId(account: FcAccount): string | null {
  const holder = account.account_holder as
    { customer?: string | { id: string } | null; customer_account?: string | null } | null | undefined;
  if (!holder) return null;
  if (holder.customer) return typeof holder.customer === 'string' ? holder.customer : holder.customer.id;
  return holder.customer_account ?? null;
}

/**
 * One refresh attempt's identity, the same whether a webhook or the poller saw it settle: the
 * transaction refresh's own id, else the attempt's `last_attempted_at`.
 */
export function refreshCompletionKey(account: FcAccount, feature: RefreshFeature): string | null {
  const r = refreshOf(account, feature) as { id?: string; last_attempted_at?: number } | null | undefined;
  if (!r) return null;
  return `refresh:${account.id}:${feature}:${r.id ?? r.last_attempted_at}`;
}

/** The cache keys (StripeReads keys, loaders.ts) that describe an account, to forget when it changes. */
export function accountCacheKeys(accountId: string, customerId: string | null): string[] {
  const keys = [accountPattern(accountId), ownersPattern(accountId), transactionListPattern(accountId)];
  if (customerId) keys.push(accountListPattern(customerId));
  return keys;
}

export function paymentIntentCacheKeys(paymentIntentId: string, customerId: string | null): string[] {
  const keys = [paymentIntentPattern(paymentIntentId)];
  if (customerId) keys.push(paymentIntentListPattern(customerId));
  return keys;
}

interface SavedAccountObject {
  object?: string;
  id?: unknown;
  customer?: unknown;
  customer_account?: unknown;
  payment_method?: unknown;
}

const idOf = (v: unknown): string | null =>
  typeof v === 'string'
    ? v
    : v && typeof (v as { id?: unknown }).id === 'string'
      ? (v as { id: string }).id
      : null;

/**
 * The cache keys of a saved bank account or mandate to forget when Stripe reports a change
 * (`payment_method.*`, `mandate.updated`): the object, and the list of saved methods of its customer — now, or
 * before the change (`previous` is the event's `previous_attributes`: a detached method has no customer left).
 */
export function savedAccountCacheKeys(object: SavedAccountObject, previous?: SavedAccountObject): string[] {
  if (typeof object.id !== 'string') return [];
  if (object.object === 'mandate') {
    const pm = idOf(object.payment_method);
    return [mandateKey(object.id), ...(pm ? [paymentMethodKey(pm), savedMandateKey(pm)] : [])];
  }
  const customers = [object, previous ?? {}]
    .flatMap((o) => [idOf(o.customer), idOf(o.customer_account)])
    .filter((c): c is string => c !== null);
  return [
    paymentMethodKey(object.id),
    savedMandateKey(object.id),
    ...[...new Set(customers)].map(paymentMethodListPattern),
  ];
}

/**
 * Publishes `transactions.updated` when `account`'s transaction refresh has succeeded (no-op otherwise).
 * Guarded by the refresh id alone (no order guard): every succeeded refresh is pushed exactly once,
 * even when an older refresh's event arrives after a newer one's.
 */
export async function publishTransactionsUpdated(
  publisher: LiveEventPublisher,
  account: FcAccount,
  occurredAt: number,
  source: 'webhook' | 'poller',
): Promise<PublishOutcome | null> {
  const planned = transactionsUpdatedOf(account, occurredAt, source);
  return planned ? publisher.publish(planned.event, planned.guard) : null;
}

/** The `transactions.updated` event `account` calls for (and its guard), or null when its transaction refresh has not succeeded. */
export function transactionsUpdatedOf(
  account: FcAccount,
  occurredAt: number,
  source: 'webhook' | 'poller',
): { event: LiveEvent; guard: PublishGuard } | null {
  const refresh = account.transaction_refresh;
  const customerId = accountCustomerId(account);
  if (!refresh?.id || refresh.status !== 'succeeded' || !customerId) return null;
  return {
    event: {
      kind: 'transactions.updated',
      customerId,
      accountId: account.id,
      transactionRefreshId: refresh.id,
      completedAt: occurredAt,
      occurredAt,
      source,
    },
    guard: {
      completionKey: `txnupd:${account.id}:${refresh.id}`,
      // The account's transaction lists may have been cached before the refresh (stripe/cache-keys.ts).
      invalidate: [accountPattern(account.id), transactionListPattern(account.id)],
    },
  };
}

type PublishOutcome = 'published' | 'duplicate' | 'stale';

/** What {@link LiveEventPublisher.publish} checks before publishing one event. */
export interface PublishGuard {
  completionKey?: string;
  order?: { category: string; object: string };
  invalidate: string[];
}

export interface LiveEventPublisher {
  /**
   * Order guard → completion claim → cache invalidation → publish.
   * @param guard.order keys compared by `occurredAt`; an event older than the newest one seen under
   *   `order.category` is dropped ('stale'); one older than the newest seen under `order.object` is
   *   published without its snapshot (subscribers re-load instead of seeing older data).
   * @param guard.completionKey pushed at most once across webhook, poller and instances.
   * @throws {DedupeUnavailableError} when the shared store cannot answer (nothing published).
   */
  publish(event: LiveEvent, guard: PublishGuard): Promise<PublishOutcome>;
  /**
   * Adds a consumer of every event this instance publishes, called (and awaited) right after the event goes on
   * the bus. The bus's guards apply: an event with a completion key is published by one instance only, so
   * across instances each reaches sinks once (partner webhooks enqueue it; tests observe it). A sink that
   * throws is logged and never affects publishing.
   * @returns a function that removes the sink.
   */
  addSink(sink: LiveEventSink): () => void;
}

/** A consumer of published events. */
export type LiveEventSink = (event: LiveEvent) => void | Promise<void>;

export function createLiveEventPublisher(deps: {
  pubSub: GatewayPubSub;
  dedupe: EventDedupe;
  /** Forgets cached objects (this instance awaited, others told); runs before the event is published. */
  invalidate: (keys: string[]) => Promise<void>;
  /** Keeps each event for subscriptions that resume (resume-log.ts); absent: published without a position. */
  resume?: ResumeLog;
  log: Logger;
}): LiveEventPublisher {
  const toSubscribers = async (event: LiveEvent) => {
    if (deps.resume) {
      try {
        return await deps.resume.publish(LIVE_TOPICS[event.kind], event);
      } catch (e) {
        // Live subscribers still get it; a subscription that resumes later may miss it.
        deps.log.warn(
          { err: { message: (e as Error).message }, kind: event.kind },
          'live event not kept for resuming',
        );
      }
    }
    deps.pubSub.publish(LIVE_TOPICS[event.kind], event.customerId, event);
  };
  const sinks = new Set<LiveEventSink>();
  return {
    addSink(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    async publish(event, guard) {
      if (guard.order) {
        const fresh = await deps.dedupe.advance(guard.order.category, event.occurredAt);
        if (!fresh) return 'stale';
        const newestForObject = await deps.dedupe.advance(guard.order.object, event.occurredAt);
        // A copy without the snapshot: the caller's event may be shared (the partner intake queued it too).
        if (!newestForObject && 'account' in event) {
          const copy = { ...event };
          delete copy.account;
          event = copy;
        }
      }
      if (guard.completionKey && !(await deps.dedupe.claim(guard.completionKey))) return 'duplicate';
      // Invalidate before publishing: a subscriber that re-loads must not get the cached old value.
      if (guard.invalidate.length) await deps.invalidate(guard.invalidate);
      await toSubscribers(event);
      deps.log.debug(
        { kind: event.kind, customerId: event.customerId, source: event.source },
        'live event published',
      );
      for (const sink of [...sinks]) {
        await Promise.resolve()
          .then(() => sink(event))
          .catch((e: unknown) =>
            deps.log.error({ err: e, kind: event.kind }, 'a live event sink failed to take an event'),
          );
      }
      return 'published';
    },
  };
}
