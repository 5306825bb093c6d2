// Saved bank accounts: a SetupIntent (or setup_future_usage) attaches the PaymentMethod with a multi_use mandate;
// later debits run off-session under that mandate with no new acceptance; detached, other customers' and
// blocked PaymentMethods and inactive mandates are refused with Stripe's errors; returns block the account.
import type Stripe from 'stripe';
import type { StartedSandbox } from '../helpers/sandbox';
import {
  achData,
  call,
  checkRecordedResponses,
  eventAbout,
  linkAccounts,
  ONLINE_MANDATE,
  startRecordingSandbox,
  stripeError,
} from './support';

describe('sandbox saved bank accounts and off-session debits', () => {
  let s: StartedSandbox;

  beforeAll(async () => {
    s = await startRecordingSandbox({ achDelayMs: 20 });
  });

  afterEach(() => {
    expect(checkRecordedResponses(s).problems).toEqual([]);
  });

  afterAll(async () => {
    await s.close();
  });

  /** A customer with a bank account saved by a SetupIntent: its PaymentMethod and multi_use mandate. */
  async function saved(account = 'checking') {
    const { customer, accounts } = await linkAccounts(s, { accounts: [account] });
    const si = await s.stripe.setupIntents.create({
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
      payment_method_data: achData(accounts[0].id),
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    return { customer, si, pm: si.payment_method as string, mandate: si.mandate as string };
  }

  function debit(customer: string, pm: string, mandate: string, extra: Record<string, unknown> = {}) {
    return s.stripe.paymentIntents.create({
      amount: 1999,
      currency: 'usd',
      customer,
      payment_method_types: ['us_bank_account'],
      payment_method: pm,
      mandate,
      off_session: true,
      confirm: true,
      ...extra,
    });
  }

  it('should save the account with a SetupIntent, then debit it three times off-session under the same mandate', async () => {
    const { customer, si, pm, mandate } = await saved();
    expect(si.status).toBe('succeeded');
    const attached = await s.sandbox.waitForEvent(eventAbout('payment_method.attached', pm));
    expect((attached.data.object as { customer: string }).customer).toBe(customer.id);
    const m = await s.stripe.mandates.retrieve(mandate);
    expect([m.type, m.status, m.payment_method, m.customer_acceptance.type]).toEqual([
      'multi_use',
      'active',
      pm,
      'online',
    ]);
    const mandatesBefore = s.sandbox.store.mandates.size;
    for (let i = 0; i < 3; i++) {
      const pi = await debit(customer.id, pm, mandate);
      expect(pi.status).toBe('processing');
      const done = await s.sandbox.waitForEvent(eventAbout('payment_intent.succeeded', pi.id));
      expect((done.data.object as { amount_received: number }).amount_received).toBe(1999);
    }
    expect(s.sandbox.store.mandates.size).toBe(mandatesBefore);
    // Without `mandate`, a saved PaymentMethod pays under the mandate it was set up with, as on Stripe.
    const implicit = await s.stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm,
      confirm: true,
    });
    expect(implicit.status).toBe('processing');
    expect(s.sandbox.store.mandates.size).toBe(mandatesBefore);
  });

  it('should make a single_use mandate for one payment, and a multi_use one (attaching the method) with setup_future_usage', async () => {
    const { customer, accounts } = await linkAccounts(s);
    const once = await s.stripe.paymentIntents.create({
      amount: 4200,
      currency: 'usd',
      customer: customer.id,
      payment_method_data: achData(accounts[0].id),
      confirm: true,
      mandate_data: {
        customer_acceptance: { type: 'offline' },
      } as Stripe.PaymentIntentCreateParams.MandateData,
    });
    const oncePm = await s.stripe.paymentMethods.retrieve(once.payment_method as string);
    expect(oncePm.customer).toBeNull();
    const single = s.sandbox.store.mandates.newestFirst()[0];
    expect([single.type, single.single_use, (single.customer_acceptance as { type: string }).type]).toEqual([
      'single_use',
      { amount: 4200, currency: 'usd' },
      'offline',
    ]);

    const keep = await s.stripe.paymentIntents.create({
      amount: 4200,
      currency: 'usd',
      customer: customer.id,
      setup_future_usage: 'off_session',
      payment_method_data: achData(accounts[1].id),
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    const keptPm = await s.stripe.paymentMethods.retrieve(keep.payment_method as string);
    expect(keptPm.customer).toBe(customer.id);
    expect(s.sandbox.store.mandates.newestFirst()[0]).toMatchObject({ type: 'multi_use', status: 'active' });
    const listed = await s.stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((x) => x.id)).toEqual([keptPm.id]);
  });

  it("should refuse another customer's method, a detached method and an inactive mandate with Stripe's errors", async () => {
    const a = await saved();
    const b = await saved();
    const foreign = await stripeError(debit(b.customer.id, a.pm, a.mandate));
    expect([foreign.statusCode, foreign.code, foreign.param]).toEqual([
      400,
      'resource_missing',
      'payment_method',
    ]);
    const wrongMandate = await stripeError(debit(a.customer.id, a.pm, b.mandate));
    expect([wrongMandate.code, wrongMandate.param]).toEqual(['payment_intent_mandate_invalid', 'mandate']);
    const missing = await stripeError(debit(a.customer.id, a.pm, 'mandate_nope'));
    expect([missing.code, missing.param]).toEqual(['resource_missing', 'mandate']);
    const notYours = await call(s, 'GET', `/v1/customers/${b.customer.id}/payment_methods/${a.pm}`);
    expect([notYours.status, (notYours.body.error as { code: string }).code]).toEqual([
      404,
      'resource_missing',
    ]);

    await s.stripe.paymentMethods.detach(a.pm);
    const detached = await s.sandbox.waitForEvent(eventAbout('payment_method.detached', a.pm));
    expect(detached.data.previous_attributes).toMatchObject({ customer: a.customer.id });
    const updated = await s.sandbox.waitForEvent(eventAbout('mandate.updated', a.mandate));
    expect([(updated.data.object as { status: string }).status, updated.data.previous_attributes]).toEqual([
      'inactive',
      { status: 'active' },
    ]);
    expect((await s.stripe.mandates.retrieve(a.mandate)).status).toBe('inactive');
    // Detached, the method has no customer: Stripe refuses to use it again whoever asks.
    const reuse = await stripeError(
      s.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: a.pm, confirm: true }),
    );
    expect([reuse.code, reuse.param]).toEqual(['payment_method_unexpected_state', 'payment_method']);
    const reattach = await stripeError(s.stripe.paymentMethods.attach(a.pm, { customer: a.customer.id }));
    expect(reattach.code).toBe('payment_method_unexpected_state');
    expect((await s.stripe.customers.listPaymentMethods(a.customer.id)).data).toEqual([]);
  });

  it.each([
    ['account_closed', 'R02', 'bank_account_closed'],
    ['debit_not_authorized', 'R10', 'debit_not_authorized'],
  ])(
    'should block a saved %s account after its return (status_details.blocked) and refuse it afterwards',
    async (account, networkCode, reason) => {
      const { customer, pm, mandate } = await saved(account);
      const pi = await debit(customer.id, pm, mandate);
      const failed = await s.sandbox.waitForEvent(eventAbout('payment_intent.payment_failed', pi.id));
      expect((failed.data.object as unknown as Stripe.PaymentIntent).last_payment_error?.code).toBe(account);
      const blocked = await s.stripe.paymentMethods.retrieve(pm);
      expect(blocked.us_bank_account?.status_details?.blocked).toEqual({ network_code: networkCode, reason });
      expect((await s.stripe.mandates.retrieve(mandate)).status).toBe('inactive');
      const again = await stripeError(debit(customer.id, pm, mandate));
      expect(again.code).toBe('payment_method_bank_account_blocked');
    },
  );

  it('should fail every failing test account with its code and message, back in requires_payment_method', async () => {
    for (const account of ['insufficient_funds', 'account_closed', 'no_account', 'debit_not_authorized']) {
      const { customer, pm, mandate } = await saved(account);
      const pi = await debit(customer.id, pm, mandate);
      const failed = await s.sandbox.waitForEvent(eventAbout('payment_intent.payment_failed', pi.id));
      const obj = failed.data.object as unknown as Stripe.PaymentIntent;
      expect([obj.status, obj.last_payment_error?.code, typeof obj.last_payment_error?.message]).toEqual([
        'requires_payment_method',
        account,
        'string',
      ]);
      expect(failed.data.previous_attributes).toMatchObject({ status: 'processing', payment_method: pm });
    }
  });

  it('should create, update and list PaymentMethods as Stripe does', async () => {
    const { customer, accounts } = await linkAccounts(s);
    const pm = await s.stripe.paymentMethods.create({
      type: 'us_bank_account',
      us_bank_account: { financial_connections_account: accounts[0].id },
    } as Stripe.PaymentMethodCreateParams);
    const early = await stripeError(s.stripe.paymentMethods.update(pm.id, { metadata: { a: '1' } }));
    expect(early.code).toBe('payment_method_unexpected_state');
    await s.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const updated = await s.stripe.paymentMethods.update(pm.id, {
      billing_details: { name: 'Jenny Rosen' },
    });
    expect(updated.billing_details.name).toBe('Jenny Rosen');
    const ev = await s.sandbox.waitForEvent(eventAbout('payment_method.updated', pm.id));
    expect(ev.data.previous_attributes).toHaveProperty('billing_details');
    const manual = await stripeError(
      s.stripe.paymentMethods.create({
        type: 'us_bank_account',
        us_bank_account: { account_number: '000123456789', routing_number: '110000000' },
      } as Stripe.PaymentMethodCreateParams),
    );
    expect([manual.code, manual.param]).toEqual(['parameter_missing', 'billing_details[name]']);
    const other = await stripeError(
      s.stripe.paymentMethods.create({ type: 'card' } as Stripe.PaymentMethodCreateParams),
    );
    expect(other.code).toBe('payment_method_unsupported_type');
    const unverified = await s.stripe.paymentMethods.create({
      type: 'us_bank_account',
      us_bank_account: { account_number: '000123456789', routing_number: '110000000' },
      billing_details: { name: 'Jenny Rosen' },
    } as Stripe.PaymentMethodCreateParams);
    expect(unverified.us_bank_account).toMatchObject({ bank_name: 'STRIPE TEST BANK', last4: '6789' });
    const refused = await stripeError(
      s.stripe.paymentMethods.attach(unverified.id, { customer: customer.id }),
    );
    expect(refused.code).toBe('payment_method_unexpected_state');
  });

  it('should link a manually entered account through the complete helper only when the session allows manual entry', async () => {
    const customer = await s.stripe.customers.create({ name: 'Manual' });
    const open = (mode: 'automatic' | 'disabled') =>
      s.stripe.financialConnections.sessions.create({
        account_holder: { type: 'customer', customer: customer.id },
        permissions: ['payment_method'],
        manual_entry: { mode },
      } as Stripe.FinancialConnections.SessionCreateParams);
    const complete = (id: string) =>
      s.stripe.rawRequest('POST', `/v1/test_helpers/financial_connections/sessions/${id}/complete`, {
        manual_entry: { account_number: '000222222227' },
      }) as Promise<Stripe.FinancialConnections.Session>;
    const refused = await stripeError(complete((await open('disabled')).id));
    expect(refused.code).toBe('manual_entry_disabled');
    const done = await complete((await open('automatic')).id);
    const [account] = done.accounts.data;
    expect([account.institution_name, account.last4, account.supported_payment_method_types]).toEqual([
      'STRIPE TEST BANK',
      '2227',
      ['us_bank_account'],
    ]);
    const pi = await s.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method_data: achData(account.id),
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    expect([pi.status, pi.next_action?.type]).toEqual(['requires_action', 'verify_with_microdeposits']);
    const verified = await s.stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM11AA' });
    expect(verified.status).toBe('processing');
    const failed = await s.sandbox.waitForEvent(eventAbout('payment_intent.payment_failed', pi.id));
    expect((failed.data.object as unknown as Stripe.PaymentIntent).last_payment_error?.code).toBe(
      'insufficient_funds',
    );
  });
});
