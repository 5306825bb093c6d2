// Where stripe-node and Stripe expect a behaviour the sandbox once lacked, pinned through the unmodified SDK: the
// Idempotency-Key echoed, Stripe's 404 for routes not modelled (PaymentIntent search), automatic_payment_methods
// kept, one refusal for payment method types other than us_bank_account, and lists filtered by one being empty.
// Also the test accounts' distinct last4, the microdeposit page's test values and the pages' favicon.
import type Stripe from 'stripe';
import { INSTITUTIONS } from '../../src/sandbox/institutions';
import type { StartedSandbox } from '../helpers/sandbox';
import {
  achData,
  call,
  checkRecordedResponses,
  linkAccounts,
  ONLINE_MANDATE,
  startRecordingSandbox,
  stripeError,
  type Linked,
} from './support';

describe('sandbox parity with Stripe and stripe-node', () => {
  let s: StartedSandbox;
  let linked: Linked;

  beforeAll(async () => {
    s = await startRecordingSandbox();
    linked = await linkAccounts(s, { permissions: ['payment_method'] });
  });
  afterEach(() => {
    expect(checkRecordedResponses(s).problems).toEqual([]);
  });
  afterAll(async () => {
    await s.close();
  });

  describe('Idempotency-Key', () => {
    it('should echo the key of a write, so lastResponse.idempotencyKey is the key sent, replay included', async () => {
      const first = await s.stripe.customers.create({ name: 'Idem' }, { idempotencyKey: 'parity-key-1' });
      expect(first.lastResponse.idempotencyKey).toBe('parity-key-1');
      const again = await s.stripe.customers.create({ name: 'Idem' }, { idempotencyKey: 'parity-key-1' });
      expect([
        again.id,
        again.lastResponse.idempotencyKey,
        again.lastResponse.headers['idempotent-replayed'],
      ]).toEqual([first.id, 'parity-key-1', 'true']);
    });

    it('should echo it on an error answer too, and send none on a read', async () => {
      const err = await stripeError(
        s.stripe.paymentIntents.create(
          { amount: 100, currency: 'usd', payment_method_types: ['card'] },
          { idempotencyKey: 'parity-key-2' },
        ),
      );
      expect(err.headers?.['idempotency-key']).toBe('parity-key-2');
      const read = await s.stripe.customers.retrieve(linked.customer.id);
      expect(read.lastResponse.idempotencyKey).toBeUndefined();
    });
  });

  describe('routes the sandbox does not model', () => {
    it("should answer PaymentIntent search with Stripe's 404 Unrecognized request URL, with or without query", async () => {
      const err = await stripeError(s.stripe.paymentIntents.search({ query: "status:'succeeded'" }));
      expect([err.statusCode, err.type, err.message]).toEqual([
        404,
        'StripeInvalidRequestError',
        expect.stringMatching(/^Unrecognized request URL \(GET: \/v1\/payment_intents\/search\)/),
      ]);
      const bare = await call(s, 'GET', '/v1/payment_intents/search');
      expect(bare.status).toBe(404);
      expect((bare.body as { error: { message: string } }).error.message).toMatch(
        /^Unrecognized request URL/,
      );
    });

    it('should answer any other unknown path the same way (POST included)', async () => {
      const err = await stripeError(s.stripe.rawRequest('POST', '/v1/charges', { amount: 100 }));
      expect([err.statusCode, err.message]).toEqual([
        404,
        expect.stringMatching(/^Unrecognized request URL \(POST: \/v1\/charges\)/),
      ]);
    });
  });

  describe('automatic_payment_methods', () => {
    it('should keep it on a PaymentIntent (Stripe picks the enabled type: us_bank_account)', async () => {
      const pi = await s.stripe.paymentIntents.create({
        amount: 1500,
        currency: 'usd',
        customer: linked.customer.id,
        automatic_payment_methods: { enabled: true },
      });
      expect([pi.automatic_payment_methods, pi.payment_method_types]).toEqual([
        { enabled: true },
        ['us_bank_account'],
      ]);
      expect((await s.stripe.paymentIntents.retrieve(pi.id)).automatic_payment_methods).toEqual({
        enabled: true,
      });
      const never = await s.stripe.paymentIntents.create({
        amount: 1500,
        currency: 'usd',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      });
      expect(never.automatic_payment_methods).toEqual({ enabled: true, allow_redirects: 'never' });
    });

    it('should keep it on a SetupIntent, and pay with it', async () => {
      const si = await s.stripe.setupIntents.create({
        customer: linked.customer.id,
        automatic_payment_methods: { enabled: true },
        payment_method_data: achData(linked.accounts[0].id),
        mandate_data: ONLINE_MANDATE,
        confirm: true,
      });
      expect([si.automatic_payment_methods, si.status]).toEqual([{ enabled: true }, 'succeeded']);
    });

    it('should refuse it together with payment_method_types, as Stripe does', async () => {
      const err = await stripeError(
        s.stripe.paymentIntents.create({
          amount: 1500,
          currency: 'usd',
          automatic_payment_methods: { enabled: true },
          payment_method_types: ['us_bank_account'],
        }),
      );
      expect([err.statusCode, err.param]).toEqual([400, 'automatic_payment_methods']);
      const missing = await stripeError(
        s.stripe.paymentIntents.create({
          amount: 1500,
          currency: 'usd',
          automatic_payment_methods: { allow_redirects: 'never' } as unknown as { enabled: boolean },
        }),
      );
      expect([missing.code, missing.param]).toEqual([
        'parameter_missing',
        'automatic_payment_methods[enabled]',
      ]);
    });
  });

  describe('payment method types other than us_bank_account', () => {
    const refusals: [string, () => Promise<unknown>, string][] = [
      [
        'payment_methods.create with card details',
        () =>
          s.stripe.paymentMethods.create({
            type: 'card',
            card: { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' },
          }),
        'type',
      ],
      ['payment_methods.create type=card', () => s.stripe.paymentMethods.create({ type: 'card' }), 'type'],
      [
        'payment_methods.create us_bank_account with card details',
        () =>
          s.stripe.paymentMethods.create({
            type: 'us_bank_account',
            card: { token: 'tok_visa' },
          } as Stripe.PaymentMethodCreateParams),
        'card',
      ],
      [
        'payment_intents.create payment_method_types[]=card',
        () =>
          s.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method_types: ['card'] }),
        'payment_method_types',
      ],
      [
        'payment_intents.create with card among the types',
        () =>
          s.stripe.paymentIntents.create({
            amount: 1000,
            currency: 'usd',
            payment_method_types: ['us_bank_account', 'card'],
          }),
        'payment_method_types',
      ],
      [
        'payment_intents.create payment_method_data[type]=card',
        () =>
          s.stripe.paymentIntents.create({
            amount: 1000,
            currency: 'usd',
            payment_method_data: { type: 'card' } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
          }),
        'payment_method_data[type]',
      ],
      [
        'setup_intents.create payment_method_types[]=card',
        () => s.stripe.setupIntents.create({ payment_method_types: ['card'] }),
        'payment_method_types',
      ],
    ];

    it.each(refusals)(
      'should refuse %s with 400 payment_method_unsupported_type',
      async (_name, request, param) => {
        const err = await stripeError(request());
        expect([err.statusCode, err.type, err.code, err.param]).toEqual([
          400,
          'StripeInvalidRequestError',
          'payment_method_unsupported_type',
          param,
        ]);
      },
    );

    it('should refuse card on an update of either intent the same way, leaving the types unchanged', async () => {
      const pi = await s.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
      const si = await s.stripe.setupIntents.create({});
      for (const update of [
        () => s.stripe.paymentIntents.update(pi.id, { payment_method_types: ['card'] }),
        () => s.stripe.setupIntents.update(si.id, { payment_method_types: ['card'] }),
      ]) {
        const err = await stripeError(update());
        expect([err.code, err.param]).toEqual(['payment_method_unsupported_type', 'payment_method_types']);
      }
      expect((await s.stripe.paymentIntents.retrieve(pi.id)).payment_method_types).toEqual([
        'us_bank_account',
      ]);
    });

    it('should answer a list filtered by such a type with an empty list, and the type it models with the method', async () => {
      const pm = await s.stripe.paymentMethods.create({
        type: 'us_bank_account',
        us_bank_account: { financial_connections_account: linked.accounts[0].id },
      });
      await s.stripe.paymentMethods.attach(pm.id, { customer: linked.customer.id });
      const cards = await s.stripe.customers.listPaymentMethods(linked.customer.id, { type: 'card' });
      expect([cards.object, cards.data, cards.has_more]).toEqual(['list', [], false]);
      expect(
        (await s.stripe.paymentMethods.list({ customer: linked.customer.id, type: 'card' })).data,
      ).toEqual([]);
      const banks = await s.stripe.customers.listPaymentMethods(linked.customer.id, {
        type: 'us_bank_account',
      });
      expect(banks.data.map((p) => p.id)).toContain(pm.id);
    });
  });

  describe('test accounts and pages', () => {
    it('should give every test account template a last4 of its own', () => {
      const byKey = new Map<string, string>();
      for (const institution of INSTITUTIONS) for (const t of institution.accounts) byKey.set(t.key, t.last4);
      const last4s = [...byKey.values()];
      expect(last4s.length).toBeGreaterThan(10);
      expect(new Set(last4s).size).toBe(last4s.length);
      // Each failing test account shows the last four digits of Stripe's test account number it behaves as.
      expect(byKey.get('insufficient_funds')).toBe('2227');
      expect(byKey.get('debit_not_authorized')).toBe('3335');
    });

    it('should name the test amounts and descriptor code on the microdeposit page', async () => {
      const manual = {
        type: 'us_bank_account',
        us_bank_account: { account_number: '000123456789', routing_number: '110000000' },
        billing_details: { name: 'Jenny Rosen' },
      } as Stripe.PaymentIntentCreateParams.PaymentMethodData &
        Stripe.SetupIntentCreateParams.PaymentMethodData;
      const pi = await s.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        customer: linked.customer.id,
        payment_method_data: manual,
        mandate_data: ONLINE_MANDATE,
        confirm: true,
      });
      const si = await s.stripe.setupIntents.create({
        customer: linked.customer.id,
        payment_method_data: manual,
        mandate_data: ONLINE_MANDATE,
        confirm: true,
      });
      const page = (intent: Stripe.PaymentIntent | Stripe.SetupIntent) =>
        fetch(intent.next_action!.verify_with_microdeposits!.hosted_verification_url).then((r) => r.text());
      const codePage = await page(pi);
      expect(codePage).toMatch(/data-testid="test-values"[^>]*>[^<]*<code>SM11AA<\/code>\s*verifies/);
      expect(codePage).toContain('<code>SM33CC</code>');
      const amountsPage = await page(si);
      expect(amountsPage).toMatch(/<code>32<\/code> and <code>45<\/code>\s*verify/);
      expect(amountsPage).toContain('<code>10</code> and <code>11</code>');
    });

    it('should serve a favicon the pages link to (no 404 for /favicon.ico)', async () => {
      const icon = await fetch(`${s.url}/favicon.ico`);
      expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
      expect(await icon.text()).toMatch(/^<svg /);
      const page = await fetch(`${s.url}/microdeposit/mdv_unknown`).then((r) => r.text());
      expect(page).toContain('<link rel="icon" href="/favicon.ico"');
    });
  });
});
