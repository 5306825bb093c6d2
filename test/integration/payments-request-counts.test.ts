// Exact Stripe request counts of the payment operations: tenancy checks reuse loaded objects, nothing is fetched twice.
import { CreatePaymentIntentDocument, type CustomerModel } from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { ALL_FEATURES, ALL_PERMISSIONS, linkedCustomer } from '../helpers/linking';

/**
 * As in stripe-request-counts.test.ts: each count is taken on a gateway with a cold read cache, and with a
 * webhook secret configured so it does not register itself with the sandbox (no background requests).
 */
describe('Stripe requests per payment operation', () => {
  let sandbox: StartedSandbox;
  let setup: StartedGateway;
  const token = PARTNER_A.apiKey;
  const fresh: StartedGateway[] = [];
  const quietEnv = () => ({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: 'whsec_paymentcounts' });

  async function freshGateway() {
    const gw = await startGateway(quietEnv());
    fresh.push(gw);
    return gw;
  }

  /** Runs one operation; returns what it cost upstream (counter, and the sandbox's own request log). */
  async function cost<T>(gw: StartedGateway, run: () => Promise<T>) {
    const before = gw.stripeRequests();
    const logStart = sandbox.sandbox.requestLog.length;
    const result = await run();
    return {
      result,
      requests: gw.stripeRequests() - before,
      paths: sandbox.sandbox.requestLog
        .slice(logStart)
        .map((e) => `${e.method} ${e.path.replace(/\/(cus|acct|fca|pi)_[A-Za-z0-9]+/g, '/$1_*')}`),
    };
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    setup = await startGateway(quietEnv());
  });
  afterAll(async () => {
    for (const gw of fresh) await gw.close();
    await setup?.close();
    await sandbox?.close();
  });

  describe.each<[CustomerModel, string]>([
    ['CUSTOMER', 'GET /v1/customers/cus_*'],
    ['ACCOUNT', 'GET /v2/core/accounts/acct_*'],
  ])('%s model', (model, customerGet) => {
    let customerId: string;
    let accountId: string;
    let piId: string;

    beforeAll(async () => {
      const linked = await linkedCustomer(setup, sandbox, token, model, {
        permissions: ALL_PERMISSIONS,
        prefetch: ALL_FEATURES,
        accounts: ['checking'],
      });
      customerId = linked.customer.id;
      accountId = linked.accountIds[0];
    });

    /**
     * Minimum 3: the customer (its metadata names the partner), the account (its holder, permission and
     * supported methods are checked before paying; the holder check reuses the loaded customer), the POST.
     */
    it('should cost 1 customer GET + 1 account GET + 1 POST to create a PaymentIntent', async () => {
      const gw = await freshGateway();
      const { result, requests, paths } = await cost(gw, () =>
        gql(
          gw.graphqlUrl,
          CreatePaymentIntentDocument,
          {
            input: {
              customerId,
              financialAccountId: accountId,
              amount: 1_500,
              currency: 'usd',
              billingName: 'Count Payer',
              idempotencyKey: `count-${model}`,
            },
          },
          { token },
        ),
      );
      const pi = ok(result).createPaymentIntent.paymentIntent;
      piId = pi.id;
      // The payload's customer and financialAccount come from the objects the checks already loaded.
      expect(pi).toMatchObject({ customer: { id: customerId }, financialAccount: { id: accountId } });
      expect(paths.sort()).toEqual(
        [customerGet, 'GET /v1/financial_connections/accounts/fca_*', 'POST /v1/payment_intents'].sort(),
      );
      expect(requests).toBe(3);
    });

    /**
     * Minimum: the intent (its payment method expanded in the same request names the linked account; a v1
     * customer is expanded too, for the tenancy check), the account (financialAccount), and for the v2 model
     * the customer-configured Account (not expandable). Aliases and node(id:) of the same intent cost nothing.
     */
    it('should cost 1 intent GET + 1 account GET (+1 v2 Account GET) for paymentIntent, however often selected', async () => {
      const gw = await freshGateway();
      const query = `query ($id: ID!) {
        a: paymentIntent(id: $id) { id status customer { id } financialAccount { id last4 } }
        b: paymentIntent(id: $id) { id amount { amount } customer { id email } financialAccount { id } }
        c: node(id: $id) { id ... on PaymentIntent { status } }
      }`;
      const { result, requests, paths } = await cost(gw, () =>
        gql(gw.graphqlUrl, query, { id: piId }, { token }),
      );
      const data = ok(result) as { a: { financialAccount: { id: string } }; c: { id: string } };
      expect(data.a.financialAccount.id).toBe(accountId);
      expect(data.c.id).toBe(piId);
      const expected = ['GET /v1/financial_connections/accounts/fca_*', 'GET /v1/payment_intents/pi_*'];
      if (model === 'ACCOUNT') expected.push(customerGet);
      expect(paths.sort()).toEqual(expected.sort());
      expect(requests).toBe(expected.length);
    });

    /** Minimum 2: the customer, then one list page; each intent's customer field reuses the loaded customer. */
    it("should cost 1 customer GET + 1 list for a customer's PaymentIntents, then nothing per intent", async () => {
      const gw = await freshGateway();
      const query = `query ($id: ID!) {
        customer(id: $id) { paymentIntents(first: 10) { nodes { id status customer { id } } } }
      }`;
      const { result, requests, paths } = await cost(gw, () =>
        gql(gw.graphqlUrl, query, { id: customerId }, { token }),
      );
      const data = ok(result) as { customer: { paymentIntents: { nodes: { id: string }[] } } };
      expect(data.customer.paymentIntents.nodes.map((n) => n.id)).toContain(piId);
      expect(paths.sort()).toEqual([customerGet, 'GET /v1/payment_intents'].sort());
      expect(requests).toBe(2);
    });
  });
});
