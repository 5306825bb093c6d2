// Financial Connections behaviour: sessions and the complete helper, the documented test institutions,
// asynchronous refreshes (pending → succeeded/failed with events) and their refusals, subscriptions,
// owners, and transactions (filters, incremental sync, a 100,000-transaction account).
import type Stripe from 'stripe';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';
import { SANDBOX_ERROR_CODES } from '../../src/sandbox/errors';
import { DEFAULT_INSTITUTION_ID, INSTITUTIONS, listInstitutions } from '../../src/sandbox/institutions';
import { call, checkRecordedResponses, linkAccounts, startRecordingSandbox, stripeError } from './support';
import type { StripeEvent } from '../../src/sandbox/types';

const forAccount = (type: string, id: string) => (e: StripeEvent) =>
  e.type === type && (e.data.object as { id: string }).id === id;

describe('sandbox Financial Connections', () => {
  let s: StartedSandbox;

  beforeAll(async () => {
    s = await startRecordingSandbox({ refreshDelayMs: 40 });
  });

  afterEach(() => {
    expect(checkRecordedResponses(s).problems).toEqual([]);
  });

  afterAll(async () => {
    await s.close();
  });

  describe('sessions and the complete helper', () => {
    it('should create a session with a client secret and no accounts, findable by client secret', async () => {
      const c = await s.stripe.customers.create({});
      const session = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: c.id },
        permissions: ['payment_method', 'balances'],
        filters: { countries: ['US'] },
        return_url: 'https://example.com/done',
      });
      expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_`));
      expect([session.accounts.data, session.permissions, session.return_url]).toEqual([
        [],
        ['payment_method', 'balances'],
        'https://example.com/done',
      ]);
      expect(s.sandbox.store.findSessionByClientSecret(session.client_secret!)?.id).toBe(session.id);
    });

    it('should link the default institution: an active cash checking account with ACH, balance, ownership and transactions', async () => {
      const { session, accounts } = await linkAccounts(s, {
        prefetch: ['balances', 'ownership', 'transactions'],
      });
      const checking = accounts.find((a) => a.category === 'cash' && a.subcategory === 'checking')!;
      expect(checking).toMatchObject({
        status: 'active',
        institution_name: 'Test (Non-OAuth)',
        supported_payment_method_types: ['us_bank_account'],
        balance_refresh: { status: 'succeeded' },
        ownership_refresh: { status: 'succeeded' },
        transaction_refresh: { status: 'succeeded' },
      });
      expect(checking.balance?.current.usd).toEqual(expect.any(Number));
      expect(typeof checking.ownership).toBe('string');
      const txns = await s.stripe.financialConnections.transactions.list({
        account: checking.id,
        limit: 100,
      });
      expect(txns.data.length).toBeGreaterThan(50);
      // One created event per account, as Stripe sends.
      const created = s.sandbox
        .events()
        .filter(
          (e) =>
            e.type === 'financial_connections.account.created' &&
            accounts.some((a) => a.id === (e.data.object as { id: string }).id),
        );
      expect(created).toHaveLength(accounts.length);
      // Prefetched data is there at once, with no refreshed_* events (see linking.ts).
      expect(
        s.sandbox.events().some(forAccount('financial_connections.account.refreshed_balance', checking.id)),
      ).toBe(false);
      expect((await s.stripe.financialConnections.sessions.retrieve(session.id)).accounts.data).toHaveLength(
        accounts.length,
      );
    });

    it('should leave a cancelled session with no accounts, and refuse to complete it again', async () => {
      const c = await s.stripe.customers.create({});
      const session = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: c.id },
        permissions: ['balances'],
      });
      const res = await call(
        s,
        'POST',
        `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
        { form: 'cancel=true' },
      );
      expect([res.status, (res.body.accounts as { data: unknown[] }).data]).toEqual([200, []]);
      const again = await call(
        s,
        'POST',
        `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
        { form: '' },
      );
      expect([again.status, (again.body.error as { code: string }).code]).toEqual([
        400,
        'session_already_completed',
      ]);
    });

    it('should link chosen accounts of a named institution, honouring filters[account_subcategories]', async () => {
      const c = await s.stripe.customers.create({});
      const session = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: c.id },
        permissions: ['payment_method'],
        filters: { account_subcategories: ['savings'] },
      });
      const res = await call(
        s,
        'POST',
        `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
        {
          form: 'institution=Bank%20(OAuth)&accounts[]=checking&accounts[]=savings',
        },
      );
      const data = (res.body.accounts as { data: Stripe.FinancialConnections.Account[] }).data;
      expect(data.map((a) => [a.institution_name, a.subcategory])).toEqual([['Bank (OAuth)', 'savings']]);
    });

    it.each([
      ['Down (Scheduled)', 'institution_down'],
      ['Down (Unscheduled)', 'institution_down'],
      ['Down (Error)', 'institution_down'],
      ['Nowhere Bank', 'institution_not_found'],
    ])('should refuse to link %s with 400 %s', async (institution, code) => {
      const c = await s.stripe.customers.create({});
      const session = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: c.id },
        permissions: ['balances'],
      });
      const res = await call(
        s,
        'POST',
        `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
        {
          form: `institution=${encodeURIComponent(institution)}`,
        },
      );
      expect([res.status, (res.body.error as { code: string }).code]).toEqual([400, code]);
    });

    it('should accept account_holder[customer_account] from Accounts v2 and filter accounts by it', async () => {
      const acct = await s.stripe.v2.core.accounts.create({
        contact_email: 'v2@example.com',
        display_name: 'V2 Holder',
        configuration: { customer: {} },
        metadata: { gateway_partner_id: 'p9' },
        include: ['configuration.customer'],
      });
      expect(acct).toMatchObject({
        object: 'v2.core.account',
        contact_email: 'v2@example.com',
        configuration: { customer: { applied: true } },
      });
      expect(new Date(acct.created).toISOString()).toBe(acct.created);
      const fetched = await s.stripe.v2.core.accounts.retrieve(acct.id, {
        include: ['configuration.customer'],
      });
      expect(fetched.metadata).toEqual({ gateway_partner_id: 'p9' });
      const session = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer_account: acct.id },
        permissions: ['balances'],
      });
      expect(session.account_holder).toEqual({ type: 'customer', customer_account: acct.id });
      await call(s, 'POST', `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`, {
        form: '',
      });
      const list = await s.stripe.financialConnections.accounts.list({
        account_holder: { customer_account: acct.id },
      });
      expect(list.data.length).toBe(3);
      const missing = await stripeError(s.stripe.v2.core.accounts.retrieve('acct_missing'));
      expect(missing.statusCode).toBe(404);
    });

    it('should list accounts by session and by customer', async () => {
      const a = await linkAccounts(s);
      const b = await linkAccounts(s);
      const bySession = await s.stripe.financialConnections.accounts.list({ session: a.session.id });
      expect(bySession.data.map((x) => x.id).sort()).toEqual(a.accounts.map((x) => x.id).sort());
      const byCustomer = await s.stripe.financialConnections.accounts.list({
        account_holder: { customer: b.customer.id },
      });
      expect(byCustomer.data.map((x) => x.id).sort()).toEqual(b.accounts.map((x) => x.id).sort());
    });

    it('should name accounts after a directory bank when the hosted flow simulates it (completeSession)', async () => {
      const c = await s.stripe.customers.create({});
      const session = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: c.id },
        permissions: ['payment_method'],
      });
      const done = s.sandbox.completeSession(session.id, {
        institutionName: 'First Example Credit Union',
        accounts: ['checking'],
      });
      expect(done.accounts.map((a) => [a.institution_name, a.subcategory])).toEqual([
        ['First Example Credit Union', 'checking'],
      ]);
      const listed = await s.stripe.financialConnections.accounts.list({ session: session.id });
      expect(listed.data[0].institution_name).toBe('First Example Credit Union');
    });

    it('should export the documented institutions for the hosted flow', () => {
      const names = listInstitutions().map((i) => i.name);
      for (const n of [
        'Test (Non-OAuth)',
        'Test (OAuth)',
        'Bank (Non-OAuth)',
        'Bank (OAuth)',
        'Ownership Accounts',
        'Invalid Payment Accounts',
        'Down (Scheduled)',
        'Down (Unscheduled)',
        'Down (Error)',
        'Tokenized Account Number',
        'Inactive Accounts',
        'Immediately Requires Reauthentication',
        'Eventually Requires Reauthentication',
      ])
        expect(names).toContain(n);
      expect(INSTITUTIONS.find((i) => i.id === DEFAULT_INSTITUTION_ID)?.name).toBe('Test (Non-OAuth)');
    });
  });

  describe('refresh', () => {
    it('should go pending → succeeded after the delay, update the data and emit refreshed_* events', async () => {
      const { accounts } = await linkAccounts(s);
      const acc = accounts[0];
      expect([acc.balance, acc.balance_refresh, acc.transaction_refresh]).toEqual([null, null, null]);
      const pending = await s.stripe.financialConnections.accounts.refresh(acc.id, {
        features: ['balance', 'transactions'],
      });
      expect(pending.balance_refresh).toMatchObject({ status: 'pending', next_refresh_available_at: null });
      expect(pending.transaction_refresh).toMatchObject({
        status: 'pending',
        id: expect.stringMatching(/^fctxnref_/),
      });
      const balanceEvent = await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.refreshed_balance', acc.id),
      );
      const txnEvent = await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.refreshed_transactions', acc.id),
      );
      expect(
        (balanceEvent.data.object as unknown as Stripe.FinancialConnections.Account).balance_refresh?.status,
      ).toBe('succeeded');
      expect(
        (txnEvent.data.object as unknown as Stripe.FinancialConnections.Account).transaction_refresh?.status,
      ).toBe('succeeded');
      const after = await s.stripe.financialConnections.accounts.retrieve(acc.id);
      expect(after.balance).toMatchObject({
        type: 'cash',
        current: { usd: expect.any(Number) },
        cash: { available: { usd: expect.any(Number) } },
      });
      expect(after.balance_refresh?.next_refresh_available_at).toEqual(expect.any(Number));
    });

    it('should give every refresh attempt of a feature its own last_attempted_at, even within one second', async () => {
      const { accounts } = await linkAccounts(s, { prefetch: ['balances'] });
      const id = accounts[0].id;
      const seen = [accounts[0].balance_refresh!.last_attempted_at];
      const asOf = [accounts[0].balance!.as_of];
      for (let i = 0; i < 3; i++) {
        const started = await s.stripe.financialConnections.accounts.refresh(id, { features: ['balance'] });
        seen.push(started.balance_refresh!.last_attempted_at);
        const done = await s.sandbox.waitForEvent(
          (e) =>
            forAccount('financial_connections.account.refreshed_balance', id)(e) &&
            (e.data.object as unknown as Stripe.FinancialConnections.Account).balance_refresh
              ?.last_attempted_at === seen[seen.length - 1],
        );
        asOf.push((done.data.object as unknown as Stripe.FinancialConnections.Account).balance!.as_of);
      }
      expect(new Set(seen).size).toBe(4);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(new Set(asOf).size).toBe(4);
    });

    it('should move the current balance on each later balance refresh (so a refresh visibly changes it)', async () => {
      const { accounts } = await linkAccounts(s, { prefetch: ['balances'] });
      const id = accounts[0].id;
      const balances = [accounts[0].balance!];
      for (let i = 0; i < 2; i++) {
        const started = await s.stripe.financialConnections.accounts.refresh(id, { features: ['balance'] });
        const done = await s.sandbox.waitForEvent(
          (e) =>
            forAccount('financial_connections.account.refreshed_balance', id)(e) &&
            (e.data.object as unknown as Stripe.FinancialConnections.Account).balance_refresh
              ?.last_attempted_at === started.balance_refresh!.last_attempted_at,
        );
        balances.push((done.data.object as unknown as Stripe.FinancialConnections.Account).balance!);
      }
      const current = balances.map((b) => b.current.usd);
      expect(new Set(current).size).toBe(3);
      expect(new Set(balances.map((b) => b.cash!.available!.usd)).size).toBe(3);
    });

    it('should fail a refresh of data the institution cannot provide, with a refreshed_* event', async () => {
      const { accounts } = await linkAccounts(s, { accounts: ['data_unavailable'] });
      await s.stripe.financialConnections.accounts.refresh(accounts[0].id, { features: ['balance'] });
      const e = await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.refreshed_balance', accounts[0].id),
      );
      expect((e.data.object as unknown as Stripe.FinancialConnections.Account).balance_refresh?.status).toBe(
        'failed',
      );
    });

    it('should refuse a refresh while one is pending or before next_refresh_available_at with an uncoded 400 (Stripe documents no code)', async () => {
      const slow = await startSandbox({ refreshDelayMs: 5, refreshCooldownSeconds: 3600 });
      try {
        const { accounts } = await linkAccounts(slow);
        const id = accounts[0].id;
        await slow.stripe.financialConnections.accounts.refresh(id, { features: ['balance'] });
        const whilePending = await stripeError(
          slow.stripe.financialConnections.accounts.refresh(id, { features: ['balance'] }),
        );
        expect([whilePending.statusCode, whilePending.type, whilePending.code]).toEqual([
          400,
          'StripeInvalidRequestError',
          undefined,
        ]);
        await slow.sandbox.waitForEvent(forAccount('financial_connections.account.refreshed_balance', id));
        const tooSoon = await stripeError(
          slow.stripe.financialConnections.accounts.refresh(id, { features: ['balance'] }),
        );
        expect([tooSoon.statusCode, tooSoon.type, tooSoon.code]).toEqual([
          400,
          'StripeInvalidRequestError',
          undefined,
        ]);
        slow.sandbox.advanceTime(3601);
        const again = await slow.stripe.financialConnections.accounts.refresh(id, { features: ['balance'] });
        expect(again.balance_refresh?.status).toBe('pending');
        await slow.sandbox.waitForEvent(
          (e) =>
            e.type === 'financial_connections.account.refreshed_balance' &&
            e.created > 0 &&
            slow.sandbox.events().filter((x) => x.type === e.type).length === 2,
        );
      } finally {
        await slow.close();
      }
    });

    it(`should refuse a feature whose permission was not granted with ${SANDBOX_ERROR_CODES.permissionNotGranted}, changing nothing`, async () => {
      const { accounts } = await linkAccounts(s, { permissions: ['payment_method', 'balances'] });
      const err = await stripeError(
        s.stripe.financialConnections.accounts.refresh(accounts[0].id, {
          features: ['balance', 'transactions'],
        }),
      );
      expect([err.statusCode, err.code, err.param]).toEqual([
        400,
        SANDBOX_ERROR_CODES.permissionNotGranted,
        'features',
      ]);
      expect(
        (await s.stripe.financialConnections.accounts.retrieve(accounts[0].id)).balance_refresh,
      ).toBeNull();
      const sub = await stripeError(
        s.stripe.financialConnections.accounts.subscribe(accounts[0].id, { features: ['transactions'] }),
      );
      expect(sub.code).toBe(SANDBOX_ERROR_CODES.permissionNotGranted);
    });

    it(`should refuse refresh and subscribe on inactive and disconnected accounts with ${SANDBOX_ERROR_CODES.accountInactive}`, async () => {
      const { accounts } = await linkAccounts(s, { institution: 'Inactive Accounts' });
      const id = accounts[0].id;
      const deactivated = await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.deactivated', id),
      );
      expect(deactivated.data.previous_attributes).toEqual({ status: 'active' });
      expect((await s.stripe.financialConnections.accounts.retrieve(id)).status).toBe('inactive');
      for (const p of [
        s.stripe.financialConnections.accounts.refresh(id, { features: ['balance'] }),
        s.stripe.financialConnections.accounts.subscribe(id, { features: ['transactions'] }),
      ]) {
        const err = await stripeError(p);
        expect([err.statusCode, err.code]).toEqual([400, SANDBOX_ERROR_CODES.accountInactive]);
      }
      const linked = await linkAccounts(s);
      await s.stripe.financialConnections.accounts.disconnect(linked.accounts[0].id);
      await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.disconnected', linked.accounts[0].id),
      );
      const err = await stripeError(
        s.stripe.financialConnections.accounts.refresh(linked.accounts[0].id, { features: ['balance'] }),
      );
      expect(err.code).toBe(SANDBOX_ERROR_CODES.accountInactive);
    });

    it('should reactivate an inactive account when it is relinked (same id, reactivated event)', async () => {
      const first = await linkAccounts(s, { institution: 'Inactive Accounts' });
      const id = first.accounts[0].id;
      await s.sandbox.waitForEvent(forAccount('financial_connections.account.deactivated', id));
      const session = await s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: first.customer.id },
        permissions: ['balances', 'ownership', 'payment_method', 'transactions'],
      });
      const res = await call(
        s,
        'POST',
        `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
        { form: 'institution=Inactive%20Accounts' },
      );
      expect(
        (res.body.accounts as { data: { id: string; status: string }[] }).data.map((a) => [a.id, a.status]),
      ).toEqual([[id, 'active']]);
      await s.sandbox.waitForEvent(forAccount('financial_connections.account.reactivated', id));
    });

    it('should send the tokenized-account-number and reauthentication notices', async () => {
      const tan = await linkAccounts(s, { institution: 'Tokenized Account Number' });
      const [expired, eventually, immediately] = tan.accounts;
      expect(expired.account_numbers?.[0]).toMatchObject({
        identifier_type: 'tokenized_account_number',
        status: 'deactivated',
      });
      await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.upcoming_account_number_expiry', eventually.id),
      );
      const updated = await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.account_numbers_updated', immediately.id),
      );
      expect(
        (updated.data.object as unknown as Stripe.FinancialConnections.Account).account_numbers?.[0].status,
      ).toBe('deactivated');
      const reauth = await linkAccounts(s, { institution: 'Eventually Requires Reauthentication' });
      await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.upcoming_deactivation', reauth.accounts[0].id),
      );
      await s.sandbox.waitForEvent('financial_connections.authorization.upcoming_deactivation');
      expect(reauth.accounts[0].status_details?.active?.expected_deactivation_date).toEqual(
        expect.any(Number),
      );
    });
  });

  describe('the account notice helpers (npm run trigger)', () => {
    const helper = (id: string, name: string, params: Record<string, unknown> = {}) =>
      s.stripe.rawRequest(
        'POST',
        `/v1/test_helpers/financial_connections/accounts/${id}/${name}`,
        params,
      ) as Promise<unknown> as Promise<Stripe.FinancialConnections.Account>;

    it('should date the tokenized account number and announce its expiry, refusing plain and past ones', async () => {
      const tan = await linkAccounts(s, {
        institution: 'Tokenized Account Number',
        accounts: ['tan_eventually_expiring'],
      });
      const id = tan.accounts[0].id;
      const at = s.sandbox.store.clock.now() + 7 * 86_400;
      const dated = await helper(id, 'upcoming_account_number_expiry', { expected_expiry_date: at });
      expect(dated.account_numbers).toEqual([
        {
          identifier_type: 'tokenized_account_number',
          status: 'transactable',
          supported_networks: ['ach'],
          expected_expiry_date: at,
        },
      ]);
      // The helper's event (it names the request), not the template's own notice after deactivationDelayMs.
      const event = await s.sandbox.waitForEvent(
        (e) =>
          forAccount('financial_connections.account.upcoming_account_number_expiry', id)(e) &&
          e.request.id !== null,
      );
      expect(
        (event.data.object as unknown as Stripe.FinancialConnections.Account).account_numbers?.[0]
          .expected_expiry_date,
      ).toBe(at);

      const past = await stripeError(
        helper(id, 'upcoming_account_number_expiry', { expected_expiry_date: at - 30 * 86_400 }),
      );
      expect([past.statusCode, past.param]).toEqual([400, 'expected_expiry_date']);
      const plain = (await linkAccounts(s, { accounts: ['checking'] })).accounts[0];
      const refused = await stripeError(helper(plain.id, 'upcoming_account_number_expiry'));
      expect([refused.statusCode, refused.code]).toEqual([
        400,
        'financial_connections_account_unavailable_account_numbers',
      ]);
      expect(
        (await s.stripe.financialConnections.accounts.retrieve(plain.id)).account_numbers?.[0]
          .expected_expiry_date,
      ).toBeNull();
    });

    it('should remove us_bank_account, then restore it, with the previous types in each event', async () => {
      const { accounts } = await linkAccounts(s, { accounts: ['checking', 'credit_card'] });
      const [checking, card] = accounts;
      const changes: [string[], unknown][] = [];
      for (let i = 0; i < 2; i++) {
        const updated = await helper(checking.id, 'update_supported_payment_method_types');
        const event = await s.sandbox.waitForEvent(
          (e) =>
            forAccount(
              'financial_connections.account.supported_payment_method_types_updated',
              checking.id,
            )(e) && !changes.some(([, seen]) => seen === e.id),
        );
        expect(
          (event.data.object as { supported_payment_method_types: string[] }).supported_payment_method_types,
        ).toEqual(updated.supported_payment_method_types);
        changes.push([updated.supported_payment_method_types, event.id]);
        expect(event.data.previous_attributes).toEqual({
          supported_payment_method_types: i === 0 ? ['us_bank_account'] : [],
        });
      }
      expect(changes.map(([types]) => types)).toEqual([[], ['us_bank_account']]);

      const foreign = await stripeError(
        helper(checking.id, 'update_supported_payment_method_types', {
          supported_payment_method_types: ['link'],
        }),
      );
      expect([foreign.statusCode, foreign.param]).toEqual([400, 'supported_payment_method_types']);
      const unchanged = await stripeError(helper(card.id, 'update_supported_payment_method_types'));
      expect([unchanged.statusCode, unchanged.param]).toEqual([400, 'supported_payment_method_types']);
    });
  });

  describe('subscriptions and owners', () => {
    it('should start a transaction refresh on subscribe, and stop on unsubscribe', async () => {
      const { accounts } = await linkAccounts(s);
      const sub = await s.stripe.financialConnections.accounts.subscribe(accounts[0].id, {
        features: ['transactions'],
      });
      expect([sub.subscriptions, sub.transaction_refresh?.status]).toEqual([['transactions'], 'pending']);
      await s.sandbox.waitForEvent(
        forAccount('financial_connections.account.refreshed_transactions', accounts[0].id),
      );
      // Subscribed accounts refresh daily: moving the sandbox clock a day starts the next refresh.
      const clock = (await s.stripe.rawRequest('POST', '/v1/test_helpers/sandbox/clock/advance', {
        seconds: 86_400,
      })) as {
        refreshed_accounts: string[];
      };
      expect(clock.refreshed_accounts).toContain(accounts[0].id);
      await s.sandbox.waitForEvent(
        (e) =>
          forAccount('financial_connections.account.refreshed_transactions', accounts[0].id)(e) &&
          s.sandbox
            .events()
            .filter(forAccount('financial_connections.account.refreshed_transactions', accounts[0].id))
            .length === 2,
      );
      const unsub = await s.stripe.financialConnections.accounts.unsubscribe(accounts[0].id, {
        features: ['transactions'],
      });
      expect(unsub.subscriptions).toEqual([]);
    });

    it('should list owners of the current ownership, and require the ownership parameter', async () => {
      const { accounts } = await linkAccounts(s, {
        institution: 'Ownership Accounts',
        prefetch: ['ownership'],
      });
      const joint = accounts.find((a) => a.display_name === 'Joint Account')!;
      const owners = await s.stripe.financialConnections.accounts.listOwners(joint.id, {
        ownership: joint.ownership as string,
      });
      expect(owners.data).toHaveLength(2);
      expect(owners.data[0]).toMatchObject({
        object: 'financial_connections.account_owner',
        ownership: joint.ownership,
        name: expect.any(String),
      });
      const noData = accounts.find((a) => a.display_name === 'No Ownership Data')!;
      expect(noData.ownership_refresh?.status).toBe('failed');
      const missing = await stripeError(
        s.stripe.financialConnections.accounts.listOwners(
          joint.id,
          {} as Stripe.FinancialConnections.AccountListOwnersParams,
        ),
      );
      expect([missing.statusCode, missing.code, missing.param]).toEqual([
        400,
        'parameter_missing',
        'ownership',
      ]);
    });
  });

  describe('transactions', () => {
    it('should filter by transacted_at ranges and page newest first', async () => {
      const { accounts } = await linkAccounts(s, { prefetch: ['transactions'] });
      const id = accounts[0].id;
      const all: Stripe.FinancialConnections.Transaction[] = [];
      for await (const t of s.stripe.financialConnections.transactions.list({ account: id, limit: 50 }))
        all.push(t);
      expect(all).toHaveLength(120);
      expect(all.every((t, i) => i === 0 || all[i - 1].transacted_at >= t.transacted_at)).toBe(true);
      expect(new Set(all.map((t) => t.status))).toEqual(
        new Set(['pending', 'posted', 'void'].filter((st) => all.some((t) => t.status === st))),
      );
      expect(all.some((t) => t.amount < 0) && all.some((t) => t.amount > 0)).toBe(true);
      const mid = all[60].transacted_at;
      const gte = await s.stripe.financialConnections.transactions.list({
        account: id,
        transacted_at: { gte: mid },
        limit: 100,
      });
      expect(gte.data.map((t) => t.id)).toEqual(all.filter((t) => t.transacted_at >= mid).map((t) => t.id));
      const lt = await s.stripe.financialConnections.transactions.list({
        account: id,
        transacted_at: { lt: mid },
        limit: 100,
      });
      expect(lt.data.map((t) => t.id)).toEqual(all.filter((t) => t.transacted_at < mid).map((t) => t.id));
      const window = await s.stripe.financialConnections.transactions.list({
        account: id,
        transacted_at: { gt: all[90].transacted_at, lte: all[30].transacted_at },
        limit: 100,
      });
      expect(window.data.map((t) => t.id)).toEqual(
        all
          .filter((t) => t.transacted_at > all[90].transacted_at && t.transacted_at <= all[30].transacted_at)
          .map((t) => t.id),
      );
    });

    it('should return only later changes with transaction_refresh[after] (incremental sync)', async () => {
      const { accounts } = await linkAccounts(s, { prefetch: ['transactions'] });
      const id = accounts[0].id;
      const firstRefresh = accounts[0].transaction_refresh!.id;
      await s.stripe.financialConnections.accounts.refresh(id, { features: ['transactions'] });
      const e = await s.sandbox.waitForEvent(
        (ev) =>
          forAccount('financial_connections.account.refreshed_transactions', id)(ev) &&
          (ev.data.object as unknown as Stripe.FinancialConnections.Account).transaction_refresh?.id !==
            firstRefresh,
      );
      const secondRefresh = (e.data.object as unknown as Stripe.FinancialConnections.Account)
        .transaction_refresh!.id;
      const changed = await s.stripe.financialConnections.transactions.list({
        account: id,
        transaction_refresh: { after: firstRefresh },
        limit: 100,
      });
      expect(changed.data.length).toBeGreaterThan(0);
      expect(changed.data.every((t) => t.transaction_refresh === secondRefresh)).toBe(true);
      const none = await s.stripe.financialConnections.transactions.list({
        account: id,
        transaction_refresh: { after: secondRefresh },
      });
      expect(none.data).toEqual([]);
    });

    it('should post, void and add transactions on later refreshes, each stamped with its refresh', async () => {
      const { accounts } = await linkAccounts(s, { prefetch: ['transactions'] });
      const id = accounts[0].id;
      let previous = accounts[0].transaction_refresh!;
      const seen = { posted: 0, void: 0, added: 0 };
      const refreshes = new Set([previous.id]);
      const known = new Map<string, Stripe.FinancialConnections.Transaction>();
      for await (const t of s.stripe.financialConnections.transactions.list({ account: id, limit: 100 }))
        known.set(t.id, t);
      for (let i = 0; i < 5; i++) {
        await s.stripe.financialConnections.accounts.refresh(id, { features: ['transactions'] });
        const e = await s.sandbox.waitForEvent(
          (ev) =>
            forAccount('financial_connections.account.refreshed_transactions', id)(ev) &&
            !refreshes.has(
              (ev.data.object as unknown as Stripe.FinancialConnections.Account).transaction_refresh!.id,
            ),
        );
        const current = (e.data.object as unknown as Stripe.FinancialConnections.Account)
          .transaction_refresh!;
        const changed: Stripe.FinancialConnections.Transaction[] = [];
        for await (const t of s.stripe.financialConnections.transactions.list({
          account: id,
          transaction_refresh: { after: previous.id },
          limit: 100,
        }))
          changed.push(t);
        for (const t of changed) {
          expect(t.transaction_refresh).toBe(current.id);
          const before = known.get(t.id);
          if (!before) {
            seen.added += 1;
            // Arrivals happened after the previous attempt, by this one.
            expect(t.transacted_at).toBeGreaterThan(previous.last_attempted_at);
            expect(t.transacted_at).toBeLessThanOrEqual(current.last_attempted_at);
          } else {
            expect(before.status).toBe('pending');
            if (t.status === 'posted') {
              seen.posted += 1;
              expect(t.status_transitions.posted_at).toBeGreaterThanOrEqual(current.last_attempted_at);
            } else {
              expect(t.status).toBe('void');
              seen.void += 1;
              expect(t.status_transitions.void_at).toBeGreaterThanOrEqual(current.last_attempted_at);
            }
          }
          known.set(t.id, t);
        }
        refreshes.add(current.id);
        previous = current;
      }
      expect(seen.posted).toBeGreaterThan(0);
      expect(seen.void).toBeGreaterThan(0);
      expect(seen.added).toBeGreaterThan(0);
    });

    it('should require the account parameter and refuse transactions of a disconnected account', async () => {
      const missing = await stripeError(
        s.stripe.financialConnections.transactions.list(
          {} as Stripe.FinancialConnections.TransactionListParams,
        ),
      );
      expect([missing.code, missing.param]).toEqual(['parameter_missing', 'account']);
      const { accounts } = await linkAccounts(s, { prefetch: ['transactions'] });
      await s.stripe.financialConnections.accounts.disconnect(accounts[0].id);
      const err = await stripeError(
        s.stripe.financialConnections.transactions.list({ account: accounts[0].id }),
      );
      expect(err.code).toBe(SANDBOX_ERROR_CODES.accountInactive);
    });

    it('should give the same data for the same seed', async () => {
      const a = await startSandbox({ seed: 7 });
      const b = await startSandbox({ seed: 7 });
      try {
        const la = await linkAccounts(a, { prefetch: ['transactions', 'balances'] });
        const lb = await linkAccounts(b, { prefetch: ['transactions', 'balances'] });
        const ta = await a.stripe.financialConnections.transactions.list({
          account: la.accounts[0].id,
          limit: 20,
        });
        const tb = await b.stripe.financialConnections.transactions.list({
          account: lb.accounts[0].id,
          limit: 20,
        });
        const shape = (t: Stripe.FinancialConnections.Transaction) => [
          t.id,
          t.amount,
          t.description,
          t.status,
        ];
        expect(ta.data.map(shape)).toEqual(tb.data.map(shape));
        // as_of is the link time, which may fall in different seconds for the two sandboxes.
        const amounts = (b: Stripe.FinancialConnections.Account['balance']) => [b?.current, b?.cash];
        expect(amounts(la.accounts[0].balance)).toEqual(amounts(lb.accounts[0].balance));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('should serve an account with 100,000 transactions (the size knob) page by page', async () => {
      const big = await startSandbox({ transactionsPerAccount: 100_000, refreshDelayMs: 1 });
      try {
        const { accounts } = await linkAccounts(big, { accounts: ['checking'] });
        await big.stripe.financialConnections.accounts.refresh(accounts[0].id, {
          features: ['transactions'],
        });
        await big.sandbox.waitForEvent('financial_connections.account.refreshed_transactions', 20_000);
        // Paging at this size, checked by its results rather than by how long it took: 50 pages chained by
        // starting_after, in the stored order without gaps or repeats, and the last page of the 100,000.
        const ids: string[] = [];
        const times: number[] = [];
        let last: string | undefined;
        for (let page = 0; page < 50; page++) {
          const list = await big.stripe.financialConnections.transactions.list({
            account: accounts[0].id,
            limit: 100,
            ...(last ? { starting_after: last } : {}),
          });
          expect(list.has_more).toBe(true);
          ids.push(...list.data.map((t) => t.id));
          times.push(...list.data.map((t) => t.transacted_at));
          last = ids[ids.length - 1];
        }
        expect([ids.length, new Set(ids).size]).toEqual([5000, 5000]);
        expect(times).toEqual([...times].sort((a, b) => b - a));
        const history = big.sandbox.store.fcAccounts.get(accounts[0].id)!.transactions;
        expect(history).toHaveLength(100_000);
        expect(ids).toEqual(history.slice(0, 5000).map((t) => t.id));
        const tail = await big.stripe.financialConnections.transactions.list({
          account: accounts[0].id,
          limit: 100,
          starting_after: history[99_949].id,
        });
        expect([tail.data.map((t) => t.id), tail.has_more]).toEqual([
          history.slice(99_950).map((t) => t.id),
          false,
        ]);
        // The history reaches 180 days back from the sandbox's clock.
        const oldest = await big.stripe.financialConnections.transactions.list({
          account: accounts[0].id,
          limit: 1,
          transacted_at: { lt: big.sandbox.store.clock.now() - 179 * 86_400 },
        });
        expect(oldest.data).toHaveLength(1);
      } finally {
        await big.close();
      }
    });
  });
});
