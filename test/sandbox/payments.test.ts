// ACH Direct Debit from FC accounts: PaymentIntent status transitions (processing → succeeded, or back to
// requires_payment_method with last_payment_error), cancel, who may pay, and SetupIntents.
import type Stripe from 'stripe';
import type { StartedSandbox } from '../helpers/sandbox';
import { SANDBOX_ERROR_CODES } from '../../src/sandbox/errors';
import {
  achData,
  checkRecordedResponses,
  eventAbout,
  linkAccounts,
  ONLINE_MANDATE,
  startRecordingSandbox,
  stripeError,
} from './support';

describe('sandbox ACH payments', () => {
  let s: StartedSandbox;

  beforeAll(async () => {
    s = await startRecordingSandbox({ achDelayMs: 40 });
  });

  afterEach(() => {
    expect(checkRecordedResponses(s).problems).toEqual([]);
  });

  afterAll(async () => {
    await s.close();
  });

  async function pay(fca: string, customer?: string): Promise<Stripe.PaymentIntent> {
    return s.stripe.paymentIntents.create({
      amount: 4200,
      currency: 'usd',
      ...(customer ? { customer } : {}),
      payment_method_types: ['us_bank_account'],
      payment_method_data: achData(fca),
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
  }

  it('should go requires_confirmation → processing → succeeded with processing and succeeded events', async () => {
    const { customer, accounts } = await linkAccounts(s);
    const pi = await s.stripe.paymentIntents.create({
      amount: 4200,
      currency: 'usd',
      customer: customer.id,
      payment_method_data: achData(accounts[0].id),
    });
    expect([pi.status, pi.payment_method_types]).toEqual(['requires_confirmation', ['us_bank_account']]);
    const pm = await s.stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method'] });
    expect((pm.payment_method as Stripe.PaymentMethod).us_bank_account).toMatchObject({
      financial_connections_account: accounts[0].id,
      last4: accounts[0].last4,
      routing_number: '110000000',
    });
    const confirmed = await s.stripe.paymentIntents.confirm(pi.id, { mandate_data: ONLINE_MANDATE });
    expect(confirmed.status).toBe('processing');
    const processing = await s.sandbox.waitForEvent(eventAbout('payment_intent.processing', pi.id));
    expect(processing.request?.id).toBe(confirmed.lastResponse.requestId);
    expect(processing.data.previous_attributes).toEqual({ status: 'requires_confirmation' });
    const succeeded = await s.sandbox.waitForEvent(eventAbout('payment_intent.succeeded', pi.id));
    expect((succeeded.data.object as unknown as Stripe.PaymentIntent).amount_received).toBe(4200);
    expect(succeeded.data.previous_attributes).toEqual({ status: 'processing', amount_received: 0 });
    expect((await s.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
  });

  it.each([
    ['insufficient_funds', 'insufficient_funds'],
    ['account_closed', 'account_closed'],
    ['no_account', 'no_account'],
    ['debit_not_authorized', 'debit_not_authorized'],
  ])(
    'should fail the %s test account: requires_payment_method with last_payment_error and payment_failed',
    async (account, code) => {
      const { accounts } = await linkAccounts(s, { accounts: [account] });
      const pi = await pay(accounts[0].id);
      expect(pi.status).toBe('processing');
      const failed = await s.sandbox.waitForEvent(eventAbout('payment_intent.payment_failed', pi.id));
      const obj = failed.data.object as unknown as Stripe.PaymentIntent;
      expect([
        obj.status,
        obj.last_payment_error?.code,
        obj.last_payment_error?.payment_method?.id !== undefined,
      ]).toEqual(['requires_payment_method', code, true]);
      const after = await s.stripe.paymentIntents.retrieve(pi.id);
      expect([after.status, after.payment_method]).toEqual(['requires_payment_method', null]);
    },
  );

  it('should keep the "always processing" account processing, refusing to cancel it as Stripe does for ACH', async () => {
    const { accounts } = await linkAccounts(s, { accounts: ['processing'] });
    const pi = await pay(accounts[0].id);
    await s.sandbox.waitForEvent(eventAbout('payment_intent.processing', pi.id));
    const refused = await stripeError(
      s.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' }),
    );
    expect([refused.statusCode, refused.code]).toEqual([400, 'payment_intent_unexpected_state']);
    expect((await s.stripe.paymentIntents.retrieve(pi.id)).status).toBe('processing');
  });

  it('should refuse to cancel a processing payment, leaving its settlement to run', async () => {
    // A long ACH delay keeps the payment processing for the whole test, whatever the machine's speed.
    const slow = await startRecordingSandbox({ achDelayMs: 60_000 });
    try {
      const { accounts } = await linkAccounts(slow);
      const pi = await slow.stripe.paymentIntents.create({
        amount: 4200,
        currency: 'usd',
        payment_method_data: achData(accounts[0].id),
        confirm: true,
        mandate_data: ONLINE_MANDATE,
      });
      expect(slow.sandbox.store.intentTimers.has(pi.id)).toBe(true);
      const refused = await stripeError(slow.stripe.paymentIntents.cancel(pi.id));
      expect([refused.statusCode, refused.code]).toEqual([400, 'payment_intent_unexpected_state']);
      expect(slow.sandbox.store.intentTimers.has(pi.id)).toBe(true);
      expect(checkRecordedResponses(slow).problems).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it.each([
    [
      'an account without the payment_method permission',
      { permissions: ['balances'] as Stripe.FinancialConnections.SessionCreateParams.Permission[] },
      SANDBOX_ERROR_CODES.permissionNotGranted,
    ],
    [
      'a credit card (no us_bank_account support)',
      { accounts: ['credit_card'] },
      'payment_method_invalid_parameter',
    ],
    [
      'an account from Invalid Payment Accounts',
      { institution: 'Invalid Payment Accounts', accounts: ['no_ach_checking'] },
      'payment_method_invalid_parameter',
    ],
    [
      'an expired tokenized account number',
      { institution: 'Tokenized Account Number', accounts: ['tan_expired'] },
      'financial_connections_account_unavailable_account_numbers',
    ],
  ])('should refuse to pay from %s', async (_name, link, code) => {
    const { accounts } = await linkAccounts(s, link);
    const err = await stripeError(
      s.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method_data: achData(accounts[0].id),
      }),
    );
    expect([err.statusCode, err.code, err.param]).toEqual([
      400,
      code,
      'payment_method_data[us_bank_account][financial_connections_account]',
    ]);
  });

  it('should refuse to confirm once the account is disconnected, and require mandate_data', async () => {
    const { accounts } = await linkAccounts(s);
    const pi = await s.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method_data: achData(accounts[0].id),
    });
    const noMandate = await stripeError(s.stripe.paymentIntents.confirm(pi.id));
    expect([noMandate.code, noMandate.param]).toEqual(['parameter_missing', 'mandate_data']);
    const noUa = await stripeError(
      s.stripe.paymentIntents.confirm(pi.id, {
        mandate_data: {
          customer_acceptance: { type: 'online', online: { ip_address: '203.0.113.7' } },
        } as Stripe.PaymentIntentConfirmParams.MandateData,
      }),
    );
    expect(noUa.code).toBe('parameter_missing');
    await s.stripe.financialConnections.accounts.disconnect(accounts[0].id);
    const err = await stripeError(s.stripe.paymentIntents.confirm(pi.id, { mandate_data: ONLINE_MANDATE }));
    expect([err.statusCode, err.code]).toEqual([400, SANDBOX_ERROR_CODES.accountInactive]);
    expect((await s.stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_confirmation');
  });

  it('should validate amount and currency', async () => {
    const small = await stripeError(s.stripe.paymentIntents.create({ amount: 10, currency: 'usd' }));
    expect([small.code, small.param]).toEqual(['amount_too_small', 'amount']);
    const eur = await stripeError(s.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' }));
    expect(eur.param).toBe('currency');
  });

  it('should succeed a SetupIntent at once, attach the PaymentMethod to the customer and emit setup_intent.succeeded', async () => {
    const { customer, accounts } = await linkAccounts(s);
    const si = await s.stripe.setupIntents.create({
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
      payment_method_data: achData(accounts[0].id) as Stripe.SetupIntentCreateParams.PaymentMethodData,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
      expand: ['mandate', 'payment_method'],
    });
    expect(si.status).toBe('succeeded');
    const mandate = si.mandate as Stripe.Mandate;
    expect(mandate.customer_acceptance).toMatchObject({
      type: 'online',
      online: { ip_address: '203.0.113.7', user_agent: 'conformance-suite' },
    });
    expect((si.payment_method as Stripe.PaymentMethod).customer).toBe(customer.id);
    await s.sandbox.waitForEvent(eventAbout('setup_intent.succeeded', si.id));
    // The saved PaymentMethod pays later without new payment_method_data.
    const pi = await s.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      payment_method: (si.payment_method as Stripe.PaymentMethod).id,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    await s.sandbox.waitForEvent(eventAbout('payment_intent.succeeded', pi.id));
  });

  it.each(['payment_intent', 'setup_intent'] as const)(
    'should apply the rules both intents share to a %s: mandate_data only with confirm, metadata unset by "", the intent named in a failed create-and-confirm',
    async (object) => {
      const { customer, accounts } = await linkAccounts(s);
      const intents = object === 'payment_intent' ? s.stripe.paymentIntents : s.stripe.setupIntents;
      const base = {
        ...(object === 'payment_intent' ? { amount: 1000, currency: 'usd' } : {}),
        customer: customer.id,
        payment_method_data: achData(accounts[0].id),
      };
      const create = (params: Record<string, unknown>) =>
        (intents.create as (p: unknown) => Promise<{ id: string; status: string; metadata: unknown }>)({
          ...base,
          ...params,
        });

      const early = await stripeError(create({ mandate_data: ONLINE_MANDATE }));
      expect([early.statusCode, early.param]).toEqual([400, 'mandate_data']);

      const noPermission = await stripeError(
        create({
          payment_method_options: {
            us_bank_account: { financial_connections: { permissions: ['balances'] } },
          },
        }),
      );
      expect(noPermission.param).toBe(
        'payment_method_options[us_bank_account][financial_connections][permissions]',
      );

      const created = await create({ metadata: { keep: '1', drop: '2' } });
      expect(created.status).toBe('requires_confirmation');
      const updated = await (intents.update as (id: string, p: unknown) => Promise<{ metadata: unknown }>)(
        created.id,
        { metadata: { drop: '' } },
      );
      expect(updated.metadata).toEqual({ keep: '1' });

      const failed = await stripeError(create({ confirm: true }));
      expect([failed.code, failed.param]).toEqual(['parameter_missing', 'mandate_data']);
      const named = (failed.raw as Record<string, { id?: string; status?: string } | undefined>)[object];
      expect(named?.status).toBe('requires_confirmation');
      const kept = await (intents.retrieve as (id: string) => Promise<{ id: string }>)(named!.id!);
      expect(kept.id).toBe(named!.id);
    },
  );

  it('should accept customer_account (an Accounts v2 customer) on PaymentIntents and SetupIntents', async () => {
    const acct = await s.stripe.v2.core.accounts.create({
      display_name: 'V2 Payer',
      configuration: { customer: {} },
    });
    const session = await s.stripe.financialConnections.sessions.create({
      account_holder: { type: 'customer', customer_account: acct.id },
      permissions: ['payment_method'],
    });
    const done = (await s.stripe.rawRequest(
      'POST',
      `/v1/test_helpers/financial_connections/sessions/${session.id}/complete`,
      {},
    )) as Stripe.FinancialConnections.Session;
    const fca = done.accounts.data[0].id;
    const pi = await s.stripe.paymentIntents.create({
      amount: 1200,
      currency: 'usd',
      customer_account: acct.id,
      payment_method_data: achData(fca),
    });
    expect(pi.customer_account).toBe(acct.id);
    expect((await s.stripe.paymentIntents.list({ customer_account: acct.id })).data.map((x) => x.id)).toEqual(
      [pi.id],
    );
    const si = await s.stripe.setupIntents.create({
      customer_account: acct.id,
      payment_method_data: achData(fca) as Stripe.SetupIntentCreateParams.PaymentMethodData,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    expect([si.customer_account, si.status]).toEqual([acct.id, 'succeeded']);
    const missing = await stripeError(
      s.stripe.paymentIntents.create({ amount: 1200, currency: 'usd', customer_account: 'acct_missing' }),
    );
    expect([missing.code, missing.param]).toEqual(['resource_missing', 'customer_account']);
  });
});
