// Helpers for live-update tests: linked accounts via GraphQL, graphql-ws subscriptions as queues, signed webhooks.
import Stripe from 'stripe';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { StartedGateway } from './gateway';
import { gql } from './gql';
import type { StartedSandbox } from './sandbox';

/** Signs payloads only: a stripe-node instance that never sends a request. */
const signer = new Stripe('sk_test_signer_only', { telemetry: false });

export const TEST_WEBHOOK_SECRET = 'whsec_live_updates_test_secret_0123456789';

/** Waits until `cond()` holds, checking every 10 ms (a condition, never a fixed sleep). */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Creates a customer for `apiKey`'s partner, links accounts through a completed session, returns their ids. */
export async function linkedCustomer(
  gw: StartedGateway,
  sandbox: StartedSandbox,
  apiKey: string,
): Promise<{ customerId: string; accountId: string; accountIds: string[] }> {
  const c = await gql<{ createCustomer: { customer: { id: string } } }>(
    gw.graphqlUrl,
    'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }',
    { i: { email: 'live@example.com', name: 'Live Updates' } },
    { token: apiKey },
  );
  if (!c.data) throw new Error(`createCustomer failed: ${JSON.stringify(c.errors)}`);
  const customerId = c.data.createCustomer.customer.id;
  const s = await gql<{ createFinancialConnectionsSession: { session: { id: string } } }>(
    gw.graphqlUrl,
    'mutation($i: CreateFinancialConnectionsSessionInput!) { createFinancialConnectionsSession(input: $i) { session { id } } }',
    { i: { customerId, permissions: ['BALANCES', 'OWNERSHIP', 'PAYMENT_METHOD', 'TRANSACTIONS'] } },
    { token: apiKey },
  );
  if (!s.data) throw new Error(`createFinancialConnectionsSession failed: ${JSON.stringify(s.errors)}`);
  const completed = sandbox.sandbox.completeSession(s.data.createFinancialConnectionsSession.session.id);
  const accounts = completed.accounts as unknown as Stripe.FinancialConnections.Account[];
  const usable = accounts.find(
    (a) =>
      a.status === 'active' &&
      a.category === 'cash' &&
      a.supported_payment_method_types.includes('us_bank_account'),
  );
  if (!usable) throw new Error('the default institution linked no active cash account');
  return { customerId, accountId: usable.id, accountIds: accounts.map((a) => a.id) };
}

export interface Subscription<T> {
  /** The next message's data (rejects on a GraphQL error message or when `timeoutMs` passes). */
  next(timeoutMs?: number): Promise<T>;
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

/** The gateway's count of running subscriptions (graphql_subscriptions_active). */
export async function activeSubscriptions(gw: StartedGateway): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const m = /^graphql_subscriptions_active (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
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
