// Every contract error code the gateway core produces, each from a real request against the sandbox.
import {
  CreateCustomerDocument,
  CreateCustomerTokenDocument,
  CreateSessionDocument,
  DisconnectFinancialAccountDocument,
  GetAccountOwnersDocument,
  GetAccountTransactionsDocument,
  GetCustomerDocument,
  GetFinancialAccountBalanceDocument,
  GetFinancialAccountDocument,
  ListCustomersDocument,
  RefreshFinancialAccountDocument,
  SubscribeFinancialAccountDocument,
} from '../generated/graphql';
import { PARTNER_A, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import {
  ALL_FEATURES,
  ALL_PERMISSIONS,
  createCustomer,
  linkedCustomer,
  uniqueEmail,
} from '../helpers/linking';

describe('gateway errors', () => {
  let sandbox: StartedSandbox;
  let gw: StartedGateway;
  const token = PARTNER_A.apiKey;
  let customerId: string;
  let accountId: string;

  beforeAll(async () => {
    // Refreshes stay pending for a minute here, so "refresh while pending" is deterministic.
    sandbox = await startSandbox({ refreshDelayMs: 60_000, transactionsPerAccount: 5 });
    gw = await startGateway({ STRIPE_API_BASE: sandbox.url });
    const linked = await linkedCustomer(gw, sandbox, token, 'CUSTOMER', {
      permissions: ALL_PERMISSIONS,
      prefetch: ALL_FEATURES,
    });
    customerId = linked.customer.id;
    accountId = linked.accountIds[0];
  });
  afterAll(async () => {
    sandbox?.sandbox.setFaults(null);
    sandbox?.sandbox.setRateLimit(null);
    await gw?.close();
    await sandbox?.close();
  });

  async function posts(run: () => Promise<unknown>): Promise<string[]> {
    const start = sandbox.sandbox.requestLog.length;
    await run();
    return sandbox.sandbox.requestLog
      .slice(start)
      .filter((e) => e.method === 'POST')
      .map((e) => e.path);
  }

  describe('UNAUTHENTICATED', () => {
    it.each([
      ['no credential', undefined],
      ['an unknown key', 'not_a_partner_key_123'],
      ['a forged token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXNfMSIsInBpZCI6InBhcnRuZXJfYSJ9.c2lnbmF0dXJl'],
    ])('should answer 401 UNAUTHENTICATED with %s and ask Stripe nothing', async (_n, t) => {
      const before = gw.stripeRequests();
      const r = await gql(gw.graphqlUrl, GetCustomerDocument, { id: customerId }, { token: t });
      expect(r.status).toBe(401);
      expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
      expect(gw.stripeRequests()).toBe(before);
    });
  });

  describe('BAD_USER_INPUT', () => {
    it('should refuse first > 100 on every connection', async () => {
      const t = await gql(
        gw.graphqlUrl,
        GetAccountTransactionsDocument,
        { id: accountId, first: 101 },
        { token },
      );
      expect(errorCodes(t)).toEqual(['BAD_USER_INPUT']);
      expect(t.errors![0].extensions).toEqual(expect.objectContaining({ field: 'first' }));
      const c = await gql(gw.graphqlUrl, ListCustomersDocument, { first: 1000 }, { token });
      expect(errorCodes(c)).toEqual(['BAD_USER_INPUT']);
      const o = await gql(gw.graphqlUrl, GetAccountOwnersDocument, { id: accountId, first: 0 }, { token });
      expect(errorCodes(o)).toEqual(['BAD_USER_INPUT']);
    });

    it.each(['fca_1/../x', 'fca_1?expand[]=x', 'fca_1\r\nx', `fca_${'a'.repeat(10_000)}`, 'cus_123'])(
      'should refuse the malformed or mistyped account id %#',
      async (id) => {
        const before = gw.stripeRequests();
        const r = await gql(gw.graphqlUrl, GetFinancialAccountDocument, { id }, { token });
        expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
        expect(JSON.stringify(r.errors)).not.toContain(id);
        expect(gw.stripeRequests()).toBe(before);
      },
    );

    it.each([
      'javascript:alert(1)',
      'http://evil.example.com/return',
      'ftp://example.com/x',
      'https://user:pass@example.com/x',
      'not a url',
    ])('should refuse the returnUrl %s before creating any session', async (returnUrl) => {
      const sent = await posts(async () => {
        const r = await gql(
          gw.graphqlUrl,
          CreateSessionDocument,
          { input: { customerId, permissions: ['BALANCES'], returnUrl } },
          { token },
        );
        expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
        expect(r.errors![0].extensions).toEqual(expect.objectContaining({ field: 'returnUrl' }));
        expect(JSON.stringify(r)).not.toContain(returnUrl);
      });
      expect(sent).toEqual([]);
      expect(gw.logs.join('\n')).not.toContain(returnUrl);
    });

    it('should accept https and localhost http (outside production) return URLs', async () => {
      for (const returnUrl of ['https://app.example.com/fc/done', 'http://localhost:3000/done']) {
        const r = await gql(
          gw.graphqlUrl,
          CreateSessionDocument,
          { input: { customerId, permissions: ['BALANCES'], returnUrl } },
          { token },
        );
        expect(r.errors).toBeUndefined();
        expect(r.data!.createFinancialConnectionsSession.session.returnUrl).toBe(returnUrl);
      }
    });

    it('should hold return URLs to RETURN_URL_HOSTS when it is set', async () => {
      const strict = await startGateway({
        STRIPE_API_BASE: sandbox.url,
        RETURN_URL_HOSTS: 'app.example.com,*.partner.example',
      });
      try {
        const run = (returnUrl: string) =>
          gql(
            strict.graphqlUrl,
            CreateSessionDocument,
            { input: { customerId, permissions: ['BALANCES'], returnUrl } },
            { token },
          );
        expect(errorCodes(await run('https://other.example.com/x'))).toEqual(['BAD_USER_INPUT']);
        expect(errorCodes(await run('https://app.example.com.evil.io/x'))).toEqual(['BAD_USER_INPUT']);
        expect((await run('https://app.example.com/x')).errors).toBeUndefined();
        expect((await run('https://eu.partner.example/x')).errors).toBeUndefined();
      } finally {
        await strict.close();
      }
    });

    it.each([
      ["x' OR metadata['gateway_partner_id']:'partner_b"],
      ['back\\slash@example.com'],
      ['quote"@example.com'],
    ])('should refuse the search-breaking customers(email: %s) before asking Stripe', async (email) => {
      const before = gw.stripeRequests();
      const r = await gql(gw.graphqlUrl, ListCustomersDocument, { email }, { token });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(gw.stripeRequests()).toBe(before);
    });

    it('should refuse a customers cursor that is not one of its own page tokens', async () => {
      const r = await gql(gw.graphqlUrl, ListCustomersDocument, { after: "page' OR 1=1" }, { token });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    });

    it.each([0, 59, 86_401])('should refuse createCustomerToken with ttlSeconds %i', async (ttlSeconds) => {
      const r = await gql(
        gw.graphqlUrl,
        CreateCustomerTokenDocument,
        { input: { customerId, ttlSeconds } },
        { token },
      );
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    });

    it('should refuse an empty permissions list and bad filter countries before creating a session', async () => {
      const sent = await posts(async () => {
        const empty = await gql(
          gw.graphqlUrl,
          CreateSessionDocument,
          { input: { customerId, permissions: [] } },
          { token },
        );
        expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
        const countries = await gql(
          gw.graphqlUrl,
          CreateSessionDocument,
          { input: { customerId, permissions: ['BALANCES'], filters: { countries: ['USA'] } } },
          { token },
        );
        expect(errorCodes(countries)).toEqual(['BAD_USER_INPUT']);
      });
      expect(sent).toEqual([]);
    });

    it('should refuse subscribing to a feature other than TRANSACTIONS', async () => {
      const sent = await posts(async () => {
        const r = await gql(
          gw.graphqlUrl,
          SubscribeFinancialAccountDocument,
          { input: { accountId, features: ['BALANCE'] } },
          { token },
        );
        expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      });
      expect(sent).toEqual([]);
    });
  });

  describe('PERMISSION_NOT_GRANTED', () => {
    let limitedId: string;
    beforeAll(async () => {
      const limited = await linkedCustomer(gw, sandbox, token, 'CUSTOMER', {
        permissions: ['PAYMENT_METHOD'],
      });
      limitedId = limited.accountIds[0];
    });

    it('should answer the balance field with PERMISSION_NOT_GRANTED (not null, not a Stripe error) and keep the rest', async () => {
      const r = await gql(gw.graphqlUrl, GetFinancialAccountBalanceDocument, { id: limitedId }, { token });
      expect(errorCodes(r)).toEqual(['PERMISSION_NOT_GRANTED']);
      expect(r.errors![0].path).toEqual(['financialAccount', 'balance']);
      expect(r.data!.financialAccount).toEqual({ id: limitedId, balanceRefresh: null, balance: null });
    });

    it('should answer ownership and transactions with PERMISSION_NOT_GRANTED', async () => {
      const o = await gql(gw.graphqlUrl, GetAccountOwnersDocument, { id: limitedId }, { token });
      expect(errorCodes(o)).toEqual(['PERMISSION_NOT_GRANTED']);
      expect(o.errors![0].path).toEqual(['financialAccount', 'ownership']);
      const t = await gql(gw.graphqlUrl, GetAccountTransactionsDocument, { id: limitedId }, { token });
      expect(errorCodes(t)).toEqual(['PERMISSION_NOT_GRANTED']);
      expect(t.errors![0].path).toEqual(['financialAccount', 'transactions']);
    });

    it('should refuse refreshing a feature whose permission was not granted, before any POST', async () => {
      const sent = await posts(async () => {
        const r = await gql(
          gw.graphqlUrl,
          RefreshFinancialAccountDocument,
          { input: { accountId: limitedId, features: ['BALANCE'] } },
          { token },
        );
        expect(errorCodes(r)).toEqual(['PERMISSION_NOT_GRANTED']);
      });
      expect(sent).toEqual([]);
    });
  });

  describe('REFRESH_UNAVAILABLE', () => {
    it('should answer a second refresh while the first is pending with REFRESH_UNAVAILABLE', async () => {
      const first = await gql(
        gw.graphqlUrl,
        RefreshFinancialAccountDocument,
        { input: { accountId, features: ['OWNERSHIP'] } },
        { token },
      );
      expect(first.errors).toBeUndefined();
      expect(first.data!.refreshFinancialAccount.financialAccount.ownershipRefresh?.status).toBe('PENDING');
      const second = await gql(
        gw.graphqlUrl,
        RefreshFinancialAccountDocument,
        { input: { accountId, features: ['OWNERSHIP'] } },
        { token },
      );
      expect(errorCodes(second)).toEqual(['REFRESH_UNAVAILABLE']);
      expect(JSON.stringify(second.errors)).not.toMatch(/already in progress/);
    });

    it('should answer a refresh of a disconnected account with REFRESH_UNAVAILABLE', async () => {
      const other = await linkedCustomer(gw, sandbox, token, 'CUSTOMER', { permissions: ALL_PERMISSIONS });
      const gone = other.accountIds[0];
      const d = await gql(
        gw.graphqlUrl,
        DisconnectFinancialAccountDocument,
        { input: { accountId: gone } },
        { token },
      );
      expect(d.data!.disconnectFinancialAccount.financialAccount.status).toBe('DISCONNECTED');
      const r = await gql(
        gw.graphqlUrl,
        RefreshFinancialAccountDocument,
        { input: { accountId: gone, features: ['BALANCE'] } },
        { token },
      );
      expect(errorCodes(r)).toEqual(['REFRESH_UNAVAILABLE']);
    });
  });

  describe('IDEMPOTENCY_CONFLICT', () => {
    it('should replay a createCustomer retried with the same key, and refuse the key with other values', async () => {
      const key = `idem-${Date.now()}`;
      const email = uniqueEmail('idem');
      const one = ok(
        await gql(
          gw.graphqlUrl,
          CreateCustomerDocument,
          { input: { email, idempotencyKey: key } },
          { token },
        ),
      );
      const two = ok(
        await gql(
          gw.graphqlUrl,
          CreateCustomerDocument,
          { input: { email, idempotencyKey: key } },
          { token },
        ),
      );
      expect(two.createCustomer.customer.id).toBe(one.createCustomer.customer.id);
      const clash = await gql(
        gw.graphqlUrl,
        CreateCustomerDocument,
        { input: { email: uniqueEmail('other'), idempotencyKey: key } },
        { token },
      );
      expect(errorCodes(clash)).toEqual(['IDEMPOTENCY_CONFLICT']);
    });

    it('should replay createFinancialConnectionsSession with the same key: one session, the same clientSecret', async () => {
      const key = `sess-${Date.now()}`;
      const input = { customerId, permissions: ['BALANCES' as const], idempotencyKey: key };
      const one = ok(await gql(gw.graphqlUrl, CreateSessionDocument, { input }, { token }));
      const two = ok(await gql(gw.graphqlUrl, CreateSessionDocument, { input }, { token }));
      expect(two.createFinancialConnectionsSession.session.id).toBe(
        one.createFinancialConnectionsSession.session.id,
      );
      expect(two.createFinancialConnectionsSession.clientSecret).toBe(
        one.createFinancialConnectionsSession.clientSecret,
      );
      const clash = await gql(
        gw.graphqlUrl,
        CreateSessionDocument,
        { input: { ...input, permissions: ['OWNERSHIP'] } },
        { token },
      );
      expect(errorCodes(clash)).toEqual(['IDEMPOTENCY_CONFLICT']);
    });

    it('should scope keys per partner: the same key from another partner creates its own customer', async () => {
      const key = `shared-${Date.now()}`;
      const email = uniqueEmail('scoped');
      const a = ok(
        await gql(
          gw.graphqlUrl,
          CreateCustomerDocument,
          { input: { email, idempotencyKey: key } },
          { token },
        ),
      );
      const b = ok(
        await gql(
          gw.graphqlUrl,
          CreateCustomerDocument,
          { input: { email, idempotencyKey: key } },
          { token: 'key_partner_b_0123456789' },
        ),
      );
      expect(b.createCustomer.customer.id).not.toBe(a.createCustomer.customer.id);
    });
  });

  describe('upstream failures', () => {
    afterEach(() => {
      sandbox.sandbox.setFaults(null);
      sandbox.sandbox.setRateLimit(null);
    });

    it('should answer UPSTREAM_RATE_LIMITED when Stripe keeps answering 429, without forwarding its text', async () => {
      const fresh = await createCustomer(gw, token, 'CUSTOMER');
      const other = await startGateway({ STRIPE_API_BASE: sandbox.url });
      try {
        sandbox.sandbox.setRateLimit({ requestsPerSecond: 0 });
        const r = await gql(other.graphqlUrl, GetCustomerDocument, { id: fresh.id }, { token });
        expect(errorCodes(r)).toEqual(['UPSTREAM_RATE_LIMITED']);
        expect(r.data).toEqual({ customer: null });
        expect(JSON.stringify(r.errors)).not.toMatch(/Too many requests|sk_test/i);
      } finally {
        sandbox.sandbox.setRateLimit(null);
        await other.close();
      }
    });

    it('should answer UPSTREAM_UNAVAILABLE when Stripe keeps failing with 500', async () => {
      const fresh = await createCustomer(gw, token, 'CUSTOMER');
      const other = await startGateway({ STRIPE_API_BASE: sandbox.url });
      try {
        sandbox.sandbox.setFaults({ errorRate: 1 });
        const r = await gql(other.graphqlUrl, GetCustomerDocument, { id: fresh.id }, { token });
        expect(errorCodes(r)).toEqual(['UPSTREAM_UNAVAILABLE']);
      } finally {
        sandbox.sandbox.setFaults(null);
        await other.close();
      }
    });

    it('should answer UPSTREAM_ERROR when Stripe refuses the gateway’s own key, never echoing it', async () => {
      const badKey = 'rk_test_NotAcceptedBySandbox123';
      const other = await startGateway({ STRIPE_API_BASE: sandbox.url, STRIPE_SECRET_KEY: badKey });
      try {
        const r = await gql(other.graphqlUrl, GetCustomerDocument, { id: customerId }, { token });
        expect(errorCodes(r)).toEqual(['UPSTREAM_ERROR']);
        expect(JSON.stringify(r)).not.toContain('NotAcceptedBySandbox');
      } finally {
        await other.close();
      }
    });
  });

  describe('partial results', () => {
    it('should return the fields that resolved next to the one that failed', async () => {
      const r = await gql(
        gw.graphqlUrl,
        `query Partial($c: ID!, $a: ID!) { mine: customer(id: $c) { id } gone: financialAccount(id: $a) { id } }`,
        { c: customerId, a: 'fca_DoesNotExist000000000' },
        { token },
      );
      expect(r.data).toEqual({ mine: { id: customerId }, gone: null });
      expect(errorCodes(r)).toEqual(['NOT_FOUND']);
      expect(r.errors![0].path).toEqual(['gone']);
    });
  });
});
