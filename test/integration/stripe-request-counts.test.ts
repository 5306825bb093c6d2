// Exact Stripe request counts of representative queries: DataLoader batching, list priming, one fetch per object.
import { CustomerDashboardDocument, type CustomerModel } from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql, ok } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { ALL_FEATURES, ALL_PERMISSIONS, linkedCustomer } from '../helpers/linking';

/**
 * Each count is taken on a gateway that has never read the objects involved: the gateway's cross-request
 * read cache would otherwise make repeated reads free, which is not what these tests measure.
 * The accounts are linked with prefetch (balance, ownership and transactions loaded at link time), so no
 * refresh is started and the gateway's refresh poller sends nothing while we count.
 */
describe('Stripe requests per query', () => {
  let sandbox: StartedSandbox;
  let setup: StartedGateway;
  const token = PARTNER_A.apiKey;
  const fresh: StartedGateway[] = [];

  /**
   * With a webhook secret configured the gateway does not register itself as a sandbox webhook endpoint,
   * so no event delivery (and nothing it might trigger) runs while requests are counted.
   */
  const quietEnv = () => ({ STRIPE_API_BASE: sandbox.url, STRIPE_WEBHOOK_SECRET: 'whsec_requestcounts' });

  /** A gateway with a cold cache and its own request counter. */
  async function freshGateway() {
    const gw = await startGateway(quietEnv());
    fresh.push(gw);
    return gw;
  }

  /** Runs one operation and returns the Stripe requests it cost (counted by the gateway's stripe client). */
  async function cost<T>(
    gw: StartedGateway,
    run: () => Promise<T>,
  ): Promise<{ result: T; requests: number; paths: string[] }> {
    const before = gw.stripeRequests();
    const logStart = sandbox.sandbox.requestLog.length;
    const result = await run();
    return {
      result,
      requests: gw.stripeRequests() - before,
      paths: sandbox.sandbox.requestLog.slice(logStart).map((e) => `${e.method} ${e.path}`),
    };
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ transactionsPerAccount: 25 });
    setup = await startGateway(quietEnv());
  });
  afterAll(async () => {
    for (const gw of fresh) await gw.close();
    await setup?.close();
    await sandbox?.close();
  });

  describe.each<[CustomerModel]>([['CUSTOMER'], ['ACCOUNT']])('customer dashboard (%s model)', (model) => {
    /**
     * The minimum is 2 + 2N for N accounts:
     * - 1 GET of the customer: the partner that owns it is recorded only in its Stripe metadata, and the
     *   gateway keeps no state, so ownership cannot be known without reading it. Every account's holder
     *   check then reuses this loaded customer (0 further requests);
     * - 1 accounts list (`account_holder[customer|customer_account]`): it also carries each account's
     *   balance and permissions, and primes the per-account loader;
     * - N owners lists (Stripe has no multi-account owners call) and N transactions lists (same).
     */
    it('should cost exactly 1 customer + 1 accounts list + 1 owners list and 1 transactions list per account', async () => {
      const { customer, accountIds } = await linkedCustomer(setup, sandbox, token, model, {
        permissions: ALL_PERMISSIONS,
        prefetch: ALL_FEATURES,
      });
      const n = accountIds.length;
      expect(n).toBe(3); // Test (Non-OAuth): checking, savings, credit card
      const gw = await freshGateway();
      const { result, requests, paths } = await cost(gw, () =>
        gql(gw.graphqlUrl, CustomerDashboardDocument, { id: customer.id }, { token }),
      );
      const data = ok(result);
      const accounts = data.customer!.financialAccounts.nodes;
      expect(accounts).toHaveLength(n);
      for (const a of accounts) {
        expect(a.balance).not.toBeNull();
        expect(a.ownership?.owners.nodes.length).toBeGreaterThan(0);
        expect(a.transactions.nodes).toHaveLength(10);
      }
      expect(requests).toBe(1 + 1 + n + n);
      expect(paths.sort()).toEqual(
        [
          model === 'CUSTOMER' ? `GET /v1/customers/${customer.id}` : `GET /v2/core/accounts/${customer.id}`,
          'GET /v1/financial_connections/accounts',
          ...accountIds.map((id) => `GET /v1/financial_connections/accounts/${id}/owners`),
          ...accountIds.map(() => 'GET /v1/financial_connections/transactions'),
        ].sort(),
      );
    });
  });

  it('should fetch each object once when it appears in several places of one query', async () => {
    const { customer, accountIds, sessionId } = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const [accountId] = accountIds;
    const txn = (
      await sandbox.stripe.financialConnections.transactions.list({ account: accountId, limit: 1 })
    ).data[0];
    const gw = await freshGateway();
    const query = `query Same($c: ID!, $a: ID!, $t: ID!, $s: ID!) {
      one: financialAccount(id: $a) { id balance { asOf } accountHolder { customer { id email } } }
      two: financialAccount(id: $a) { id status }
      three: node(id: $a) { id }
      txn: transaction(id: $t) { id account { id institutionName } }
      again: transaction(id: $t) { id }
      cust: customer(id: $c) { id name }
      viaNode: node(id: $c) { id }
      session: financialConnectionsSession(id: $s) { id accountHolder { customer { id } } }
    }`;
    const { result, requests, paths } = await cost(gw, () =>
      gql(gw.graphqlUrl, query, { c: customer.id, a: accountId, t: txn.id, s: sessionId }, { token }),
    );
    ok(result);
    // One GET each: the account, its customer, the transaction (whose account is the same one), the session.
    expect(paths.sort()).toEqual(
      [
        `GET /v1/customers/${customer.id}`,
        `GET /v1/financial_connections/accounts/${accountId}`,
        `GET /v1/financial_connections/sessions/${sessionId}`,
        `GET /v1/financial_connections/transactions/${txn.id}`,
      ].sort(),
    );
    expect(requests).toBe(4);
  });

  it('should serve an account from the primed loader after listing (no per-account GET)', async () => {
    const { customer, accountIds } = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const gw = await freshGateway();
    // Transaction.account re-loads each account by id: the list already primed them.
    const query = `query Primed($c: ID!) {
      customer(id: $c) {
        financialAccounts { nodes { id transactions(first: 2) { nodes { id account { id displayName } } } } }
      }
    }`;
    const { result, requests, paths } = await cost(gw, () =>
      gql(gw.graphqlUrl, query, { c: customer.id }, { token }),
    );
    ok(result);
    expect(paths.filter((p) => /accounts\/fca_[A-Za-z0-9]+$/.test(p))).toEqual([]);
    expect(requests).toBe(1 + 1 + accountIds.length);
  });

  it('should send the same transactions page once when selected twice with the same arguments', async () => {
    const { accountIds } = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const gw = await freshGateway();
    const query = `query Twice($a: ID!) {
      financialAccount(id: $a) {
        x: transactions(first: 5) { nodes { id } }
        y: transactions(first: 5) { nodes { amount { amount } } }
        z: transactions(first: 3) { nodes { id } }
        ownership { p: owners(first: 10) { nodes { id } } q: owners(first: 10) { nodes { name } } }
      }
    }`;
    const { result, requests } = await cost(gw, () =>
      gql(gw.graphqlUrl, query, { a: accountIds[0] }, { token }),
    );
    ok(result);
    // account + customer + transactions(first:5) + transactions(first:3) + owners(first:10)
    expect(requests).toBe(5);
  });
  it('should spend one extra GET (account with expand[]=ownership) only when Ownership.created is selected', async () => {
    const { accountIds } = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const gw = await freshGateway();
    const without = await cost(gw, () =>
      gql(
        gw.graphqlUrl,
        `query($a: ID!) { financialAccount(id: $a) { ownership { id } } }`,
        { a: accountIds[0] },
        { token },
      ),
    );
    ok(without.result);
    expect(without.requests).toBe(2); // account + customer
    const gw2 = await freshGateway();
    const withCreated = await cost(gw2, () =>
      gql(
        gw2.graphqlUrl,
        `query($a: ID!) { financialAccount(id: $a) { ownership { id created } } }`,
        { a: accountIds[0] },
        { token },
      ),
    );
    ok(withCreated.result);
    expect(withCreated.requests).toBe(3);
  });
});
