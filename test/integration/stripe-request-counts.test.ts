// Exact Stripe request counts of representative queries: DataLoader batching, list priming, one fetch per object.
import { CustomerDashboardDocument, type CustomerModel } from '../generated/graphql';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
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
  ): Promise<{ result: T; requests: number; waves: number; paths: string[]; queries: string[] }> {
    const before = gw.stripeRequests();
    const wavesBefore = gw.stripeWaves();
    const logStart = sandbox.sandbox.requestLog.length;
    const result = await run();
    return {
      result,
      requests: gw.stripeRequests() - before,
      waves: gw.stripeWaves() - wavesBefore,
      paths: sandbox.sandbox.requestLog.slice(logStart).map((e) => `${e.method} ${e.path}`),
      queries: sandbox.sandbox.requestLog.slice(logStart).map((e) => e.query),
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
     * The minimum with `expand[]`:
     * - 1 accounts list (`account_holder[customer|customer_account]`) with `expand[]=data.ownership`
     *   (the selection reads owners) and, for a v1 customer, `expand[]=data.account_holder.customer`:
     *   it carries each account's balance, permissions and owners, and the customer whose metadata proves
     *   the tenancy — so a v1 customer costs no GET of its own. A v2 customer-configured Account is not
     *   expandable from an account (`customer_account` is an id): 1 GET, sent in the same wave as the list;
     * - N transactions lists (Stripe has no multi-account transactions call), all in the second wave.
     */
    it('should cost 1 accounts list (+1 v2 customer GET) and 1 transactions list per account, in 2 waves', async () => {
      const { customer, accountIds } = await linkedCustomer(setup, sandbox, token, model, {
        permissions: ALL_PERMISSIONS,
        prefetch: ALL_FEATURES,
      });
      const n = accountIds.length;
      expect(n).toBe(3); // Test (Non-OAuth): checking, savings, credit card
      const gw = await freshGateway();
      const { result, requests, waves, paths } = await cost(gw, () =>
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
      const customerGet = model === 'CUSTOMER' ? [] : [`GET /v2/core/accounts/${customer.id}`];
      expect(requests).toBe(customerGet.length + 1 + n);
      expect(paths.sort()).toEqual(
        [
          ...customerGet,
          'GET /v1/financial_connections/accounts',
          ...accountIds.map(() => 'GET /v1/financial_connections/transactions'),
        ].sort(),
      );
      expect(waves).toBe(2);
    });

    it('should keep what arrived embedded in the cross-request cache: a later read costs nothing', async () => {
      const { customer, accountIds } = await linkedCustomer(setup, sandbox, token, model, {
        permissions: ALL_PERMISSIONS,
        prefetch: ALL_FEATURES,
      });
      const gw = await freshGateway();
      ok(await gql(gw.graphqlUrl, CustomerDashboardDocument, { id: customer.id }, { token }));
      const later = await cost(gw, () =>
        gql(
          gw.graphqlUrl,
          `query($c: ID!, $a: ID!) { customer(id: $c) { id email }
            financialAccount(id: $a) { id accountHolder { customer { id } } ownership { created owners { nodes { name } } } } }`,
          { c: customer.id, a: accountIds[0] },
          { token },
        ),
      );
      ok(later.result);
      expect(later.paths).toEqual([]);
    });

    it('should return zero data to another partner, whatever the plan', async () => {
      const { customer, accountIds, sessionId } = await linkedCustomer(setup, sandbox, token, model, {
        permissions: ALL_PERMISSIONS,
        prefetch: ALL_FEATURES,
      });
      const gw = await freshGateway();
      const other = PARTNER_B.apiKey;
      const dashboard = await gql(
        gw.graphqlUrl,
        CustomerDashboardDocument,
        { id: customer.id },
        { token: other },
      );
      expect(dashboard.data?.customer ?? null).toBeNull();
      expect(dashboard.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      const reads = await gql(
        gw.graphqlUrl,
        `query($a: ID!, $s: ID!) {
          a: financialAccount(id: $a) { id ownership { created owners { nodes { name } } } }
          s: financialConnectionsSession(id: $s) { id accountHolder { customer { id email } } accounts { nodes { id } } }
        }`,
        { a: accountIds[0], s: sessionId },
        { token: other },
      );
      expect(reads.data).toEqual({ a: null, s: null });
      expect(reads.errors?.map((e) => e.extensions?.code).sort()).toEqual(['NOT_FOUND', 'NOT_FOUND']);
      // The owner's own view afterwards is complete: nothing the refused reads cached leaks or sticks.
      ok(await gql(gw.graphqlUrl, CustomerDashboardDocument, { id: customer.id }, { token }));
    });
  });

  it('should embed the holder customer and the owners in the one GET of a single account or session', async () => {
    const { customer, accountIds, sessionId } = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const gw = await freshGateway();
    const single = await cost(gw, () =>
      gql(
        gw.graphqlUrl,
        `query($a: ID!) { financialAccount(id: $a) { id last4 accountHolder { customer { id email } }
          ownership { id created owners(first: 10) { nodes { name } } } } }`,
        { a: accountIds[0] },
        { token },
      ),
    );
    const account = ok(single.result).financialAccount as {
      accountHolder: { customer: { id: string } };
      ownership: { owners: { nodes: unknown[] } };
    };
    expect(account.accountHolder.customer.id).toBe(customer.id);
    expect(account.ownership.owners.nodes.length).toBeGreaterThan(0);
    expect(single.paths).toEqual([`GET /v1/financial_connections/accounts/${accountIds[0]}`]);
    const session = await cost(gw, () =>
      gql(
        gw.graphqlUrl,
        `query($s: ID!) { financialConnectionsSession(id: $s) { id accountHolder { customer { id email } }
          accounts(first: 10) { nodes { id last4 } } } }`,
        { s: sessionId },
        { token },
      ),
    );
    ok(session.result);
    expect(session.paths).toEqual([`GET /v1/financial_connections/sessions/${sessionId}`]);
  });

  it('should plan through fragments and honour @include/@skip when looking ahead', async () => {
    const { customer, accountIds } = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const query = `query($c: ID!, $owners: Boolean!) {
      customer(id: $c) { id ...Accounts }
    }
    fragment Accounts on Customer { financialAccounts(first: 5) { edges { node { id ... on FinancialAccount { ...Owners } } } } }
    fragment Owners on FinancialAccount { ownership @include(if: $owners) { owners { nodes { name } } } }`;
    const withOwners = await freshGateway();
    const a = await cost(withOwners, () =>
      gql(withOwners.graphqlUrl, query, { c: customer.id, owners: true }, { token }),
    );
    ok(a.result);
    // The list (customer and owners embedded) only.
    expect(a.paths).toEqual(['GET /v1/financial_connections/accounts']);
    expect(a.queries[0]).toContain('=data.account_holder.customer');
    expect(a.queries[0]).toContain('=data.ownership');
    const withoutOwners = await freshGateway();
    const b = await cost(withoutOwners, () =>
      gql(withoutOwners.graphqlUrl, query, { c: customer.id, owners: false }, { token }),
    );
    ok(b.result);
    expect(b.paths).toEqual(['GET /v1/financial_connections/accounts']);
    expect(b.queries[0]).toContain('=data.account_holder.customer');
    expect(b.queries[0]).not.toContain('ownership');
    expect(accountIds.length).toBeGreaterThan(0);
  });

  it('should page owners with the owners endpoint when the embedded list is longer than the page', async () => {
    const { accountIds } = await linkedCustomer(setup, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
      institution: 'fcinst_ownership_accounts',
      accounts: ['joint_owners'],
    });
    const gw = await freshGateway();
    const { result, paths } = await cost(gw, () =>
      gql(
        gw.graphqlUrl,
        `query($a: ID!) { financialAccount(id: $a) {
          all: ownership { owners(first: 10) { nodes { name } } }
          one: ownership { owners(first: 1) { nodes { name } pageInfo { hasNextPage } } } } }`,
        { a: accountIds[0] },
        { token },
      ),
    );
    const fa = ok(result).financialAccount as {
      all: { owners: { nodes: unknown[] } };
      one: { owners: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } };
    };
    expect(fa.all.owners.nodes).toHaveLength(2);
    expect(fa.one.owners.nodes).toHaveLength(1);
    expect(fa.one.owners.pageInfo.hasNextPage).toBe(true);
    expect(paths.sort()).toEqual(
      [
        `GET /v1/financial_connections/accounts/${accountIds[0]}`,
        `GET /v1/financial_connections/accounts/${accountIds[0]}/owners`,
      ].sort(),
    );
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
    // One GET each: the account, its customer (asked by customer(id) in the same wave as the account, whose
    // holder customer then arrives embedded too), the transaction (whose account is the same one), the session.
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
    // The list embeds the customer: no customer GET.
    expect(requests).toBe(1 + accountIds.length);
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
    // account (customer and ownership with its owners embedded) + transactions(first:5) + transactions(first:3)
    expect(requests).toBe(3);
  });
  it('should embed the ownership in the account GET when Ownership.created is selected (and not otherwise)', async () => {
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
    expect(without.requests).toBe(1); // the account, its customer embedded
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
    expect(withCreated.requests).toBe(1); // the same GET with expand[]=ownership
    // Reached where no plan looks ahead (node(id:)), created still costs its own GET with expand[]=ownership.
    const gw3 = await freshGateway();
    const unplanned = await cost(gw3, () =>
      gql(
        gw3.graphqlUrl,
        `query($a: ID!) { node(id: $a) { ... on FinancialAccount { ownership { created } } } }`,
        { a: accountIds[0] },
        { token },
      ),
    );
    ok(unplanned.result);
    expect(unplanned.requests).toBe(2);
  });
});
