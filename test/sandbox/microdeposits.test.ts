// Microdeposit verification (docs/stripe-facts.md §4, §6): requires_action with next_action.verify_with_microdeposits,
// Stripe's test values, wrong-value errors, the attempt limits (3 amounts, 10 codes), the timeout, the
// "fail microdeposits" test account, and the hosted verification page.
import type Stripe from 'stripe';
import type { StartedSandbox } from '../helpers/sandbox';
import {
  call,
  checkRecordedResponses,
  eventAbout,
  linkAccounts,
  ONLINE_MANDATE,
  startRecordingSandbox,
  stripeError,
} from './support';

const MANUAL = (accountNumber = '000123456789') =>
  ({
    type: 'us_bank_account',
    us_bank_account: { account_number: accountNumber, routing_number: '110000000' },
    billing_details: { name: 'Jenny Rosen' },
  }) as Stripe.PaymentIntentCreateParams.PaymentMethodData & Stripe.SetupIntentCreateParams.PaymentMethodData;

describe('sandbox microdeposit verification', () => {
  let s: StartedSandbox;
  let customer: Stripe.Customer;

  beforeAll(async () => {
    s = await startRecordingSandbox({ achDelayMs: 20 });
    customer = await s.stripe.customers.create({ name: 'Jenny Rosen' });
  });

  afterEach(() => {
    expect(checkRecordedResponses(s).problems).toEqual([]);
  });

  afterAll(async () => {
    await s.close();
  });

  const payment = (data = MANUAL(), extra: Record<string, unknown> = {}) =>
    s.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
      payment_method_data: data,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
      ...extra,
    });
  const setup = (data = MANUAL()) =>
    s.stripe.setupIntents.create({
      customer: customer.id,
      payment_method_types: ['us_bank_account'],
      payment_method_data: data,
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });

  it('should wait in requires_action with a descriptor code, refuse a wrong code, and settle after SM11AA', async () => {
    const pi = await payment();
    expect(pi.status).toBe('requires_action');
    const next = pi.next_action!.verify_with_microdeposits!;
    expect(next.microdeposit_type).toBe('descriptor_code');
    expect(next.arrival_date).toBeGreaterThan(pi.created);
    expect(next.hosted_verification_url).toMatch(new RegExp(`^${s.url}/microdeposit/mdv_`));
    const action = await s.sandbox.waitForEvent(eventAbout('payment_intent.requires_action', pi.id));
    expect(action.data.previous_attributes).toMatchObject({ status: 'requires_confirmation' });
    const pending = s.sandbox.store.mandates.newestFirst()[0];
    expect([pending.payment_method, pending.status]).toEqual([pi.payment_method, 'pending']);

    const wrong = await stripeError(
      s.stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM99ZZ' }),
    );
    expect([wrong.statusCode, wrong.code, wrong.message]).toEqual([
      400,
      'payment_method_microdeposit_verification_descriptor_code_mismatch',
      expect.stringContaining('9 verification attempts remaining'),
    ]);
    const verified = await s.stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM11AA' });
    expect([verified.status, verified.next_action]).toEqual(['processing', null]);
    const mandate = await s.sandbox.waitForEvent(eventAbout('mandate.updated', pending.id));
    expect(mandate.data.previous_attributes).toEqual({ status: 'pending' });
    await s.sandbox.waitForEvent(eventAbout('payment_intent.succeeded', pi.id));
    const again = await stripeError(
      s.stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM11AA' }),
    );
    expect(again.code).toBe('payment_intent_unexpected_state');
  });

  it('should verify a SetupIntent with amounts, then save the method for off-session debits', async () => {
    const si = await setup();
    expect([si.status, si.next_action?.verify_with_microdeposits?.microdeposit_type]).toEqual([
      'requires_action',
      'amounts',
    ]);
    await s.sandbox.waitForEvent(eventAbout('setup_intent.requires_action', si.id));
    const invalid = await stripeError(s.stripe.setupIntents.verifyMicrodeposits(si.id, { amounts: [32] }));
    expect(invalid.code).toBe('payment_method_microdeposit_verification_amounts_invalid');
    const done = await s.stripe.setupIntents.verifyMicrodeposits(si.id, { amounts: [45, 32] });
    expect(done.status).toBe('succeeded');
    const pm = await s.stripe.paymentMethods.retrieve(done.payment_method as string);
    expect(pm.customer).toBe(customer.id);
    expect((await s.stripe.mandates.retrieve(done.mandate as string)).status).toBe('active');
    const pi = await s.stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      customer: customer.id,
      payment_method: pm.id,
      mandate: done.mandate as string,
      off_session: true,
      confirm: true,
    });
    expect(pi.status).toBe('processing');
  });

  it('should end at the third wrong pair of amounts: attempts exceeded, setup_failed, method blocked', async () => {
    const si = await setup();
    for (const left of [2, 1]) {
      const err = await stripeError(s.stripe.setupIntents.verifyMicrodeposits(si.id, { amounts: [1, 2] }));
      expect([err.code, err.message]).toEqual([
        'payment_method_microdeposit_verification_amounts_mismatch',
        expect.stringContaining(`${left} verification attempt`),
      ]);
    }
    const last = await stripeError(s.stripe.setupIntents.verifyMicrodeposits(si.id, { amounts: [1, 2] }));
    expect(last.code).toBe('payment_method_microdeposit_verification_attempts_exceeded');
    expect((last.raw as { setup_intent?: { status: string } }).setup_intent?.status).toBe(
      'requires_payment_method',
    );
    const failed = await s.sandbox.waitForEvent(eventAbout('setup_intent.setup_failed', si.id));
    const obj = failed.data.object as unknown as Stripe.SetupIntent;
    expect([obj.status, obj.last_setup_error?.code, obj.payment_method]).toEqual([
      'requires_payment_method',
      'payment_method_microdeposit_verification_attempts_exceeded',
      null,
    ]);
    expect((await s.stripe.mandates.retrieve(si.mandate as string)).status).toBe('inactive');
    const reuse = await stripeError(
      s.stripe.setupIntents.confirm(si.id, {
        payment_method: si.payment_method as string,
        mandate_data: ONLINE_MANDATE,
      }),
    );
    expect(reuse.code).toBe('payment_method_bank_account_blocked');
  });

  it('should allow ten wrong descriptor codes on a PaymentIntent before the limit', async () => {
    const pi = await payment();
    for (let i = 1; i < 10; i++) {
      const err = await stripeError(
        s.stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM00XX' }),
      );
      expect(err.code).toBe('payment_method_microdeposit_verification_descriptor_code_mismatch');
    }
    const last = await stripeError(
      s.stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM00XX' }),
    );
    expect(last.code).toBe('payment_method_microdeposit_verification_attempts_exceeded');
    const failed = await s.sandbox.waitForEvent(eventAbout('payment_intent.payment_failed', pi.id));
    expect((failed.data.object as unknown as Stripe.PaymentIntent).last_payment_error?.code).toBe(
      'payment_method_microdeposit_verification_attempts_exceeded',
    );
  });

  it.each([
    ['SM33CC', { descriptor_code: 'SM33CC' }, 'payment_method_microdeposit_verification_attempts_exceeded'],
    ['10 and 11', { amounts: [10, 11] }, 'payment_method_microdeposit_verification_attempts_exceeded'],
    ['SM44DD', { descriptor_code: 'SM44DD' }, 'payment_method_microdeposit_verification_timeout'],
    ['40 and 41', { amounts: [40, 41] }, 'payment_method_microdeposit_verification_timeout'],
  ])("should simulate Stripe's test value %s", async (_name, values, code) => {
    const pi = await payment();
    const err = await stripeError(s.stripe.paymentIntents.verifyMicrodeposits(pi.id, values));
    expect(err.code).toBe(code);
    const after = await s.stripe.paymentIntents.retrieve(pi.id);
    expect([after.status, after.last_payment_error?.code, after.next_action]).toEqual([
      'requires_payment_method',
      code,
      null,
    ]);
  });

  it('should time out ten days after the deposits arrive', async () => {
    const own = await startRecordingSandbox();
    try {
      const c = await own.stripe.customers.create({ name: 'Later' });
      const pi = await own.stripe.paymentIntents.create({
        amount: 900,
        currency: 'usd',
        customer: c.id,
        payment_method_data: MANUAL(),
        confirm: true,
        mandate_data: ONLINE_MANDATE,
      });
      await own.stripe.rawRequest('POST', '/v1/test_helpers/sandbox/clock/advance', { seconds: 13 * 86_400 });
      const err = await stripeError(
        own.stripe.paymentIntents.verifyMicrodeposits(pi.id, { descriptor_code: 'SM11AA' }),
      );
      expect(err.code).toBe('payment_method_microdeposit_verification_timeout');
      expect(checkRecordedResponses(own).problems).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('should use microdeposits for a linked account when verification_method=microdeposits', async () => {
    const { customer: c, accounts } = await linkAccounts(s);
    const pi = await s.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: c.id,
      payment_method_data: {
        type: 'us_bank_account',
        us_bank_account: { financial_connections_account: accounts[0].id },
      } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
      payment_method_options: { us_bank_account: { verification_method: 'microdeposits' } },
      confirm: true,
      mandate_data: ONLINE_MANDATE,
    });
    expect([pi.status, pi.payment_method_options?.us_bank_account?.verification_method]).toEqual([
      'requires_action',
      'microdeposits',
    ]);
  });

  it('should fail the payment when the microdeposits cannot be sent (000666666661)', async () => {
    const pi = await payment(MANUAL('000666666661'));
    expect(pi.status).toBe('requires_action');
    const failed = await s.sandbox.waitForEvent(eventAbout('payment_intent.payment_failed', pi.id));
    expect((failed.data.object as unknown as Stripe.PaymentIntent).last_payment_error?.code).toBe(
      'payment_method_microdeposit_failed',
    );
  });

  it('should serve the hosted verification page: a form, Stripe’s error on a wrong code, then verified', async () => {
    const pi = await payment();
    const url = pi.next_action!.verify_with_microdeposits!.hosted_verification_url;
    const page = await fetch(url);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('name="descriptor_code"');
    const post = (code: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ descriptor_code: code }).toString(),
      });
    const wrong = await post('SM12AB');
    expect([wrong.status, await wrong.text()]).toEqual([
      400,
      expect.stringContaining('9 verification attempts remaining'),
    ]);
    const right = await post('sm11aa');
    expect([right.status, await right.text()]).toEqual([
      200,
      expect.stringContaining('data-testid="verified"'),
    ]);
    expect((await s.stripe.paymentIntents.retrieve(pi.id)).status).not.toBe('requires_action');
    expect((await fetch(url)).status).toBe(404);
  });

  it('should cancel a SetupIntent waiting for microdeposits, ending its page and mandate', async () => {
    const si = await setup();
    const url = si.next_action!.verify_with_microdeposits!.hosted_verification_url;
    const canceled = await s.stripe.setupIntents.cancel(si.id, {
      cancellation_reason: 'requested_by_customer',
    });
    expect([canceled.status, canceled.cancellation_reason, canceled.next_action]).toEqual([
      'canceled',
      'requested_by_customer',
      null,
    ]);
    await s.sandbox.waitForEvent(eventAbout('setup_intent.canceled', si.id));
    expect((await fetch(url)).status).toBe(404);
    expect((await s.stripe.mandates.retrieve(si.mandate as string)).status).toBe('inactive');
    const twice = await call(s, 'POST', `/v1/setup_intents/${si.id}/cancel`, { form: '' });
    expect((twice.body.error as { code: string }).code).toBe('setup_intent_unexpected_state');
  });
});
