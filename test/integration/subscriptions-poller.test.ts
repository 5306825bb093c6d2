import type { Client } from 'graphql-ws';
import type Stripe from 'stripe';
import { startGateway, PARTNER_A, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import {
  followUpOutcome,
  postWebhook,
  refreshedEvent,
  REFRESHED,
  type Refreshed,
  subscribed,
  TEST_WEBHOOK_SECRET,
  wsClient,
  type Subscription,
} from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { RefreshPoller, type PollerOutcome } from '../../src/services/live/refresh-poller';

const REFRESH = `mutation($i: RefreshFinancialAccountInput!) {
  refreshFinancialAccount(input: $i) { financialAccount { id } }
}`;

/** Resolves with the poller's outcome for `id` (it emits `settled` once per followed object). */
function pollerOutcome(gw: StartedGateway, id: string): Promise<PollerOutcome> {
  return new Promise((resolve) => {
    const onSettled = (e: { id: string; outcome: PollerOutcome }) => {
      if (e.id !== id) return;
      gw.gateway.live.poller.off('settled', onSettled);
      resolve(e.outcome);
    };
    gw.gateway.live.poller.on('settled', onSettled);
  });
}

describe('the refresh poller and the payment follow-up (no webhook reaches the gateway)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let client: Client;
  let linked: LinkedCustomer;
  let sub: Subscription<Refreshed>;

  beforeAll(async () => {
    sandbox = await startSandbox({ refreshDelayMs: 300, achDelayMs: 300 });
    // A secret is configured (so no self-registration) but no endpoint points at the gateway: the
    // sandbox never delivers to it, as when Stripe cannot reach a gateway behind NAT.
    gw = await startGateway({
      STRIPE_API_BASE: sandbox.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      // Payments are first looked at a minute after confirm by default; here within a fraction of a second.
      PAYMENT_FOLLOW_UP_INITIAL_DELAY_MS: '100',
      PAYMENT_FOLLOW_UP_MAX_DELAY_MS: '200',
    });
    linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    client = wsClient(gw, PARTNER_A.apiKey);
    sub = await subscribed<Refreshed>(gw, client, REFRESHED, { accountId: linked.accountId });
  });
  afterAll(async () => {
    sub?.stop();
    await client?.dispose();
    await gw?.close();
    await sandbox?.close();
  });

  it('should push a refresh this gateway started once the poller sees it settle, and push it only once', async () => {
    const settled = pollerOutcome(gw, linked.accountId);
    const r = await gql(
      gw.graphqlUrl,
      REFRESH,
      { i: { accountId: linked.accountId, features: ['BALANCE'] } },
      {
        token: PARTNER_A.apiKey,
      },
    );
    expect(r.errors).toBeUndefined();
    const msg = (await sub.next()).financialAccountRefreshed;
    expect(msg).toMatchObject({
      feature: 'BALANCE',
      status: 'SUCCEEDED',
      financialAccount: { id: linked.accountId },
    });
    const upstream = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    expect(msg.financialAccount.balance?.current).toEqual(
      Object.entries(upstream.balance!.current).map(([currency, amount]) => ({ amount, currency })),
    );
    expect(await settled).toBe('settled');
    expect(sandbox.sandbox.deliveries.filter((d) => d.url.startsWith(gw.url))).toHaveLength(0);

    // The same completion now arrives as a (late) webhook: accepted, but not pushed a second time.
    const real = await sandbox.sandbox.waitForEvent(
      (e) =>
        e.type === 'financial_connections.account.refreshed_balance' &&
        (e.data.object as { id?: string }).id === linked.accountId,
    );
    const late = await postWebhook(gw, JSON.stringify(real));
    expect(late).toEqual({ status: 200, body: { received: true } });

    // Proof that nothing was pushed for it: the next message is a distinct completion sent afterwards.
    const account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    const markerAt = Math.floor(Date.now() / 1000) + 1;
    await postWebhook(
      gw,
      JSON.stringify(refreshedEvent(account, 'ownership', markerAt, { created: markerAt })),
    );
    expect((await sub.next()).financialAccountRefreshed).toMatchObject({
      feature: 'OWNERSHIP',
      occurredAt: new Date(markerAt * 1000).toISOString(),
    });
  });

  it('should follow an ACH payment this gateway confirmed to its final status', async () => {
    const created = await gql<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
      gw.graphqlUrl,
      'mutation($i: CreatePaymentIntentInput!) { createPaymentIntent(input: $i) { paymentIntent { id } } }',
      {
        i: {
          customerId: linked.customerId,
          financialAccountId: linked.accountId,
          amount: 42_00,
          billingName: 'Poller',
          idempotencyKey: `poller-${Date.now()}`,
        },
      },
      { token: PARTNER_A.apiKey },
    );
    const pi = created.data!.createPaymentIntent.paymentIntent.id;
    const payments = await subscribed<{ paymentIntentUpdated: { id: string; status: string } }>(
      gw,
      client,
      'subscription($id: ID) { paymentIntentUpdated(paymentIntentId: $id) { id status } }',
      { id: pi },
    );
    const settled = followUpOutcome(gw, pi);
    const confirmed = await gql(
      gw.graphqlUrl,
      'mutation($i: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $i) { paymentIntent { status } } }',
      { i: { paymentIntentId: pi } },
      { token: PARTNER_A.apiKey, headers: { 'user-agent': 'jest-poller' } },
    );
    expect(confirmed.errors).toBeUndefined();
    const statuses = [(await payments.next()).paymentIntentUpdated.status];
    if (statuses[0] !== 'SUCCEEDED') statuses.push((await payments.next()).paymentIntentUpdated.status);
    // The follow-up reports each status it sees; with a 300 ms ACH delay it may first see PROCESSING.
    expect(statuses[statuses.length - 1]).toBe('SUCCEEDED');
    expect(['PROCESSING', 'SUCCEEDED']).toContain(statuses[0]);
    expect(await settled).toBe('settled');
    expect(payments.pending).toBe(0);
    payments.stop();
  });
});

describe('the refresh poller with webhooks flowing', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sandbox = await startSandbox({ refreshDelayMs: 100 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
    sandbox.sandbox.addWebhookEndpoint({ url: `${gw.url}/webhooks/stripe`, secret: TEST_WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('should push a completion once when both the webhook and the poller may see it', async () => {
    const linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    const client = wsClient(gw, PARTNER_A.apiKey);
    const sub = await subscribed<Refreshed>(gw, client, REFRESHED, { accountId: linked.accountId });
    const settled = pollerOutcome(gw, linked.accountId);
    await gql(
      gw.graphqlUrl,
      REFRESH,
      { i: { accountId: linked.accountId, features: ['BALANCE'] } },
      {
        token: PARTNER_A.apiKey,
      },
    );
    expect((await sub.next()).financialAccountRefreshed.feature).toBe('BALANCE');
    // The webhook normally wins and stops the poller; if the poller looked first, its claim wins instead.
    expect(['webhook', 'settled']).toContain(await settled);
    await sandbox.sandbox.waitForDelivery(
      (d) =>
        d.ok && d.eventType === 'financial_connections.account.refreshed_balance' && d.url.startsWith(gw.url),
    );
    const account = await sandbox.stripe.financialConnections.accounts.retrieve(linked.accountId);
    const markerAt = Math.floor(Date.now() / 1000) + 1;
    await postWebhook(
      gw,
      JSON.stringify(refreshedEvent(account, 'ownership', markerAt, { created: markerAt })),
    );
    expect((await sub.next()).financialAccountRefreshed.feature).toBe('OWNERSHIP');
    sub.stop();
    await client.dispose();
  });
});

describe('RefreshPoller bounds (against the sandbox, through the real SDK)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    // Refreshes that stay pending for a minute: the poller must give up, not poll forever.
    sandbox = await startSandbox({ refreshDelayMs: 60_000 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('should keep at most `concurrency` looks in flight and stop after `maxAttempts` looks per object', async () => {
    const linked = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    const more = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    const ids = [...linked.accountIds, ...more.accountIds];
    const stripe = sandbox.stripe;
    const refreshed: string[] = [];
    for (const id of ids) {
      // Inactive or credit accounts may refuse: those are followed too, and settle at the first look.
      await stripe.financialConnections.accounts.refresh(id, { features: ['balance'] }).then(
        () => refreshed.push(id),
        () => undefined,
      );
    }
    expect(refreshed.length).toBeGreaterThan(1);

    let inFlight = 0;
    let maxInFlight = 0;
    const gets = new Map<string, number>();
    const onRequest = (e: Stripe.RequestEvent) => {
      if (e.method !== 'GET') return;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const id = /accounts\/(fca_[A-Za-z0-9]+)/.exec(e.path)?.[1];
      if (id) gets.set(id, (gets.get(id) ?? 0) + 1);
    };
    const onResponse = (e: Stripe.ResponseEvent) => {
      if (e.method === 'GET') inFlight -= 1;
    };
    stripe.on('request', onRequest);
    stripe.on('response', onResponse);
    const published: string[] = [];
    const poller = new RefreshPoller({
      stripe,
      publisher: {
        publish: async (e) => (published.push(e.kind), 'published'),
        addSink: () => () => true,
      },
      log: gw.gateway.log,
      initialDelayMs: 5,
      maxDelayMs: 20,
      maxAttempts: 3,
      concurrency: 2,
    });
    const outcomes = new Map<string, PollerOutcome>();
    const everyOneEnded = new Promise<void>((resolve) =>
      poller.on('settled', (e: { id: string; outcome: PollerOutcome }) => {
        outcomes.set(e.id, e.outcome);
        if (outcomes.size === ids.length) resolve();
      }),
    );
    for (const id of ids) poller.follow({ kind: 'account', id });
    await everyOneEnded;
    stripe.off('request', onRequest);
    stripe.off('response', onResponse);

    expect(maxInFlight).toBeLessThanOrEqual(2);
    for (const id of refreshed) {
      expect(outcomes.get(id)).toBe('gave_up');
      expect(gets.get(id)).toBe(3);
    }
    expect(published).toEqual([]);
    expect(poller.size).toBe(0);
  });
});
