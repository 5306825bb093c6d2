// Stripe API conventions the sandbox must keep: API keys, Request-Id, unknown routes, idempotency,
// pagination, expand, both array encodings, rate limiting and injected faults. Every rejected request must
// carry Stripe's error shape (validated against the subset's `error` schema after each test).
import Stripe from 'stripe';
import { stripeFor, type StartedSandbox } from '../helpers/sandbox';
import { openapiValidator } from '../helpers/openapi';
import { call, checkRecordedResponses, linkAccounts, startRecordingSandbox, stripeError } from './support';

describe('sandbox protocol', () => {
  let s: StartedSandbox;

  beforeAll(async () => {
    s = await startRecordingSandbox();
  });

  afterEach(() => {
    s.sandbox.setFaults(null);
    s.sandbox.setRateLimit(null);
    expect(checkRecordedResponses(s).problems).toEqual([]);
  });

  afterAll(async () => {
    await s.close();
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null, false],
      ['a publishable key', 'pk_test_123', false],
      ['a live secret key', 'sk_live_123', false],
      ['a restricted key', 'rk_test_123', false],
      ['a malformed key over Basic auth', 'sk_test_bad key!', true],
    ])('should answer 401 with an error body when given %s', async (_name, key, basic) => {
      const res = await call(s, 'GET', '/v1/customers', { key, basic });
      expect(res.status).toBe(401);
      expect(openapiValidator().schemaErrors('error', res.body)).toEqual([]);
      expect((res.body.error as { type: string }).type).toBe('invalid_request_error');
      // The key is never echoed back.
      if (key) expect(JSON.stringify(res.body)).not.toContain(key.slice(8));
    });

    it('should accept curl-style Basic auth (-u sk_test_…:)', async () => {
      const res = await call(s, 'GET', '/v1/customers', { basic: true, key: 'sk_test_sandbox' });
      expect(res.status).toBe(200);
      expect(res.body.object).toBe('list');
    });

    it('should raise StripeAuthenticationError in stripe-node for a bad key', async () => {
      const bad = stripeFor(s.url, 'sk_live_nope');
      const err = await stripeError(bad.customers.list());
      expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    });
  });

  it('should send a Request-Id header on every response, and stripe-node should read it', async () => {
    const res = await call(s, 'GET', '/v1/customers');
    expect(res.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]+$/);
    const c = await s.stripe.customers.create({});
    expect(c.lastResponse.requestId).toMatch(/^req_/);
    const err = await stripeError(s.stripe.customers.retrieve('cus_nope'));
    expect(err.requestId).toMatch(/^req_/);
  });

  it('should answer an unknown route with 404 and Stripe error shape', async () => {
    const res = await call(s, 'GET', '/v1/no_such_thing');
    expect(res.status).toBe(404);
    expect(openapiValidator().schemaErrors('error', res.body)).toEqual([]);
    expect((res.body.error as { message: string }).message).toContain('Unrecognized request URL');
  });

  describe('parameters', () => {
    it('should reject an unknown parameter with 400 parameter_unknown naming it', async () => {
      const err = await stripeError(
        s.stripe.customers.create({ nickname: 'x' } as Stripe.CustomerCreateParams),
      );
      expect([err.statusCode, err.code, err.param]).toEqual([400, 'parameter_unknown', 'nickname']);
      const nested = await call(s, 'POST', '/v1/financial_connections/sessions', {
        form: 'account_holder[type]=customer&account_holder[colour]=red&permissions[]=balances',
      });
      expect([nested.status, (nested.body.error as { code: string; param: string }).param]).toEqual([
        400,
        'account_holder[colour]',
      ]);
    });

    it('should reject a missing required parameter with 400 parameter_missing', async () => {
      const err = await stripeError(
        s.stripe.financialConnections.sessions.create({
          account_holder: { type: 'customer' },
        } as Stripe.FinancialConnections.SessionCreateParams),
      );
      expect([err.statusCode, err.code, err.param]).toEqual([400, 'parameter_missing', 'permissions']);
    });

    it('should reject a bad enum or integer with 400 and the parameter', async () => {
      const res = await call(s, 'GET', '/v1/customers?limit=500');
      expect([res.status, (res.body.error as { param: string }).param]).toEqual([400, 'limit']);
      const enumErr = await call(s, 'POST', '/v1/financial_connections/sessions', {
        form: 'account_holder[type]=robot&permissions[]=balances',
      });
      expect([enumErr.status, (enumErr.body.error as { param: string }).param]).toEqual([
        400,
        'account_holder[type]',
      ]);
    });

    it('should accept both array encodings: features[]=x (curl) and features[0]=x (stripe-node)', async () => {
      const { accounts } = await linkAccounts(s);
      const [a, b] = accounts;
      const curl = await call(s, 'POST', `/v1/financial_connections/accounts/${a.id}/refresh`, {
        form: 'features[]=balance&features[]=ownership',
      });
      expect(curl.status).toBe(200);
      expect([
        (curl.body.balance_refresh as { status: string }).status,
        (curl.body.ownership_refresh as { status: string }).status,
      ]).toEqual(['pending', 'pending']);
      const indexed = await call(s, 'POST', `/v1/financial_connections/accounts/${b.id}/refresh`, {
        form: 'features[0]=balance&features[1]=ownership',
      });
      expect(indexed.status).toBe(200);
      expect([
        (indexed.body.balance_refresh as { status: string }).status,
        (indexed.body.ownership_refresh as { status: string }).status,
      ]).toEqual(['pending', 'pending']);
      // URL-encoded brackets are the same parameters.
      const c = await call(s, 'POST', '/v1/customers', {
        form: 'metadata%5Bplan%5D=pro&preferred_locales%5B0%5D=en',
      });
      expect([c.body.metadata, c.body.preferred_locales]).toEqual([{ plan: 'pro' }, ['en']]);
    });
  });

  describe('idempotency', () => {
    it('should replay the stored response for the same key and parameters, creating one object', async () => {
      const key = `idem-${Date.now()}-replay`;
      const first = await s.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: key });
      const second = await s.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: key });
      expect(second.id).toBe(first.id);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      const matches = (await s.stripe.customers.list({ email: 'idem@example.com', limit: 100 })).data;
      expect(matches).toHaveLength(1);
      const log = s.sandbox.requestLog.filter((e) => e.idempotencyKey === key);
      expect(log.map((e) => [e.status, e.replayed])).toEqual([
        [200, false],
        [200, true],
      ]);
    });

    it('should replay a saved error response too', async () => {
      const key = `idem-${Date.now()}-error`;
      const a = await stripeError(
        s.stripe.financialConnections.accounts.refresh(
          'fca_missing',
          { features: ['balance'] },
          { idempotencyKey: key },
        ),
      );
      const b = await stripeError(
        s.stripe.financialConnections.accounts.refresh(
          'fca_missing',
          { features: ['balance'] },
          { idempotencyKey: key },
        ),
      );
      expect([a.statusCode, b.statusCode]).toEqual([404, 404]);
      // The replay is the saved body of the first request (its request_log_url names the first request).
      expect((b.raw as { request_log_url?: string }).request_log_url).toBe(
        (a.raw as { request_log_url?: string }).request_log_url,
      );
      expect(s.sandbox.requestLog.filter((e) => e.idempotencyKey === key).map((e) => e.replayed)).toEqual([
        false,
        true,
      ]);
    });

    it('should answer 400 idempotency_error when the key is reused with other parameters', async () => {
      const key = `idem-${Date.now()}-mismatch`;
      await s.stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: key });
      const err = await stripeError(
        s.stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: key }),
      );
      expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect([err.statusCode, err.type]).toEqual([400, 'StripeIdempotencyError']);
    });

    it('should not save a request that failed validation, so the key can be retried', async () => {
      const key = `idem-${Date.now()}-validation`;
      const bad = await stripeError(
        s.stripe.customers.create({ bogus: 1 } as Stripe.CustomerCreateParams, { idempotencyKey: key }),
      );
      expect(bad.code).toBe('parameter_unknown');
      const ok = await s.stripe.customers.create({ email: 'retry@example.com' }, { idempotencyKey: key });
      expect(ok.email).toBe('retry@example.com');
    });

    it('should reject a key longer than 255 characters with 400', async () => {
      const err = await stripeError(s.stripe.customers.create({}, { idempotencyKey: 'k'.repeat(256) }));
      expect(err.statusCode).toBe(400);
    });
  });

  describe('pagination', () => {
    it('should page with limit, starting_after, ending_before and has_more, and auto-paginate', async () => {
      const tag = `page-${Date.now()}`;
      const created: string[] = [];
      for (let i = 0; i < 7; i++)
        created.push((await s.stripe.customers.create({ email: `${tag}@example.com` })).id);
      const newestFirst = [...created].reverse();
      const p1 = await s.stripe.customers.list({ email: `${tag}@example.com`, limit: 3 });
      expect([p1.data.map((c) => c.id), p1.has_more, p1.url]).toEqual([
        newestFirst.slice(0, 3),
        true,
        '/v1/customers',
      ]);
      const p2 = await s.stripe.customers.list({
        email: `${tag}@example.com`,
        limit: 3,
        starting_after: p1.data[2].id,
      });
      expect(p2.data.map((c) => c.id)).toEqual(newestFirst.slice(3, 6));
      const p3 = await s.stripe.customers.list({
        email: `${tag}@example.com`,
        limit: 3,
        starting_after: p2.data[2].id,
      });
      expect([p3.data.map((c) => c.id), p3.has_more]).toEqual([newestFirst.slice(6), false]);
      const back = await s.stripe.customers.list({
        email: `${tag}@example.com`,
        limit: 2,
        ending_before: p3.data[0].id,
      });
      expect([back.data.map((c) => c.id), back.has_more]).toEqual([newestFirst.slice(4, 6), true]);
      const all: string[] = [];
      for await (const c of s.stripe.customers.list({ email: `${tag}@example.com`, limit: 2 }))
        all.push(c.id);
      expect(all).toEqual(newestFirst);
      const defaults = await call(s, 'GET', '/v1/customers');
      expect((defaults.body.data as unknown[]).length).toBeLessThanOrEqual(10);
    });

    it('should page search results with next_page', async () => {
      const partner = `partner-${Date.now()}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(
          (
            await s.stripe.customers.create({
              email: `p${i}@example.com`,
              metadata: { gateway_partner_id: partner },
            })
          ).id,
        );
      await s.stripe.customers.create({ metadata: { gateway_partner_id: 'someone-else' } });
      const query = `metadata['gateway_partner_id']:'${partner}'`;
      const first = await s.stripe.customers.search({ query, limit: 2 });
      expect([first.object, first.data.length, first.has_more, typeof first.next_page]).toEqual([
        'search_result',
        2,
        true,
        'string',
      ]);
      const seen = [...first.data.map((c) => c.id)];
      let page = first.next_page;
      while (page) {
        const next = await s.stripe.customers.search({ query, limit: 2, page });
        seen.push(...next.data.map((c) => c.id));
        page = next.next_page;
      }
      expect(seen.sort()).toEqual([...ids].sort());
      const auto: string[] = [];
      for await (const c of s.stripe.customers.search({ query, limit: 2 })) auto.push(c.id);
      expect(auto.sort()).toEqual([...ids].sort());
      const and = await s.stripe.customers.search({ query: `${query} AND email:'p3@example.com'` });
      expect(and.data.map((c) => c.id)).toEqual([ids[3]]);
      const or = await s.stripe.customers.search({
        query: `email:'p1@example.com' OR email:'p2@example.com'`,
      });
      expect(or.data.map((c) => c.id).sort()).toEqual([ids[1], ids[2]].sort());
      const bad = await stripeError(
        s.stripe.customers.search({ query: `${query} AND email:'a' OR name:'b'` }),
      );
      expect([bad.statusCode, bad.param]).toEqual([400, 'query']);
    });
  });

  describe('expand', () => {
    it('should expand nested ids, `data.` paths on lists, and refuse unknown paths or more than 4 levels', async () => {
      const { customer, accounts } = await linkAccounts(s, { prefetch: ['ownership'] });
      const acc = await s.stripe.financialConnections.accounts.retrieve(accounts[0].id, {
        expand: ['ownership', 'account_holder.customer'],
      });
      expect((acc.ownership as Stripe.FinancialConnections.AccountOwnership).object).toBe(
        'financial_connections.account_ownership',
      );
      expect((acc.account_holder!.customer as Stripe.Customer).id).toBe(customer.id);
      const list = await s.stripe.financialConnections.accounts.list({
        account_holder: { customer: customer.id },
        expand: ['data.ownership'],
      });
      expect(list.data.every((a) => a.ownership === null || typeof a.ownership === 'object')).toBe(true);
      const pi = await s.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method_data: {
          type: 'us_bank_account',
          us_bank_account: { financial_connections_account: accounts[0].id },
        } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
        // Saved for later, the PaymentMethod is attached to the customer once confirmed.
        setup_future_usage: 'off_session',
        confirm: true,
        mandate_data: {
          customer_acceptance: {
            type: 'online',
            online: { ip_address: '203.0.113.7', user_agent: 'protocol' },
          },
        },
        expand: ['payment_method.customer'],
      });
      const pm = pi.payment_method as Stripe.PaymentMethod;
      expect([pm.object, (pm.customer as Stripe.Customer).id]).toEqual(['payment_method', customer.id]);
      const unknown = await stripeError(s.stripe.customers.retrieve(customer.id, { expand: ['nope'] }));
      expect([unknown.statusCode, unknown.param]).toEqual([400, 'expand']);
      const deep = await stripeError(
        s.stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method.customer.a.b.c'] }),
      );
      expect(deep.statusCode).toBe(400);
      expect(deep.message).toContain('4 levels');
      const notData = await stripeError(s.stripe.customers.list({ expand: ['invoice_settings'] }));
      expect(notData.statusCode).toBe(400);
    });

    it('should expand only what the spec marks expandable (x-expandableFields), like Stripe', async () => {
      const { customer, accounts, session } = await linkAccounts(s, { prefetch: ['ownership'] });
      const id = accounts[0].id;
      // An id that names an object but is not an expandable field (`id`, `account` of a transaction).
      for (const path of ['id', 'account_holder.type', 'ownership.owners.data.id']) {
        const e = await stripeError(s.stripe.financialConnections.accounts.retrieve(id, { expand: [path] }));
        expect([e.statusCode, e.type, e.param, e.message]).toEqual([
          400,
          'StripeInvalidRequestError',
          'expand',
          `This property cannot be expanded (${path}).`,
        ]);
      }
      const txn = (await s.stripe.financialConnections.transactions.list({ account: id, limit: 1 })).data[0];
      if (txn) {
        const e = await stripeError(
          s.stripe.financialConnections.transactions.retrieve(txn.id, { expand: ['account'] }),
        );
        expect(e.statusCode).toBe(400);
      }
      // Embedded lists are walked through `data`; the list's holder customer in a session's accounts.
      const sess = await s.stripe.financialConnections.sessions.retrieve(session.id, {
        expand: [
          'account_holder.customer',
          'accounts.data.ownership',
          'accounts.data.account_holder.customer',
        ],
      });
      expect((sess.account_holder!.customer as Stripe.Customer).id).toBe(customer.id);
      for (const a of sess.accounts.data) {
        expect(typeof a.ownership).toBe('object');
        expect((a.account_holder!.customer as Stripe.Customer).metadata).toBeDefined();
      }
      // Four levels on a list item (data. not counted): account → ownership → owners → data (a list hop).
      const list = await s.stripe.financialConnections.accounts.list({
        account_holder: { customer: customer.id },
        expand: ['data.account_holder.customer', 'data.ownership.owners'],
      });
      expect(list.data.length).toBeGreaterThan(0);
      expect((list.data[0].account_holder!.customer as Stripe.Customer).id).toBe(customer.id);
      const deep = await stripeError(
        s.stripe.financialConnections.accounts.list({
          account_holder: { customer: customer.id },
          expand: ['data.account_holder.customer.invoice_settings.default_payment_method.customer'],
        }),
      );
      expect(deep.statusCode).toBe(400);
      // An empty list refuses a bad path too (its URL names the item schema).
      const lonely = await s.stripe.customers.create({});
      const empty = await stripeError(
        s.stripe.financialConnections.accounts.list({
          account_holder: { customer: lonely.id },
          expand: ['data.id'],
        }),
      );
      expect([empty.statusCode, empty.message]).toEqual([400, 'This property cannot be expanded (data.id).']);
      // A v2 customer_account holder has no `customer`: the expandable path is accepted and changes nothing.
      const v2 = await s.stripe.v2.core.accounts.create({ configuration: { customer: {} } } as never);
      const v2sess = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer_account: v2.id } as never,
        permissions: ['balances'],
        expand: ['account_holder.customer'],
      });
      expect(v2sess.account_holder!.customer ?? null).toBeNull();
    });
  });

  describe('rate limiting', () => {
    it('should answer 429 rate_limit with Stripe-Rate-Limited-Reason once the budget is spent', async () => {
      s.sandbox.setRateLimit({ requestsPerSecond: 3 });
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await call(s, 'GET', '/v1/customers?limit=1'));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      const limited = results[3];
      expect((limited.body.error as { code: string }).code).toBe('rate_limit');
      expect(limited.headers.get('stripe-rate-limited-reason')).toBe('global-rate');
      const err = await stripeError(s.stripe.customers.list());
      expect(err).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    });

    it('should switch rate limiting through the sandbox-only faults route', async () => {
      const on = await call(s, 'POST', '/v1/test_helpers/sandbox/faults', { form: 'requests_per_second=1' });
      expect(on.body.requests_per_second).toBe(1);
      expect((await call(s, 'GET', '/v1/customers')).status).toBe(200);
      expect((await call(s, 'GET', '/v1/customers')).status).toBe(429);
      await call(s, 'POST', '/v1/test_helpers/sandbox/faults', { form: 'requests_per_second=0' });
      expect((await call(s, 'GET', '/v1/customers')).status).toBe(200);
    });
  });

  describe('fault injection', () => {
    it('should fail every request with 500 api_error at errorRate 1, which stripe-node retries', async () => {
      s.sandbox.setFaults({ errorRate: 1 });
      const res = await call(s, 'GET', '/v1/customers');
      expect([res.status, (res.body.error as { type: string }).type]).toEqual([500, 'api_error']);
      const retrying = stripeFor(s.url, 'sk_test_sandbox', { maxNetworkRetries: 1 });
      const before = s.sandbox.requestLog.length;
      const err = await stripeError(retrying.customers.list());
      expect(err).toBeInstanceOf(Stripe.errors.StripeAPIError);
      expect(s.sandbox.requestLog.length - before).toBe(2);
    });

    it('should drop connections at dropRate 1 (a connection error in stripe-node)', async () => {
      s.sandbox.setFaults({ dropRate: 1 });
      const err = await stripeError(s.stripe.customers.list());
      expect(err).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    });

    it('should add latency and be switched at run time through the faults route', async () => {
      const set = await call(s, 'POST', '/v1/test_helpers/sandbox/faults', {
        form: 'latency_ms=120&error_rate=0',
      });
      expect(set.body.latency_ms).toBe(120);
      const t0 = Date.now();
      expect((await call(s, 'GET', '/v1/customers')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
      const off = await call(s, 'POST', '/v1/test_helpers/sandbox/faults', { form: 'reset=true' });
      expect(off.body).toMatchObject({
        latency_ms: 0,
        error_rate: 0,
        drop_rate: 0,
        requests_per_second: null,
      });
    });
  });
});
