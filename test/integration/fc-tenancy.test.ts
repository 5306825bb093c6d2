// Tenancy: a partner sees only its own customers, an end user only their one customer; foreign, non-gateway
// and nonexistent objects all answer NOT_FOUND with one shape, and no write reaches Stripe for them.
import type { GraphQLFormattedError } from 'graphql';
import {
  CreateCustomerDocument,
  CreateCustomerTokenDocument,
  CreateSessionDocument,
  DisconnectFinancialAccountDocument,
  GetCustomerDocument,
  GetFinancialAccountDocument,
  GetNodeDocument,
  GetSessionDocument,
  GetTransactionDocument,
  ListCustomersDocument,
  RefreshFinancialAccountDocument,
  SubscribeFinancialAccountDocument,
  UnsubscribeFinancialAccountDocument,
} from '../generated/graphql';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import {
  ALL_FEATURES,
  ALL_PERMISSIONS,
  completeSession,
  customerToken,
  linkedCustomer,
} from '../helpers/linking';

/** The error with the id (and the per-request id) replaced, so a foreign id's error compares to a nonexistent id's. */
const shapeOf = (e: GraphQLFormattedError | undefined, id: string) =>
  JSON.parse(
    JSON.stringify({
      message: e?.message,
      extensions: { ...e?.extensions, requestId: '<request>' },
      path: e?.path,
    })
      .split(id)
      .join('<id>'),
  );

describe('tenancy', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  const A = PARTNER_A.apiKey;
  const B = PARTNER_B.apiKey;
  /** Partner A's objects, one set per customer model. */
  let a: {
    customerId: string;
    accountId: string;
    sessionId: string;
    txnId: string;
    v2CustomerId: string;
    v2AccountId: string;
  };
  let a2CustomerId: string;
  let a2AccountId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ transactionsPerAccount: 5 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    const v1 = await linkedCustomer(gw, sandbox, A, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const v2 = await linkedCustomer(gw, sandbox, A, 'ACCOUNT', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const other = await linkedCustomer(gw, sandbox, A, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    const txn = (
      await sandbox.stripe.financialConnections.transactions.list({ account: v1.accountIds[0], limit: 1 })
    ).data[0];
    a = {
      customerId: v1.customer.id,
      accountId: v1.accountIds[0],
      sessionId: v1.sessionId,
      txnId: txn.id,
      v2CustomerId: v2.customer.id,
      v2AccountId: v2.accountIds[0],
    };
    a2CustomerId = other.customer.id;
    a2AccountId = other.accountIds[0];
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  /** Sandbox requests (method path) sent while `run` ran. */
  async function upstreamDuring(run: () => Promise<unknown>): Promise<string[]> {
    const start = sandbox.sandbox.requestLog.length;
    await run();
    return sandbox.sandbox.requestLog.slice(start).map((e) => `${e.method} ${e.path}`);
  }

  describe('reads by another partner', () => {
    const cases = [
      ['customer (v1)', () => a.customerId, 'cus_NoSuchCustomer0000', GetCustomerDocument, 'customer'],
      [
        'customer (v2 account)',
        () => a.v2CustomerId,
        'acct_NoSuchAccount000',
        GetCustomerDocument,
        'customer',
      ],
      [
        'financialAccount',
        () => a.accountId,
        'fca_NoSuchAccount0000000',
        GetFinancialAccountDocument,
        'financialAccount',
      ],
      [
        'financialAccount (v2 holder)',
        () => a.v2AccountId,
        'fca_NoSuchAccount0000001',
        GetFinancialAccountDocument,
        'financialAccount',
      ],
      [
        'financialConnectionsSession',
        () => a.sessionId,
        'fcsess_NoSuchSession00000',
        GetSessionDocument,
        'financialConnectionsSession',
      ],
      ['transaction', () => a.txnId, 'fctxn_NoSuchTransaction000', GetTransactionDocument, 'transaction'],
      ['node (account)', () => a.accountId, 'fca_NoSuchAccount0000002', GetNodeDocument, 'node'],
      ['node (customer)', () => a.customerId, 'cus_NoSuchCustomer0001', GetNodeDocument, 'node'],
      ['node (session)', () => a.sessionId, 'fcsess_NoSuchSession00001', GetNodeDocument, 'node'],
      ['node (transaction)', () => a.txnId, 'fctxn_NoSuchTransaction001', GetNodeDocument, 'node'],
    ] as const;

    it.each(cases)(
      'should answer NOT_FOUND for A’s %s, shaped exactly like a nonexistent id',
      async (_name, foreignId, missingId, doc, field) => {
        const foreign = await gql(gw.graphqlUrl, doc, { id: foreignId() }, { token: B });
        const missing = await gql(gw.graphqlUrl, doc, { id: missingId }, { token: B });
        expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
        expect(foreign.data).toEqual({ [field]: null });
        expect(shapeOf(foreign.errors?.[0], foreignId())).toEqual(shapeOf(missing.errors?.[0], missingId));
        expect(JSON.stringify(foreign)).not.toMatch(/No such|stripe/);
      },
    );

    it('should still let A read the same objects', async () => {
      for (const [, id, , doc, field] of cases) {
        const r = await gql(gw.graphqlUrl, doc, { id: id() }, { token: A });
        expect(r.errors).toBeUndefined();
        expect((r.data as Record<string, { id: string }>)[field].id).toBe(id());
      }
    });

    it("should never list another partner's customers", async () => {
      const r = await gql(gw.graphqlUrl, ListCustomersDocument, { first: 100 }, { token: B });
      expect(r.errors).toBeUndefined();
      const ids = r.data!.customers.nodes.map((c) => c.id);
      expect(ids).not.toContain(a.customerId);
      expect(ids).not.toContain(a2CustomerId);
    });
  });

  describe('writes by another partner', () => {
    const writes = [
      [
        'refreshFinancialAccount',
        () =>
          gql(
            gw.graphqlUrl,
            RefreshFinancialAccountDocument,
            { input: { accountId: a.accountId, features: ['BALANCE'] } },
            { token: B },
          ),
      ],
      [
        'disconnectFinancialAccount',
        () =>
          gql(
            gw.graphqlUrl,
            DisconnectFinancialAccountDocument,
            { input: { accountId: a.accountId } },
            { token: B },
          ),
      ],
      [
        'subscribeFinancialAccount',
        () =>
          gql(
            gw.graphqlUrl,
            SubscribeFinancialAccountDocument,
            { input: { accountId: a.accountId, features: ['TRANSACTIONS'] } },
            { token: B },
          ),
      ],
      [
        'unsubscribeFinancialAccount',
        () =>
          gql(
            gw.graphqlUrl,
            UnsubscribeFinancialAccountDocument,
            { input: { accountId: a.accountId, features: ['TRANSACTIONS'] } },
            { token: B },
          ),
      ],
      [
        'createFinancialConnectionsSession',
        () =>
          gql(
            gw.graphqlUrl,
            CreateSessionDocument,
            { input: { customerId: a.customerId, permissions: ['BALANCES'] } },
            { token: B },
          ),
      ],
      [
        'createFinancialConnectionsSession (v2)',
        () =>
          gql(
            gw.graphqlUrl,
            CreateSessionDocument,
            { input: { customerId: a.v2CustomerId, permissions: ['BALANCES'] } },
            { token: B },
          ),
      ],
      [
        'createCustomerToken',
        () =>
          gql(
            gw.graphqlUrl,
            CreateCustomerTokenDocument,
            { input: { customerId: a.customerId } },
            { token: B },
          ),
      ],
    ] as const;

    it.each(writes)(
      'should answer NOT_FOUND to %s on A’s object and send no write upstream',
      async (_name, run) => {
        let r: Awaited<ReturnType<typeof run>> | undefined;
        const upstream = await upstreamDuring(async () => {
          r = await run();
        });
        expect(errorCodes(r!)).toEqual(['NOT_FOUND']);
        expect(upstream.filter((p) => p.startsWith('POST'))).toEqual([]);
      },
    );
  });

  describe('objects not created through the gateway', () => {
    it('should answer NOT_FOUND for a customer without the partner tag and for its linked accounts', async () => {
      const plain = await sandbox.stripe.customers.create({ email: 'direct@example.com' });
      const session = await sandbox.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: plain.id },
        permissions: ['balances'],
      });
      const done = await completeSession(sandbox, session.id);
      for (const [doc, id, field] of [
        [GetCustomerDocument, plain.id, 'customer'],
        [GetSessionDocument, session.id, 'financialConnectionsSession'],
        [GetFinancialAccountDocument, done.accounts.data[0].id, 'financialAccount'],
      ] as const) {
        const r = await gql(gw.graphqlUrl, doc, { id }, { token: A });
        expect(errorCodes(r)).toEqual(['NOT_FOUND']);
        expect(r.data).toEqual({ [field]: null });
      }
    });

    it('should answer NOT_FOUND for a v2 account that is not customer-configured', async () => {
      const merchant = await sandbox.stripe.v2.core.accounts.create({
        configuration: { merchant: {} },
        metadata: { gateway_partner_id: PARTNER_A.partnerId },
      } as never);
      const r = await gql(gw.graphqlUrl, GetCustomerDocument, { id: merchant.id }, { token: A });
      expect(errorCodes(r)).toEqual(['NOT_FOUND']);
    });

    it('should answer NOT_FOUND for ids node() cannot resolve (ownership, owner) and unknown prefixes', async () => {
      for (const id of ['fcaowns_Abc123', 'fcaown_Abc123', 'zz_Abc123']) {
        const r = await gql(gw.graphqlUrl, GetNodeDocument, { id }, { token: A });
        expect(errorCodes(r)).toEqual(['NOT_FOUND']);
      }
    });
  });

  describe('end users (customer tokens)', () => {
    let endUser: string;
    beforeAll(async () => {
      endUser = await customerToken(gw, A, a.customerId);
    });

    it('should see their own customer, accounts and transactions', async () => {
      for (const [doc, id] of [
        [GetCustomerDocument, a.customerId],
        [GetFinancialAccountDocument, a.accountId],
        [GetTransactionDocument, a.txnId],
        [GetSessionDocument, a.sessionId],
      ] as const) {
        const r = await gql(gw.graphqlUrl, doc, { id }, { token: endUser });
        expect(r.errors).toBeUndefined();
      }
    });

    it('should get NOT_FOUND for another customer of the same partner, without asking Stripe for it', async () => {
      const upstream = await upstreamDuring(async () => {
        const r = await gql(gw.graphqlUrl, GetCustomerDocument, { id: a2CustomerId }, { token: endUser });
        expect(errorCodes(r)).toEqual(['NOT_FOUND']);
      });
      expect(upstream).toEqual([]);
      const acc = await gql(
        gw.graphqlUrl,
        GetFinancialAccountDocument,
        { id: a2AccountId },
        { token: endUser },
      );
      expect(errorCodes(acc)).toEqual(['NOT_FOUND']);
      const write = await upstreamDuring(async () => {
        const r = await gql(
          gw.graphqlUrl,
          DisconnectFinancialAccountDocument,
          { input: { accountId: a2AccountId } },
          { token: endUser },
        );
        expect(errorCodes(r)).toEqual(['NOT_FOUND']);
      });
      expect(write.filter((p) => p.startsWith('POST'))).toEqual([]);
    });

    it.each([
      ['createCustomer', CreateCustomerDocument, { input: { email: 'x@example.com' } }],
      ['createCustomerToken', CreateCustomerTokenDocument, { input: { customerId: 'cus_Whatever000' } }],
      ['customers', ListCustomersDocument, {}],
    ] as const)(
      'should be FORBIDDEN from the partner-only %s, with nothing sent upstream',
      async (_n, doc, vars) => {
        const upstream = await upstreamDuring(async () => {
          const r = await gql(gw.graphqlUrl, doc, vars as never, { token: endUser });
          expect(errorCodes(r)).toEqual(['FORBIDDEN']);
        });
        expect(upstream).toEqual([]);
      },
    );

    it('should be able to start a session for their own customer only', async () => {
      const own = await gql(
        gw.graphqlUrl,
        CreateSessionDocument,
        { input: { customerId: a.customerId, permissions: ['BALANCES'] } },
        { token: endUser },
      );
      expect(own.errors).toBeUndefined();
      const other = await gql(
        gw.graphqlUrl,
        CreateSessionDocument,
        { input: { customerId: a2CustomerId, permissions: ['BALANCES'] } },
        { token: endUser },
      );
      expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    });
  });
});
