// Catch-up: with no webhook reaching the gateway (none registered, as while it was down), events that happen on the
// Stripe side (a refresh succeeded, an ACH debit settled) are read back from GET /v1/events and pushed to subscribers,
// each once: a second run finds nothing new.
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import {
  linkedCustomer,
  REFRESHED,
  subscribe,
  TEST_WEBHOOK_SECRET,
  wsClient,
  type Refreshed,
} from '../helpers/live';
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
