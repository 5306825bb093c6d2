// Helpers for live-update tests: graphql-ws subscriptions as queues, the moment the gateway listens, signed webhooks.
import { EventEmitter } from 'node:events';
import Stripe from 'stripe';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { FollowUpOutcome } from '../../src/services/live/payment-follow-up';
import type { StartedGateway } from './gateway';

/** Signs payloads only: a stripe-node instance that never sends a request. */
const signer = new Stripe('sk_test_signer_only', { telemetry: false });

export const TEST_WEBHOOK_SECRET = 'whsec_live_updates_test_secret_0123456789';

export interface Subscription<T> {
  /** The next message's data (rejects on a GraphQL error message or when `timeoutMs` passes). */
  next(timeoutMs?: number): Promise<T>;
  /**
   * Takes messages until one satisfies `done` and returns every message taken, that one last
   * (rejects on a GraphQL error message or when no message arrives within `timeoutMs`).
   */
  until(done: (message: T) => boolean, timeoutMs?: number): Promise<T[]>;
  /** Resolves with the errors of an `error` message (a subscription refused at subscribe time). */
  refused(timeoutMs?: number): Promise<readonly { message: string; extensions?: Record<string, unknown> }[]>;
  /** Messages received and not yet taken. */
  readonly pending: number;
  stop(): void;
}

type Item = { data?: unknown; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] };

/** A graphql-ws client authenticated with `token` (`ws` as the WebSocket implementation). */
export function wsClient(gw: StartedGateway, token: string): Client {
  return createClient({
    url: gw.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

const listenReports = new WeakMap<object, EventEmitter>();

/**
 * Resolves once `gw` has opened `count` more live-event streams: those subscriptions are registered on
 * the gateway's event bus, so whatever is published from then on reaches them. Call it before
 * subscribing; refused subscriptions open no stream.
 *
 * How: the gateway announces no such event, so the first call wraps the `stream` of its live subscriptions (the
 * call every subscription resolver makes, src/services/live/live-subscriptions.ts, which has joined its topic's bus
 * listener when it returns) with a pass-through that reports each call. Nothing else changes.
 */
export function listening(gw: StartedGateway, count = 1, timeoutMs = 10_000): Promise<void> {
  const live = gw.gateway.live.subscriptions;
  let reports = listenReports.get(live);
  if (!reports) {
    const emitter = new EventEmitter();
    const stream = live.stream.bind(live);
    live.stream = (kind, customerId, ...rest) => {
      const opened = stream(kind, customerId, ...rest);
      emitter.emit('listen', kind, customerId);
      return opened;
    };
    listenReports.set(live, (reports = emitter));
  }
  const emitter = reports;
  return new Promise((resolve, reject) => {
    let left = count;
    const timer = setTimeout(() => {
      emitter.off('listen', onListen);
      reject(new Error(`the gateway opened ${count - left} of ${count} subscriptions in ${timeoutMs} ms`));
    }, timeoutMs);
    const onListen = () => {
      left -= 1;
      if (left > 0) return;
      clearTimeout(timer);
      emitter.off('listen', onListen);
      resolve();
    };
    emitter.on('listen', onListen);
  });
}

/** Subscribes and queues every message, so tests take them one by one in arrival order. */
export function subscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<T> {
  const queue: Item[] = [];
  const waiters: ((item: Item) => void)[] = [];
  const push = (item: Item) => {
    const w = waiters.shift();
    if (w) w(item);
    else queue.push(item);
  };
  const take = (timeoutMs: number) =>
    new Promise<Item>((resolve, reject) => {
      const item = queue.shift();
      if (item) return resolve(item);
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`no subscription message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (it: Item) => {
        clearTimeout(timer);
        resolve(it);
      };
      waiters.push(waiter);
    });
  const stop = client.subscribe(
    { query, variables },
    {
      next: (value) => push({ data: value.data, errors: value.errors as Item['errors'] }),
      error: (e) =>
        push({ errors: Array.isArray(e) ? e : [{ message: String((e as Error)?.message ?? e) }] }),
      complete: () => undefined,
    },
  );
  return {
    async next(timeoutMs = 10_000) {
      const item = await take(timeoutMs);
      if (item.errors?.length) throw new Error(`subscription error: ${JSON.stringify(item.errors)}`);
      return item.data as T;
    },
    async until(done, timeoutMs = 10_000) {
      const taken: T[] = [];
      for (;;) {
        taken.push(await this.next(timeoutMs));
        if (done(taken[taken.length - 1])) return taken;
      }
    },
    async refused(timeoutMs = 10_000) {
      const item = await take(timeoutMs);
      if (!item.errors?.length) throw new Error(`expected a refusal, got data: ${JSON.stringify(item.data)}`);
      return item.errors;
    },
    get pending() {
      return queue.length;
    },
    stop,
  };
}

/** Subscribes like `subscribe()` and resolves once the gateway listens for this subscription's events. */
export async function subscribed<T = Record<string, unknown>>(
  gw: StartedGateway,
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscription<T>> {
  const started = listening(gw);
  const sub = subscribe<T>(client, query, variables);
  await started;
  return sub;
}

/** A `Stripe-Signature` header for `payload` (stripe-node's own test signer). */
export function signatureFor(payload: string, secret = TEST_WEBHOOK_SECRET, timestamp?: number): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** POSTs `payload` to the gateway's webhook route with a Stripe-Signature made from `secret`. */
export async function postWebhook(
  gw: StartedGateway,
  payload: string,
  options: { secret?: string; timestamp?: number; signature?: string | null; body?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const header =
    options.signature === null
      ? undefined
      : (options.signature ??
        signer.webhooks.generateTestHeaderString({
          payload,
          secret: options.secret ?? TEST_WEBHOOK_SECRET,
          timestamp: options.timestamp,
        }));
  const res = await fetch(`${gw.url}/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(header ? { 'stripe-signature': header } : {}),
    },
    body: options.body ?? payload,
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

let counter = 0;
/** A Stripe event envelope around `object`, with a fresh id unless one is given. */
export function stripeEvent(
  type: string,
  object: unknown,
  options: { id?: string; created?: number; livemode?: boolean } = {},
): Record<string, unknown> {
  counter += 1;
  return {
    id: options.id ?? `evt_test_${Date.now()}_${counter}`,
    object: 'event',
    api_version: '2026-07-29.dahlia',
    created: options.created ?? Math.floor(Date.now() / 1000),
    data: { object },
    livemode: options.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/**
 * A `refreshed_<feature>` event for `account` whose refresh settled with `status`, at attempt time
 * `attemptedAt` (each distinct attempt is a distinct completion).
 */
export function refreshedEvent(
  account: Stripe.FinancialConnections.Account,
  feature: 'balance' | 'ownership',
  attemptedAt: number,
  options: { created?: number; status?: 'succeeded' | 'failed'; balance?: number; id?: string } = {},
): Record<string, unknown> {
  const refresh = {
    status: options.status ?? 'succeeded',
    last_attempted_at: attemptedAt,
    next_refresh_available_at: null,
  };
  const object: Record<string, unknown> = { ...account };
  if (feature === 'balance') {
    object.balance_refresh = refresh;
    if (options.balance !== undefined) {
      object.balance = {
        as_of: attemptedAt,
        type: 'cash',
        current: { usd: options.balance },
        cash: { available: { usd: options.balance } },
      };
    }
  } else {
    object.ownership_refresh = refresh;
  }
  return stripeEvent(`financial_connections.account.refreshed_${feature}`, object, {
    created: options.created,
    id: options.id,
  });
}

/** `financialAccountRefreshed(accountId:)` with the refreshed balance, and its result type. */
export const REFRESHED = `subscription($accountId: ID) {
  financialAccountRefreshed(accountId: $accountId) {
    feature status occurredAt
    financialAccount { id balance { current { amount currency } } }
  }
}`;
export interface Refreshed {
  financialAccountRefreshed: {
    feature: string;
    status: string;
    occurredAt: string;
    financialAccount: { id: string; balance: { current: { amount: number; currency: string }[] } | null };
  };
}

/**
 * Records every payment follow-up outcome from now on (emitted once, by the instance that ended it); `of(id)`
 * resolves with `id`'s, whether it ended before or after the call.
 */
export function followUpOutcomes(gw: StartedGateway) {
  const ended = new Map<string, FollowUpOutcome>();
  const waiting = new Map<string, (outcome: FollowUpOutcome) => void>();
  const onSettled = (e: { id: string; outcome: FollowUpOutcome }) => {
    ended.set(e.id, e.outcome);
    waiting.get(e.id)?.(e.outcome);
  };
  gw.gateway.live.followUp.on('settled', onSettled);
  return {
    of: (id: string): Promise<FollowUpOutcome> =>
      ended.has(id) ? Promise.resolve(ended.get(id)!) : new Promise((resolve) => waiting.set(id, resolve)),
    stop: () => gw.gateway.live.followUp.off('settled', onSettled),
  };
}

/** Resolves with the payment follow-up's outcome for `id`. */
export function followUpOutcome(gw: StartedGateway, id: string): Promise<FollowUpOutcome> {
  const outcomes = followUpOutcomes(gw);
  return outcomes.of(id).finally(outcomes.stop);
}
