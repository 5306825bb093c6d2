// Payments tenancy and input checks: foreign or unusable ids are refused before anything is POSTed to Stripe.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';
import {
  CancelPaymentIntentDocument,
  ConfirmPaymentIntentDocument,
  CreatePaymentIntentDocument,
  CreateSetupIntentDocument,
  CustomerPaymentIntentsDocument,
  PaymentIntentDocument,
  PaymentNodeDocument,
  SetupIntentDocument,
  type CreatePaymentIntentInput,
} from '../generated/graphql';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { errorCodes, gql, ok } from '../helpers/gql';
import { customerToken, linkedCustomer, type LinkedCustomer } from '../helpers/linking';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const USER_AGENT = 'PaymentsTenancyTest/1.0';

describe('payments tenancy and input checks', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;

  const call =
    (token: string, headers: Record<string, string> = { 'user-agent': USER_AGENT }) =>
    <TData, TVars>(doc: TypedDocumentNode<TData, TVars>, variables: TVars) =>
      gql(gw.graphqlUrl, doc, variables, { token, headers });
  const asA = call(PARTNER_A.apiKey);
  const asB = call(PARTNER_B.apiKey);

  const writes = () => sb.sandbox.requestLog.filter((r) => r.method === 'POST').length;

  /** Runs `attempt` and asserts it sent no POST to Stripe at all (the check came first). */
  async function withoutWrites<T>(attempt: () => Promise<T>): Promise<T> {
    const before = writes();
    const result = await attempt();
    expect(writes()).toBe(before);
    return result;
  }

  /** The error a caller sees, with the id it named replaced, to compare foreign and nonexistent answers. */
  const shapeOf = (r: { errors?: readonly GraphQLFormattedError[] }, id: string) =>
    (r.errors ?? []).map((e) => ({
      message: e.message.replace(id, '<id>'),
      path: e.path,
      extensions: Object.keys(e.extensions ?? {}).sort(),
      code: e.extensions?.code,
    }));

  // Partner A: customer X (two usable accounts, a credit card) and customer Y; one PaymentIntent and one
  // SetupIntent of X's. Partner B: its own customer with an account.
  let x: LinkedCustomer;
  let y: LinkedCustomer;
  let xAccount: LinkedCustomer;
  let b: LinkedCustomer;
  let xPi: string;
  let xSeti: string;
  let yPi: string;

  const piInput = (over: Partial<CreatePaymentIntentInput> = {}): CreatePaymentIntentInput => ({
    customerId: x.customerId,
    financialAccountId: x.accounts['Checking'],
    amount: 1_000,
    currency: 'usd',
    billingName: 'Tenant Payer',
    idempotencyKey: `k-${Math.random().toString(36).slice(2)}`,
    ...over,
  });

  beforeAll(async () => {
    sb = await startSandbox({ achDelayMs: 60_000, refreshDelayMs: 20 });
    gw = await startGateway({ STRIPE_API_BASE: sb.url, STRIPE_SECRET_KEY: sb.secretKey });
    x = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', {
      accounts: ['checking', 'savings', 'credit_card'],
    });
    y = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', { accounts: ['checking'] });
    xAccount = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'ACCOUNT', { accounts: ['checking'] });
    b = await linkedCustomer(gw, sb, PARTNER_B.apiKey, 'CUSTOMER', { accounts: ['checking'] });
    xPi = ok(await asA(CreatePaymentIntentDocument, { input: piInput() })).createPaymentIntent.paymentIntent
      .id;
    yPi = ok(
      await asA(CreatePaymentIntentDocument, {
        input: piInput({ customerId: y.customerId, financialAccountId: y.accounts['Checking'] }),
      }),
    ).createPaymentIntent.paymentIntent.id;
    xSeti = ok(
      await asA(CreateSetupIntentDocument, {
        input: {
          customerId: x.customerId,
          financialAccountId: x.accounts['Savings'],
          billingName: 'Tenant Payer',
          idempotencyKey: 'x-save',
        },
      }),
    ).createSetupIntent.setupIntent.id;
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  describe('another partner', () => {
    it('should get NOT_FOUND, shaped like a nonexistent id, for paymentIntent, setupIntent and node', async () => {
      const missingPi = 'pi_0000000000000000doesNotExist';
      const foreign = await asB(PaymentIntentDocument, { id: xPi });
      const missing = await asB(PaymentIntentDocument, { id: missingPi });
      expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
      expect(shapeOf(foreign, xPi)).toEqual(shapeOf(missing, missingPi));
      expect(foreign.data).toEqual(missing.data);

      const missingSeti = 'seti_0000000000000000doesNotExist';
      const foreignSeti = await asB(SetupIntentDocument, { id: xSeti });
      expect(errorCodes(foreignSeti)).toEqual(['NOT_FOUND']);
      expect(shapeOf(foreignSeti, xSeti)).toEqual(
        shapeOf(await asB(SetupIntentDocument, { id: missingSeti }), missingSeti),
      );

      for (const id of [xPi, xSeti]) {
        const node = await asB(PaymentNodeDocument, { id });
        expect(errorCodes(node)).toEqual(['NOT_FOUND']);
        expect(node.data).toEqual({ node: null });
      }
    });

    it("should get NOT_FOUND and cause no POST when confirming or canceling the partner's PaymentIntent", async () => {
      const confirm = await withoutWrites(() =>
        asB(ConfirmPaymentIntentDocument, { input: { paymentIntentId: xPi } }),
      );
      expect(errorCodes(confirm)).toEqual(['NOT_FOUND']);
      const cancel = await withoutWrites(() =>
        asB(CancelPaymentIntentDocument, { input: { paymentIntentId: xPi } }),
      );
      expect(errorCodes(cancel)).toEqual(['NOT_FOUND']);
      expect(sb.sandbox.store.paymentIntents.get(xPi)!.status).toBe('requires_confirmation');
    });

    it("should get NOT_FOUND and cause no POST when paying from the partner's customer or account", async () => {
      const theirCustomer = await withoutWrites(() => asB(CreatePaymentIntentDocument, { input: piInput() }));
      expect(errorCodes(theirCustomer)).toEqual(['NOT_FOUND']);
      expect(theirCustomer.errors![0].message).toBe(`Customer ${x.customerId} was not found.`);

      const theirAccount = await withoutWrites(() =>
        asB(CreatePaymentIntentDocument, { input: piInput({ customerId: b.customerId }) }),
      );
      expect(errorCodes(theirAccount)).toEqual(['NOT_FOUND']);
      expect(theirAccount.errors![0].message).toBe(
        `FinancialAccount ${x.accounts['Checking']} was not found.`,
      );

      const v2Customer = await withoutWrites(() =>
        asB(CreatePaymentIntentDocument, {
          input: piInput({
            customerId: xAccount.customerId,
            financialAccountId: xAccount.accounts['Checking'],
          }),
        }),
      );
      expect(errorCodes(v2Customer)).toEqual(['NOT_FOUND']);

      const setup = await withoutWrites(() =>
        asB(CreateSetupIntentDocument, {
          input: {
            customerId: b.customerId,
            financialAccountId: x.accounts['Checking'],
            billingName: 'Mallory',
            idempotencyKey: 'steal',
          },
        }),
      );
      expect(errorCodes(setup)).toEqual(['NOT_FOUND']);
    });

    it("should scope idempotency keys per caller: the partner's key creates B's own PaymentIntent", async () => {
      const key = 'shared-order-key-1';
      const mine = ok(await asA(CreatePaymentIntentDocument, { input: piInput({ idempotencyKey: key }) }))
        .createPaymentIntent.paymentIntent;
      const theirs = ok(
        await asB(CreatePaymentIntentDocument, {
          input: piInput({
            customerId: b.customerId,
            financialAccountId: b.accounts['Checking'],
            idempotencyKey: key,
          }),
        }),
      ).createPaymentIntent.paymentIntent;
      expect(theirs.id).not.toBe(mine.id);
      expect(theirs.customer!.id).toBe(b.customerId);
    });

    it("should not list the partner's PaymentIntents through its customer", async () => {
      const r = await asB(CustomerPaymentIntentsDocument, { customerId: x.customerId });
      expect(errorCodes(r)).toEqual(['NOT_FOUND']);
      expect(r.data).toEqual({ customer: null });
    });
  });

  describe('the same partner', () => {
    it("should refuse to debit another customer's account (NOT_FOUND, no POST)", async () => {
      const r = await withoutWrites(() =>
        asA(CreatePaymentIntentDocument, { input: piInput({ financialAccountId: y.accounts['Checking'] }) }),
      );
      expect(errorCodes(r)).toEqual(['NOT_FOUND']);
      expect(r.errors![0].message).toBe(`FinancialAccount ${y.accounts['Checking']} was not found.`);
    });
  });

  describe('a customer-token caller', () => {
    let asX: typeof asA;
    beforeAll(async () => {
      asX = call(await customerToken(gw, PARTNER_A.apiKey, x.customerId));
    });

    it('should see and pay for its own customer only', async () => {
      expect(ok(await asX(PaymentIntentDocument, { id: xPi })).paymentIntent!.id).toBe(xPi);
      const mine = ok(await asX(CreatePaymentIntentDocument, { input: piInput() })).createPaymentIntent
        .paymentIntent;
      expect(mine.customer!.id).toBe(x.customerId);

      const other = await asX(PaymentIntentDocument, { id: yPi });
      expect(errorCodes(other)).toEqual(['NOT_FOUND']);
      const forOther = await withoutWrites(() =>
        asX(CreatePaymentIntentDocument, {
          input: piInput({ customerId: y.customerId, financialAccountId: y.accounts['Checking'] }),
        }),
      );
      expect(errorCodes(forOther)).toEqual(['NOT_FOUND']);
      const cancelOther = await withoutWrites(() =>
        asX(CancelPaymentIntentDocument, { input: { paymentIntentId: yPi } }),
      );
      expect(errorCodes(cancelOther)).toEqual(['NOT_FOUND']);
    });
  });

  describe('accounts that cannot pay', () => {
    it('should answer PERMISSION_NOT_GRANTED without the payment_method permission, and POST nothing', async () => {
      const noPay = await linkedCustomer(gw, sb, PARTNER_A.apiKey, 'CUSTOMER', {
        accounts: ['checking'],
        permissions: ['BALANCES', 'TRANSACTIONS'],
      });
      const r = await withoutWrites(() =>
        asA(CreatePaymentIntentDocument, {
          input: piInput({ customerId: noPay.customerId, financialAccountId: noPay.accounts['Checking'] }),
        }),
      );
      expect(errorCodes(r)).toEqual(['PERMISSION_NOT_GRANTED']);
      expect(r.errors![0].extensions).toMatchObject({ permission: 'payment_method' });
      const setup = await withoutWrites(() =>
        asA(CreateSetupIntentDocument, {
          input: {
            customerId: noPay.customerId,
            financialAccountId: noPay.accounts['Checking'],
            billingName: 'x',
            idempotencyKey: 'nopay',
          },
        }),
      );
      expect(errorCodes(setup)).toEqual(['PERMISSION_NOT_GRANTED']);
    });

    it('should answer BAD_USER_INPUT for an account without us_bank_account support, and POST nothing', async () => {
      const r = await withoutWrites(() =>
        asA(CreatePaymentIntentDocument, {
          input: piInput({ financialAccountId: x.accounts['Credit Card'] }),
        }),
      );
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0].extensions).toMatchObject({
        field: 'financialAccountId',
        reason: 'PAYMENT_METHOD_UNSUPPORTED',
      });
    });
  });

  describe('input checks', () => {
    it.each<[string, Partial<CreatePaymentIntentInput>, string]>([
      ['a zero amount', { amount: 0 }, 'amount'],
      ['a negative amount', { amount: -100 }, 'amount'],
      ['an uppercase currency', { currency: 'USD' }, 'currency'],
      ['a non-ISO currency', { currency: 'dollars' }, 'currency'],
      ['a currency ACH cannot debit', { currency: 'eur' }, 'currency'],
      ['a blank billing name', { billingName: '   ' }, 'billingName'],
      ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey'],
      ['an idempotency key with spaces', { idempotencyKey: 'a b' }, 'idempotencyKey'],
      ['a malformed customer id', { customerId: 'cus_1/../x' }, 'customerId'],
      ['a malformed account id', { financialAccountId: 'fca_1?expand[]=x' }, 'financialAccountId'],
      ['a description over 1000 characters', { description: 'd'.repeat(1001) }, 'description'],
    ])('should refuse %s with BAD_USER_INPUT before any Stripe request', async (_name, over, field) => {
      const before = gw.stripeRequests();
      const r = await asA(CreatePaymentIntentDocument, { input: piInput(over) });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0].extensions).toMatchObject({ field });
      expect(gw.stripeRequests()).toBe(before);
    });

    it('should refuse an amount beyond SafeInt at the scalar, before any Stripe request', async () => {
      const before = gw.stripeRequests();
      const r = await asA(CreatePaymentIntentDocument, { input: piInput({ amount: 2 ** 53 }) });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(gw.stripeRequests()).toBe(before);
    });

    it('should refuse a mandate accepted in the future, before any Stripe request', async () => {
      const before = gw.stripeRequests();
      const r = await asA(ConfirmPaymentIntentDocument, {
        input: { paymentIntentId: xPi, mandateAcceptedAt: new Date(Date.now() + 3_600_000).toISOString() },
      });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0].extensions).toMatchObject({ field: 'mandateAcceptedAt' });
      expect(gw.stripeRequests()).toBe(before);
    });

    it('should refuse ids of the wrong kind with BAD_USER_INPUT', async () => {
      const r = await asA(PaymentIntentDocument, { id: xSeti });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      const c = await asA(CancelPaymentIntentDocument, { input: { paymentIntentId: 'fca_123' } });
      expect(errorCodes(c)).toEqual(['BAD_USER_INPUT']);
      expect(c.errors![0].extensions).toMatchObject({ field: 'paymentIntentId' });
    });
  });
});
