import type { Client } from 'graphql-ws';
import { startGateway, PARTNER_A, PARTNER_B, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { linkedCustomer } from '../helpers/linking';
import { subscribe, subscribed, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const REFRESHED = `subscription($accountId: ID, $customerId: ID) {
  financialAccountRefreshed(accountId: $accountId, customerId: $customerId) {
    feature status occurredAt
    financialAccount { id balanceRefresh { status } balance { current { amount currency } } }
  }
}`;

interface RefreshedMessage {
  financialAccountRefreshed: {
    feature: string;
    status: string;
    occurredAt: string;
    financialAccount: {
      id: string;
      balanceRefresh: { status: string } | null;
      balance: { current: { amount: number; currency: string }[] } | null;
    };
  };
}

const REFRESH = `mutation($i: RefreshFinancialAccountInput!) {
  refreshFinancialAccount(input: $i) { financialAccount { id balanceRefresh { status } } }
}`;

describe('subscriptions over graphql-ws (sandbox self-registration)', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  let a: { customerId: string; accountId: string };
  let b: { customerId: string; accountId: string };
  const clients: Client[] = [];
  const client = (token: string) => {
    const c = wsClient(gw, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ refreshDelayMs: 200, achDelayMs: 200 });
    // No STRIPE_WEBHOOK_SECRET and a sandbox upstream: the gateway registers its own endpoint.
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    a = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
    b = await linkedCustomer(gw, sandbox, PARTNER_B.apiKey);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await gw?.close();
    await sandbox?.close();
  });

  describe('self-registration', () => {
    it('should have registered exactly one endpoint pointing at the gateway, with the secret kept out of logs', async () => {
      const endpoints = await sandbox.stripe.webhookEndpoints.list();
      const ours = endpoints.data.filter((e) => e.url === `${gw.url}/webhooks/stripe`);
      expect(ours).toHaveLength(1);
      expect(ours[0].enabled_events).toEqual(
        expect.arrayContaining([
          'financial_connections.account.refreshed_balance',
          'payment_intent.succeeded',
        ]),
      );
      expect(gw.logs.join('\n')).not.toMatch(/whsec_/);
    });
  });

  describe('financialAccountRefreshed', () => {
    it('should push the refreshed balance after refreshFinancialAccount', async () => {
      const sub = await subscribed<RefreshedMessage>(gw, client(PARTNER_A.apiKey), REFRESHED, {
        accountId: a.accountId,
      });

      const r = await gql(
        gw.graphqlUrl,
        REFRESH,
        { i: { accountId: a.accountId, features: ['BALANCE'] } },
        {
          token: PARTNER_A.apiKey,
        },
      );
      expect(r.errors).toBeUndefined();

      const msg = (await sub.next()).financialAccountRefreshed;
      expect(msg.feature).toBe('BALANCE');
      expect(msg.status).toBe('SUCCEEDED');
      expect(msg.financialAccount.id).toBe(a.accountId);
      expect(msg.financialAccount.balanceRefresh?.status).toBe('SUCCEEDED');
      // The balance the sandbox computed in this refresh, as the API reports it now.
      const upstream = await sandbox.stripe.financialConnections.accounts.retrieve(a.accountId);
      expect(msg.financialAccount.balance?.current).toEqual(
        Object.entries(upstream.balance!.current).map(([currency, amount]) => ({ amount, currency })),
      );
      sub.stop();
    });

    it("should refuse another partner subscribing to the account with NOT_FOUND, and never cross partners' events", async () => {
      const intruder = subscribe(client(PARTNER_B.apiKey), REFRESHED, { accountId: a.accountId });
      const errors = await intruder.refused();
      expect(errors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);

      const byCustomer = subscribe(client(PARTNER_B.apiKey), REFRESHED, { customerId: a.customerId });
      expect((await byCustomer.refused()).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);

      // Partners A and B each follow their own customer while completions of both alternate. Each
      // subscription's next message is always its own partner's newest completion: an event of the
      // other partner, published before it, would have been queued ahead of it.
      const own = await subscribed<RefreshedMessage>(gw, client(PARTNER_B.apiKey), REFRESHED, {
        customerId: b.customerId,
      });
      const watcherA = await subscribed<RefreshedMessage>(gw, client(PARTNER_A.apiKey), REFRESHED, {
        customerId: a.customerId,
      });
      const refresh = (accountId: string, feature: 'balance' | 'ownership') =>
        sandbox.stripe.financialConnections.accounts.refresh(accountId, { features: [feature] });
      const pushed = (m: RefreshedMessage) => [
        m.financialAccountRefreshed.financialAccount.id,
        m.financialAccountRefreshed.feature,
      ];

      await refresh(a.accountId, 'ownership');
      expect(pushed(await watcherA.next())).toEqual([a.accountId, 'OWNERSHIP']);
      await refresh(b.accountId, 'balance');
      expect(pushed(await own.next())).toEqual([b.accountId, 'BALANCE']);
      await refresh(a.accountId, 'balance');
      expect(pushed(await watcherA.next())).toEqual([a.accountId, 'BALANCE']);
      await refresh(b.accountId, 'ownership');
      expect(pushed(await own.next())).toEqual([b.accountId, 'OWNERSHIP']);
      own.stop();
      watcherA.stop();
    });

    it('should refuse a customer token subscribing to another customer of the same partner', async () => {
      const other = await linkedCustomer(gw, sandbox, PARTNER_A.apiKey);
      const t = await gql<{ createCustomerToken: { token: string } }>(
        gw.graphqlUrl,
        'mutation($i: CreateCustomerTokenInput!) { createCustomerToken(input: $i) { token } }',
        { i: { customerId: a.customerId } },
        { token: PARTNER_A.apiKey },
      );
      const token = t.data!.createCustomerToken.token;
      const refused = subscribe(client(token), REFRESHED, { accountId: other.accountId });
      expect((await refused.refused()).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      // Its own customer's account is allowed.
      const own = await subscribed<RefreshedMessage>(gw, client(token), REFRESHED, {
        accountId: a.accountId,
      });
      await sandbox.stripe.financialConnections.accounts.refresh(a.accountId, { features: ['balance'] });
      expect((await own.next()).financialAccountRefreshed.financialAccount.id).toBe(a.accountId);
      own.stop();
    });

    it('should ask for accountId or customerId', async () => {
      const sub = subscribe(client(PARTNER_A.apiKey), REFRESHED, {});
      expect((await sub.refused()).map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('paymentIntentUpdated', () => {
    const PAYMENTS = `subscription($paymentIntentId: ID, $customerId: ID) {
      paymentIntentUpdated(paymentIntentId: $paymentIntentId, customerId: $customerId) {
        id status amount { amount currency } financialAccount { id }
      }
    }`;
    interface PaymentMessage {
      paymentIntentUpdated: {
        id: string;
        status: string;
        amount: { amount: number };
        financialAccount: { id: string } | null;
      };
    }
    const createPayment = async (amount: number) => {
      const r = await gql<{ createPaymentIntent: { paymentIntent: { id: string } } }>(
        gw.graphqlUrl,
        'mutation($i: CreatePaymentIntentInput!) { createPaymentIntent(input: $i) { paymentIntent { id } } }',
        {
          i: {
            customerId: a.customerId,
            financialAccountId: a.accountId,
            amount,
            billingName: 'Live Updates',
            idempotencyKey: `live-${amount}-${Date.now()}`,
          },
        },
        { token: PARTNER_A.apiKey },
      );
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      return r.data.createPaymentIntent.paymentIntent.id;
    };

    it('should push PROCESSING then SUCCEEDED once each, then nothing more for that payment', async () => {
      const pi = await createPayment(12_34);
      const byId = await subscribed<PaymentMessage>(gw, client(PARTNER_A.apiKey), PAYMENTS, {
        paymentIntentId: pi,
      });
      const byCustomer = await subscribed<PaymentMessage>(gw, client(PARTNER_A.apiKey), PAYMENTS, {
        customerId: a.customerId,
      });

      const confirmed = await gql(
        gw.graphqlUrl,
        'mutation($i: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $i) { paymentIntent { status } } }',
        { i: { paymentIntentId: pi } },
        { token: PARTNER_A.apiKey, headers: { 'user-agent': 'jest-live-updates' } },
      );
      expect(confirmed.errors).toBeUndefined();
      const first = (await byId.next()).paymentIntentUpdated;
      expect(first).toMatchObject({
        id: pi,
        status: 'PROCESSING',
        amount: { amount: 12_34 },
        financialAccount: { id: a.accountId },
      });
      expect((await byId.next()).paymentIntentUpdated).toMatchObject({ id: pi, status: 'SUCCEEDED' });
      expect((await byCustomer.next()).paymentIntentUpdated.status).toBe('PROCESSING');
      expect((await byCustomer.next()).paymentIntentUpdated.status).toBe('SUCCEEDED');

      // A second payment, canceled: the customer-wide subscription's next message is its CANCELED, so no
      // duplicate of the first payment's transitions was pushed in between (webhook and poller both saw them).
      const second = await createPayment(56_78);
      const canceled = await gql(
        gw.graphqlUrl,
        'mutation($i: CancelPaymentIntentInput!) { cancelPaymentIntent(input: $i) { paymentIntent { status } } }',
        { i: { paymentIntentId: second } },
        { token: PARTNER_A.apiKey },
      );
      expect(canceled.errors).toBeUndefined();
      expect((await byCustomer.next()).paymentIntentUpdated).toMatchObject({
        id: second,
        status: 'CANCELED',
      });
      expect(byId.pending).toBe(0);
      byId.stop();
      byCustomer.stop();
    });

    it('should refuse another partner subscribing to the payment with NOT_FOUND', async () => {
      const pi = await createPayment(1_00);
      const sub = subscribe(client(PARTNER_B.apiKey), PAYMENTS, { paymentIntentId: pi });
      expect((await sub.refused()).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    });
  });
});
