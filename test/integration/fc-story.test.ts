// The full Financial Connections story through GraphQL against the sandbox over HTTP, for both customer models.
import {
  CreateSessionDocument,
  CustomerAccountsDocument,
  CustomerDashboardDocument,
  DisconnectFinancialAccountDocument,
  GetAccountOwnersDocument,
  GetAccountTransactionsDocument,
  GetFinancialAccountBalanceDocument,
  GetNodeDocument,
  GetSessionDocument,
  GetTransactionDocument,
  ListCustomersDocument,
  RefreshFinancialAccountDocument,
  SubscribeFinancialAccountDocument,
  UnsubscribeFinancialAccountDocument,
  ViewerCustomerDocument,
  type CustomerModel,
} from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import {
  ALL_PERMISSIONS,
  completeSession,
  createCustomer,
  createSession,
  customerToken,
  ok,
  pollUntil,
} from './fc-story-helpers';

describe('Financial Connections through the gateway', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  const token = PARTNER_A.apiKey;

  beforeAll(async () => {
    sandbox = await startSandbox({ refreshDelayMs: 150, transactionsPerAccount: 30 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  describe.each<[CustomerModel, string]>([
    ['CUSTOMER', 'cus_'],
    ['ACCOUNT', 'acct_'],
  ])('for the %s model', (model, prefix) => {
    let customerId: string;
    let sessionId: string;
    let accountIds: string[];
    let checkingId: string;

    it('should create a customer tagged for the partner', async () => {
      const customer = await createCustomer(gw, token, model);
      expect(customer.id.startsWith(prefix)).toBe(true);
      expect(customer.model).toBe(model);
      expect(customer.livemode).toBe(false);
      customerId = customer.id;
      // The tag lives in Stripe itself (the gateway is stateless).
      const metadata =
        model === 'CUSTOMER'
          ? ((await sandbox.stripe.customers.retrieve(customerId)) as { metadata: Record<string, string> })
              .metadata
          : (await sandbox.stripe.v2.core.accounts.retrieve(customerId)).metadata;
      expect(metadata).toEqual(expect.objectContaining({ gateway_partner_id: PARTNER_A.partnerId }));
    });

    it('should create a session with all four permissions and return clientSecret only in the payload', async () => {
      const created = await createSession(gw, token, customerId, ALL_PERMISSIONS);
      expect(created.clientSecret).toMatch(/_secret_/);
      expect(created.session.permissions.sort()).toEqual([...ALL_PERMISSIONS].sort());
      expect(created.session.accountHolder.type).toBe('CUSTOMER');
      expect(created.session.accountHolder.customer).toEqual({ id: customerId, model });
      expect(created.session.accounts.nodes).toEqual([]);
      sessionId = created.session.id;
      expect(gw.logs.join('\n')).not.toContain(created.clientSecret);
    });

    it('should show the linked accounts on the session after the sandbox helper completes it', async () => {
      const completed = await completeSession(sandbox, sessionId);
      accountIds = completed.accounts.data.map((a) => a.id);
      expect(accountIds.length).toBeGreaterThan(0);
      const r = ok(await gql(gw.graphqlUrl, GetSessionDocument, { id: sessionId }, { token }));
      const s = r.financialConnectionsSession!;
      expect(s.accounts.nodes.map((a) => a.id).sort()).toEqual([...accountIds].sort());
      expect(s.accounts.nodes.every((a) => a.accountHolder?.customer?.id === customerId)).toBe(true);
      expect(JSON.stringify(r)).not.toMatch(/_secret_/);
    });

    it('should page the session accounts with first/after', async () => {
      const first = ok(await gql(gw.graphqlUrl, GetSessionDocument, { id: sessionId, first: 1 }, { token }));
      const page1 = first.financialConnectionsSession!.accounts;
      expect(page1.nodes).toHaveLength(1);
      expect(page1.pageInfo.hasNextPage).toBe(accountIds.length > 1);
      const second = ok(
        await gql(
          gw.graphqlUrl,
          GetSessionDocument,
          { id: sessionId, first: 1, after: page1.pageInfo.endCursor },
          { token },
        ),
      );
      const page2 = second.financialConnectionsSession!.accounts;
      expect(page2.nodes).toHaveLength(Math.min(1, accountIds.length - 1));
      expect(page2.nodes[0]?.id).not.toBe(page1.nodes[0].id);
    });

    it('should answer the dashboard: every account with balance (null before a refresh), owners and transactions', async () => {
      const r = ok(await gql(gw.graphqlUrl, CustomerDashboardDocument, { id: customerId }, { token }));
      const accounts = r.customer!.financialAccounts.nodes;
      expect(accounts.map((a) => a.id).sort()).toEqual([...accountIds].sort());
      for (const a of accounts) {
        expect(a.permissions.sort()).toEqual([...ALL_PERMISSIONS].sort());
        expect(a.status).toBe('ACTIVE');
        // No prefetch and no refresh yet: Stripe has no balance, ownership or transactions to give.
        expect(a.balance).toBeNull();
        expect(a.balanceRefresh).toBeNull();
        expect(a.ownership).toBeNull();
        expect(a.transactions.nodes).toEqual([]);
      }
      const checking = accounts.find(
        (a) => a.subcategory === 'CHECKING' && a.supportedPaymentMethodTypes.includes('us_bank_account'),
      );
      expect(checking).toBeDefined();
      checkingId = checking!.id;
    });

    it('should refresh balance, ownership and transactions and see each reach SUCCEEDED', async () => {
      const started = ok(
        await gql(
          gw.graphqlUrl,
          RefreshFinancialAccountDocument,
          { input: { accountId: checkingId, features: ['BALANCE', 'OWNERSHIP', 'TRANSACTIONS'] } },
          { token },
        ),
      );
      expect(started.refreshFinancialAccount.financialAccount.balanceRefresh?.status).toBe('PENDING');
      expect(started.refreshFinancialAccount.financialAccount.ownershipRefresh?.status).toBe('PENDING');
      expect(started.refreshFinancialAccount.financialAccount.transactionRefresh?.status).toBe('PENDING');
      const done = await pollUntil(
        async () =>
          ok(await gql(gw.graphqlUrl, GetFinancialAccountBalanceDocument, { id: checkingId }, { token })),
        (d) => d.financialAccount?.balanceRefresh?.status === 'SUCCEEDED',
      );
      const balance = done.financialAccount!.balance!;
      expect(balance.type).toBe('CASH');
      expect(balance.current.length).toBeGreaterThan(0);
      expect(balance.current[0].currency).toBe('usd');
      expect(Number.isInteger(balance.current[0].amount)).toBe(true);
      expect(balance.cashAvailable).not.toBeNull();
      expect(balance.creditUsed).toBeNull();
    });

    it('should read owners once the ownership refresh succeeded', async () => {
      const r = await pollUntil(
        async () =>
          ok(await gql(gw.graphqlUrl, GetAccountOwnersDocument, { id: checkingId, first: 10 }, { token })),
        (d) => d.financialAccount?.ownershipRefresh?.status === 'SUCCEEDED',
      );
      const ownership = r.financialAccount!.ownership!;
      expect(ownership.id).toMatch(/^fcaowns_/);
      expect(typeof ownership.created).toBe('string');
      expect(ownership.owners.nodes.length).toBeGreaterThan(0);
      expect(ownership.owners.nodes[0].id).toMatch(/^fcaown_/);
      expect(ownership.owners.nodes[0].name.length).toBeGreaterThan(0);
    });

    it('should page transactions with first/after, following pageInfo until the end', async () => {
      await pollUntil(
        async () =>
          ok(
            await gql(gw.graphqlUrl, GetAccountTransactionsDocument, { id: checkingId, first: 1 }, { token }),
          ),
        (d) => d.financialAccount?.transactionRefresh?.status === 'SUCCEEDED',
      );
      const seen: string[] = [];
      let after: string | null | undefined;
      let pages = 0;
      for (;;) {
        const r = ok(
          await gql(
            gw.graphqlUrl,
            GetAccountTransactionsDocument,
            { id: checkingId, first: 7, after },
            { token },
          ),
        );
        const conn = r.financialAccount!.transactions;
        expect(conn.nodes.length).toBeLessThanOrEqual(7);
        expect(conn.edges.map((e) => e.cursor)).toEqual(conn.nodes.map((n) => n.id));
        seen.push(...conn.nodes.map((n) => n.id));
        pages++;
        if (!conn.pageInfo.hasNextPage) break;
        expect(conn.nodes).toHaveLength(7);
        after = conn.pageInfo.endCursor;
      }
      expect(seen.length).toBe(30);
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBe(Math.ceil(30 / 7));
    });

    it('should filter transactions by status and by a transactedAt range', async () => {
      const all = ok(
        await gql(gw.graphqlUrl, GetAccountTransactionsDocument, { id: checkingId, first: 100 }, { token }),
      ).financialAccount!.transactions.nodes;
      const posted = ok(
        await gql(
          gw.graphqlUrl,
          GetAccountTransactionsDocument,
          { id: checkingId, first: 100, status: 'POSTED' },
          { token },
        ),
      ).financialAccount!.transactions.nodes;
      expect(posted.map((t) => t.id)).toEqual(all.filter((t) => t.status === 'POSTED').map((t) => t.id));
      const times = all.map((t) => Date.parse(t.transactedAt)).sort((a, b) => a - b);
      const lo = times[Math.floor(times.length / 4)];
      const hi = times[Math.floor((3 * times.length) / 4)];
      const ranged = ok(
        await gql(
          gw.graphqlUrl,
          GetAccountTransactionsDocument,
          {
            id: checkingId,
            first: 100,
            transactedAfter: new Date(lo).toISOString(),
            transactedBefore: new Date(hi).toISOString(),
          },
          { token },
        ),
      ).financialAccount!.transactions.nodes;
      const expected = all.filter((t) => Date.parse(t.transactedAt) > lo && Date.parse(t.transactedAt) < hi);
      expect(ranged.map((t) => t.id)).toEqual(expected.map((t) => t.id));
      expect(ranged.length).toBeGreaterThan(0);
    });

    it('should read one transaction and its account, and resolve ids through node()', async () => {
      const txns = ok(
        await gql(gw.graphqlUrl, GetAccountTransactionsDocument, { id: checkingId, first: 1 }, { token }),
      );
      const txnId = txns.financialAccount!.transactions.nodes[0].id;
      const t = ok(await gql(gw.graphqlUrl, GetTransactionDocument, { id: txnId }, { token })).transaction!;
      expect(t.account.id).toBe(checkingId);
      expect(t.transactionRefresh).toMatch(/^fctxnref_/);
      for (const [id, typename] of [
        [customerId, 'Customer'],
        [checkingId, 'FinancialAccount'],
        [sessionId, 'FinancialConnectionsSession'],
        [txnId, 'Transaction'],
      ]) {
        const n = ok(await gql(gw.graphqlUrl, GetNodeDocument, { id }, { token })).node!;
        expect(n).toEqual(expect.objectContaining({ __typename: typename, id }));
      }
    });

    it('should subscribe and unsubscribe the account to daily transaction refreshes', async () => {
      const sub = ok(
        await gql(
          gw.graphqlUrl,
          SubscribeFinancialAccountDocument,
          { input: { accountId: checkingId, features: ['TRANSACTIONS'] } },
          { token },
        ),
      );
      expect(sub.subscribeFinancialAccount.financialAccount.subscriptions).toEqual(['TRANSACTIONS']);
      const unsub = ok(
        await gql(
          gw.graphqlUrl,
          UnsubscribeFinancialAccountDocument,
          { input: { accountId: checkingId, features: ['TRANSACTIONS'] } },
          { token },
        ),
      );
      expect(unsub.unsubscribeFinancialAccount.financialAccount.subscriptions).toEqual([]);
    });

    it('should default features to [TRANSACTIONS] when the input literal omits them', async () => {
      const r = ok(
        await gql<{ subscribeFinancialAccount: { financialAccount: { subscriptions: string[] } } }>(
          gw.graphqlUrl,
          `mutation { subscribeFinancialAccount(input: { accountId: "${checkingId}" }) { financialAccount { subscriptions } } }`,
          {},
          { token },
        ),
      );
      expect(r.subscribeFinancialAccount.financialAccount.subscriptions).toEqual(['TRANSACTIONS']);
    });

    it('should default features to [TRANSACTIONS] when the input variable omits them', async () => {
      const r = await gql(
        gw.graphqlUrl,
        UnsubscribeFinancialAccountDocument,
        { input: { accountId: checkingId } },
        { token },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data?.unsubscribeFinancialAccount.financialAccount.subscriptions).toEqual([]);
    });

    it('should let the end user see their one customer through viewer with a customer token', async () => {
      const endUser = await customerToken(gw, token, customerId);
      const r = ok(await gql(gw.graphqlUrl, ViewerCustomerDocument, {}, { token: endUser }));
      expect(r.viewer).toEqual({
        kind: 'CUSTOMER',
        partnerId: PARTNER_A.partnerId,
        customer: { id: customerId, model, email: expect.any(String) },
      });
      const dash = ok(
        await gql(gw.graphqlUrl, CustomerDashboardDocument, { id: customerId }, { token: endUser }),
      );
      expect(dash.customer!.financialAccounts.nodes.map((a) => a.id).sort()).toEqual([...accountIds].sort());
    });
  });

  describe('session filters and prefetch', () => {
    it('should pass account subcategory filters and prefetch to Stripe', async () => {
      const customer = await createCustomer(gw, token, 'CUSTOMER');
      const r = ok(
        await gql(
          gw.graphqlUrl,
          CreateSessionDocument,
          {
            input: {
              customerId: customer.id,
              permissions: ['BALANCES', 'TRANSACTIONS'],
              prefetch: ['BALANCE'],
              filters: { countries: ['us'], accountSubcategories: ['CHECKING'] },
            },
          },
          { token },
        ),
      );
      expect(r.createFinancialConnectionsSession.session.prefetch).toEqual(['BALANCE']);
      const stripeSession = await sandbox.stripe.financialConnections.sessions.retrieve(
        r.createFinancialConnectionsSession.session.id,
      );
      expect(stripeSession.filters).toEqual(
        expect.objectContaining({ countries: ['US'], account_subcategories: ['checking'] }),
      );
      const done = await completeSession(sandbox, stripeSession.id);
      const dash = ok(await gql(gw.graphqlUrl, CustomerAccountsDocument, { id: customer.id }, { token }));
      expect(dash.customer!.financialAccounts.nodes.map((a) => a.id)).toEqual(
        done.accounts.data.map((a) => a.id),
      );
      const balance = ok(
        await gql(
          gw.graphqlUrl,
          GetFinancialAccountBalanceDocument,
          { id: done.accounts.data[0].id },
          { token },
        ),
      );
      // Prefetched at link time: the balance is there without a refresh.
      expect(balance.financialAccount!.balanceRefresh?.status).toBe('SUCCEEDED');
      expect(balance.financialAccount!.balance).not.toBeNull();
    });

    it('should filter a customer’s accounts by status', async () => {
      const customer = await createCustomer(gw, token, 'CUSTOMER');
      const { session } = await createSession(gw, token, customer.id, ['BALANCES']);
      const done = await completeSession(sandbox, session.id);
      const gone = done.accounts.data[0].id;
      ok(
        await gql(
          gw.graphqlUrl,
          DisconnectFinancialAccountDocument,
          { input: { accountId: gone } },
          { token },
        ),
      );
      const active = ok(
        await gql(gw.graphqlUrl, CustomerAccountsDocument, { id: customer.id, status: 'ACTIVE' }, { token }),
      );
      expect(active.customer!.financialAccounts.nodes.map((a) => a.id).sort()).toEqual(
        done.accounts.data
          .map((a) => a.id)
          .filter((id) => id !== gone)
          .sort(),
      );
      const disconnected = ok(
        await gql(
          gw.graphqlUrl,
          CustomerAccountsDocument,
          { id: customer.id, status: 'DISCONNECTED', first: 1 },
          { token },
        ),
      );
      expect(disconnected.customer!.financialAccounts.nodes).toEqual([{ id: gone, status: 'DISCONNECTED' }]);
      expect(disconnected.customer!.financialAccounts.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe('customers (search)', () => {
    it("should list only the partner's own v1 customers, newest first, filtered by email", async () => {
      const a = await createCustomer(gw, token, 'CUSTOMER');
      const b = await createCustomer(gw, token, 'CUSTOMER');
      const r = ok(await gql(gw.graphqlUrl, ListCustomersDocument, { first: 100 }, { token }));
      const ids = r.customers.nodes.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
      expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
      expect(r.customers.nodes.every((c) => c.model === 'CUSTOMER')).toBe(true);
      const one = ok(await gql(gw.graphqlUrl, ListCustomersDocument, { email: a.email }, { token }));
      expect(one.customers.nodes.map((c) => c.id)).toEqual([a.id]);
    });

    it('should page customers with first/after', async () => {
      const page1 = ok(await gql(gw.graphqlUrl, ListCustomersDocument, { first: 1 }, { token })).customers;
      expect(page1.nodes).toHaveLength(1);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = ok(
        await gql(
          gw.graphqlUrl,
          ListCustomersDocument,
          { first: 1, after: page1.pageInfo.endCursor },
          { token },
        ),
      ).customers;
      expect(page2.nodes).toHaveLength(1);
      expect(page2.nodes[0].id).not.toBe(page1.nodes[0].id);
    });
  });
});
