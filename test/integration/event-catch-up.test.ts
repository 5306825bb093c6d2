// Catch-up: with no webhook reaching the gateway (none registered, as while it was down), events that happen on the
// Stripe side (a refresh succeeded, an ACH debit settled) are read back from GET /v1/events and pushed to subscribers,
// each once: a second run finds nothing new.
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { linkedCustomer } from '../helpers/linking';
import {
  listening,
  REFRESHED,
  subscribe,
  TEST_WEBHOOK_SECRET,
  wsClient,
  type Refreshed,
} from '../helpers/live';
import { startRedis, type StartedRedis } from '../helpers/redis';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const PI_UPDATED = `subscription($customerId: ID) { paymentIntentUpdated(customerId: $customerId) { id status } }`;

describe('event catch-up from GET /v1/events', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 10, refreshDelayMs: 10 });
    // A configured secret: the gateway registers no webhook endpoint, so the sandbox delivers it nothing.
    gw = await startGateway({ STRIPE_API_BASE: sb.url, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('pushes a refresh and an ACH settlement that no webhook announced, each once', async () => {
    expect((await sb.stripe.webhookEndpoints.list()).data).toEqual([]);
    const { customerId, accountId } = await linkedCustomer(gw, sb, PARTNER_A.apiKey);
    const client = wsClient(gw, PARTNER_A.apiKey);
    const refreshed = subscribe<Refreshed>(client, REFRESHED, { accountId });
    const payments = subscribe<{ paymentIntentUpdated: { id: string; status: string } }>(client, PI_UPDATED, {
      customerId,
    });
    try {
      const created = await gql<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
        gw.graphqlUrl,
        `mutation($i: CreatePaymentIntentInput!) { createPaymentIntent(input: $i) { paymentIntent { id } } }`,
        {
          i: {
            customerId,
            financialAccountId: accountId,
            amount: 4_200,
            currency: 'usd',
            billingName: 'Live Updates',
            idempotencyKey: 'catch-up-1',
          },
        },
        { token: PARTNER_A.apiKey },
      );
      const pi = created.data!.createPaymentIntent.paymentIntent.id;
      // Stripe-side, behind the gateway's back: a refresh, and the payment confirmed and settled.
      const balanceRefreshed = sb.sandbox.waitForEvent(
        (e) => e.type === 'financial_connections.account.refreshed_balance',
      );
      const settled = sb.sandbox.waitForEvent(
        (e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id?: string }).id === pi,
      );
      await sb.stripe.financialConnections.accounts.refresh(accountId, { features: ['balance'] });
      await sb.stripe.paymentIntents.confirm(pi, {
        mandate_data: {
          customer_acceptance: { type: 'online', online: { ip_address: '127.0.0.1', user_agent: 'test' } },
        },
      });
      await Promise.all([balanceRefreshed, settled]);

      expect(await gw.gateway.live.catchUp.run()).toBeGreaterThanOrEqual(3);
      expect((await refreshed.next()).financialAccountRefreshed).toMatchObject({
        feature: 'BALANCE',
        status: 'SUCCEEDED',
      });
      const statuses: string[] = [];
      while (statuses.at(-1) !== 'SUCCEEDED')
        statuses.push((await payments.next()).paymentIntentUpdated.status);
      expect(statuses).toEqual(['PROCESSING', 'SUCCEEDED']);

      // Nothing is processed twice.
      expect(await gw.gateway.live.catchUp.run()).toBe(0);
      expect(refreshed.pending + payments.pending).toBe(0);
    } finally {
      refreshed.stop();
      payments.stop();
      await client.dispose();
    }
  });
});

describe('event catch-up across a restart (REDIS_URL keeps the cursor and the dedupe)', () => {
  let sb: StartedSandbox;
  let redis: StartedRedis;
  const gateways: StartedGateway[] = [];
  const start = async () => {
    const gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      REDIS_URL: redis.url,
    });
    gateways.push(gw);
    return gw;
  };

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 10, refreshDelayMs: 10 });
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.close();
    await sb?.close();
    await redis?.stop();
  });

  it('a gateway started after Stripe-side events pushes each of them once, to subscribers on any instance', async () => {
    const up = await start(); // the instance the subscriber stays connected to
    const down = await start(); // the instance that will be "restarted"
    const { customerId, accountId } = await linkedCustomer(up, sb, PARTNER_A.apiKey);
    await down.close(); // the gateway goes down
    const client = wsClient(up, PARTNER_A.apiKey);
    const running = listening(up, 2);
    const refreshed = subscribe<Refreshed>(client, REFRESHED, { accountId });
    const payments = subscribe<{ paymentIntentUpdated: { id: string; status: string } }>(client, PI_UPDATED, {
      customerId,
    });
    try {
      await running;
      const created = await gql<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
        up.graphqlUrl,
        `mutation($i: CreatePaymentIntentInput!) { createPaymentIntent(input: $i) { paymentIntent { id } } }`,
        {
          i: {
            customerId,
            financialAccountId: accountId,
            amount: 4_300,
            currency: 'usd',
            billingName: 'Live Updates',
            idempotencyKey: 'catch-up-restart-1',
          },
        },
        { token: PARTNER_A.apiKey },
      );
      const pi = created.data!.createPaymentIntent.paymentIntent.id;
      const happened = Promise.all([
        sb.sandbox.waitForEvent((e) => e.type === 'financial_connections.account.refreshed_transactions'),
        sb.sandbox.waitForEvent(
          (e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id?: string }).id === pi,
        ),
      ]);
      await sb.stripe.financialConnections.accounts.refresh(accountId, { features: ['transactions'] });
      await sb.stripe.paymentIntents.confirm(pi, {
        mandate_data: {
          customer_acceptance: { type: 'online', online: { ip_address: '127.0.0.1', user_agent: 'test' } },
        },
      });
      await happened;

      const restarted = await start(); // its start-up catch-up reads what it missed
      await restarted.gateway.live.catchUp.run(); // joins the start-up run (one at a time)
      expect((await refreshed.next()).financialAccountRefreshed).toMatchObject({
        feature: 'TRANSACTIONS',
        status: 'SUCCEEDED',
      });
      const statuses: string[] = [];
      while (statuses.at(-1) !== 'SUCCEEDED')
        statuses.push((await payments.next()).paymentIntentUpdated.status);
      expect(statuses).toEqual(['PROCESSING', 'SUCCEEDED']);
      expect(restarted.logs.some((l) => l.includes('event catch-up processed missed events'))).toBe(true);

      // Another restart, and the instance that stayed up, find nothing left: every push went out once.
      const again = await start();
      await again.gateway.live.catchUp.run();
      expect(again.logs.some((l) => l.includes('event catch-up processed missed events'))).toBe(false);
      expect(await up.gateway.live.catchUp.run()).toBe(0);
      expect(refreshed.pending + payments.pending).toBe(0);
    } finally {
      refreshed.stop();
      payments.stop();
      await client.dispose();
    }
  });
});
