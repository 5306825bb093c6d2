// The full Financial Connections story through GraphQL against the sandbox over HTTP, for both customer models.
// Every test sets up what it reads (beforeAll fixtures per group), so any one of them runs alone with -t.
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
import { gql, ok } from '../helpers/gql';
import {
  ALL_FEATURES,
  ALL_PERMISSIONS,
  completeSession,
  createCustomer,
  createSession,
  customerToken,
  linkedCustomer,
  type LinkedCustomer,
} from '../helpers/linking';
import { REFRESHED, subscribed, wsClient, type Refreshed } from '../helpers/live';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

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
    it('should create a customer tagged for the partner', async () => {
      const customer = await createCustomer(gw, token, model);
      expect(customer.id.startsWith(prefix)).toBe(true);
      expect(customer.model).toBe(model);
      expect(customer.livemode).toBe(false);
      // The tag lives in Stripe itself (the gateway is stateless).
      const metadata =
        model === 'CUSTOMER'
          ? ((await sandbox.stripe.customers.retrieve(customer.id)) as { metadata: Record<string, string> })
              .metadata
          : (await sandbox.stripe.v2.core.accounts.retrieve(customer.id)).metadata;
      expect(metadata).toEqual(expect.objectContaining({ gateway_partner_id: PARTNER_A.partnerId }));
    });

    it('should create a session with all four permissions and return clientSecret only in the payload', async () => {
      const customer = await createCustomer(gw, token, model);
      const created = await createSession(gw, token, customer.id, ALL_PERMISSIONS);
      expect(created.clientSecret).toMatch(/_secret_/);
      expect(created.session.permissions.sort()).toEqual([...ALL_PERMISSIONS].sort());
      expect(created.session.accountHolder.type).toBe('CUSTOMER');
      expect(created.session.accountHolder.customer).toEqual({ id: customer.id, model });
      expect(created.session.accounts.nodes).toEqual([]);
      expect(gw.logs.join('\n')).not.toContain(created.clientSecret);
    });

    describe('once the end user linked the default institution (checking, savings, credit card)', () => {
      let linked: LinkedCustomer;
      beforeAll(async () => {
        linked = await linkedCustomer(gw, sandbox, token, model);
      });

      it('should show the linked accounts on the session', async () => {
        expect(linked.accountIds).toHaveLength(3);
        const r = ok(await gql(gw.graphqlUrl, GetSessionDocument, { id: linked.sessionId }, { token }));
        const s = r.financialConnectionsSession!;
        expect(s.accounts.nodes.map((a) => a.id).sort()).toEqual([...linked.accountIds].sort());
        expect(s.accounts.nodes.every((a) => a.accountHolder?.customer?.id === linked.customerId)).toBe(true);
        expect(JSON.stringify(r)).not.toMatch(/_secret_/);
      });

      it('should page the session accounts one by one with first/after, each account exactly once', async () => {
        // Pages follow Stripe's list endpoint (newest first), which may order them unlike the session's
        // embedded list that an unpaged read returns (src/resolvers/session.resolver.ts).
        const listed = (
          await sandbox.stripe.financialConnections.accounts.list({ session: linked.sessionId })
        ).data.map((a) => a.id);
        expect([...listed].sort()).toEqual([...linked.accountIds].sort());
        const pages: string[][] = [];
        const more: boolean[] = [];
        let after: string | null | undefined;
        do {
          const page = ok(
            await gql(
              gw.graphqlUrl,
              GetSessionDocument,
              { id: linked.sessionId, first: 1, after },
              { token },
            ),
          ).financialConnectionsSession!.accounts;
          pages.push(page.nodes.map((a) => a.id));
          more.push(page.pageInfo.hasNextPage);
          after = page.pageInfo.endCursor;
        } while (more[more.length - 1] && pages.length <= listed.length);
        expect(pages).toEqual(listed.map((id) => [id]));
        expect(more).toEqual([true, true, false]);
      });

      it('should answer the dashboard: every account with balance (null before a refresh), owners and transactions', async () => {
        const r = ok(
          await gql(gw.graphqlUrl, CustomerDashboardDocument, { id: linked.customerId }, { token }),
        );
        const accounts = r.customer!.financialAccounts.nodes;
        expect(accounts.map((a) => a.id).sort()).toEqual([...linked.accountIds].sort());
        for (const a of accounts) {
          expect(a.permissions.sort()).toEqual([...ALL_PERMISSIONS].sort());
          expect(a.status).toBe('ACTIVE');
          // No prefetch and no refresh yet: Stripe has no balance, ownership or transactions to give.
          expect(a.balance).toBeNull();
          expect(a.balanceRefresh).toBeNull();
          expect(a.ownership).toBeNull();
          expect(a.transactions.nodes).toEqual([]);
        }
        const checking = accounts.find((a) => a.id === linked.accounts['Checking']);
        expect(checking).toMatchObject({ subcategory: 'CHECKING' });
        expect(checking!.supportedPaymentMethodTypes).toContain('us_bank_account');
      });

      it('should let the end user see their one customer through viewer with a customer token', async () => {
        const endUser = await customerToken(gw, token, linked.customerId);
        const r = ok(await gql(gw.graphqlUrl, ViewerCustomerDocument, {}, { token: endUser }));
        expect(r.viewer).toEqual({
          kind: 'CUSTOMER',
          partnerId: PARTNER_A.partnerId,
          customer: { id: linked.customerId, model, email: linked.customer.email },
        });
        const dash = ok(
          await gql(gw.graphqlUrl, CustomerDashboardDocument, { id: linked.customerId }, { token: endUser }),
        );
        expect(dash.customer!.financialAccounts.nodes.map((a) => a.id).sort()).toEqual(
          [...linked.accountIds].sort(),
        );
      });
    });

    describe('after refreshing balance, ownership and transactions of the checking account', () => {
      let linked: LinkedCustomer;
      let checkingId: string;
      let started: { balance?: string; ownership?: string; transactions?: string };
      let pushed: Refreshed['financialAccountRefreshed'][];

      // The refreshes settle in the sandbox a moment later; the gateway learns it from a webhook or its
      // poller and pushes each completion after forgetting its cached copy, so reads after the pushes are fresh.
      beforeAll(async () => {
        linked = await linkedCustomer(gw, sandbox, token, model);
        checkingId = linked.accounts['Checking'];
        const client = wsClient(gw, token);
        try {
          const completions = await subscribed<Refreshed>(gw, client, REFRESHED, { accountId: checkingId });
          const r = ok(
            await gql(
              gw.graphqlUrl,
              RefreshFinancialAccountDocument,
              { input: { accountId: checkingId, features: ALL_FEATURES } },
              { token },
            ),
          ).refreshFinancialAccount.financialAccount;
          started = {
            balance: r.balanceRefresh?.status,
            ownership: r.ownershipRefresh?.status,
            transactions: r.transactionRefresh?.status,
          };
          const features = new Set<string>();
          pushed = (
            await completions.until((m) => {
              features.add(m.financialAccountRefreshed.feature);
              return features.size === ALL_FEATURES.length;
            })
          ).map((m) => m.financialAccountRefreshed);
          completions.stop();
        } finally {
          await client.dispose();
        }
      });

      it('should start each refresh PENDING and push each feature SUCCEEDED once', () => {
        expect(started).toEqual({ balance: 'PENDING', ownership: 'PENDING', transactions: 'PENDING' });
        expect(pushed.map((p) => p.feature).sort()).toEqual([...ALL_FEATURES].sort());
        expect(pushed.every((p) => p.status === 'SUCCEEDED' && p.financialAccount.id === checkingId)).toBe(
          true,
        );
      });

      it('should read the refreshed cash balance', async () => {
        const a = ok(
          await gql(gw.graphqlUrl, GetFinancialAccountBalanceDocument, { id: checkingId }, { token }),
        ).financialAccount!;
        expect(a.balanceRefresh?.status).toBe('SUCCEEDED');
        const balance = a.balance!;
        expect(balance.type).toBe('CASH');
        expect(balance.current.length).toBeGreaterThan(0);
        expect(balance.current[0].currency).toBe('usd');
        expect(Number.isInteger(balance.current[0].amount)).toBe(true);
        expect(balance.cashAvailable).not.toBeNull();
        expect(balance.creditUsed).toBeNull();
      });

      it('should read owners once the ownership refresh succeeded', async () => {
        const r = ok(
          await gql(gw.graphqlUrl, GetAccountOwnersDocument, { id: checkingId, first: 10 }, { token }),
        );
        expect(r.financialAccount!.ownershipRefresh?.status).toBe('SUCCEEDED');
        const ownership = r.financialAccount!.ownership!;
        expect(ownership.id).toMatch(/^fcaowns_/);
        expect(typeof ownership.created).toBe('string');
        expect(ownership.owners.nodes.length).toBeGreaterThan(0);
        expect(ownership.owners.nodes[0].id).toMatch(/^fcaown_/);
        expect(ownership.owners.nodes[0].name.length).toBeGreaterThan(0);
      });

      it('should page transactions with first/after, following pageInfo until the end', async () => {
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
          expect(r.financialAccount!.transactionRefresh?.status).toBe('SUCCEEDED');
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
        expect(all).toHaveLength(30);
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
        const expected = all.filter(
          (t) => Date.parse(t.transactedAt) > lo && Date.parse(t.transactedAt) < hi,
        );
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
          [linked.customerId, 'Customer'],
          [checkingId, 'FinancialAccount'],
          [linked.sessionId, 'FinancialConnectionsSession'],
          [txnId, 'Transaction'],
        ]) {
          const n = ok(await gql(gw.graphqlUrl, GetNodeDocument, { id }, { token })).node!;
          expect(n).toEqual(expect.objectContaining({ __typename: typename, id }));
        }
      });
    });

    describe('daily transaction subscriptions', () => {
      let checkingId: string;
      beforeAll(async () => {
        checkingId = (await linkedCustomer(gw, sandbox, token, model)).accounts['Checking'];
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
        ok(
          await gql(
            gw.graphqlUrl,
            SubscribeFinancialAccountDocument,
            { input: { accountId: checkingId, features: ['TRANSACTIONS'] } },
            { token },
          ),
        );
        const r = await gql(
          gw.graphqlUrl,
          UnsubscribeFinancialAccountDocument,
          { input: { accountId: checkingId } },
          { token },
        );
        expect(r.errors).toBeUndefined();
        expect(r.data?.unsubscribeFinancialAccount.financialAccount.subscriptions).toEqual([]);
      });
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
      const older = await createCustomer(gw, token, 'CUSTOMER');
      const newer = await createCustomer(gw, token, 'CUSTOMER');
      const page1 = ok(await gql(gw.graphqlUrl, ListCustomersDocument, { first: 1 }, { token })).customers;
      expect(page1.nodes.map((c) => c.id)).toEqual([newer.id]);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = ok(
        await gql(
          gw.graphqlUrl,
          ListCustomersDocument,
          { first: 1, after: page1.pageInfo.endCursor },
          { token },
        ),
      ).customers;
      expect(page2.nodes.map((c) => c.id)).toEqual([older.id]);
    });
  });
});
