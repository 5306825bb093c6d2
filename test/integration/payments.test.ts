// ACH payments end to end through GraphQL against the sandbox over HTTP, for both customer models:
// link an account, create (retried: one PaymentIntent), confirm with the request's mandate, settle, fail, cancel, SetupIntent.
import {
  CancelPaymentIntentDocument,
  ConfirmPaymentIntentDocument,
  CreatePaymentIntentDocument,
  CreateSetupIntentDocument,
  CustomerPaymentIntentsDocument,
  PaymentIntentDocument,
  PaymentIntentStatusDocument,
  PaymentNodeDocument,
  SetupIntentDocument,
  type CustomerModel,
  type PaymentIntentStatus,
} from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { linkedCustomer } from '../helpers/linking';
import { subscribed, wsClient } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

const USER_AGENT = 'PaymentsIntegrationTest/1.0 (jest; +https://example.test)';

describe('payments (ACH from linked accounts)', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 150, refreshDelayMs: 20 });
    gw = await startGateway({ STRIPE_API_BASE: sb.url, STRIPE_SECRET_KEY: sb.secretKey });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  /** One GraphQL request as partner A, from a browser-like client with a known user agent. */
  const asA = <TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars) =>
    gql(gw.graphqlUrl, doc, variables, { token: PARTNER_A.apiKey, headers: { 'user-agent': USER_AGENT } });

  const intentsOf = (customerId: string) =>
    sb.sandbox.store.paymentIntents
      .newestFirst()
      .filter((pi) => pi.customer === customerId || pi.customer_account === customerId);

  const postsTo = (path: string) =>
    sb.sandbox.requestLog.filter((r) => r.method === 'POST' && r.path === path);

  /**
   * Follows paymentIntentUpdated(paymentIntentId: id) as partner A, from before the payment is confirmed.
   * The gateway forgets its cached copy of a payment before it pushes a new status, so a read after a
   * push shows at least that status.
   */
  async function followPayment(id: string) {
    const client = wsClient(gw, PARTNER_A.apiKey);
    const updates = await subscribed<{ paymentIntentUpdated: { id: string; status: PaymentIntentStatus } }>(
      gw,
      client,
      'subscription($id: ID) { paymentIntentUpdated(paymentIntentId: $id) { id status } }',
      { id },
    );
    return {
      /** Every status pushed, up to and including `target`. */
      async until(target: PaymentIntentStatus): Promise<PaymentIntentStatus[]> {
        try {
          const pushed = await updates.until((m) => m.paymentIntentUpdated.status === target);
          expect(pushed.every((m) => m.paymentIntentUpdated.id === id)).toBe(true);
          return pushed.map((m) => m.paymentIntentUpdated.status);
        } finally {
          updates.stop();
          await client.dispose();
        }
      },
    };
  }

  describe.each<[CustomerModel]>([['CUSTOMER'], ['ACCOUNT']])('for a %s customer', (model) => {
    let customerId: string;
    let checking: string;
    let failing: string;

    beforeAll(async () => {
      const linked = await linkedCustomer(gw, sb, PARTNER_A.apiKey, model, {
        accounts: ['checking', 'insufficient_funds'],
      });
      customerId = linked.customerId;
      checking = linked.accounts['Checking'];
      failing = linked.accounts['Insufficient Funds'];
      expect(checking).toMatch(/^fca_/);
      expect(failing).toMatch(/^fca_/);
    });

    it('should create exactly one PaymentIntent when the mutation is sent three times with one idempotency key', async () => {
      const idempotencyKey = `order-1001-${model}`;
      const input = {
        customerId,
        financialAccountId: checking,
        amount: 12_345,
        currency: 'usd',
        billingName: 'Jenny Payer',
        description: 'Order 1001',
        idempotencyKey,
      };
      const before = postsTo('/v1/payment_intents').length;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const pi = ok(await asA(CreatePaymentIntentDocument, { input })).createPaymentIntent.paymentIntent;
        ids.push(pi.id);
        expect(pi).toMatchObject({
          status: 'REQUIRES_CONFIRMATION',
          amount: { amount: 12_345, currency: 'usd' },
          paymentMethodTypes: ['us_bank_account'],
          description: 'Order 1001',
          lastPaymentError: null,
          livemode: false,
          customer: { id: customerId, model },
          financialAccount: { id: checking },
        });
      }
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toMatch(/^pi_/);
      expect(intentsOf(customerId).map((pi) => pi.id)).toEqual([ids[0]]);

      // Stripe saw three POSTs with one Idempotency-Key: the first ran, the two retries were replays.
      const posts = postsTo('/v1/payment_intents').slice(before);
      expect(posts).toHaveLength(3);
      expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
      expect(posts.map((p) => p.replayed)).toEqual([false, true, true]);
      // The client's key is scoped to the caller before it reaches Stripe (never sent verbatim).
      expect(posts[0].idempotencyKey).not.toContain(idempotencyKey);
    });

    it('should create exactly one PaymentIntent when three retries with one key arrive at once', async () => {
      const input = {
        customerId,
        financialAccountId: checking,
        amount: 4_200,
        currency: 'usd',
        billingName: 'Jenny Payer',
        idempotencyKey: `order-1002-${model}`,
      };
      const count = intentsOf(customerId).length;
      const results = await Promise.all([0, 1, 2].map(() => asA(CreatePaymentIntentDocument, { input })));
      const ids = results.map((r) => ok(r).createPaymentIntent.paymentIntent.id);
      expect(new Set(ids).size).toBe(1);
      expect(intentsOf(customerId)).toHaveLength(count + 1);
    });

    it('should answer IDEMPOTENCY_CONFLICT when one idempotency key is reused with another amount', async () => {
      const input = {
        customerId,
        financialAccountId: checking,
        amount: 5_000,
        currency: 'usd',
        billingName: 'Jenny Payer',
        idempotencyKey: `order-2002-${model}`,
      };
      const first = ok(await asA(CreatePaymentIntentDocument, { input })).createPaymentIntent.paymentIntent;
      const count = intentsOf(customerId).length;
      const conflict = await asA(CreatePaymentIntentDocument, { input: { ...input, amount: 5_001 } });
      expect(errorCodes(conflict)).toEqual(['IDEMPOTENCY_CONFLICT']);
      expect(conflict.data).toBeNull();
      expect(intentsOf(customerId)).toHaveLength(count);
      expect(sb.sandbox.store.paymentIntents.get(first.id)!.amount).toBe(5_000);
    });

    it('should confirm with a mandate carrying the HTTP client IP and user agent, then reach SUCCEEDED', async () => {
      const created = ok(
        await asA(CreatePaymentIntentDocument, {
          input: {
            customerId,
            financialAccountId: checking,
            amount: 2_500,
            currency: 'usd',
            billingName: 'Jenny Payer',
            idempotencyKey: `order-3003-${model}`,
          },
        }),
      ).createPaymentIntent.paymentIntent;
      // Accepted now: never before the payment was created (services/domain/payment-intents.service.ts).
      const acceptedAt = new Date();
      acceptedAt.setMilliseconds(0);
      const updates = await followPayment(created.id);

      const confirmed = ok(
        await asA(ConfirmPaymentIntentDocument, {
          input: { paymentIntentId: created.id, mandateAcceptedAt: acceptedAt.toISOString() },
        }),
      ).confirmPaymentIntent.paymentIntent;
      expect(confirmed.id).toBe(created.id);
      expect(confirmed.status).toBe('PROCESSING');

      const stored = sb.sandbox.store.paymentIntents.get(created.id)!;
      const mandate = sb.sandbox.store.mandates
        .newestFirst()
        .find((m) => m.payment_method === stored.payment_method);
      expect(mandate).toMatchObject({
        customer_acceptance: {
          type: 'online',
          accepted_at: Math.floor(acceptedAt.getTime() / 1000),
          online: { ip_address: '127.0.0.1', user_agent: USER_AGENT },
        },
      });

      const pushed = await updates.until('SUCCEEDED');
      expect(pushed.every((s) => s === 'PROCESSING' || s === 'SUCCEEDED')).toBe(true);
      expect(sb.sandbox.events().map((e) => [e.type, (e.data.object as { id?: string }).id])).toContainEqual([
        'payment_intent.succeeded',
        created.id,
      ]);

      const full = ok(await asA(PaymentIntentDocument, { id: created.id })).paymentIntent!;
      expect(full).toMatchObject({
        status: 'SUCCEEDED',
        lastPaymentError: null,
        financialAccount: { id: checking },
        customer: { id: customerId },
      });
    });

    it('should end in REQUIRES_PAYMENT_METHOD with lastPaymentError when the account has insufficient funds', async () => {
      const created = ok(
        await asA(CreatePaymentIntentDocument, {
          input: {
            customerId,
            financialAccountId: failing,
            amount: 900_000,
            currency: 'usd',
            billingName: 'Jenny Payer',
            idempotencyKey: `order-4004-${model}`,
          },
        }),
      ).createPaymentIntent.paymentIntent;
      const updates = await followPayment(created.id);
      const confirmed = ok(
        await asA(ConfirmPaymentIntentDocument, { input: { paymentIntentId: created.id } }),
      ).confirmPaymentIntent.paymentIntent;
      expect(confirmed.status).toBe('PROCESSING');

      const pushed = await updates.until('REQUIRES_PAYMENT_METHOD');
      expect(pushed.every((s) => s === 'PROCESSING' || s === 'REQUIRES_PAYMENT_METHOD')).toBe(true);
      expect(sb.sandbox.events().map((e) => [e.type, (e.data.object as { id?: string }).id])).toContainEqual([
        'payment_intent.payment_failed',
        created.id,
      ]);
      const paymentIntent = ok(await asA(PaymentIntentStatusDocument, { id: created.id })).paymentIntent!;
      expect(paymentIntent.status).toBe('REQUIRES_PAYMENT_METHOD');
      expect(paymentIntent.lastPaymentError).toEqual({
        code: 'insufficient_funds',
        declineCode: null,
        message: expect.stringMatching(/insufficient funds/i),
      });
      // The failed debit detached its payment method; the account paid from is still reported.
      const full = ok(await asA(PaymentIntentDocument, { id: created.id })).paymentIntent!;
      expect(full).toMatchObject({ status: 'REQUIRES_PAYMENT_METHOD', financialAccount: { id: failing } });
    });

    it('should cancel a PaymentIntent that was not confirmed', async () => {
      const created = ok(
        await asA(CreatePaymentIntentDocument, {
          input: {
            customerId,
            financialAccountId: checking,
            amount: 700,
            currency: 'usd',
            billingName: 'Jenny Payer',
            idempotencyKey: `order-5005-${model}`,
          },
        }),
      ).createPaymentIntent.paymentIntent;
      const canceled = ok(await asA(CancelPaymentIntentDocument, { input: { paymentIntentId: created.id } }))
        .cancelPaymentIntent.paymentIntent;
      expect(canceled).toMatchObject({ id: created.id, status: 'CANCELED' });
      expect(sb.sandbox.store.paymentIntents.get(created.id)!.status).toBe('canceled');

      // Canceling again is Stripe's invalid request (unexpected state), mapped to BAD_USER_INPUT.
      const again = await asA(CancelPaymentIntentDocument, { input: { paymentIntentId: created.id } });
      expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    });

    it("should list the customer's PaymentIntents newest first, paginated, and resolve them through node(id:)", async () => {
      for (const n of [1, 2, 3]) {
        const input = {
          customerId,
          financialAccountId: checking,
          amount: 100 * n,
          currency: 'usd',
          billingName: 'Jenny Payer',
          idempotencyKey: `order-600${n}-${model}`,
        };
        ok(await asA(CreatePaymentIntentDocument, { input }));
      }
      const expected = intentsOf(customerId).map((pi) => pi.id);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const page1 = ok(await asA(CustomerPaymentIntentsDocument, { customerId, first: 2 })).customer!
        .paymentIntents;
      expect(page1.nodes.map((n) => n.id)).toEqual(expected.slice(0, 2));
      expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: expected[1] });
      const page2 = ok(
        await asA(CustomerPaymentIntentsDocument, {
          customerId,
          first: 100,
          after: page1.pageInfo.endCursor,
        }),
      ).customer!.paymentIntents;
      expect(page2.nodes.map((n) => n.id)).toEqual(expected.slice(2));
      expect(page2.pageInfo.hasNextPage).toBe(false);

      const node = ok(await asA(PaymentNodeDocument, { id: expected[0] })).node;
      expect(node).toMatchObject({ __typename: 'PaymentIntent', id: expected[0] });
    });

    it('should save the account for future debits with a SetupIntent confirmed with the mandate, once per key', async () => {
      const input = {
        customerId,
        financialAccountId: checking,
        billingName: 'Jenny Payer',
        idempotencyKey: `save-account-${model}`,
      };
      const first = ok(await asA(CreateSetupIntentDocument, { input })).createSetupIntent.setupIntent;
      const retried = ok(await asA(CreateSetupIntentDocument, { input })).createSetupIntent.setupIntent;
      expect(retried.id).toBe(first.id);
      expect(first).toMatchObject({
        status: 'SUCCEEDED',
        livemode: false,
        customer: { id: customerId, model },
        financialAccount: { id: checking },
      });
      const stored = sb.sandbox.store.setupIntents.get(first.id)!;
      const mandate = sb.sandbox.store.mandates
        .newestFirst()
        .find((m) => m.payment_method === stored.payment_method);
      expect(mandate).toMatchObject({
        customer_acceptance: { type: 'online', online: { ip_address: '127.0.0.1', user_agent: USER_AGENT } },
      });

      const read = ok(await asA(SetupIntentDocument, { id: first.id })).setupIntent;
      expect(read).toEqual(first);
      const node = ok(await asA(PaymentNodeDocument, { id: first.id })).node;
      expect(node).toMatchObject({ __typename: 'SetupIntent', id: first.id, setupStatus: 'SUCCEEDED' });
    });
  });

  it('should never have logged a client secret, the Stripe key or a bearer credential', () => {
    // Runs last: intents carry a client_secret upstream, which the gateway strips before caching or logging.
    expect(gw.logs.length).toBeGreaterThan(0);
    expect(gw.logs.filter((line) => /_secret_|sk_test_|Bearer /.test(line))).toEqual([]);
  });
});
